// Publish against real servers on 127.0.0.1: git daemon (git://) and lighttpd running
// git http-backend behind basic auth (http://).
#include <stdlib.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "common/real_env.h"
#include "git/publish.h"
#include "support/git_env.h"
#include "support/git_servers.h"
#include "support/shell.h"
#include "support/temp_repo.h"

namespace capstan::git {
namespace {

using capstan::testing::ClosedPort;
using capstan::testing::CreateBareRepo;
using capstan::testing::GitDaemon;
using capstan::testing::HermeticGitEnv;
using capstan::testing::HttpGitServer;
using capstan::testing::ReadFile;
using capstan::testing::RevParse;
using capstan::testing::RunGit;
using capstan::testing::ShellQuote;
using capstan::testing::TempDir;
using capstan::testing::WriteFile;

constexpr char kUser[] = "alice";
constexpr char kPassword[] = "s3cret-Token-91c2";

// A bare repository served from root (declared first so it outlives the servers), a clone
// "work" that publishes and a clone "other" that pushes meanwhile with the git CLI.
struct Repos {
  Repos() {
    CreateBareRepo(root.path(), "app.git",
                   {{"app/deploy.yaml", "image: app:v1\n"}, {"README", "hello\n"}});
    bare = root / "app.git";
  }

  // Clones `clone_url` twice and points work's origin at `origin_url` (no credentials in it).
  void Clone(const std::string& clone_url, const std::string& origin_url) {
    RunGit(clones.path(), "clone -q " + ShellQuote(clone_url) + " work");
    RunGit(clones.path(), "clone -q " + ShellQuote(clone_url) + " other");
    work = clones / "work";
    other = clones / "other";
    RunGit(work, "remote set-url origin " + ShellQuote(origin_url));
    RunGit(work, "config user.name 'Bump Bot'");
    RunGit(work, "config user.email bot@example.com");
    initial = RevParse(bare, "main");
  }

  std::string CommitBump() {
    WriteFile(work + "/app/deploy.yaml", "image: app:v2\n");
    Result<std::string> commit =
        CommitFiles(work, {{"app/deploy.yaml", "image: app:v2\n"}}, {"bump app to v2", {}, {}});
    REQUIRE(commit.ok());
    return *commit;
  }

  void PushFromOther(const std::string& path, const std::string& content,
                     const std::string& subject) {
    RunGit(other, "pull -q --ff-only origin main");
    WriteFile(other + "/" + path, content);
    RunGit(other, "add -A");
    RunGit(other, "commit -q -m " + ShellQuote(subject));
    RunGit(other, "push -q origin main");
  }

  TempDir root;
  TempDir clones;
  std::string bare;
  std::string work;
  std::string other;
  std::string initial;
};

Reapply BumpImage() {
  return [](const ReadAtTip& read) -> Result<std::vector<FileUpdate>> {
    Result<std::optional<std::string>> content = read("app/deploy.yaml");
    if (!content.ok()) return content.status();
    if (!*content) return Status::NotFound("app/deploy.yaml is gone");
    std::string text = **content;
    std::size_t at = text.find("app:v1");
    if (at == std::string::npos) return std::vector<FileUpdate>{};
    text.replace(at, 6, "app:v2");
    return std::vector<FileUpdate>{{"app/deploy.yaml", text}};
  };
}

PublishOptions Options(std::vector<std::string>* log = nullptr) {
  PublishOptions options;
  options.reapply = BumpImage();
  options.credentials.credential_helper = false;
  options.credentials.ssh_agent = false;
  if (log != nullptr) options.log = [log](const std::string& line) { log->push_back(line); };
  return options;
}

bool Contains(const std::vector<std::string>& lines, const std::string& part) {
  for (const std::string& line : lines) {
    if (line.find(part) != std::string::npos) return true;
  }
  return false;
}

TEST_CASE("publish pushes over git:// to a git daemon", "[integration][publish]") {
  Repos repos;
  GitDaemon daemon(repos.root.path());
  repos.Clone(daemon.url("app.git"), daemon.url("app.git"));
  std::string commit = repos.CommitBump();

  Result<PublishOutcome> outcome = Publish(repos.work, commit, Options());
  REQUIRE(outcome.ok());
  CHECK(outcome->pushed);
  CHECK(outcome->attempts == 1);
  CHECK(RevParse(repos.bare, "main") == commit);
  CHECK(RevParse(repos.work, "refs/remotes/origin/main") == commit);
}

TEST_CASE("publish over git:// stops at a declining pre-receive hook", "[integration][publish]") {
  Repos repos;
  WriteFile(repos.bare + "/hooks/pre-receive",
            "#!/bin/sh\necho 'policy: no bumps on fridays' >&2\nexit 1\n");
  ::chmod((repos.bare + "/hooks/pre-receive").c_str(), 0755);
  GitDaemon daemon(repos.root.path());
  repos.Clone(daemon.url("app.git"), daemon.url("app.git"));
  std::string commit = repos.CommitBump();
  int attempts = 0;
  std::vector<std::string> log;
  PublishOptions options = Options(&log);
  options.before_push = [&](int) { ++attempts; };

  Result<PublishOutcome> outcome = Publish(repos.work, commit, options);
  REQUIRE_FALSE(outcome.ok());
  CHECK(outcome.status().code() == StatusCode::kIoError);
  CHECK(outcome.status().message() == "cannot push to " + daemon.url("app.git") +
                                          ": the remote rejected refs/heads/main "
                                          "(pre-receive hook declined)");
  CHECK(attempts == 1);
  CHECK(Contains(log, "remote: policy: no bumps on fridays"));
  CHECK(RevParse(repos.bare, "main") == repos.initial);
  CHECK(RevParse(repos.work, "HEAD") == commit);
}

TEST_CASE("publish over git:// re-applies when the remote moved", "[integration][publish]") {
  Repos repos;
  GitDaemon daemon(repos.root.path());
  repos.Clone(daemon.url("app.git"), daemon.url("app.git"));
  std::string commit = repos.CommitBump();
  PublishOptions options = Options();
  options.before_push = [&](int attempt) {
    if (attempt == 1) repos.PushFromOther("README", "moved\n", "other change");
  };

  Result<PublishOutcome> outcome = Publish(repos.work, commit, options);
  REQUIRE(outcome.ok());
  CHECK(outcome->attempts == 2);
  CHECK(RunGit(repos.bare, "log --format=%s main") ==
        "bump app to v2\nother change\ninitial commit\n");
  CHECK(RevParse(repos.work, "HEAD") == outcome->commit);
}

TEST_CASE("publish re-applies when the server refuses to move a branch that moved meanwhile",
          "[integration][publish]") {
  Repos repos;
  GitDaemon daemon(repos.root.path());
  repos.Clone(daemon.url("app.git"), daemon.url("app.git"));
  // A commit on "side" that the hook makes main point at while our push is being received,
  // after the branch was advertised: receive-pack then fails its compare-and-swap.
  WriteFile(repos.other + "/README", "moved during the push\n");
  RunGit(repos.other, "commit -q -am 'moved during the push'");
  RunGit(repos.other, "push -q origin HEAD:refs/heads/side");
  const std::string side = RevParse(repos.bare, "side");
  WriteFile(repos.bare + "/hooks/pre-receive",
            "#!/bin/sh\nif [ ! -e moved ]; then\n  touch moved\n"
            "  env -u GIT_QUARANTINE_PATH git update-ref refs/heads/main refs/heads/side\nfi\n");
  ::chmod((repos.bare + "/hooks/pre-receive").c_str(), 0755);
  std::string commit = repos.CommitBump();

  Result<PublishOutcome> outcome = Publish(repos.work, commit, Options());
  INFO(daemon.log());
  REQUIRE(outcome.ok());
  CHECK(outcome->pushed);
  CHECK(outcome->attempts == 2);
  CHECK(RevParse(repos.bare, "main") == outcome->commit);
  CHECK(RevParse(repos.bare, "main~1") == side);
  CHECK(RevParse(repos.work, "HEAD") == outcome->commit);
}

TEST_CASE("publish over http authenticates with the token", "[integration][publish]") {
  Repos repos;
  HttpGitServer server(repos.root.path(), kUser, kPassword);
  repos.Clone(server.url_with_credentials("app.git"), server.url("app.git"));
  std::string commit = repos.CommitBump();
  PublishOptions options = Options();
  options.credentials.username = kUser;
  options.credentials.token = kPassword;

  Result<PublishOutcome> outcome = Publish(repos.work, commit, options);
  INFO(server.log());
  REQUIRE(outcome.ok());
  CHECK(outcome->pushed);
  CHECK(RevParse(repos.bare, "main") == commit);
  CHECK(RevParse(repos.work, "refs/remotes/origin/main") == commit);
}

TEST_CASE("publish over http re-applies on top of a push made meanwhile",
          "[integration][publish]") {
  Repos repos;
  HttpGitServer server(repos.root.path(), kUser, kPassword);
  repos.Clone(server.url_with_credentials("app.git"), server.url("app.git"));
  std::string commit = repos.CommitBump();
  std::string theirs;
  std::vector<std::string> log;
  PublishOptions options = Options(&log);
  options.credentials.username = kUser;
  options.credentials.token = kPassword;
  options.before_push = [&](int attempt) {
    if (attempt != 1) return;
    repos.PushFromOther("README", "hello from elsewhere\n", "other change");
    theirs = RevParse(repos.bare, "main");
  };

  Result<PublishOutcome> outcome = Publish(repos.work, commit, options);
  REQUIRE(outcome.ok());
  CHECK(outcome->pushed);
  CHECK(outcome->attempts == 2);
  CHECK(outcome->local_updated);
  CHECK(RevParse(repos.bare, "main") == outcome->commit);
  CHECK(RevParse(repos.bare, "main~1") == theirs);
  CHECK(RunGit(repos.bare, "log --format=%s main") ==
        "bump app to v2\nother change\ninitial commit\n");
  CHECK(RevParse(repos.work, "HEAD") == outcome->commit);
  CHECK(ReadFile(repos.work + "/README") == "hello from elsewhere\n");
  CHECK(Contains(log, "origin/main moved: re-applying on " + theirs.substr(0, 7)));
}

TEST_CASE("publish over http with a wrong token fails without showing it",
          "[integration][publish]") {
  Repos repos;
  HttpGitServer server(repos.root.path(), kUser, kPassword);
  repos.Clone(server.url_with_credentials("app.git"), server.url("app.git"));
  std::string commit = repos.CommitBump();
  const std::string wrong = "wrong-token-5d1e";
  std::vector<std::string> log;
  PublishOptions options = Options(&log);
  options.credentials.username = kUser;
  options.credentials.token = wrong;
  options.credentials.token_source = "$CAPSTAN_GIT_TOKEN";

  Result<PublishOutcome> outcome = Publish(repos.work, commit, options);
  REQUIRE_FALSE(outcome.ok());
  CHECK(outcome.status().code() == StatusCode::kIoError);
  CHECK(outcome.status().message() == "authentication failed for " + server.url("app.git") +
                                          ": the server refused the token from "
                                          "$CAPSTAN_GIT_TOKEN");
  CHECK(outcome.status().message().find(wrong) == std::string::npos);
  for (const std::string& line : log) CHECK(line.find(wrong) == std::string::npos);
  CHECK(RevParse(repos.bare, "main") == repos.initial);
  CHECK(RevParse(repos.work, "HEAD") == commit);
}

TEST_CASE("publish over http without credentials says none were found", "[integration][publish]") {
  Repos repos;
  HttpGitServer server(repos.root.path(), kUser, kPassword);
  repos.Clone(server.url_with_credentials("app.git"), server.url("app.git"));
  std::string commit = repos.CommitBump();

  Result<PublishOutcome> outcome = Publish(repos.work, commit, Options());
  REQUIRE_FALSE(outcome.ok());
  CHECK(outcome.status().message().starts_with("authentication failed for " +
                                               server.url("app.git") + ": no credentials"));
}

TEST_CASE("publish over http asks git's credential helper and approves its answer",
          "[integration][publish]") {
  HermeticGitEnv env;
  Repos repos;
  HttpGitServer server(repos.root.path(), kUser, kPassword);
  repos.Clone(server.url_with_credentials("app.git"), server.url("app.git"));
  const std::string calls = repos.clones / "helper-calls";
  RunGit(repos.work, "config credential.helper " +
                         ShellQuote("!f() { echo \"$1\" >> " + calls +
                                    "; test \"$1\" = get || exit 0; echo username=" + kUser +
                                    "; echo password=" + kPassword + "; }; f"));
  std::string commit = repos.CommitBump();
  PublishOptions options = Options();
  options.credentials.credential_helper = true;
  options.credentials.run_subprocess = tools::RunWithProcessEnvironment;

  Result<PublishOutcome> outcome = Publish(repos.work, commit, options);
  REQUIRE(outcome.ok());
  CHECK(outcome->pushed);
  CHECK(RevParse(repos.bare, "main") == commit);
  CHECK(ReadFile(calls) == "get\nstore\n");
}

TEST_CASE("publish over http rejects a credential helper answer the server refused",
          "[integration][publish]") {
  HermeticGitEnv env;
  Repos repos;
  HttpGitServer server(repos.root.path(), kUser, kPassword);
  repos.Clone(server.url_with_credentials("app.git"), server.url("app.git"));
  const std::string calls = repos.clones / "helper-calls";
  RunGit(repos.work, "config credential.helper " +
                         ShellQuote("!f() { echo \"$1\" >> " + calls +
                                    "; test \"$1\" = get || exit 0; echo username=" + kUser +
                                    "; echo password=stale-password; }; f"));
  std::string commit = repos.CommitBump();
  PublishOptions options = Options();
  options.credentials.credential_helper = true;
  options.credentials.run_subprocess = tools::RunWithProcessEnvironment;

  Result<PublishOutcome> outcome = Publish(repos.work, commit, options);
  REQUIRE_FALSE(outcome.ok());
  CHECK(outcome.status().message() ==
        "authentication failed for " + server.url("app.git") +
            ": the server refused the credentials from git's credential helper");
  CHECK(outcome.status().message().find("stale-password") == std::string::npos);
  CHECK(ReadFile(calls) == "get\nerase\n");
}

TEST_CASE("publish to a server that is down keeps the local commit", "[integration][publish]") {
  Repos repos;
  {
    GitDaemon daemon(repos.root.path());
    repos.Clone(daemon.url("app.git"), daemon.url("app.git"));
  }
  int port = ClosedPort();
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/git/app.git";
  RunGit(repos.work, "remote set-url origin " + url);
  std::string commit = repos.CommitBump();

  Result<PublishOutcome> outcome = Publish(repos.work, commit, Options());
  REQUIRE_FALSE(outcome.ok());
  CHECK(outcome.status().code() == StatusCode::kIoError);
  CHECK(outcome.status().message().starts_with("cannot connect to " + url + ": "));
  CHECK(RevParse(repos.work, "HEAD") == commit);
  CHECK(ReadFile(repos.work + "/app/deploy.yaml") == "image: app:v2\n");
}

}  // namespace
}  // namespace capstan::git
