#include "git/publish.h"

#include <git2.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "git/credentials.h"
#include "support/git_env.h"
#include "support/git_servers.h"
#include "support/shell.h"
#include "support/temp_repo.h"

namespace capstan::git {
namespace {

using capstan::testing::ClosedPort;
using capstan::testing::CreateBareRepo;
using capstan::testing::InitRepo;
using capstan::testing::NoGlobalGitConfig;
using capstan::testing::ReadFile;
using capstan::testing::RevParse;
using capstan::testing::RunGit;
using capstan::testing::RunShell;
using capstan::testing::ShellQuote;
using capstan::testing::TempDir;
using capstan::testing::WriteFile;

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

bool IsAncestor(const std::string& dir, const std::string& ancestor, const std::string& of) {
  return RunShell(dir, "git merge-base --is-ancestor " + ancestor + " " + of).exit_code == 0;
}

// A bare remote holding "initial commit" (app/deploy.yaml at v1, README), a clone of it
// ("work", the one publishing) and a second clone ("other", someone else pushing meanwhile).
struct Fixture {
  Fixture() {
    bare = CreateBareRepo(root.path(), "remote.git",
                          {{"app/deploy.yaml", "image: app:v1\n"}, {"README", "hello\n"}});
    RunGit(root.path(), "clone -q remote.git work");
    RunGit(root.path(), "clone -q remote.git other");
    work = root / "work";
    other = root / "other";
    RunGit(work, "config user.name 'Bump Bot'");
    RunGit(work, "config user.email bot@example.com");
    initial = RevParse(bare, "main");
  }

  // What capstan-bump does: write the file, then commit it.
  std::string CommitBump(const std::string& content = "image: app:v2\n") {
    WriteFile(work + "/app/deploy.yaml", content);
    Result<std::string> commit =
        CommitFiles(work, {{"app/deploy.yaml", content}}, {"bump app to v2", {}, {}});
    REQUIRE(commit.ok());
    return *commit;
  }

  // Another clone commits `path` = `content` and pushes it with the git CLI.
  void PushFromOther(const std::string& path, const std::string& content,
                     const std::string& subject) {
    RunGit(other, "pull -q --ff-only origin main");
    WriteFile(other + "/" + path, content);
    RunGit(other, "add -A");
    RunGit(other, "commit -q -m " + ShellQuote(subject));
    RunGit(other, "push -q origin main");
  }

  std::string RemoteSubjects() { return RunGit(bare, "log --format=%s main"); }

  TempDir root;
  std::string bare;
  std::string work;
  std::string other;
  std::string initial;
};

// The caller's edit, made again on whatever the remote has: app:v1 -> app:v2.
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
  if (log != nullptr) options.log = [log](const std::string& line) { log->push_back(line); };
  return options;
}

bool Contains(const std::vector<std::string>& lines, const std::string& part) {
  for (const std::string& line : lines) {
    if (line.find(part) != std::string::npos) return true;
  }
  return false;
}

TEST_CASE("commit files changes only the named paths and keeps other staged changes staged",
          "[publish]") {
  Fixture f;
  WriteFile(f.work + "/README", "hello, staged\n");
  RunGit(f.work, "add README");
  std::string old_head = RevParse(f.work, "HEAD");

  std::string commit = f.CommitBump();

  CHECK(RevParse(f.work, "HEAD") == commit);
  CHECK(RevParse(f.work, "HEAD~1") == old_head);
  CHECK(RevParse(f.work, "main") == commit);
  CHECK(RunGit(f.work, "diff-tree --no-commit-id --name-only -r HEAD") == "app/deploy.yaml\n");
  CHECK(RunGit(f.work, "status --porcelain") == "M  README\n");
  CHECK(RunGit(f.work, "show HEAD:app/deploy.yaml") == "image: app:v2\n");
  CHECK(RunGit(f.work, "log -1 --format=%an%n%ae%n%cn%n%s") ==
        "Bump Bot\nbot@example.com\nBump Bot\nbump app to v2\n");
  CHECK(RunGit(f.work, "reflog -1 --format=%gs main") == "commit: bump app to v2\n");
}

TEST_CASE("commit files takes the author from the request over git config", "[publish]") {
  Fixture f;
  WriteFile(f.work + "/README", "new\n");
  Result<std::string> commit =
      CommitFiles(f.work, {{"README", "new\n"}},
                  {"m", {"Ann Author", "ann@example.com"}, {"Ann Author", "ann@example.com"}});
  REQUIRE(commit.ok());
  CHECK(RunGit(f.work, "log -1 --format=%an%n%ae%n%cn%n%ce") ==
        "Ann Author\nann@example.com\nAnn Author\nann@example.com\n");
}

TEST_CASE("commit files mixes a requested name with the configured email", "[publish]") {
  Fixture f;
  Result<std::string> commit =
      CommitFiles(f.work, {{"README", "new\n"}}, {"m", {"Ann", ""}, {"Ann", ""}});
  REQUIRE(commit.ok());
  CHECK(RunGit(f.work, "log -1 --format=%an%n%ae") == "Ann\nbot@example.com\n");
}

// Issue 14: with no identity requested or configured, commits used to fail.
TEST_CASE("commit files with no identity anywhere commits as the default identity", "[publish]") {
  NoGlobalGitConfig no_global;
  TempDir dir;
  InitRepo(dir.path());
  WriteFile(dir / "a", "1\n");
  RunGit(dir.path(), "add a");
  RunGit(dir.path(), "commit -q -m one");

  WriteFile(dir / "a", "2\n");
  Result<std::string> commit = CommitFiles(dir.path(), {{"a", "2\n"}}, {"m", {}, {}});
  REQUIRE(commit.ok());
  CHECK(RunGit(dir.path(), "log -1 --format=%an%n%ae%n%cn%n%ce") ==
        "capstan\ncapstan@localhost\ncapstan\ncapstan@localhost\n");
  CHECK(RunGit(dir.path(), "status --porcelain").empty());
}

TEST_CASE("commit files takes the committer apart from the author, each completed from git config",
          "[publish]") {
  Fixture f;
  Result<std::string> commit =
      CommitFiles(f.work, {{"README", "new\n"}}, {"m", {"Ann", "ann@example.com"}, {"CI", ""}});
  REQUIRE(commit.ok());
  CHECK(RunGit(f.work, "log -1 --format=%an%n%ae%n%cn%n%ce") ==
        "Ann\nann@example.com\nCI\nbot@example.com\n");
}

TEST_CASE("commit files refuses an identity git cannot record, committing nothing", "[publish]") {
  Fixture f;
  std::string head = RevParse(f.work, "HEAD");
  Result<std::string> commit =
      CommitFiles(f.work, {{"README", "new\n"}}, {"m", {"A <b>", "a@b"}, {}});
  REQUIRE_FALSE(commit.ok());
  CHECK(commit.status().code() == StatusCode::kInvalidArgument);
  CHECK(commit.status().message() == "invalid git identity 'A <b> <a@b>'");
  CHECK(RevParse(f.work, "HEAD") == head);
}

TEST_CASE("commit files creates nested new paths as 100644 and keeps an executable's mode",
          "[publish]") {
  Fixture f;
  WriteFile(f.work + "/run.sh", "#!/bin/sh\n");
  std::filesystem::permissions(f.work + "/run.sh", std::filesystem::perms::owner_exec,
                               std::filesystem::perm_options::add);
  RunGit(f.work, "add run.sh");
  RunGit(f.work, "commit -q -m script");

  WriteFile(f.work + "/run.sh", "#!/bin/sh\necho hi\n");
  WriteFile(f.work + "/deploy/prod/eu/values.yaml", "tag: v2\n");
  Result<std::string> commit = CommitFiles(
      f.work, {{"run.sh", "#!/bin/sh\necho hi\n"}, {"deploy/prod/eu/values.yaml", "tag: v2\n"}},
      {"two files", {}, {}});
  REQUIRE(commit.ok());
  std::string tree = RunGit(f.work, "ls-tree -r HEAD");
  CHECK(tree.find("100755 blob") != std::string::npos);
  CHECK(tree.find("100644 blob " +
                  Trim(RunGit(f.work, "rev-parse HEAD:deploy/prod/eu/values.yaml")) +
                  "\tdeploy/prod/eu/values.yaml") != std::string::npos);
  CHECK(Trim(RunGit(f.work, "ls-tree HEAD run.sh")).starts_with("100755 "));
  CHECK(RunGit(f.work, "status --porcelain").empty());
}

TEST_CASE("commit files on a detached HEAD moves HEAD and no branch", "[publish]") {
  Fixture f;
  RunGit(f.work, "checkout -q --detach");
  Result<std::string> commit = CommitFiles(f.work, {{"README", "detached\n"}}, {"m", {}, {}});
  REQUIRE(commit.ok());
  CHECK(RevParse(f.work, "HEAD") == *commit);
  CHECK(RevParse(f.work, "main") == f.initial);
}

TEST_CASE("commit files refuses paths outside the repository", "[publish]") {
  Fixture f;
  std::string path = GENERATE(as<std::string>{}, "", "/etc/passwd", "../x", "a/../../x",
                              ".git/config", "app/", "a//b");
  Result<std::string> commit = CommitFiles(f.work, {{path, "x"}}, {"m", {}, {}});
  REQUIRE_FALSE(commit.ok());
  CHECK(commit.status().code() == StatusCode::kInvalidArgument);
  CHECK(commit.status().message() == "'" + path + "' is not a path inside the repository");
  CHECK(RevParse(f.work, "HEAD") == f.initial);
}

TEST_CASE("commit files refuses to replace a directory", "[publish]") {
  Fixture f;
  Result<std::string> commit = CommitFiles(f.work, {{"app", "x"}}, {"m", {}, {}});
  REQUIRE_FALSE(commit.ok());
  CHECK(commit.status().code() == StatusCode::kInvalidArgument);
  CHECK(commit.status().message() == "cannot write 'app': it is a directory");
}

TEST_CASE("commit files in a repository without commits is an invalid argument", "[publish]") {
  TempDir dir;
  InitRepo(dir.path());
  Result<std::string> commit =
      CommitFiles(dir.path(), {{"a", "x"}}, {"m", {"n", "e@x"}, {"n", "e@x"}});
  REQUIRE_FALSE(commit.ok());
  CHECK(commit.status().code() == StatusCode::kInvalidArgument);
}

TEST_CASE("commit files in a bare repository is an invalid argument", "[publish]") {
  Fixture f;
  Result<std::string> commit =
      CommitFiles(f.bare, {{"README", "x"}}, {"m", {"n", "e@x"}, {"n", "e@x"}});
  REQUIRE_FALSE(commit.ok());
  CHECK(commit.status().code() == StatusCode::kInvalidArgument);
  CHECK(commit.status().message() == "cannot commit in '" + f.bare + "': the repository is bare");
  CHECK(RevParse(f.bare, "main") == f.initial);
}

TEST_CASE("publish fast-forwards the remote branch", "[publish]") {
  Fixture f;
  std::string commit = f.CommitBump();
  std::vector<std::string> log;
  std::vector<int> attempts;
  PublishOptions options = Options(&log);
  options.before_push = [&](int attempt) { attempts.push_back(attempt); };

  Result<PublishOutcome> outcome = Publish(f.work, commit, options);
  REQUIRE(outcome.ok());
  CHECK(outcome->pushed);
  CHECK(outcome->commit == commit);
  CHECK(outcome->attempts == 1);
  CHECK(outcome->local_updated);
  CHECK(attempts == std::vector<int>{1});
  CHECK(RevParse(f.bare, "main") == commit);
  CHECK(RevParse(f.work, "refs/remotes/origin/main") == commit);
  CHECK(RevParse(f.work, "HEAD") == commit);
  CHECK(IsAncestor(f.bare, f.initial, "main"));
  CHECK(log == std::vector<std::string>{"pushing " + commit.substr(0, 7) + " to origin main"});
}

TEST_CASE("publish re-applies on a remote that moved and keeps the other commit", "[publish]") {
  Fixture f;
  WriteFile(f.work + "/notes.txt", "staged, not committed\n");
  RunGit(f.work, "add notes.txt");
  std::string commit = f.CommitBump();
  std::string theirs;
  std::vector<std::string> log;
  PublishOptions options = Options(&log);
  options.before_push = [&](int attempt) {
    if (attempt != 1) return;
    f.PushFromOther("README", "hello from elsewhere\n", "other change");
    theirs = RevParse(f.bare, "main");
  };

  Result<PublishOutcome> outcome = Publish(f.work, commit, options);
  REQUIRE(outcome.ok());
  CHECK(outcome->pushed);
  CHECK(outcome->attempts == 2);
  CHECK(outcome->local_updated);
  CHECK(outcome->commit != commit);
  CHECK(RevParse(f.bare, "main") == outcome->commit);
  CHECK(RevParse(f.bare, "main~1") == theirs);
  CHECK(f.RemoteSubjects() == "bump app to v2\nother change\ninitial commit\n");
  CHECK(RunGit(f.bare, "show main:app/deploy.yaml") == "image: app:v2\n");
  CHECK(RunGit(f.bare, "log -1 --format=%an%n%ae main") == "Bump Bot\nbot@example.com\n");
  CHECK(IsAncestor(f.bare, theirs, "main"));

  CHECK(RevParse(f.work, "HEAD") == outcome->commit);
  CHECK(RevParse(f.work, "refs/remotes/origin/main") == outcome->commit);
  CHECK(ReadFile(f.work + "/README") == "hello from elsewhere\n");
  CHECK(RunGit(f.work, "status --porcelain") == "A  notes.txt\n");
  CHECK(Contains(log,
                 "origin/main moved: re-applying on " + theirs.substr(0, 7) + " (attempt 2 of 5)"));
}

TEST_CASE("publish pushes nothing when the remote already has the change", "[publish]") {
  Fixture f;
  std::string commit = f.CommitBump();
  std::string theirs;
  PublishOptions options = Options();
  options.before_push = [&](int attempt) {
    if (attempt != 1) return;
    f.PushFromOther("app/deploy.yaml", "image: app:v2\n", "someone bumped it first");
    theirs = RevParse(f.bare, "main");
  };

  Result<PublishOutcome> outcome = Publish(f.work, commit, options);
  REQUIRE(outcome.ok());
  CHECK_FALSE(outcome->pushed);
  CHECK(outcome->attempts == 1);
  CHECK(outcome->commit == theirs);
  CHECK(RevParse(f.bare, "main") == theirs);
  CHECK(f.RemoteSubjects() == "someone bumped it first\ninitial commit\n");
  CHECK(outcome->local_updated);
  CHECK(RevParse(f.work, "HEAD") == theirs);
  CHECK(RunGit(f.work, "status --porcelain").empty());
}

TEST_CASE("publish gives up when the remote moves before every attempt", "[publish]") {
  Fixture f;
  std::string commit = f.CommitBump();
  int pushes_by_other = 0;
  PublishOptions options = Options();
  options.max_attempts = 3;
  options.before_push = [&](int attempt) {
    ++pushes_by_other;
    f.PushFromOther("counter", std::to_string(attempt) + "\n", "other " + std::to_string(attempt));
  };

  Result<PublishOutcome> outcome = Publish(f.work, commit, options);
  REQUIRE_FALSE(outcome.ok());
  CHECK(outcome.status().code() == StatusCode::kIoError);
  CHECK(outcome.status().message() == "the remote branch kept moving: gave up after 3 attempts");
  CHECK(pushes_by_other == 3);
  CHECK(f.RemoteSubjects() == "other 3\nother 2\nother 1\ninitial commit\n");
  CHECK(RevParse(f.work, "HEAD") == commit);
  CHECK(ReadFile(f.work + "/app/deploy.yaml") == "image: app:v2\n");
  CHECK(RunGit(f.work, "status --porcelain").empty());
}

TEST_CASE("publish does not retry a push the remote refused for another reason", "[publish]") {
  Fixture f;
  std::string commit = f.CommitBump();
  // A stale lock file makes the remote fail to update the branch whatever we send.
  WriteFile(f.bare + "/refs/heads/main.lock", "");
  int attempts = 0;
  PublishOptions options = Options();
  options.before_push = [&](int) { ++attempts; };

  Result<PublishOutcome> outcome = Publish(f.work, commit, options);
  REQUIRE_FALSE(outcome.ok());
  CHECK(outcome.status().code() == StatusCode::kIoError);
  CHECK(outcome.status().message().starts_with("cannot push to " + f.bare +
                                               ": the remote rejected refs/heads/main ("));
  CHECK(attempts == 1);
  CHECK(RevParse(f.bare, "main") == f.initial);
  CHECK(RevParse(f.work, "HEAD") == commit);
}

TEST_CASE("publish from a detached HEAD needs a branch", "[publish]") {
  Fixture f;
  RunGit(f.work, "checkout -q --detach");
  std::string commit = f.CommitBump();

  Result<PublishOutcome> outcome = Publish(f.work, commit, Options());
  REQUIRE_FALSE(outcome.ok());
  CHECK(outcome.status().code() == StatusCode::kInvalidArgument);
  CHECK(outcome.status().message() == "HEAD is detached: name the branch to push");

  PublishOptions named = Options();
  named.branch = "main";
  Result<PublishOutcome> pushed = Publish(f.work, commit, named);
  REQUIRE(pushed.ok());
  CHECK(RevParse(f.bare, "main") == commit);
  CHECK(RevParse(f.work, "HEAD") == commit);
}

TEST_CASE("publish keeps a local branch that holds unpushed commits of its own", "[publish]") {
  Fixture f;
  WriteFile(f.work + "/local.txt", "mine\n");
  RunGit(f.work, "add local.txt");
  RunGit(f.work, "commit -q -m 'local only'");
  std::string local_only = RevParse(f.work, "HEAD");
  std::string commit = f.CommitBump();
  std::string theirs;
  std::vector<std::string> log;
  PublishOptions options = Options(&log);
  options.before_push = [&](int attempt) {
    if (attempt == 1) f.PushFromOther("README", "moved\n", "other change");
    theirs = RevParse(f.bare, "main");
  };

  Result<PublishOutcome> outcome = Publish(f.work, commit, options);
  REQUIRE(outcome.ok());
  CHECK(outcome->pushed);
  CHECK_FALSE(outcome->local_updated);
  CHECK(RevParse(f.bare, "main") == outcome->commit);
  CHECK(RevParse(f.bare, "main~1") == theirs);
  CHECK(f.RemoteSubjects() == "bump app to v2\nother change\ninitial commit\n");
  CHECK(RevParse(f.work, "HEAD") == commit);
  CHECK(RevParse(f.work, "HEAD~1") == local_only);
  CHECK(ReadFile(f.work + "/README") == "hello\n");
  CHECK(Contains(log, "keeping refs/heads/main at " + commit.substr(0, 7)));
}

TEST_CASE("publish pushes a local branch with unpushed commits when the remote did not move",
          "[publish]") {
  Fixture f;
  WriteFile(f.work + "/local.txt", "mine\n");
  RunGit(f.work, "add local.txt");
  RunGit(f.work, "commit -q -m 'local only'");
  std::string commit = f.CommitBump();

  Result<PublishOutcome> outcome = Publish(f.work, commit, Options());
  REQUIRE(outcome.ok());
  CHECK(outcome->pushed);
  CHECK(outcome->local_updated);
  CHECK(RevParse(f.bare, "main") == commit);
  CHECK(f.RemoteSubjects() == "bump app to v2\nlocal only\ninitial commit\n");
}

TEST_CASE("publish never overwrites a file the user changed that the remote also changed",
          "[publish]") {
  Fixture f;
  std::string commit = f.CommitBump();
  WriteFile(f.work + "/README", "my uncommitted edit\n");
  PublishOptions options = Options();
  options.before_push = [&](int attempt) {
    if (attempt == 1) f.PushFromOther("README", "theirs\n", "other change");
  };

  Result<PublishOutcome> outcome = Publish(f.work, commit, options);
  REQUIRE(outcome.ok());
  CHECK(outcome->pushed);
  CHECK_FALSE(outcome->local_updated);
  CHECK(RevParse(f.bare, "main") == outcome->commit);
  CHECK(RevParse(f.work, "HEAD") == commit);
  CHECK(ReadFile(f.work + "/README") == "my uncommitted edit\n");
  CHECK(RunGit(f.work, "status --porcelain") == " M README\n");
}

TEST_CASE("publish moves a branch the user switched away from without touching the files",
          "[publish]") {
  Fixture f;
  std::string commit = f.CommitBump();
  PublishOptions options = Options();
  options.before_push = [&](int attempt) {
    if (attempt != 1) return;
    f.PushFromOther("README", "theirs\n", "other change");
    RunGit(f.work, "checkout -q -b elsewhere");
  };

  Result<PublishOutcome> outcome = Publish(f.work, commit, options);
  REQUIRE(outcome.ok());
  CHECK(outcome->local_updated);
  CHECK(RevParse(f.work, "main") == outcome->commit);
  CHECK(Trim(RunGit(f.work, "symbolic-ref HEAD")) == "refs/heads/elsewhere");
  CHECK(RevParse(f.work, "HEAD") == commit);
  CHECK(ReadFile(f.work + "/README") == "hello\n");
  CHECK(RunGit(f.work, "status --porcelain").empty());
}

TEST_CASE("publish to a URL re-applies through an internal ref", "[publish]") {
  Fixture f;
  RunGit(f.work, "remote remove origin");
  std::string commit = f.CommitBump();
  std::vector<std::string> log;
  PublishOptions options = Options(&log);
  options.remote = "file://" + f.bare;
  options.before_push = [&](int attempt) {
    if (attempt == 1) f.PushFromOther("README", "moved\n", "other change");
  };

  Result<PublishOutcome> outcome = Publish(f.work, commit, options);
  REQUIRE(outcome.ok());
  CHECK(outcome->pushed);
  CHECK(outcome->attempts == 2);
  CHECK(RevParse(f.bare, "main") == outcome->commit);
  CHECK(RevParse(f.work, "HEAD") == outcome->commit);
  CHECK(RevParse(f.work, "refs/capstan/fetch-tip") == RevParse(f.bare, "main~1"));
  CHECK(log.at(0) == "pushing " + commit.substr(0, 7) + " to file://" + f.bare + " main");
  CHECK(Contains(log, "main on file://" + f.bare + " moved: re-applying on"));
}

TEST_CASE("publish creates a remote branch that does not exist yet", "[publish]") {
  Fixture f;
  std::string commit = f.CommitBump();
  PublishOptions options = Options();
  options.branch = "capstan/bump-app";

  Result<PublishOutcome> outcome = Publish(f.work, commit, options);
  REQUIRE(outcome.ok());
  CHECK(RevParse(f.bare, "capstan/bump-app") == commit);
  CHECK(RevParse(f.bare, "main") == f.initial);
  CHECK(RevParse(f.work, "refs/remotes/origin/capstan/bump-app") == commit);
}

TEST_CASE("publish passes a reapply failure through and keeps the local commit", "[publish]") {
  Fixture f;
  std::string commit = f.CommitBump();
  PublishOptions options = Options();
  options.reapply = [](const ReadAtTip&) -> Result<std::vector<FileUpdate>> {
    return Status::ParseError("app/deploy.yaml: broken");
  };
  options.before_push = [&](int attempt) {
    if (attempt == 1) f.PushFromOther("README", "moved\n", "other change");
  };
  Result<PublishOutcome> outcome = Publish(f.work, commit, options);
  REQUIRE_FALSE(outcome.ok());
  CHECK(outcome.status().code() == StatusCode::kParseError);
  CHECK(RevParse(f.work, "HEAD") == commit);
}

TEST_CASE("publish to an unknown remote name is an invalid argument", "[publish]") {
  Fixture f;
  std::string commit = f.CommitBump();
  PublishOptions options = Options();
  options.remote = "upstream";
  Result<PublishOutcome> outcome = Publish(f.work, commit, options);
  REQUIRE_FALSE(outcome.ok());
  CHECK(outcome.status().code() == StatusCode::kInvalidArgument);
  CHECK(outcome.status().message() == "'upstream' is neither a configured remote nor a URL");
}

TEST_CASE("publish to a server that is down says so without the credentials", "[publish]") {
  Fixture f;
  std::string commit = f.CommitBump();
  const std::string token = "tok-3f9a8b7c6d5e";
  int port = ClosedPort();
  PublishOptions options = Options();
  options.remote = "http://someone:pw-1234567@127.0.0.1:" + std::to_string(port) + "/git/app.git";
  options.credentials.token = token;

  Result<PublishOutcome> outcome = Publish(f.work, commit, options);
  REQUIRE_FALSE(outcome.ok());
  CHECK(outcome.status().code() == StatusCode::kIoError);
  const std::string& message = outcome.status().message();
  CHECK(message.starts_with("cannot connect to http://127.0.0.1:" + std::to_string(port) +
                            "/git/app.git: "));
  CHECK(message.find(token) == std::string::npos);
  CHECK(message.find("pw-1234567") == std::string::npos);
  CHECK(message.find("someone") == std::string::npos);
  CHECK(RevParse(f.work, "HEAD") == commit);
}

TEST_CASE("remote URLs are shown without their user-info", "[publish]") {
  CHECK(RedactUrl("https://u:p@host:8443/org/app.git") == "https://host:8443/org/app.git");
  CHECK(RedactUrl("https://x-access-token:t@github.com/o/r") == "https://github.com/o/r");
  CHECK(RedactUrl("https://github.com/o/r") == "https://github.com/o/r");
  CHECK(RedactUrl("git@github.com:o/r.git") == "git@github.com:o/r.git");
  CHECK(RedactUrl("/srv/git/app.git") == "/srv/git/app.git");

  internal::UrlParts parts = internal::ParseUrl("https://u%40x:p%3Aq@host:8443/org/app.git");
  CHECK(parts.scheme == "https");
  CHECK(parts.user == "u@x");
  CHECK(parts.password == "p:q");
  CHECK(parts.host == "host:8443");
  CHECK(parts.path == "org/app.git");
  parts = internal::ParseUrl("git@github.com:o/r.git");
  CHECK(parts.scheme == "ssh");
  CHECK(parts.user == "git");
  CHECK(parts.host == "github.com");
  CHECK(parts.path == "o/r.git");
}

}  // namespace
}  // namespace capstan::git
