// 20 capstan-bump --push processes started at once, each bumping its own image in one
// repository, against one bare remote served by `git daemon` and by lighttpd + `git
// http-backend`: every change lands, the remote's history is linear from the old tip, nothing
// is forced (every value the branch's reflog on the server held is an ancestor of its tip), and
// every process exits 0 within its --max-attempts.

#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <sstream>
#include <string>

#include "support/git_servers.h"
#include "support/shell.h"
#include "support/temp_repo.h"

namespace capstan::testing {
namespace {

constexpr int kRacers = 20;
const std::string kBump = std::string(CAPSTAN_BINARY_DIR) + "/tools/capstan-bump";

std::string Kustomization(int app, const std::string& tag) {
  return "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nimages:\n"
         "  - name: ghcr.io/acme/app-" +
         std::to_string(app) + "\n    newTag: " + tag + "\n";
}

std::string RacingRepo(const std::string& root) {
  std::map<std::string, std::string> files;
  for (int i = 1; i <= kRacers; ++i)
    files["apps/app-" + std::to_string(i) + "/kustomization.yaml"] = Kustomization(i, "1.0.0");
  std::string bare = CreateBareRepo(root, "config.git", files);
  RunGit(bare, "config core.logAllRefUpdates always");  // a reflog on the server, to audit
  return bare;
}

// Clones `clone_url` kRacers times, points each clone's origin at `push_url`, starts every
// bump at once (each with --max-attempts max_attempts) and waits for all. With enough
// attempts every bump must land; with few, a bump may give up (exit 3, saying so, its change
// not on the remote) but never half-applies. Returns how many bumps landed.
int Race(const std::string& work, const std::string& bare, const std::string& clone_url,
         const std::string& push_url, const std::string& env, const std::string& args,
         int max_attempts = 40) {
  const std::string old_tip = RunGit(bare, "rev-parse main");
  for (int i = 1; i <= kRacers; ++i) {
    std::string ci = work + "/ci-" + std::to_string(i);
    REQUIRE(
        RunShell(work, "git clone -q " + ShellQuote(clone_url) + " " + ShellQuote(ci)).exit_code ==
        0);
    RunGit(ci, "remote set-url origin " + ShellQuote(push_url));
  }
  auto start = std::chrono::steady_clock::now();
  ShellResult all =
      RunShell(work, "for i in $(seq 1 " + std::to_string(kRacers) + "); do (cd ci-$i && " + env +
                         " GIT_TERMINAL_PROMPT=0 " + ShellQuote(kBump) +
                         " --image ghcr.io/acme/app-$i --tag 2.0.0 --push --max-attempts " +
                         std::to_string(max_attempts) + " " + args +
                         " > ../out-$i 2>&1; echo $? > ../rc-$i) & done; wait");
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  REQUIRE(all.exit_code == 0);

  int attempts = 0;
  int landed = 0;
  for (int i = 1; i <= kRacers; ++i) {
    std::string out = ReadFile(work + "/out-" + std::to_string(i));
    std::string rc = ReadFile(work + "/rc-" + std::to_string(i));
    CAPTURE(i, out);
    for (std::size_t at = out.find("pushing "); at != std::string::npos;
         at = out.find("pushing ", at + 1))
      ++attempts;
    std::string remote =
        RunGit(bare, "show main:apps/app-" + std::to_string(i) + "/kustomization.yaml");
    if (rc == "0\n") {
      ++landed;
      CHECK(out.find("pushed ") != std::string::npos);
      CHECK(remote == Kustomization(i, "2.0.0"));
    } else {
      // Gave up: says why, and its change is not on the remote.
      CHECK(max_attempts < 40);
      CHECK(rc == "3\n");
      CHECK(out.find("after " + std::to_string(max_attempts) + " attempts") != std::string::npos);
      CHECK(remote == Kustomization(i, "1.0.0"));
    }
  }
  // Linear history: the old tip plus one commit per racer, no merge.
  CHECK(RunGit(bare, "rev-list --count " + old_tip.substr(0, 40) + "..main") ==
        std::to_string(landed) + "\n");
  CHECK(RunGit(bare, "rev-list --merges main").empty());
  // Nothing forced: every value main held is in its history now.
  std::istringstream reflog(RunGit(bare, "reflog show --format=%H main"));
  int updates = 0;
  for (std::string oid; reflog >> oid; ++updates)
    CHECK(RunShell(bare, "git merge-base --is-ancestor " + oid + " main").exit_code == 0);
  CHECK(updates >= landed);
  WARN(kRacers << " racers, --max-attempts " << max_attempts << ": " << landed
               << " commits landed, " << attempts << " pushes ("
               << static_cast<double>(attempts) / kRacers << " per bump), " << seconds << " s");
  return landed;
}

TEST_CASE("20 concurrent capstan-bump --push land every change over git daemon", "[integration]") {
  TempDir root, work;
  std::string bare = RacingRepo(root.path());
  GitDaemon daemon(root.path());
  CHECK(Race(work.path(), bare, daemon.url("config.git"), daemon.url("config.git"), "", "") ==
        kRacers);
}

TEST_CASE("20 concurrent capstan-bump --push land every change over http-backend",
          "[integration]") {
  TempDir root, work;
  std::string bare = RacingRepo(root.path());
  HttpGitServer server(root.path(), "ci-bot", "tok-3f9a1c");
  CHECK(Race(work.path(), bare, server.url_with_credentials("config.git"), server.url("config.git"),
             "CAPSTAN_GIT_TOKEN=tok-3f9a1c", "--username ci-bot") == kRacers);
}

TEST_CASE("20 racing bumps with 2 attempts each: those that give up say so and push nothing",
          "[integration]") {
  TempDir root, work;
  std::string bare = RacingRepo(root.path());
  GitDaemon daemon(root.path());
  int landed = Race(work.path(), bare, daemon.url("config.git"), daemon.url("config.git"), "", "",
                    /*max_attempts=*/2);
  CHECK(landed >= 1);
}

}  // namespace
}  // namespace capstan::testing
