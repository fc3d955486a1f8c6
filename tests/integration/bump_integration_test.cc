// capstan-bump end to end: the built binary pushing to real git servers on 127.0.0.1 (a bare
// repository over file://, git daemon over git://, lighttpd + git http-backend with basic auth),
// including a push race made by the server itself and authentication and connection failures.

#include <catch2/catch.hpp>
#include <string>

#include "support/git_servers.h"
#include "support/shell.h"
#include "support/temp_repo.h"

namespace capstan::testing {
namespace {

const std::string kBump = std::string(CAPSTAN_BINARY_DIR) + "/tools/capstan-bump";

const std::map<std::string, std::string> kConfigRepo = {
    {"apps/api/kustomization.yaml",
     "apiVersion: kustomize.config.k8s.io/v1beta1\n"
     "kind: Kustomization\n"
     "resources: [deploy.yaml]\n"
     "images:\n"
     "  - name: ghcr.io/acme/api\n"
     "    newTag: 1.4.1  # set by CI\n"},
    {"README.md", "config repo\n"},
};

// A pre-receive hook that, on the first push only, makes another clone push a commit of its own
// to the same repository and then lets the push go on: the server then refuses our ref update
// (the branch is no longer where our push said it was), exactly as when someone pushes between
// our fetch and our push.
void InstallRacingHook(const std::string& bare, const std::string& scratch) {
  RunGit(scratch, "clone -q " + ShellQuote(bare) + " other");
  WriteFile(bare + "/hooks/pre-receive",
            "#!/bin/sh\n"
            "[ -e " +
                ShellQuote(scratch + "/raced") +
                " ] && exit 0\n"
                "touch " +
                ShellQuote(scratch + "/raced") +
                "\n"
                "unset GIT_DIR GIT_QUARANTINE_PATH GIT_OBJECT_DIRECTORY "
                "GIT_ALTERNATE_OBJECT_DIRECTORIES\n"
                "export GIT_AUTHOR_NAME=Human GIT_AUTHOR_EMAIL=human@example.com "
                "GIT_COMMITTER_NAME=Human\n"
                "export GIT_COMMITTER_EMAIL=human@example.com\n"
                "cd " +
                ShellQuote(scratch + "/other") +
                " && echo 'a human edit' > README.md &&\n"
                "  git commit -q -am 'human edit' && git push -q origin main >&2\n");
  RunShell(bare, "chmod +x hooks/pre-receive");
}

// Clones url into dir/ci with a committer identity, as a CI checkout would be.
std::string CloneForCi(const std::string& dir, const std::string& url) {
  ShellResult r = RunShell(dir, "git clone -q " + ShellQuote(url) + " ci");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  RunGit(dir + "/ci", "config user.name CI");
  RunGit(dir + "/ci", "config user.email ci@example.com");
  return dir + "/ci";
}

ShellResult Bump(const std::string& dir, const std::string& args, const std::string& env = "") {
  return RunShell(dir, env + " GIT_TERMINAL_PROMPT=0 " + ShellQuote(kBump) + " " + args);
}

// The remote's history, newest first, and the one line the bump changed.
void CheckBumped(const std::string& bare, const std::string& expected_log) {
  CHECK(RunGit(bare, "log --format=%s main") == expected_log);
  CHECK(RunGit(bare, "diff --numstat main~1 main") == "1\t1\tapps/api/kustomization.yaml\n");
  CHECK(RunGit(bare, "show main:apps/api/kustomization.yaml") ==
        "apiVersion: kustomize.config.k8s.io/v1beta1\n"
        "kind: Kustomization\n"
        "resources: [deploy.yaml]\n"
        "images:\n"
        "  - name: ghcr.io/acme/api\n"
        "    newTag: 1.4.2  # set by CI\n");
}

const char* const kArgs = "--image ghcr.io/acme/api --tag 1.4.2 --push";

TEST_CASE("capstan-bump pushes over file://, git:// and http with a token", "[integration]") {
  TempDir root, work;
  std::string bare = CreateBareRepo(root.path(), "config.git", kConfigRepo);

  SECTION("file://") {
    std::string ci = CloneForCi(work.path(), "file://" + bare);
    ShellResult r = Bump(ci, kArgs);
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    CheckBumped(bare, "Bump ghcr.io/acme/api to 1.4.2\ninitial commit\n");
  }
  SECTION("git daemon") {
    GitDaemon daemon(root.path());
    std::string ci = CloneForCi(work.path(), daemon.url("config.git"));
    ShellResult r = Bump(ci, kArgs);
    INFO(r.output << daemon.log());
    REQUIRE(r.exit_code == 0);
    CheckBumped(bare, "Bump ghcr.io/acme/api to 1.4.2\ninitial commit\n");
  }
  SECTION("http-backend behind lighttpd, token from the environment") {
    HttpGitServer server(root.path(), "ci-bot", "tok-3f9a1c");
    std::string ci = CloneForCi(work.path(), server.url_with_credentials("config.git"));
    RunGit(ci, "remote set-url origin " + server.url("config.git"));
    ShellResult r =
        Bump(ci, std::string(kArgs) + " --username ci-bot", "CAPSTAN_GIT_TOKEN=tok-3f9a1c");
    INFO(r.output << server.log());
    REQUIRE(r.exit_code == 0);
    CHECK(r.output.find("tok-3f9a1c") == std::string::npos);
    CheckBumped(bare, "Bump ghcr.io/acme/api to 1.4.2\ninitial commit\n");
  }
}

// Issue 14: a fresh CI runner has no git configuration and passes no --author. RunShell exports
// a fixed GIT_AUTHOR_*/GIT_COMMITTER_* identity; the case unsets it.
TEST_CASE("capstan-bump --push with no git configuration and no --author commits as capstan",
          "[integration]") {
  TempDir root, work, home;
  std::string bare = CreateBareRepo(root.path(), "config.git", kConfigRepo);
  ShellResult cloned =
      RunShell(work.path(), "git clone -q " + ShellQuote("file://" + bare) + " ci");
  REQUIRE(cloned.exit_code == 0);
  ShellResult r =
      Bump(work / "ci", kArgs,
           "unset GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL; "
           "GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null HOME=" +
               ShellQuote(home.path()) + " XDG_CONFIG_HOME=" + ShellQuote(home / ".config"));
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CheckBumped(bare, "Bump ghcr.io/acme/api to 1.4.2\ninitial commit\n");
  CHECK(RunGit(bare, "log -1 --format=%an%n%ae%n%cn%n%ce main") ==
        "capstan\ncapstan@localhost\ncapstan\ncapstan@localhost\n");
}

TEST_CASE("capstan-bump re-applies when someone pushes between its fetch and its push",
          "[integration]") {
  TempDir root, work, scratch;
  std::string bare = CreateBareRepo(root.path(), "config.git", kConfigRepo);
  InstallRacingHook(bare, scratch.path());
  const std::string expected = "Bump ghcr.io/acme/api to 1.4.2\nhuman edit\ninitial commit\n";

  auto check_race = [&](const std::string& ci, const ShellResult& r) {
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    CheckBumped(bare, expected);
    CHECK(RunGit(bare, "show main:README.md") == "a human edit\n");
    CHECK(RunGit(ci, "rev-parse HEAD") == RunGit(bare, "rev-parse main"));
  };
  // Not over file://: libgit2 pushes to a local repository in-process, running no hooks. The
  // tool tests cover a remote that moved before the push there.
  SECTION("git daemon") {
    GitDaemon daemon(root.path());
    std::string ci = CloneForCi(work.path(), daemon.url("config.git"));
    check_race(ci, Bump(ci, kArgs));
  }
  SECTION("http") {
    HttpGitServer server(root.path(), "ci-bot", "tok-3f9a1c");
    std::string ci = CloneForCi(work.path(), server.url_with_credentials("config.git"));
    RunGit(ci, "remote set-url origin " + server.url("config.git"));
    std::string token_file = work / "token";
    WriteFile(token_file, "tok-3f9a1c\n");
    check_race(ci, Bump(ci, std::string(kArgs) + " --username ci-bot --token-file " +
                                ShellQuote(token_file)));
  }
}

TEST_CASE("capstan-bump exits 3 on wrong credentials without printing them and keeps its commit",
          "[integration]") {
  TempDir root, work;
  std::string bare = CreateBareRepo(root.path(), "config.git", kConfigRepo);
  HttpGitServer server(root.path(), "ci-bot", "tok-3f9a1c");
  std::string ci = CloneForCi(work.path(), server.url_with_credentials("config.git"));
  RunGit(ci, "remote set-url origin " + server.url("config.git"));
  std::string before = RunGit(bare, "rev-parse main");

  ShellResult r = Bump(ci, std::string(kArgs) + " --username ci-bot --no-credential-helper",
                       "CAPSTAN_GIT_TOKEN=wrong-secret-77");
  INFO(r.output);
  CHECK(r.exit_code == 3);
  CHECK(r.output.find("authentication failed") != std::string::npos);
  CHECK(r.output.find("$CAPSTAN_GIT_TOKEN") != std::string::npos);
  CHECK(r.output.find("wrong-secret-77") == std::string::npos);
  CHECK(r.output.find("tok-3f9a1c") == std::string::npos);
  CHECK(RunGit(bare, "rev-parse main") == before);
  CHECK(RunGit(ci, "log -1 --format=%s") == "Bump ghcr.io/acme/api to 1.4.2\n");
}

TEST_CASE("capstan-bump exits 3 when the server is down and loses nothing", "[integration]") {
  TempDir root, work;
  std::string bare = CreateBareRepo(root.path(), "config.git", kConfigRepo);
  std::string ci = CloneForCi(work.path(), "file://" + bare);
  RunGit(ci, "remote set-url origin http://127.0.0.1:" + std::to_string(ClosedPort()) +
                 "/git/config.git");

  ShellResult r = Bump(ci, kArgs);
  INFO(r.output);
  CHECK(r.exit_code == 3);
  CHECK(r.output.find("cannot connect") != std::string::npos);
  CHECK(RunGit(ci, "log --format=%s") == "Bump ghcr.io/acme/api to 1.4.2\ninitial commit\n");
  CHECK(RunGit(ci, "status --porcelain").empty());
  CHECK(RunGit(bare, "log --format=%s main") == "initial commit\n");
}

}  // namespace
}  // namespace capstan::testing
