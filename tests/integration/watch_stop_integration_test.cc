// capstan-watch in loop mode stopped by SIGTERM and SIGINT (issue 19), the built binary against
// Debian's docker-registry and real git remotes (file://, and git daemon with a pre-receive hook
// that holds the push, so a signal lands while the cycle is pushing). The first signal lets the
// cycle under way finish and exits with its code, or 0 at once between cycles; a second one
// ends the process at once; the metrics port is closed either way.

#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "support/git_servers.h"
#include "support/oci_registry.h"
#include "support/shell.h"
#include "support/temp_repo.h"
#include "support/watch_fixture.h"

namespace capstan::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

const std::string kWatch = std::string(CAPSTAN_BINARY_DIR) + "/tools/capstan-watch";
const std::string kFile = "apps/api/kustomization.yaml";

bool Eventually(const std::function<bool()>& done, milliseconds timeout) {
  auto deadline = steady_clock::now() + timeout;
  while (!done()) {
    if (steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(milliseconds(50));
  }
  return true;
}

bool Exists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

long Since(steady_clock::time_point t) {
  return std::chrono::duration_cast<milliseconds>(steady_clock::now() - t).count();
}

std::size_t Count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// A registry with acme/api 1.4.1 and 1.4.2, and a bare remote pinning 1.4.1 under ~1.4.
struct Setup {
  TempDir root, work;
  DockerRegistry registry{root.path() + "/registry-root"};
  std::string image = registry.host() + "/acme/api";
  std::string bare;

  Setup() {
    int n = 0;
    for (const char* tag : {"1.4.1", "1.4.2"}) {
      TestImage t;
      t.salt = tag;
      t.created = "2026-01-0" + std::to_string(++n) + "T00:00:00Z";
      PushImage(registry.host(), "acme/api", tag, t);
    }
    bare = CreateBareRepo(root.path() + "/git", "config.git",
                          {{".capstan.yaml", "images:\n  - name: api\n    image: " + image +
                                                 "\n    constraint: \"~1.4\"\n"},
                           {kFile, KustomizationWithImage(image, "1.4.1")}});
  }

  // Every push to the remote waits `seconds` in its pre-receive hook, after touching
  // <work>/push-started; <work>/push-done once the hook ends, <work>/received once the branch
  // moved (post-receive).
  void HoldPushes(int seconds) {
    WriteFile(bare + "/hooks/pre-receive", "#!/bin/sh\ntouch " + ShellQuote(work / "push-started") +
                                               "\nsleep " + std::to_string(seconds) + "\ntouch " +
                                               ShellQuote(work / "push-done") + "\n");
    WriteFile(bare + "/hooks/post-receive",
              "#!/bin/sh\ntouch " + ShellQuote(work / "received") + "\n");
    REQUIRE(RunShell(bare, "chmod +x hooks/pre-receive hooks/post-receive").exit_code == 0);
  }

  std::string Command(const std::string& repo_url, const std::string& mode) {
    return "GIT_TERMINAL_PROMPT=0 HOME=" + ShellQuote(work.path()) + " exec " + ShellQuote(kWatch) +
           " --repo " + ShellQuote(repo_url) +
           " --branch main --cache-dir cache --author 'Watch Bot <watch@example.com>' " + mode;
  }

  // capstan-watch every hour with metrics, in the background.
  std::unique_ptr<BackgroundShell> Loop(const std::string& repo_url) {
    return std::make_unique<BackgroundShell>(
        work.path(), Command(repo_url, "--interval 1h --metrics-addr 127.0.0.1:0"),
        work / "watch.log");
  }
};

int MetricsPort(const std::string& log) {
  const std::string marker = "serving metrics on port ";
  std::size_t at = log.find(marker);
  return at == std::string::npos ? 0 : std::stoi(log.substr(at + marker.size()));
}

TEST_CASE("capstan-watch stopped by SIGTERM between cycles exits 0 at once and closes its port",
          "[integration][watch]") {
  Setup s;
  auto watch = s.Loop("file://" + s.bare);
  REQUIRE(Eventually([&] { return watch->log().find("summary:") != std::string::npos; },
                     milliseconds(30000)));
  INFO(watch->log());
  const int port = MetricsPort(watch->log());
  REQUIRE(port > 0);
  REQUIRE(AcceptsConnections(port));
  CHECK(RunGit(s.bare, "log -1 --format=%s main") ==
        "capstan-watch: " + s.image + " 1.4.1 -> 1.4.2\n");

  // Sleeping for an hour: the signal ends the wait.
  auto sent = steady_clock::now();
  watch->Signal(SIGTERM);
  int rc = watch->Wait(10000);
  long took = Since(sent);
  INFO(watch->log());
  WARN("SIGTERM between cycles: exit " << rc << " after " << took << " ms");
  CHECK(rc == 0);
  CHECK(took < 2000);
  CHECK_FALSE(AcceptsConnections(port));
  CHECK(watch->log().find("stopped by SIGTERM while waiting for the next cycle (exit 0)") !=
        std::string::npos);
  CHECK(Count(watch->log(), "summary:") == 1);
}

TEST_CASE("capstan-watch stopped by SIGTERM during a cycle lands its push and exits 0",
          "[integration][watch]") {
  Setup s;
  s.HoldPushes(2);
  GitDaemon daemon(s.root.path() + "/git");
  auto watch = s.Loop(daemon.url("config.git"));
  REQUIRE(Eventually([&] { return Exists(s.work / "push-started"); }, milliseconds(30000)));
  watch->Signal(SIGTERM);  // while the server holds the push
  int rc = watch->Wait(30000);
  INFO(watch->log() << daemon.log());
  CHECK(rc == 0);
  CHECK(RunGit(s.bare, "log --format=%s main") ==
        "capstan-watch: " + s.image + " 1.4.1 -> 1.4.2\ninitial commit\n");
  CHECK(RunGit(s.bare, "show main:" + kFile) == KustomizationWithImage(s.image, "1.4.2"));
  CHECK(watch->log().find("pushed ") != std::string::npos);
  CHECK(watch->log().find("stopped by SIGTERM: the cycle under way finished (exit 0)") !=
        std::string::npos);
  CHECK(Count(watch->log(), "summary:") == 1);  // no second cycle
  CHECK_FALSE(AcceptsConnections(MetricsPort(watch->log())));
}

TEST_CASE("a second signal during a cycle ends capstan-watch at once with 128 plus the signal",
          "[integration][watch]") {
  const int sig = GENERATE(SIGTERM, SIGINT);
  CAPTURE(sig);
  Setup s;
  s.HoldPushes(4);
  GitDaemon daemon(s.root.path() + "/git");
  const std::string url = daemon.url("config.git");
  auto watch = s.Loop(url);
  REQUIRE(Eventually([&] { return Exists(s.work / "push-started"); }, milliseconds(30000)));
  watch->Signal(sig);
  std::this_thread::sleep_for(milliseconds(200));
  auto sent = steady_clock::now();
  watch->Signal(sig);
  int rc = watch->Wait(3000);
  long took = Since(sent);
  INFO(watch->log() << daemon.log());
  WARN("second " << (sig == SIGTERM ? "SIGTERM" : "SIGINT") << " mid-push: exit " << rc << " after "
                 << took << " ms");
  CHECK(rc == 128 + sig);
  CHECK_FALSE(Exists(s.work / "push-done"));  // it did not wait for the push
  CHECK_FALSE(AcceptsConnections(MetricsPort(watch->log())));

  // The server finishes on its own; the remote then holds the old tip or the whole update.
  REQUIRE(Eventually([&] { return Exists(s.work / "push-done"); }, milliseconds(15000)));
  Eventually([&] { return Exists(s.work / "received"); }, milliseconds(3000));
  const std::string subjects = RunGit(s.bare, "log --format=%s main");
  const bool landed = subjects != "initial commit\n";
  WARN("the interrupted push " << (landed ? "landed" : "did not land"));
  if (landed) {
    CHECK(subjects == "capstan-watch: " + s.image + " 1.4.1 -> 1.4.2\ninitial commit\n");
    CHECK(RunGit(s.bare, "show main:" + kFile) == KustomizationWithImage(s.image, "1.4.2"));
  } else {
    CHECK(RunGit(s.bare, "show main:" + kFile) == KustomizationWithImage(s.image, "1.4.1"));
  }
  CHECK(RunShell(s.bare, "git fsck --no-progress --strict").exit_code == 0);

  // The next run, with the same cache, ends with the update on the remote exactly once.
  RunShell(s.bare, "rm hooks/pre-receive hooks/post-receive");
  BackgroundShell again(s.work.path(), s.Command(url, "--once"), s.work / "again.log");
  CHECK(again.Wait(60000) == 0);
  INFO(again.log());
  CHECK(RunGit(s.bare, "log --format=%s main") ==
        "capstan-watch: " + s.image + " 1.4.1 -> 1.4.2\ninitial commit\n");
  CHECK(RunShell(s.work.path(),
                 "for d in cache/*/; do git -C \"$d\" fsck --no-progress || exit 1; done")
            .exit_code == 0);
}

}  // namespace
}  // namespace capstan::testing
