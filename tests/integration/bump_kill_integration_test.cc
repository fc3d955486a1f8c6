// capstan-bump killed mid-run: SIGKILL at every file-system call it makes in the clone (its own
// files and libgit2's objects, index and refs) and, with --push, at every send on its socket to
// a `git daemon` remote, one kill per run, through the LD_PRELOAD library
// (tests/faults/fault_inject.cc, CAPSTAN_FAULT=kill:N). After each kill: `git fsck --strict`
// clean in the clone and the remote, every file its old or its new bytes, `git status` works, and
// the next run without the kill finishes the bump: the change committed once and (with --push)
// on the remote, the history linear, no capstan temporary file left. A lock git itself would
// refuse to go past (index.lock, the branch's ref lock) is never removed by capstan: the next
// run stops on it, as git does, with exit 3 and git's advice, and runs once the user removed it.

#include <catch2/catch.hpp>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "support/fault_sweep.h"
#include "support/git_servers.h"
#include "support/shell.h"
#include "support/temp_repo.h"

namespace capstan::testing {
namespace {

const std::string kFile = "apps/api/kustomization.yaml";
const std::string kOld =
    "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
    "images:\n  - name: ghcr.io/acme/api\n    newTag: 1.4.1  # set by CI\n";
const std::string kNew =
    "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
    "images:\n  - name: ghcr.io/acme/api\n    newTag: 1.4.2  # set by CI\n";
// A second file, written after the first: a kill between the two leaves one of each.
const std::string kValues = "charts/api/values.yaml";
const std::string kValuesOld = "image:\n  repository: ghcr.io/acme/api\n  tag: 1.4.1\n";
const std::string kValuesNew = "image:\n  repository: ghcr.io/acme/api\n  tag: 1.4.2\n";
const std::string kSubject = "Bump ghcr.io/acme/api to 1.4.2";

std::string Command(const std::string& args) {
  return "CAPSTAN_FAULT_SENDS=1 GIT_TERMINAL_PROMPT=0 " +
         ShellQuote(std::string(CAPSTAN_BINARY_DIR) + "/tools/capstan-bump") +
         " --image ghcr.io/acme/api --tag 1.4.2 " + args;
}

// The locks under .git a killed libgit2 may leave that stop a commit, as git's own would.
std::vector<std::string> BlockingLocks(const std::string& clone) {
  std::vector<std::string> out;
  for (const char* lock : {"/.git/index.lock", "/.git/HEAD.lock", "/.git/refs/heads/main.lock"}) {
    if (std::filesystem::exists(clone + lock)) out.push_back(clone + lock);
  }
  return out;
}

std::vector<std::string> CapstanTemps(const std::string& dir) {
  std::vector<std::string> out;
  for (const std::string& path : Leftovers(dir))
    if (path.find(".capstan-tmp-") != std::string::npos) out.push_back(path);
  return out;
}

struct Run {
  std::string clone;
  std::string bare;  // "" without a remote
};

// Sweeps a kill over every counted call of `args`, each run in a fresh clone made by `make`;
// `pushes` says whether the bump ends on the remote.
void Sweep(const std::string& root, const std::string& args, bool pushes,
           const std::function<Run(const std::string& name)>& make) {
  Run counted = make("count");
  std::map<std::string, int> counts =
      CountFaultableCalls(counted.clone, counted.clone, Command(args), root + "/calls.log");
  int total = 0;
  for (const auto& [op, n] : counts) total += n;
  CHECK(counts["rename"] > 0);
  if (pushes) CHECK(counts["send"] > 0);
  WARN("kill sweep of capstan-bump " << args << ": " << DescribePlan(counts));
  int stopped_on_lock = 0;
  int tracking_locks = 0;
  int temporary_objects = 0;
  for (int at = 1; at <= total; ++at) {
    const std::string kill = "kill:" + std::to_string(at);
    CAPTURE(kill);
    Run run = make("run-" + std::to_string(at));
    ShellResult r = RunWithFault(run.clone, run.clone, kill, Command(args));
    INFO(r.output);
    CHECK((r.exit_code == 137 || r.exit_code == -1));
    CHECK(RunShell(run.clone, "git fsck --no-progress --strict").exit_code == 0);
    if (!run.bare.empty())
      CHECK(RunShell(run.bare, "git fsck --no-progress --strict").exit_code == 0);
    const std::string file = ReadFile(run.clone + "/" + kFile);
    const std::string values = ReadFile(run.clone + "/" + kValues);
    CHECK((file == kOld || file == kNew));
    CHECK((values == kValuesOld || values == kValuesNew));
    CHECK(RunShell(run.clone, "git status --porcelain").exit_code == 0);

    ShellResult again = RunShell(run.clone, Command(args));
    std::vector<std::string> locks = BlockingLocks(run.clone);
    if (!locks.empty()) {
      // As git: stop, name the lock and say what to do; the user removes it.
      ++stopped_on_lock;
      INFO(again.output);
      CHECK(again.exit_code == 3);
      CHECK(again.output.find("file exists: another git process seems to be running") !=
            std::string::npos);
      CHECK(again.output.find(locks.front()) != std::string::npos);
      CHECK(RunShell(run.clone, "git commit -q --allow-empty -m x").exit_code != 0);
      for (const std::string& lock : locks) RunShell(run.clone, "rm " + ShellQuote(lock));
      again = RunShell(run.clone, Command(args));
    }
    INFO(again.output);
    CHECK(again.exit_code == 0);
    CHECK(CapstanTemps(run.clone).empty());
    for (const std::string& path : Leftovers(run.clone)) {
      // git's kinds, which git leaves too and which stop no commit, status or push: the
      // remote-tracking ref's lock (capstan cannot tell it from a live git's), and libgit2's
      // temporary objects (git gc prunes them).
      if (path == run.clone + "/.git/refs/remotes/origin/main.lock") {
        ++tracking_locks;
      } else {
        CHECK(path.find("/.git/objects/tmp_object_git2_") != std::string::npos);
        ++temporary_objects;
      }
    }
    CHECK(ReadFile(run.clone + "/" + kFile) == kNew);
    CHECK(ReadFile(run.clone + "/" + kValues) == kValuesNew);
    CHECK(RunGit(run.clone, "status --porcelain").empty());
    CHECK(RunGit(run.clone, "log --format=%s") == kSubject + "\ninitial commit\n");
    if (pushes) {
      CHECK(RunGit(run.bare, "log --format=%s main") == kSubject + "\ninitial commit\n");
      CHECK(RunGit(run.bare, "show main:" + kFile) == kNew);
      CHECK(RunGit(run.bare, "show main:" + kValues) == kValuesNew);
      CHECK(RevParse(run.bare, "main") == RevParse(run.clone, "HEAD"));
    }
  }
  WARN(stopped_on_lock << " of " << total << " kills left a git lock the next run stopped on; "
                       << tracking_locks << " a remote-tracking ref's lock; " << temporary_objects
                       << " libgit2 temporary objects were left");
}

const std::map<std::string, std::string> kFiles = {
    {kFile, kOld}, {kValues, kValuesOld}, {"apps/api/deploy.yaml", "kind: Deployment\n"}};

TEST_CASE("capstan-bump --push killed at any call leaves a state the next run finishes",
          "[integration][bump]") {
  TempDir root, served;
  const std::string tmpl = CreateBareRepo(root.path(), "template.git", kFiles);
  GitDaemon daemon(served.path());
  Sweep(root.path(), "--push", true, [&](const std::string& name) {
    Run run{root / (name + "/clone"), served / (name + ".git")};
    REQUIRE(RunShell(root.path(), "cp -a " + ShellQuote(tmpl) + " " + ShellQuote(run.bare) +
                                      " && git clone -q " + ShellQuote(run.bare) + " " +
                                      ShellQuote(run.clone))
                .exit_code == 0);
    RunGit(run.clone, "remote set-url origin " + ShellQuote(daemon.url(name + ".git")));
    return run;
  });
}

TEST_CASE("capstan-bump --commit killed at any call leaves a state the next run finishes",
          "[integration][bump]") {
  TempDir root;
  const std::string tmpl = CreateBareRepo(root.path(), "template.git", kFiles);
  Sweep(root.path(), "--commit", false, [&](const std::string& name) {
    Run run{root / (name + "/clone"), ""};
    REQUIRE(RunShell(root.path(), "git clone -q " + ShellQuote(tmpl) + " " + ShellQuote(run.clone))
                .exit_code == 0);
    return run;
  });
}

}  // namespace
}  // namespace capstan::testing
