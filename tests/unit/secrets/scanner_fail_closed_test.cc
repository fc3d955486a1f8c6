// capstan-scan fails closed: a manifest it cannot judge structurally is a finding, and the
// Secret values it plainly holds are still found (issue 14, "The scanner must fail closed").
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "core/base64.h"
#include "secrets/scanner.h"
#include "support/scan_text.h"

namespace capstan::secrets {
namespace {

using testing::BuiltinScanner;
using testing::ScanText;

std::vector<std::string> Where(const FileScan& scan) { return testing::Where(scan, false); }

bool Has(const FileScan& scan, std::string_view rule) {
  for (const auto& f : scan.findings)
    if (f.finding.rule == rule) return true;
  return false;
}

const std::string kHead = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n";

TEST_CASE("a broken Secret manifest is a scan-unparsed error and its plaintext is still found",
          "[secrets][scanner][fail-closed]") {
  struct Case {
    const char* what;
    std::string text;
  };
  auto c = GENERATE(
      Case{"an unterminated quote",
           kHead + "stringData:\n  password: hunter2\n  note: \"unterminated\n"},
      Case{"an undefined alias", kHead + "stringData:\n  password: hunter2\n  other: *nowhere\n"},
      Case{"an unclosed flow sequence",
           kHead + "stringData:\n  password: hunter2\n  list: [a, b\n"},
      Case{"a tab for indentation", kHead + "stringData:\n  password: hunter2\n\tbad: x\n"},
      Case{"invalid UTF-8", kHead + "stringData:\n  password: hunter2\n  note: caf\xe9\n"});
  INFO(c.what);
  FileScan scan = ScanText("secret.yaml", c.text);
  CHECK(Has(scan, "scan-unparsed"));
  const ScanFinding* plaintext = nullptr;
  for (const auto& f : scan.findings)
    if (f.finding.rule == "secret-string-data" && plaintext == nullptr) plaintext = &f;
  REQUIRE(plaintext != nullptr);
  CHECK(plaintext->finding.line == 6);
  CHECK(plaintext->finding.column == 13);
  CHECK(plaintext->finding.severity == report::Severity::kError);
  CHECK(plaintext->finding.message.find("found by text") != std::string::npos);
  for (const auto& f : scan.findings) CHECK(f.finding.message.find("hunter2") == std::string::npos);
}

TEST_CASE("scan-unparsed points at the parser's position and says why",
          "[secrets][scanner][fail-closed]") {
  FileScan scan = ScanText("s.yaml", kHead + "stringData:\n  a: *missing\n");
  REQUIRE(Has(scan, "scan-unparsed"));
  const report::Finding& f = scan.findings.front().finding;
  CHECK(f.rule == "scan-unparsed");
  CHECK(f.severity == report::Severity::kError);
  CHECK(f.line == 6);
  CHECK(f.message.find("could not be parsed") != std::string::npos);
  CHECK(f.message.find(".capstanignore") != std::string::npos);
}

TEST_CASE("a self-referencing alias does not hang and is reported",
          "[secrets][scanner][fail-closed]") {
  FileScan scan = ScanText("s.yaml", kHead + "stringData: &a\n  k: *a\n");
  CHECK(Has(scan, "scan-unparsed"));
}

TEST_CASE("data values found by text are base64-decoded like parsed ones",
          "[secrets][scanner][fail-closed]") {
  std::string text = kHead + "data:\n  password: " + EncodeBase64("s3cr3t-value") +
                     "\n  empty: " + EncodeBase64("${PW}") + "\n  bad: not*base64\nbroken: [x\n";
  FileScan scan = ScanText("s.yaml", text);
  REQUIRE(scan.findings.size() == 3);
  CHECK(Where(scan)[0] == "secret-data@6:13");
  CHECK(Where(scan)[1] == "secret-data-invalid-base64@8:8");
  CHECK(scan.findings[2].finding.rule == "scan-unparsed");
}

TEST_CASE("documents before the broken one keep their structural judgement",
          "[secrets][scanner][fail-closed]") {
  // The first document's placeholder stays a placeholder: the text pass starts after it.
  std::string text = kHead + "stringData:\n  url: https://example.com\n  pw: ${PW}\n---\n" + kHead +
                     "stringData:\n  token: plain-token-value\nx: [unclosed\n";
  FileScan scan = ScanText("s.yaml", text);
  CHECK(scan.documents == 1);
  REQUIRE(scan.findings.size() == 3);
  CHECK(Where(scan)[0] == "secret-string-data@6:8");
  CHECK(Where(scan)[1] == "secret-string-data@14:10");
  CHECK(scan.findings[2].finding.rule == "scan-unparsed");
  CHECK(scan.findings[2].finding.line >= 15);
}

TEST_CASE("a broken file with no Secret-like trigger is not a finding",
          "[secrets][scanner][fail-closed]") {
  // Nothing structural could be found in it, parsed or not; validate reports the syntax error.
  CHECK(ScanText("cm.yaml", "apiVersion: v1\nkind: ConfigMap\ndata:\n  a: \"x\n").findings.empty());
}

TEST_CASE("a YAML file with a NUL byte is reported, not skipped as binary",
          "[secrets][scanner][fail-closed]") {
  std::string text = kHead + "stringData:\n  password: hunter2\n";
  text.insert(text.find("metadata"), std::string("\0", 1));
  FileScan scan = ScanText("secret.yaml", text);
  CHECK_FALSE(scan.binary);
  CHECK(Has(scan, "scan-unparsed"));
  CHECK(Has(scan, "secret-string-data"));
  // Any other name with a NUL byte stays a skipped binary.
  CHECK(ScanText("image.png", text).binary);
}

std::string Utf16(std::string_view ascii, bool little) {
  std::string out = little ? std::string("\xFF\xFE") : std::string("\xFE\xFF");
  for (char c : ascii) {
    if (little) {
      out += c;
      out += '\0';
    } else {
      out += '\0';
      out += c;
    }
  }
  return out;
}

TEST_CASE("a UTF-16 manifest is judged as its UTF-8 text, at the same lines",
          "[secrets][scanner][fail-closed]") {
  bool little = GENERATE(true, false);
  FileScan scan =
      ScanText("secret.yaml", Utf16(kHead + "stringData:\n  password: hunter2\n", little));
  CHECK_FALSE(scan.binary);
  CHECK(Where(scan) == std::vector<std::string>{"secret-string-data@6:13"});
}

TEST_CASE("the streaming pass reports the token findings of the whole-file scan",
          "[secrets][scanner][fail-closed]") {
  // Credentials placed around the window boundaries (4 MiB windows, 64 KiB overlap) and on a
  // line of several MiB; the streaming pass must agree with Scan on rule, line and column.
  const std::string key =
      "AKIA"
      "IOSFODNN7EXAMPL"
      "Q";
  std::string text = "first line " + key + "\n";
  text += std::string((4u << 20) - 64 * 1024 - text.size() - 5, 'x');
  text += " " + key + " ";  // straddles the end of the first window's kept part
  text += std::string(3u << 20, 'y') + "\n";
  text += "é line with accents before " + key + "\n";
  text += std::string(5u << 20, 'z') + " " + key + "\n# capstan:allow\n" + key + "\n";
  FileScan whole = ScanText("big.txt", text);
  for (std::size_t piece : {std::size_t{1} << 20, std::size_t{7777}, text.size()}) {
    INFO("piece size " << piece);
    StreamScan stream = BuiltinScanner().StartStream("big.txt");
    for (std::size_t at = 0; at < text.size(); at += piece)
      stream.Feed(std::string_view(text).substr(at, piece));
    FileScan streamed = stream.Finish();
    CHECK(Where(streamed) == Where(whole));
    REQUIRE(streamed.findings.size() == 4);
    CHECK(streamed.findings[0].digest == whole.findings[0].digest);
    CHECK(streamed.findings[0].finding.message == whole.findings[0].finding.message);
  }
}

TEST_CASE("the streaming pass counts no column for a byte order mark, as the whole-file scan",
          "[secrets][scanner][fail-closed]") {
  // Found by the full-length scan_file fuzz run: with a UTF-8 byte order mark before a
  // credential on the first line, the streaming pass reported it one column to the right.
  const std::string key =
      "AKIA"
      "IOSFODNN7EXAMPL"
      "Q";
  const std::string text =
      "\xEF\xBB\xBF"
      "AWS_ID=" +
      key + "\nnext=" + key + "\n";
  FileScan whole = ScanText("notes.txt", text);
  CHECK(Where(whole) == std::vector<std::string>{"aws-access-key-id@1:8", "aws-access-key-id@2:6"});
  for (std::size_t piece : {std::size_t{1}, std::size_t{2}, std::size_t{46}, text.size()}) {
    INFO("piece size " << piece);
    StreamScan stream = BuiltinScanner().StartStream("notes.txt");
    for (std::size_t at = 0; at < text.size(); at += piece)
      stream.Feed(std::string_view(text).substr(at, piece));
    CHECK(Where(stream.Finish()) == Where(whole));
  }
}

}  // namespace
}  // namespace capstan::secrets
