// --report FORMAT=PATH and --max-annotations, which validate, scan and sync read alike
// (tools/common/cli.h OutputFlags): one run, the same report in several formats, so a CI step
// gets annotations on stdout, SARIF for code scanning and a summary without checking twice.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "common/cli.h"
#include "report/writer.h"
#include "scan/scan.h"
#include "support/run_tool.h"
#include "support/temp_repo.h"
#include "validate/validate.h"

namespace capstan::tools {
namespace {

using testing::Lines;
using testing::ReadFile;
using testing::RunTool;
using testing::TempDir;
using testing::ToolResult;
using testing::WriteFile;

// A Deployment whose replicas is a string: one schema error at bad.yaml:6:13.
const std::string kBadDeployment =
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: \"two\"\n"
    "  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: "
    "web}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n";

ToolResult Validate(std::vector<std::string> args, const std::string& cwd) {
  return RunTool(RunValidate, std::move(args), cwd);
}

std::vector<std::string> FilesIn(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

TEST_CASE("validate writes the report to each --report file as --format prints it", "[cli]") {
  TempDir dir;
  WriteFile(dir / "bad.yaml", kBadDeployment);
  ToolResult json = Validate(
      {"--format", "json", "--report", "json=out.json", "--report", "sarif=out.sarif", "bad.yaml"},
      dir.path());
  CHECK(json.exit_code == 1);  // the findings decide the exit code, not the extra files
  CHECK(ReadFile(dir / "out.json") == json.out);
  ToolResult sarif = Validate({"--format", "sarif", "bad.yaml"}, dir.path());
  CHECK(ReadFile(dir / "out.sarif") == sarif.out);
  ToolResult text = Validate({"--report", "github=annotations.txt", "bad.yaml"}, dir.path());
  CHECK(text.out.find("bad.yaml:6:13: error schema") != std::string::npos);
  CHECK(ReadFile(dir / "annotations.txt").starts_with("::error file=bad.yaml,line=6,col=13,"));
}

TEST_CASE("a --report file replaces an existing one whole and leaves no temporary file", "[cli]") {
  TempDir dir;
  WriteFile(dir / "ok.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n");
  WriteFile(dir / "reports/out.json", std::string(100000, 'x'));
  ToolResult r = Validate({"--report", "json=reports/out.json", "ok.yaml"}, dir.path());
  CHECK(r.exit_code == 0);
  std::string written = ReadFile(dir / "reports/out.json");
  CHECK(written.starts_with("{"));
  CHECK(written.find('x') == std::string::npos);
  CHECK(FilesIn(dir / "reports") == std::vector<std::string>{"out.json"});
}

TEST_CASE("a --report file that cannot be written exits 3 and the other reports are written",
          "[cli]") {
  TempDir dir;
  WriteFile(dir / "bad.yaml", kBadDeployment);
  WriteFile(dir / "blocker", "a file where a directory is wanted\n");
  ToolResult r = Validate(
      {"--report", "sarif=blocker/out.sarif", "--report", "json=out.json", "bad.yaml"}, dir.path());
  CHECK(r.exit_code == 3);  // a report the pipeline asked for is missing: not a clean run
  CHECK(r.out.find("bad.yaml:6:13") != std::string::npos);
  CHECK(ReadFile(dir / "out.json").find("\"schema\"") != std::string::npos);
  REQUIRE(Lines(r.err).size() == 1);
  CHECK(r.err.starts_with("capstan-validate: error: cannot write report 'blocker/out.sarif': "));
}

TEST_CASE("bad --report and --max-annotations values are usage errors", "[cli]") {
  TempDir dir;
  WriteFile(dir / "ok.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n");
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const Case cases[] = {
      {{"--report", "sarif"}, "--report takes FORMAT=PATH, e.g. sarif=capstan.sarif, not 'sarif'"},
      {{"--report", "sarif="}, "--report takes FORMAT=PATH"},
      {{"--report", "xml=out.xml"}, "--report: unknown format 'xml'"},
      {{"--report", "json=a", "--report", "sarif=a"}, "--report names 'a' twice"},
      {{"--max-annotations", "-1"}, "option '--max-annotations' needs a number from 0 to 1000"},
      {{"--max-annotations", "many"}, "option '--max-annotations' needs a number"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = c.args;
    args.push_back("ok.yaml");
    ToolResult r = Validate(args, dir.path());
    INFO(c.args.back());
    CHECK(r.exit_code == 2);
    CHECK(r.err.starts_with("capstan-validate: error: " + c.message));
    CHECK(r.out.empty());
  }
  CHECK(FilesIn(dir.path()) == std::vector<std::string>{"ok.yaml"});
}

TEST_CASE("the help of validate, scan and sync lists every report format the writer knows",
          "[cli]") {
  // One flag row (kFormatFlag) for the three tools; this keeps it equal to the writer's names.
  const std::string names = report::FormatNames();
  CHECK(std::string(kFormatFlag.help).find(names) != std::string::npos);
  TempDir dir;
  for (std::string_view tool : {"validate", "scan"}) {
    ToolResult r = tool == "validate" ? Validate({"--help"}, dir.path())
                                      : RunTool(RunScan, {"--help"}, dir.path());
    INFO(tool);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find(names) != std::string::npos);
  }
}

TEST_CASE("max-annotations limits the github format's annotations per severity", "[cli]") {
  TempDir dir;
  for (int i = 0; i < 3; ++i)
    WriteFile(dir / ("bad" + std::to_string(i) + ".yaml"), kBadDeployment);
  ToolResult all = Validate({"--format", "github", "."}, dir.path());
  ToolResult one = Validate({"--format", "github", "--max-annotations", "1", "."}, dir.path());
  CHECK(all.exit_code == 1);
  CHECK(one.exit_code == 1);
  auto errors = [](const std::string& out) {
    int n = 0;
    for (const std::string& line : Lines(out)) n += line.starts_with("::error ");
    return n;
  };
  CHECK(errors(all.out) == 3);
  CHECK(errors(one.out) == 1);
}

TEST_CASE("scan writes its --report files too, with no secret value in any", "[cli]") {
  TempDir dir;
  const std::string key = std::string("AKIA") + "IOSFODNN7EXAMPL" + "Q";
  WriteFile(dir / "app.env", "AWS_ACCESS_KEY_ID=" + key + "\n");
  ToolResult r =
      RunTool(RunScan, {"--report", "sarif=scan.sarif", "--report", "json=scan.json", "app.env"},
              dir.path());
  CHECK(r.exit_code == 1);
  std::string sarif = ReadFile(dir / "scan.sarif");
  std::string json = ReadFile(dir / "scan.json");
  CHECK(sarif.find("aws-access-key-id") != std::string::npos);
  CHECK(json.find("aws-access-key-id") != std::string::npos);
  CHECK(sarif.find(key) == std::string::npos);
  CHECK(json.find(key) == std::string::npos);
}

}  // namespace
}  // namespace capstan::tools
