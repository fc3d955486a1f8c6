// capstan-watch --once killed mid-cycle: SIGKILL at every file-system call the cycle makes in
// its cache (the bare clone it keeps of the --repo URL) and at every send on its sockets (its
// requests to a real registry, its fetch and push to a `git daemon` remote), one kill per run,
// through the LD_PRELOAD library (tests/faults/fault_inject.cc, CAPSTAN_FAULT=kill:N). After
// each kill the remote's branch is its old tip or the whole update and passes `git fsck`; the
// next cycle, with the same cache, lands the update exactly once, and leaves no lock,
// temporary file or temporary repository behind, its own or the killed run's.

#include <catch2/catch.hpp>
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

// One watch cycle of `url` with run/cache as its cache.
std::string Command(const std::string& run, const std::string& url) {
  return "CAPSTAN_FAULT_SENDS=1 GIT_TERMINAL_PROMPT=0 HOME=" + ShellQuote(run) + " " +
         ShellQuote(std::string(CAPSTAN_BINARY_DIR) + "/tools/capstan-watch") + " --once --repo " +
         ShellQuote(url) + " --branch main --cache-dir " + ShellQuote(run + "/cache") +
         " --author 'Watch Bot <watch@example.com>'";
}

TEST_CASE("capstan-watch --once killed at any call leaves the remote whole and its cache usable",
          "[integration][watch]") {
  TempDir registry_root, served, dir;
  DockerRegistry registry(registry_root.path() + "/registry");
  const std::string image = PushApiReleases(registry);
  const std::string tmpl =
      CreateBareRepo(dir.path(), "template.git",
                     {{".capstan.yaml", "images:\n  - name: api\n    image: " + image +
                                            "\n    constraint: \"~1.4\"\n"},
                      {"apps/api/kustomization.yaml", KustomizationWithImage(image, "1.4.1")}});
  GitDaemon daemon(served.path());
  const std::string before = "initial commit\n";
  const std::string after = "capstan-watch: " + image + " 1.4.1 -> 1.4.2\n" + before;
  // A run directory for the cache, and a remote of its own; the remote's path.
  auto make = [&](const std::string& name) {
    REQUIRE(RunShell(dir.path(), "mkdir " + name + " && cp -a " + ShellQuote(tmpl) + " " +
                                     ShellQuote(served / (name + ".git")))
                .exit_code == 0);
    return served / (name + ".git");
  };

  make("count");
  std::map<std::string, int> counts =
      CountFaultableCalls(dir / "count", dir / "count",
                          Command(dir / "count", daemon.url("count.git")), dir / "calls.log");
  int total = 0;
  for (const auto& [op, n] : counts) total += n;
  CHECK(counts["send"] > 0);
  CHECK(counts["rename"] > 0);
  WARN("kill sweep of capstan-watch --once: " << DescribePlan(counts));
  for (int at = 1; at <= total; ++at) {
    const std::string kill = "kill:" + std::to_string(at);
    CAPTURE(kill);
    const std::string name = "run-" + std::to_string(at);
    const std::string bare = make(name);
    const std::string run = dir / name;
    const std::string command = Command(run, daemon.url(name + ".git"));
    ShellResult r = RunWithFault(run, run, kill, command);
    INFO(r.output);
    // Threads may make fewer calls in some runs: then the cycle completes.
    CHECK((r.exit_code == 137 || r.exit_code == -1 || r.exit_code == 0));
    CHECK(RunShell(bare, "git fsck --no-progress --strict").exit_code == 0);
    const std::string landed = RunGit(bare, "log --format=%s main");
    CHECK((landed == before || landed == after));

    ShellResult again = RunShell(run, command);
    INFO(again.output);
    CHECK(again.exit_code == 0);
    CHECK(RunGit(bare, "log --format=%s main") == after);
    CHECK(RunGit(bare, "show main:apps/api/kustomization.yaml") ==
          KustomizationWithImage(image, "1.4.2"));
    CHECK(Leftovers(run).empty());
    CHECK(RunShell(run, "git -C cache/*.git fsck --no-progress --strict").exit_code == 0);
  }
}

}  // namespace
}  // namespace capstan::testing
