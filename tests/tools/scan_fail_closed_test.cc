// capstan-scan through its Run(): what it cannot judge structurally blocks the commit, with the
// summary and the exit code agreeing (issue 14, "The scanner must fail closed").
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "scan/scan.h"
#include "support/run_tool.h"
#include "support/temp_repo.h"

namespace capstan::tools {
namespace {

using testing::Lines;
using testing::RunTool;
using testing::TempDir;
using testing::ToolResult;
using testing::WriteFile;

ToolResult Scan(std::vector<std::string> args, const std::string& cwd, const std::string& stdin_text = "") {
  return RunTool(RunScan, std::move(args), cwd, stdin_text);
}

const std::string kAwsKey = std::string("AKIA") + "IOSFODNN7EXAMPL" + "Q";

TEST_CASE("a Secret manifest that does not parse blocks the commit and names its plaintext", "[scan]") {
  TempDir dir;
  WriteFile(dir / "secret.yaml",
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: hunter2\n"
            "  note: \"unterminated\n");
  ToolResult r = Scan({"secret.yaml"}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("error scan-unparsed: could not be parsed") != std::string::npos);
  CHECK(r.out.find("secret.yaml:6:13: error secret-string-data: stringData.password") != std::string::npos);
  CHECK(r.out.find("hunter2") == std::string::npos);
  CHECK(r.out.find("no problems") == std::string::npos);
}

TEST_CASE("a YAML file with a NUL byte is an error, a binary file is still skipped", "[scan]") {
  TempDir dir;
  WriteFile(dir / "secret.yaml", std::string("apiVersion: v1\nkind: Secret\n\0\n", 30));
  WriteFile(dir / "logo.png", std::string("\x89PNG\0\0\0", 7));
  ToolResult r = Scan({"."}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("secret.yaml:3:1: error scan-unparsed") != std::string::npos);
  CHECK(r.out.find("logo.png") == std::string::npos);
}

TEST_CASE("a file over --max-file-size is an error and its credentials are still found", "[scan]") {
  TempDir dir;
  testing::InitRepo(dir.path());
  // 2 MiB of padding on one line, then a credential: padding must not hide it.
  std::string padded = std::string(2u << 20, 'a') + "\nkey: " + kAwsKey + "\n";
  WriteFile(dir / "big.yaml", padded);
  ToolResult r = Scan({"--format", "json", "--max-file-size", "1", "big.yaml"}, dir.path());
  CHECK(r.exit_code == 1);
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j["findings"].size() == 2);
  CHECK(j["findings"][0]["rule"] == "input-limit");
  CHECK(j["findings"][0]["severity"] == "error");
  CHECK(j["findings"][1]["rule"] == "aws-access-key-id");
  CHECK(j["findings"][1]["line"] == 2);
  CHECK(j["findings"][1]["column"] == 6);
  CHECK(r.out.find(kAwsKey) == std::string::npos);

  // The same from stdin and from the index.
  ToolResult piped = Scan({"--format", "json", "--max-file-size", "1", "-"}, dir.path(), padded);
  CHECK(piped.exit_code == 1);
  CHECK(nlohmann::json::parse(piped.out)["findings"].size() == 2);
  testing::RunGit(dir.path(), "add big.yaml");
  ToolResult staged = Scan({"--format", "json", "--max-file-size", "1", "--staged"}, dir.path());
  CHECK(staged.exit_code == 1);
  CHECK(nlohmann::json::parse(staged.out)["findings"].size() == 2);

  // Listed in .capstanignore, it is accepted.
  WriteFile(dir / ".capstanignore", "big.yaml\n");
  ToolResult ignored = Scan({"--max-file-size", "1", "big.yaml"}, dir.path());
  CHECK(ignored.exit_code == 0);
}

TEST_CASE("a large file without a credential is still an error until it is ignored", "[scan]") {
  TempDir dir;
  WriteFile(dir / "dump.sql", std::string(3u << 20, 'x'));
  ToolResult r = Scan({"--max-file-size", "1", "."}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK(Lines(r.out).front().starts_with(
      "dump.sql:1:1: error input-limit: larger than the 1 MiB limit (--max-file-size), so only the credential "
      "rules ran over it"));
}

}  // namespace
}  // namespace capstan::tools
