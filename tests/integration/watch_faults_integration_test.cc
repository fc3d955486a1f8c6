// capstan-watch --once under injected file-system faults (tests/faults/fault_inject.cc): every
// write, open for writing, fsync, rename and mkdir the cycle makes in its cache (the clone it
// keeps of the --repo URL) and in the bare remote it pushes to over file:// (libgit2 writes that
// in process), failed in turn. For each: exit 0 with the update pushed, or exit 3 with one error
// line and the remote as it was; both repositories pass `git fsck`, no lock or temporary file is
// left, and the next cycle, with the same cache, pushes the update exactly once.

#include <catch2/catch.hpp>
#include <map>
#include <string>

#include "support/fault_sweep.h"
#include "support/git_servers.h"
#include "support/oci_registry.h"
#include "support/shell.h"
#include "support/temp_repo.h"

namespace capstan::testing {
namespace {

std::string Kustomization(const std::string& image, const std::string& tag) {
  return "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
         "images:\n  - name: " +
         image + "\n    newTag: " + tag + "\n";
}

TEST_CASE("capstan-watch --once keeps its cache and the remote whole at any injected fault",
          "[integration][watch]") {
  TempDir registry_root, dir;
  DockerRegistry registry(registry_root.path() + "/registry");
  int n = 0;
  for (const char* tag : {"1.4.1", "1.4.2"}) {
    TestImage image;
    image.salt = tag;
    image.created = "2026-01-0" + std::to_string(++n) + "T00:00:00Z";
    PushImage(registry.host(), "acme/api", tag, image);
  }
  const std::string image = registry.host() + "/acme/api";
  // dir/<run>/git/config.git is the remote, dir/<run>/cache the cache: both under the root.
  auto make = [&](const std::string& run) {
    CreateBareRepo(run + "/git", "config.git",
                   {{".capstan.yaml", "images:\n  - name: api\n    image: " + image +
                                          "\n    constraint: \"~1.4\"\n"},
                    {"apps/api/kustomization.yaml", Kustomization(image, "1.4.1")}});
    return run;
  };
  auto command = [&](const std::string& run) {
    return "GIT_TERMINAL_PROMPT=0 HOME=" + ShellQuote(run) + " " +
           ShellQuote(std::string(CAPSTAN_BINARY_DIR) + "/tools/capstan-watch") +
           " --once --repo " + ShellQuote("file://" + run + "/git/config.git") +
           " --branch main --cache-dir " + ShellQuote(run + "/cache") +
           " --author 'Watch Bot <watch@example.com>'";
  };
  const std::string expected_log = "capstan-watch: " + image + " 1.4.1 -> 1.4.2\ninitial commit\n";

  std::string counted = make(dir.path() + "/count");
  std::map<std::string, int> counts =
      CountFaultableCalls(counted, counted, command(counted), dir.path() + "/calls.log");
  CHECK(counts["write"] > 0);
  CHECK(counts["rename"] > 0);
  WARN("fault sweep of capstan-watch --once: " << DescribePlan(counts));
  int runs = 0;
  for (const std::string& fault : FaultPlan(counts)) {
    CAPTURE(fault);
    std::string run = make(dir.path() + "/run-" + std::to_string(++runs));
    std::string bare = run + "/git/config.git";
    const std::string tip = RunGit(bare, "rev-parse main");
    ShellResult r = RunWithFault(run, run, fault, command(run));
    INFO(r.output);
    CHECK(RunShell(bare, "git fsck --no-progress --strict").exit_code == 0);
    CHECK(Leftovers(run).empty());
    if (r.exit_code == 0) {
      CHECK(RunGit(bare, "log --format=%s main") == expected_log);
    } else {
      CHECK(r.exit_code == 3);
      CHECK(RunGit(bare, "rev-parse main") == tip);
    }
    ShellResult again = RunShell(run, command(run));
    INFO(again.output);
    CHECK(again.exit_code == 0);
    CHECK(RunGit(bare, "log --format=%s main") == expected_log);
    CHECK(RunGit(bare, "show main:apps/api/kustomization.yaml") == Kustomization(image, "1.4.2"));
  }
}

}  // namespace
}  // namespace capstan::testing
