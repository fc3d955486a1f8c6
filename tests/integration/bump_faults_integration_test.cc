// capstan-bump --commit under injected file-system faults: every write, open for writing,
// fsync, rename and mkdir the run makes in the repository (its own files and libgit2's objects,
// index and refs), failed in turn with ENOSPC, EIO, EACCES or a short write through an
// LD_PRELOAD library (tests/faults/fault_inject.cc). For each: exit 3 with one error line, every
// file its old or its new bytes and all of them old after a failure, no temporary or lock file
// left, `git fsck` clean, and the next run without the fault finishes the bump.

#include <catch2/catch.hpp>
#include <map>
#include <string>

#include "support/fault_sweep.h"
#include "support/shell.h"
#include "support/temp_repo.h"

namespace capstan::testing {
namespace {

const std::string kOld =
    "apiVersion: kustomize.config.k8s.io/v1beta1\n"
    "kind: Kustomization\n"
    "resources: [deploy.yaml]\n"
    "images:\n"
    "  - name: ghcr.io/acme/api\n"
    "    newTag: 1.4.1  # set by CI\n";
const std::string kNew =
    "apiVersion: kustomize.config.k8s.io/v1beta1\n"
    "kind: Kustomization\n"
    "resources: [deploy.yaml]\n"
    "images:\n"
    "  - name: ghcr.io/acme/api\n"
    "    newTag: 1.4.2  # set by CI\n";
const std::string kFile = "apps/api/kustomization.yaml";
// A second file the bump changes, written after the first: a fault there must put the first
// back too.
const std::string kValues = "charts/api/values.yaml";
const std::string kValuesOld = "image:\n  repository: ghcr.io/acme/api\n  tag: 1.4.1\n";
const std::string kValuesNew = "image:\n  repository: ghcr.io/acme/api\n  tag: 1.4.2\n";

const std::string kCommand = ShellQuote(std::string(CAPSTAN_BINARY_DIR) + "/tools/capstan-bump") +
                             " --image ghcr.io/acme/api --tag 1.4.2 --commit";

// A repository with both files committed, in dir/repo.
std::string MakeRepo(const std::string& dir) {
  std::string repo = dir + "/repo";
  InitRepo(repo);
  WriteFile(repo + "/" + kFile, kOld);
  WriteFile(repo + "/apps/api/deploy.yaml", "kind: Deployment\n");
  WriteFile(repo + "/" + kValues, kValuesOld);
  CommitAll(repo, "first");
  return repo;
}

TEST_CASE("capstan-bump --commit fails cleanly at every injected file-system fault",
          "[integration]") {
  TempDir dir;
  std::string counted = MakeRepo(dir.path() + "/count");
  std::map<std::string, int> counts =
      CountFaultableCalls(counted, counted, kCommand, dir.path() + "/calls.log");
  CHECK(counts["write"] > 0);
  CHECK(counts["rename"] > 0);
  CHECK(counts["open"] > 0);
  WARN("fault sweep of capstan-bump --commit: " << DescribePlan(counts));
  int runs = 0;
  for (const std::string& fault : FaultPlan(counts)) {
    CAPTURE(fault);
    std::string repo = MakeRepo(dir.path() + "/run-" + std::to_string(++runs));
    ShellResult r = RunWithFault(repo, repo, fault, kCommand);
    INFO(r.output);
    std::string after = ReadFile(repo + "/" + kFile);
    std::string values = ReadFile(repo + "/" + kValues);
    CHECK((after == kOld || after == kNew));
    CHECK((values == kValuesOld || values == kValuesNew));
    CHECK(Leftovers(repo).empty());
    CHECK(RunShell(repo, "git fsck --no-progress --strict").exit_code == 0);
    if (r.exit_code == 0) {
      // The fault hit something the run does not need: the bump is complete.
      CHECK(after == kNew);
      CHECK(values == kValuesNew);
      CHECK(RunGit(repo, "log --format=%s -1").find("1.4.2") != std::string::npos);
    } else {
      CHECK(r.exit_code == 3);
      // One error line, the last, naming what failed, and the files as they were.
      CHECK(LastLine(r.output).starts_with("capstan-bump: error: "));
      CHECK(r.output.find("capstan-bump:") == r.output.rfind("capstan-bump:"));
      CHECK(after == kOld);
      CHECK(values == kValuesOld);
      CHECK(RunGit(repo, "status --porcelain").empty());
    }
    // Without the fault the next run completes the bump (or finds it done).
    ShellResult again = RunShell(repo, kCommand);
    INFO(again.output);
    CHECK(again.exit_code == 0);
    CHECK(ReadFile(repo + "/" + kFile) == kNew);
    CHECK(RunGit(repo, "show HEAD:" + kFile) == kNew);
    CHECK(RunGit(repo, "show HEAD:" + kValues) == kValuesNew);
    CHECK(RunGit(repo, "status --porcelain").empty());
  }
}

}  // namespace
}  // namespace capstan::testing
