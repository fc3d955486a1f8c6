#include "secrets/text_fallback.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace capstan::secrets {
namespace {

// "field.key=value@offset" for each entry.
std::vector<std::string> Found(std::string_view text) {
  std::vector<std::string> out;
  for (const TextSecretValue& v : FindSecretValuesByText(text))
    out.push_back(v.field + "." + v.key + "=" + v.value + "@" + std::to_string(v.offset));
  return out;
}

TEST_CASE("block-style data and stringData entries of a Secret are found by text", "[secrets]") {
  std::string text =
      "apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\n"
      "data:\n  a: YWJj  # comment\n\n  \"b.key\": 'ZGVm'\n"
      "stringData:\n  c: plain\n  pem: |\n    line one\n    line two\n  empty: \"\"\n"
      "type: Opaque\n";
  std::size_t a = text.find("YWJj"), b = text.find("'ZGVm'"), c = text.find("plain"),
              pem = text.find("line one");
  CHECK(Found(text) ==
        std::vector<std::string>{"data.a=YWJj@" + std::to_string(a),
                                 "data.b.key=ZGVm@" + std::to_string(b),
                                 "stringData.c=plain@" + std::to_string(c),
                                 "stringData.pem=line one\nline two@" + std::to_string(pem)});
}

TEST_CASE("JSON-style and flow-style entries are found", "[secrets]") {
  std::string json =
      "{\n  \"kind\": \"Secret\",\n  \"data\": {\n    \"k\": \"dmFs\",\n    \"j\": \"eHl6\"\n  "
      "}\n}\n";
  CHECK(Found(json).size() == 2);
  std::string flow = "kind: Secret\nstringData: {user: admin, pass: hunter2}\n";
  CHECK(Found(flow) == std::vector<std::string>{
                           "stringData.user=admin@" + std::to_string(flow.find("admin")),
                           "stringData.pass=hunter2@" + std::to_string(flow.find("hunter2"))});
}

TEST_CASE("only documents that say kind: Secret are read", "[secrets]") {
  std::string text = "kind: ConfigMap\ndata:\n  a: b\n---\nkind: Secret\ndata:\n  c: ZA==\n";
  CHECK(Found(text) ==
        std::vector<std::string>{"data.c=ZA==@" + std::to_string(text.find("ZA=="))});
  CHECK(Found("kind: ConfigMap\ndata:\n  a: b\n").empty());
}

TEST_CASE("a CRLF file and a data block ended by a shallower key", "[secrets]") {
  std::string text = "kind: Secret\r\ndata:\r\n  a: YWJj\r\nmetadata:\r\n  name: x\r\n";
  CHECK(Found(text) ==
        std::vector<std::string>{"data.a=YWJj@" + std::to_string(text.find("YWJj"))});
}

}  // namespace
}  // namespace capstan::secrets
