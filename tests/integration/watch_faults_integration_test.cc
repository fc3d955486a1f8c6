// capstan-watch --once under injected file-system faults (tests/faults/fault_inject.cc): every
// write, open for writing, fsync, rename and mkdir the cycle makes in its cache (the clone it
// keeps of the --repo URL) and in the bare remote it pushes to over file:// (libgit2 writes that
// in process), failed in turn. For each: exit 0 with the update pushed, or exit 3 with one error
// line and the remote as it was; both repositories pass `git fsck`, no lock or temporary file is
// left, and the next cycle, with the same cache, pushes the update exactly once. Twice: editing
// a kustomization, and creating an Application's .argocd-source-<name>.yaml (Argo CD Image
// Updater's default write-back) in a directory that does not exist yet.

#include <catch2/catch.hpp>
#include <functional>
#include <map>
#include <string>

#include "support/fault_sweep.h"
#include "support/git_servers.h"
#include "support/oci_registry.h"
#include "support/shell.h"
#include "support/temp_repo.h"
#include "support/watch_fixture.h"

namespace capstan::testing {
namespace {

// One watch cycle of run/git/config.git (the remote) with run/cache as its cache.
std::string Command(const std::string& run) {
  return "GIT_TERMINAL_PROMPT=0 HOME=" + ShellQuote(run) + " " +
         ShellQuote(std::string(CAPSTAN_BINARY_DIR) + "/tools/capstan-watch") + " --once --repo " +
         ShellQuote("file://" + run + "/git/config.git") + " --branch main --cache-dir " +
         ShellQuote(run + "/cache") + " --author 'Watch Bot <watch@example.com>'";
}

// Sweeps every faultable call of a cycle over a remote holding `files`; after each run (and
// the fault-free one that follows) the remote's branch is checked with `landed`.
void Sweep(const std::string& root, const std::map<std::string, std::string>& files,
           const std::string& expected_log, const std::function<void(const std::string&)>& landed) {
  auto make = [&](const std::string& run) {
    CreateBareRepo(run + "/git", "config.git", files);
    return run;
  };
  std::string counted = make(root + "/count");
  std::map<std::string, int> counts =
      CountFaultableCalls(counted, counted, Command(counted), root + "/calls.log");
  CHECK(counts["write"] > 0);
  CHECK(counts["rename"] > 0);
  WARN("fault sweep of capstan-watch --once: " << DescribePlan(counts));
  int runs = 0;
  for (const std::string& fault : FaultPlan(counts)) {
    CAPTURE(fault);
    std::string run = make(root + "/run-" + std::to_string(++runs));
    std::string bare = run + "/git/config.git";
    const std::string tip = RunGit(bare, "rev-parse main");
    ShellResult r = RunWithFault(run, run, fault, Command(run));
    INFO(r.output);
    CHECK(RunShell(bare, "git fsck --no-progress --strict").exit_code == 0);
    CHECK(Leftovers(run).empty());
    if (r.exit_code == 0) {
      CHECK(RunGit(bare, "log --format=%s main") == expected_log);
      landed(bare);
    } else {
      CHECK(r.exit_code == 3);
      // One error line naming what failed (a summary line may follow it).
      CHECK(r.output.find("capstan-watch: error: ") != std::string::npos);
      CHECK(r.output.find("capstan-watch: error: ") == r.output.rfind("capstan-watch: error: "));
      CHECK(r.output.find("No such file or directory") == std::string::npos);
      CHECK(RunGit(bare, "rev-parse main") == tip);
    }
    ShellResult again = RunShell(run, Command(run));
    INFO(again.output);
    CHECK(again.exit_code == 0);
    CHECK(RunGit(bare, "log --format=%s main") == expected_log);
    landed(bare);
  }
}

TEST_CASE("capstan-watch --once keeps its cache and the remote whole at any injected fault",
          "[integration][watch]") {
  TempDir registry_root, dir;
  DockerRegistry registry(registry_root.path() + "/registry");
  const std::string image = PushApiReleases(registry);
  Sweep(dir.path(),
        {{".capstan.yaml",
          "images:\n  - name: api\n    image: " + image + "\n    constraint: \"~1.4\"\n"},
         {"apps/api/kustomization.yaml", KustomizationWithImage(image, "1.4.1")}},
        "capstan-watch: " + image + " 1.4.1 -> 1.4.2\ninitial commit\n",
        [&](const std::string& bare) {
          CHECK(RunGit(bare, "show main:apps/api/kustomization.yaml") ==
                KustomizationWithImage(image, "1.4.2"));
        });
}

TEST_CASE("capstan-watch --once creates an .argocd-source file whole or not at all at any fault",
          "[integration][watch]") {
  TempDir registry_root, dir;
  DockerRegistry registry(registry_root.path() + "/registry");
  const std::string image = PushApiReleases(registry);
  // No write-back-target: Image Updater (and capstan) write the Application's parameter
  // override file in its source path, which holds nothing yet.
  Sweep(dir.path(),
        {{"argocd/api.yaml",
          "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: api\n"
          "  annotations:\n    argocd-image-updater.argoproj.io/image-list: api=" +
              image +
              ":~1.4\n    argocd-image-updater.argoproj.io/write-back-method: git\n"
              "spec:\n  source:\n    repoURL: https://git.example.com/config.git\n"
              "    path: apps/api\n"}},
        "capstan-watch: " + image + " 1.4.2\ninitial commit\n", [&](const std::string& bare) {
          const std::string text = RunGit(bare, "show main:apps/api/.argocd-source-api.yaml");
          CHECK(text.starts_with("kustomize:\n  images:\n  - " + image + ":1.4.2"));
        });
}

}  // namespace
}  // namespace capstan::testing
