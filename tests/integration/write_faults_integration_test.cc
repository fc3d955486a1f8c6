// capstan-hooks install and capstan-scan --write-baseline under injected file-system faults
// (tests/faults/fault_inject.cc): every write, open for writing, fsync, rename and mkdir each
// run makes, failed in turn. For each: a one-line error and exit 3 (or a complete result when
// the call was not needed), every file its old or its new bytes, nothing lost (a hook capstan
// did not write is either in place or in its backup), no temporary file left, and the next run
// without the fault completes.

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <string>

#include "support/fault_sweep.h"
#include "support/shell.h"
#include "support/temp_repo.h"

namespace capstan::testing {
namespace {

const std::string kHooks = ShellQuote(std::string(CAPSTAN_BINARY_DIR) + "/tools/capstan-hooks");
const std::string kScan = ShellQuote(std::string(CAPSTAN_BINARY_DIR) + "/tools/capstan-scan");
const std::string kForeignHook = "#!/bin/sh\necho husky was here\n";

// A repository whose pre-commit hook is someone else's.
std::string MakeHookRepo(const std::string& dir) {
  std::string repo = dir + "/repo";
  InitRepo(repo);
  WriteFile(repo + "/.git/hooks/pre-commit", kForeignHook);
  ::chmod((repo + "/.git/hooks/pre-commit").c_str(), 0755);
  return repo;
}

bool Executable(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && (st.st_mode & 0111) == 0111;
}

TEST_CASE("capstan-hooks install --force --pre-push loses nothing at any injected fault",
          "[integration]") {
  TempDir dir;
  const std::string command = kHooks + " install --force --pre-push";
  std::string counted = MakeHookRepo(dir.path() + "/count");
  std::map<std::string, int> counts =
      CountFaultableCalls(counted, counted, command, dir.path() + "/calls.log");
  CHECK(counts["rename"] > 0);
  const std::string installed = ReadFile(counted + "/.git/hooks/pre-commit");
  const std::string installed_push = ReadFile(counted + "/.git/hooks/pre-push");
  WARN("fault sweep of capstan-hooks install: " << DescribePlan(counts));
  int runs = 0;
  for (const std::string& fault : FaultPlan(counts)) {
    CAPTURE(fault);
    std::string repo = MakeHookRepo(dir.path() + "/run-" + std::to_string(++runs));
    std::string hooks = repo + "/.git/hooks/";
    ShellResult r = RunWithFault(repo, repo, fault, command);
    INFO(r.output);
    CHECK(Leftovers(repo).empty());
    // The foreign hook is never lost: in place, or moved to its backup.
    bool in_place = ReadFile(hooks + "pre-commit") == kForeignHook;
    bool backed_up = std::filesystem::exists(hooks + "pre-commit.capstan-backup") &&
                     ReadFile(hooks + "pre-commit.capstan-backup") == kForeignHook;
    CHECK((in_place || backed_up));
    // Each hook is absent, the foreign one, or capstan's complete and executable.
    std::string pre_commit = ReadFile(hooks + "pre-commit");
    CHECK((pre_commit == kForeignHook || pre_commit == installed));
    if (std::filesystem::exists(hooks + "pre-push")) {
      CHECK(ReadFile(hooks + "pre-push") == installed_push);
      CHECK(Executable(hooks + "pre-push"));
    }
    if (r.exit_code != 0) {
      CHECK(r.exit_code == 3);
      CHECK(LastLine(r.output).starts_with("capstan-hooks: error: "));
      CHECK(r.output.find("capstan-hooks:") == r.output.rfind("capstan-hooks:"));
    }
    ShellResult again = RunShell(repo, command);
    INFO(again.output);
    CHECK(again.exit_code == 0);
    CHECK(ReadFile(hooks + "pre-commit") == installed);
    CHECK(Executable(hooks + "pre-commit"));
    CHECK(ReadFile(hooks + "pre-push") == installed_push);
    // The foreign hook survives, in exactly one backup.
    CHECK(ReadFile(hooks + "pre-commit.capstan-backup") == kForeignHook);
    CHECK_FALSE(std::filesystem::exists(hooks + "pre-commit.capstan-backup.1"));
  }
}

TEST_CASE("capstan-scan --write-baseline leaves the old baseline or the new one at any fault",
          "[integration]") {
  TempDir dir;
  const std::string command = kScan + " --write-baseline .capstan-baseline.json notes";
  auto make = [&](const std::string& where) {
    std::string root = where + "/tree";
    // A made-up key for the scan to find. capstan:allow=aws-access-key-id
    WriteFile(root + "/notes/setup.md", "aws_access_key_id = AKIAQYLPMN5HHHFPZAM2\n");
    WriteFile(root + "/.capstan-baseline.json",
              "{\"capstan_baseline\": 1, \"salt\": "
              "\"0123456789abcdef0123456789abcdef\", "
              "\"findings\": []}\n");
    return root;
  };
  std::string counted = make(dir.path() + "/count");
  std::map<std::string, int> counts =
      CountFaultableCalls(counted, counted, command, dir.path() + "/calls.log");
  CHECK(counts["write"] > 0);
  const std::string old_baseline = ReadFile(make(dir.path() + "/old") + "/.capstan-baseline.json");
  const std::string new_baseline = ReadFile(counted + "/.capstan-baseline.json");
  CHECK(new_baseline != old_baseline);
  WARN("fault sweep of capstan-scan --write-baseline: " << DescribePlan(counts));
  int runs = 0;
  for (const std::string& fault : FaultPlan(counts)) {
    CAPTURE(fault);
    std::string root = make(dir.path() + "/run-" + std::to_string(++runs));
    ShellResult r = RunWithFault(root, root, fault, command);
    INFO(r.output);
    std::string baseline = ReadFile(root + "/.capstan-baseline.json");
    CHECK((baseline == old_baseline || baseline == new_baseline));
    CHECK(Leftovers(root).empty());
    if (r.exit_code != 0) {
      CHECK(r.exit_code == 3);
      CHECK(LastLine(r.output).starts_with("capstan-scan: error: "));
      CHECK(baseline == old_baseline);
    }
    ShellResult again = RunShell(root, command);
    INFO(again.output);
    CHECK(again.exit_code == 0);
    CHECK(ReadFile(root + "/.capstan-baseline.json") == new_baseline);
  }
}

}  // namespace
}  // namespace capstan::testing
