#include "semver/semver.h"

#include <catch2/catch.hpp>

#include "support/run_tool.h"

namespace capstan::tools {
namespace {

using testing::RunTool;
using testing::ToolResult;

ToolResult Semver(std::vector<std::string> args) {
  return RunTool(RunSemver, std::move(args), ".");
}

TEST_CASE("capstan-semver prints admitted versions in ascending precedence as written",
          "[semver]") {
  ToolResult r = Semver({"^1.2", "v1.10.0", "1.2", "2.0.0", "1.3.0-rc.1", "v1.9"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "1.2\nv1.9\nv1.10.0\n");
  CHECK(r.err.empty());
}

TEST_CASE("capstan-semver admits pre-releases with --include-prerelease", "[semver]") {
  ToolResult r = Semver({"--include-prerelease", ">=1", "1.3.0", "1.3.0-rc.1"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "1.3.0-rc.1\n1.3.0\n");
}

TEST_CASE("capstan-semver exits 1 when no version is admitted", "[semver]") {
  ToolResult r = Semver({"~2.0", "1.0.0", "3.0.0"});
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
}

// Issue 14: a 10,000-character garbage range was echoed whole on stderr.
TEST_CASE("capstan-semver cuts a huge malformed range to a short prefix with its length",
          "[semver]") {
  std::string garbage = ">=1.0 " + std::string(10000, 'x');
  ToolResult r = Semver({garbage, "1.0.0"});
  CHECK(r.exit_code == 2);
  REQUIRE(testing::Lines(r.err).size() == 1);
  CHECK(r.err.size() < 200);
  CHECK(r.err.find("(10006 bytes)") != std::string::npos);
  CHECK(r.err.rfind("capstan-semver: error: invalid constraint '>=1.0 xxx", 0) == 0);
}

TEST_CASE("capstan-semver cuts a huge malformed version to a short prefix with its length",
          "[semver]") {
  ToolResult r = Semver({">=1", "1." + std::string(10000, '7')});
  CHECK(r.exit_code == 2);
  REQUIRE(testing::Lines(r.err).size() == 1);
  CHECK(r.err.size() < 200);
  CHECK(r.err.find("(10002 bytes)") != std::string::npos);
}

TEST_CASE("capstan-semver exits 2 with one error line on a malformed range", "[semver]") {
  ToolResult r = Semver({">=1 <", "1.0.0"});
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err.rfind("capstan-semver: error: invalid constraint '>=1 <'", 0) == 0);
  CHECK(testing::Lines(r.err).size() == 1);
}

TEST_CASE("capstan-semver skips malformed versions and reports them", "[semver]") {
  ToolResult r = Semver({"--strict", ">=1", "v1.2", "1.2.3", "latest"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "1.2.3\n");
  CHECK(testing::Lines(r.err).size() == 2);

  ToolResult none = Semver({">=1", "latest", "main"});
  CHECK(none.exit_code == 2);
  CHECK(none.out.empty());
}

TEST_CASE("capstan-semver --strict takes a v prefix as Flux does, but no partial version",
          "[semver]") {
  ToolResult r = Semver({"--strict", ">=1.2", "v1.2.3", "1.3.0", "v1.4", "01.5.0"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "v1.2.3\n1.3.0\n");
  CHECK(testing::Lines(r.err).size() == 2);
}

TEST_CASE("capstan-semver usage errors exit 2", "[semver]") {
  CHECK(Semver({}).exit_code == 2);
  CHECK(Semver({">=1"}).exit_code == 2);
  CHECK(Semver({"--strict", "--coerce", ">=1", "1.0.0"}).exit_code == 2);
  CHECK(Semver({"--bogus", ">=1", "1.0.0"}).exit_code == 2);
  ToolResult help = Semver({"--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("exit codes:") != std::string::npos);
}

}  // namespace
}  // namespace capstan::tools
