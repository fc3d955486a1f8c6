#include "report/suppression.h"

#include <catch2/catch.hpp>

namespace capstan::report {
namespace {

TEST_CASE("a bare capstan:allow covers every rule, with or without a reason") {
  CHECK(AllowMarkerCovers("password: x  # capstan:allow", "plaintext-secret"));
  CHECK(AllowMarkerCovers("# capstan:allow fixture for the e2e suite", "schema"));
  CHECK_FALSE(AllowMarkerCovers("password: x  # allow", "plaintext-secret"));
  CHECK_FALSE(AllowMarkerCovers("", "schema"));
}

TEST_CASE("capstan:allow=ids covers only the rules it names") {
  const std::string_view line = "# capstan:allow=removed-api,deprecated-api cluster runs 1.21";
  CHECK(AllowMarkerCovers(line, "removed-api"));
  CHECK(AllowMarkerCovers(line, "deprecated-api"));
  CHECK_FALSE(AllowMarkerCovers(line, "schema"));
  CHECK_FALSE(AllowMarkerCovers(line, "removed"));  // whole ids only
  CHECK_FALSE(AllowMarkerCovers("# capstan:allow=", "schema"));
  CHECK_FALSE(AllowMarkerCovers("# capstan:allow=removed-apj", "removed-api"));  // a typo
  // Two markers on one line: either may cover the rule.
  CHECK(AllowMarkerCovers("# capstan:allow=schema capstan:allow=aws-access-key", "aws-access-key"));
}

Finding At(int line, std::string rule) {
  Finding f;
  f.rule = std::move(rule);
  f.line = line;
  f.file = "a.yaml";
  return f;
}

TEST_CASE("findings covered on their line or the line above are dropped, others kept") {
  const std::string text =
      "a: 1  # capstan:allow\n"          // 1
      "# capstan:allow=removed-api\r\n"  // 2
      "b: 2\n"                           // 3
      "c: 3\n"                           // 4
      "d: 4 # capstan:allow=schema";     // 5, no final newline
  std::vector<Finding> findings = {At(1, "schema"), At(2, "schema"),      At(3, "removed-api"),
                                   At(3, "schema"), At(4, "removed-api"), At(5, "schema"),
                                   At(0, "schema"), At(9, "schema")};
  DropAllowed(text, findings);
  std::vector<std::string> kept;
  for (const Finding& f : findings) kept.push_back(std::to_string(f.line) + " " + f.rule);
  // Line 2's own marker is a bare one (line 1's); line 3 is covered for removed-api only; a
  // finding without a line, or past the end, is kept.
  CHECK(kept == std::vector<std::string>{"3 schema", "4 removed-api", "0 schema", "9 schema"});
}

TEST_CASE("a text without a marker keeps every finding") {
  std::vector<Finding> findings = {At(1, "schema")};
  DropAllowed("a: 1\n", findings);
  CHECK(findings.size() == 1);
}

}  // namespace
}  // namespace capstan::report
