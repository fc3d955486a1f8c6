// capstan-watch's side of lib/git/publish.h against real repositories: a bare cache fetching
// from and pushing to a file:// remote, and a checkout following what it pushed.
#include <git2.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "git/publish.h"
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

bool Contains(const std::vector<std::string>& lines, const std::string& part) {
  for (const std::string& line : lines) {
    if (line.find(part) != std::string::npos) return true;
  }
  return false;
}

// The edit capstan-watch makes, again on whatever tip it is given: app:v1 -> app:v2.
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

const CommitRequest kRequest = {
    "bump app to v2", {"Watch Bot", "watch@example.com"}, {"Watch Bot", "watch@example.com"}};

// A bare remote holding "initial commit" (app/deploy.yaml at v1, README), reached by URL, a
// second clone ("other", someone else pushing meanwhile) and the path of a cache repository
// that does not exist yet.
struct Fixture {
  Fixture() {
    bare = CreateBareRepo(root.path(), "remote.git",
                          {{"app/deploy.yaml", "image: app:v1\n"}, {"README", "hello\n"}});
    url = "file://" + bare;
    RunGit(root.path(), "clone -q remote.git other");
    other = root / "other";
    cache = root / "cache/remote.git";
    initial = RevParse(bare, "main");
  }

  // Another clone commits `path` = `content` on `branch` and pushes it with the git CLI.
  void PushFromOther(const std::string& path, const std::string& content,
                     const std::string& subject, const std::string& branch = "main") {
    RunGit(other, "fetch -q origin");
    RunGit(other, "checkout -q -B " + branch + " origin/main");
    if (RunShell(other, "git rev-parse -q --verify origin/" + branch).exit_code == 0) {
      RunGit(other, "reset -q --hard origin/" + branch);
    }
    WriteFile(other + "/" + path, content);
    RunGit(other, "add -A");
    RunGit(other, "commit -q -m " + ShellQuote(subject));
    RunGit(other, "push -q origin " + branch);
  }

  // EnsureBareRepository + FetchBranch of main, as capstan-watch starts; returns the tip.
  std::string FetchIntoCache() {
    REQUIRE(EnsureBareRepository(cache).ok());
    Result<std::optional<std::string>> tip = FetchBranch(cache, url, "main", NoHelper());
    REQUIRE(tip.ok());
    REQUIRE(*tip);
    return **tip;
  }

  static Credentials NoHelper() {
    Credentials c;
    c.credential_helper = false;
    return c;
  }

  PublishOntoOptions CacheOptions(const std::string& base,
                                  std::vector<std::string>* log = nullptr) {
    PublishOntoOptions options;
    options.publish.remote = url;
    options.publish.branch = "main";
    options.publish.reapply = BumpImage();
    options.publish.credentials = NoHelper();
    if (log != nullptr) {
      options.publish.log = [log](const std::string& line) { log->push_back(line); };
    }
    options.base = base;
    options.follow_local = false;
    return options;
  }

  std::string Subjects(const std::string& branch) {
    return RunGit(bare, "log --format=%s " + branch);
  }

  TempDir root;
  std::string bare;
  std::string url;
  std::string other;
  std::string cache;
  std::string initial;
};

TEST_CASE("publish onto from a bare cache pushes one commit with exactly the given edit",
          "[publish_onto]") {
  Fixture f;
  std::string base = f.FetchIntoCache();
  CHECK(base == f.initial);
  CHECK(RevParse(f.cache, "refs/capstan/fetch-tip") == f.initial);
  std::vector<std::string> log;

  Result<PublishOutcome> outcome = PublishOnto(f.cache, kRequest, f.CacheOptions(base, &log));
  REQUIRE(outcome.ok());
  CHECK(outcome->pushed);
  CHECK(outcome->attempts == 1);
  CHECK_FALSE(outcome->local_updated);
  CHECK(outcome->commit.size() == 40);
  CHECK(RevParse(f.bare, "main") == outcome->commit);
  CHECK(RevParse(f.bare, "main~1") == f.initial);
  CHECK(RunGit(f.bare, "diff-tree --no-commit-id --name-only -r main") == "app/deploy.yaml\n");
  CHECK(RunGit(f.bare, "show main:app/deploy.yaml") == "image: app:v2\n");
  CHECK(RunGit(f.bare, "log -1 --format=%an%n%ae%n%cn%n%ce%n%B main") ==
        "Watch Bot\nwatch@example.com\nWatch Bot\nwatch@example.com\nbump app to v2\n\n");
  CHECK(log == std::vector<std::string>{"pushing " + outcome->commit.substr(0, 7) + " to " + f.url +
                                        " main"});
  CHECK(RunShell(f.cache, "git rev-parse -q --verify HEAD").exit_code != 0);
}

// Issue 14: capstan-watch in a CronJob has no git configuration at all; it used to fail here.
TEST_CASE("publish onto with no identity anywhere commits as the default identity",
          "[publish_onto]") {
  NoGlobalGitConfig no_global;
  Fixture f;
  std::string base = f.FetchIntoCache();

  Result<PublishOutcome> outcome = PublishOnto(f.cache, {"m", {}, {}}, f.CacheOptions(base));
  REQUIRE(outcome.ok());
  CHECK(RunGit(f.bare, "log -1 --format=%an%n%ae%n%cn%n%ce main") ==
        "capstan\ncapstan@localhost\ncapstan\ncapstan@localhost\n");
}

TEST_CASE("publish onto records a committer other than the author", "[publish_onto]") {
  Fixture f;
  std::string base = f.FetchIntoCache();

  Result<PublishOutcome> outcome = PublishOnto(
      f.cache, {"m", {"Ann", "ann@example.com"}, {"CI", "ci@example.com"}}, f.CacheOptions(base));
  REQUIRE(outcome.ok());
  CHECK(RunGit(f.bare, "log -1 --format=%an%n%ae%n%cn%n%ce main") ==
        "Ann\nann@example.com\nCI\nci@example.com\n");
}

TEST_CASE("publish onto pushes nothing when the edit is already on the base", "[publish_onto]") {
  Fixture f;
  f.PushFromOther("app/deploy.yaml", "image: app:v2\n", "bumped by hand");
  std::string base = f.FetchIntoCache();
  int pushes = 0;
  PublishOntoOptions options = f.CacheOptions(base);
  options.publish.before_push = [&](int) { ++pushes; };

  Result<PublishOutcome> outcome = PublishOnto(f.cache, kRequest, options);
  REQUIRE(outcome.ok());
  CHECK_FALSE(outcome->pushed);
  CHECK(outcome->commit == base);
  CHECK(outcome->attempts == 0);
  CHECK(pushes == 0);
  CHECK(RevParse(f.bare, "main") == base);
  CHECK(f.Subjects("main") == "bumped by hand\ninitial commit\n");
}

TEST_CASE("publish onto re-applies on top when the remote moved between fetch and push",
          "[publish_onto]") {
  Fixture f;
  std::string base = f.FetchIntoCache();
  std::string theirs;
  std::vector<std::string> log;
  PublishOntoOptions options = f.CacheOptions(base, &log);
  options.publish.before_push = [&](int attempt) {
    if (attempt != 1) return;
    f.PushFromOther("README", "hello from elsewhere\n", "other change");
    theirs = RevParse(f.bare, "main");
  };

  Result<PublishOutcome> outcome = PublishOnto(f.cache, kRequest, options);
  REQUIRE(outcome.ok());
  CHECK(outcome->pushed);
  CHECK(outcome->attempts == 2);
  CHECK(RevParse(f.bare, "main") == outcome->commit);
  CHECK(RevParse(f.bare, "main~1") == theirs);
  CHECK(f.Subjects("main") == "bump app to v2\nother change\ninitial commit\n");
  CHECK(RunGit(f.bare, "show main:app/deploy.yaml") == "image: app:v2\n");
  CHECK(RunGit(f.bare, "show main:README") == "hello from elsewhere\n");
  CHECK(RunGit(f.bare, "log -1 --format=%an%n%cn main") == "Watch Bot\nWatch Bot\n");
  CHECK(RevParse(f.cache, "refs/capstan/fetch-tip") == theirs);
  CHECK(Contains(log, "main on " + f.url + " moved: re-applying on " + theirs.substr(0, 7) +
                          " (attempt 2 of 5)"));
}

TEST_CASE("publish onto gives a commit re-applied on a moved tip the message made for it",
          "[publish_onto]") {
  Fixture f;
  std::string base = f.FetchIntoCache();
  PublishOntoOptions options = f.CacheOptions(base);
  options.publish.before_push = [&](int attempt) {
    if (attempt == 1) f.PushFromOther("README", "moved\n", "other change");
  };
  int asked = 0;
  options.publish.reapplied_message = [&] {
    ++asked;
    return std::string("bump app to v2 on the moved tip");
  };

  Result<PublishOutcome> outcome = PublishOnto(f.cache, kRequest, options);
  REQUIRE(outcome.ok());
  CHECK(outcome->attempts == 2);
  CHECK(asked == 1);  // not for the first commit, made on the base
  CHECK(RunGit(f.bare, "log --format=%B main~1..main") == "bump app to v2 on the moved tip\n\n");
  CHECK(f.Subjects("main") == "bump app to v2 on the moved tip\nother change\ninitial commit\n");
}

TEST_CASE("publish onto a new push branch creates it and leaves the base branch untouched",
          "[publish_onto]") {
  Fixture f;
  std::string base = f.FetchIntoCache();
  PublishOntoOptions options = f.CacheOptions(base);
  options.publish.branch = "capstan/watch-app";

  Result<PublishOutcome> outcome = PublishOnto(f.cache, kRequest, options);
  REQUIRE(outcome.ok());
  CHECK(outcome->pushed);
  CHECK(outcome->attempts == 1);
  CHECK(RevParse(f.bare, "capstan/watch-app") == outcome->commit);
  CHECK(RevParse(f.bare, "capstan/watch-app~1") == f.initial);
  CHECK(RevParse(f.bare, "main") == f.initial);
}

TEST_CASE("publish onto an existing push branch that diverged re-applies on its tip",
          "[publish_onto]") {
  Fixture f;
  f.PushFromOther("notes.txt", "earlier run\n", "earlier watch run", "capstan/watch-app");
  std::string branch_tip = RevParse(f.bare, "capstan/watch-app");
  f.PushFromOther("README", "main moved\n", "main moved");
  std::string base = f.FetchIntoCache();
  PublishOntoOptions options = f.CacheOptions(base);
  options.publish.branch = "capstan/watch-app";

  Result<PublishOutcome> outcome = PublishOnto(f.cache, kRequest, options);
  REQUIRE(outcome.ok());
  CHECK(outcome->pushed);
  CHECK(outcome->attempts == 2);
  CHECK(RevParse(f.bare, "capstan/watch-app") == outcome->commit);
  CHECK(RevParse(f.bare, "capstan/watch-app~1") == branch_tip);
  CHECK(f.Subjects("capstan/watch-app") == "bump app to v2\nearlier watch run\ninitial commit\n");
  CHECK(RunGit(f.bare, "show capstan/watch-app:app/deploy.yaml") == "image: app:v2\n");
  CHECK(RevParse(f.bare, "main") == base);
}

TEST_CASE("publish onto with follow_local moves the checkout and keeps unrelated local changes",
          "[publish_onto]") {
  Fixture f;
  RunGit(f.root.path(), "clone -q remote.git work");
  std::string work = f.root / "work";
  RunGit(work, "config user.name 'Work Bot'");
  RunGit(work, "config user.email work@example.com");
  WriteFile(work + "/README", "my uncommitted edit\n");
  WriteFile(work + "/notes.txt", "staged\n");
  RunGit(work, "add notes.txt");
  PublishOntoOptions options;
  options.publish.branch = "main";
  options.publish.reapply = BumpImage();
  options.publish.credentials.credential_helper = false;

  Result<PublishOutcome> outcome = PublishOnto(work, {"bump app to v2", {}, {}}, options);
  REQUIRE(outcome.ok());
  CHECK(outcome->pushed);
  CHECK(outcome->local_updated);
  CHECK(RevParse(f.bare, "main") == outcome->commit);
  CHECK(RevParse(f.bare, "main~1") == f.initial);
  CHECK(RunGit(f.bare, "log -1 --format=%an%n%ae%n%cn main") ==
        "Work Bot\nwork@example.com\nWork Bot\n");
  CHECK(RevParse(work, "HEAD") == outcome->commit);
  CHECK(RevParse(work, "refs/remotes/origin/main") == outcome->commit);
  CHECK(ReadFile(work + "/app/deploy.yaml") == "image: app:v2\n");
  CHECK(ReadFile(work + "/README") == "my uncommitted edit\n");
  CHECK(RunGit(work, "status --porcelain") == " M README\nA  notes.txt\n");
}

TEST_CASE("publish onto leaves the local branch alone when the user changed a file it touches",
          "[publish_onto]") {
  Fixture f;
  RunGit(f.root.path(), "clone -q remote.git work");
  std::string work = f.root / "work";
  WriteFile(work + "/app/deploy.yaml", "image: app:mine\n");
  Result<std::optional<std::string>> base = FetchBranch(work, "origin", "main", f.NoHelper());
  REQUIRE(base.ok());
  REQUIRE(*base);
  std::vector<std::string> log;
  PublishOntoOptions options = f.CacheOptions(**base, &log);
  options.publish.remote = "origin";
  options.follow_local = true;

  Result<PublishOutcome> outcome = PublishOnto(work, kRequest, options);
  REQUIRE(outcome.ok());
  CHECK(outcome->pushed);
  CHECK_FALSE(outcome->local_updated);
  CHECK(RevParse(f.bare, "main") == outcome->commit);
  CHECK(RevParse(work, "HEAD") == f.initial);
  CHECK(ReadFile(work + "/app/deploy.yaml") == "image: app:mine\n");
  CHECK(Contains(log, "keeping refs/heads/main at " + f.initial.substr(0, 7)));
}

TEST_CASE("publish onto a server that is down fails and leaves the repository as it was",
          "[publish_onto]") {
  Fixture f;
  RunGit(f.root.path(), "clone -q remote.git work");
  std::string work = f.root / "work";
  WriteFile(work + "/README", "my uncommitted edit\n");
  const std::string refs = RunGit(work, "for-each-ref");
  const std::string status = RunGit(work, "status --porcelain");
  const int port = ClosedPort();
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/git/app.git";
  const bool with_base = GENERATE(false, true);
  PublishOntoOptions options = f.CacheOptions(with_base ? f.initial : "");
  options.publish.remote = url;
  options.follow_local = true;

  Result<PublishOutcome> outcome = PublishOnto(work, kRequest, options);
  REQUIRE_FALSE(outcome.ok());
  CHECK(outcome.status().code() == StatusCode::kIoError);
  CHECK(outcome.status().message().starts_with("cannot connect to " + url + ": "));
  CHECK(RunGit(work, "for-each-ref") == refs);
  CHECK(RunGit(work, "status --porcelain") == status);
  CHECK(RevParse(work, "HEAD") == f.initial);
  CHECK(ReadFile(work + "/README") == "my uncommitted edit\n");
  CHECK(ReadFile(work + "/app/deploy.yaml") == "image: app:v1\n");
}

TEST_CASE("publish onto refuses bad input with one clear line", "[publish_onto]") {
  Fixture f;
  std::string base = f.FetchIntoCache();
  PublishOntoOptions options = f.CacheOptions(base);
  std::string expected;
  SECTION("no branch") {
    options.publish.branch = "";
    expected = "name the branch to push";
  }
  SECTION("an invalid branch") {
    options.publish.branch = "a..b";
    expected = "'a..b' is not a valid branch name";
  }
  SECTION("a base that is not a commit") {
    options.base = "no-such-rev";
    expected = "'no-such-rev' is not a commit";
  }
  SECTION("follow_local in a bare repository") {
    options.follow_local = true;
    expected = "cannot follow the pushed commit in bare repository '" + f.cache + "'";
  }
  SECTION("no reapply function") {
    options.publish.reapply = nullptr;
    expected = "publish needs a reapply function";
  }

  Result<PublishOutcome> outcome = PublishOnto(f.cache, kRequest, options);
  REQUIRE_FALSE(outcome.ok());
  CHECK(outcome.status().code() == StatusCode::kInvalidArgument);
  CHECK(outcome.status().message() == expected);
  CHECK(RevParse(f.bare, "main") == f.initial);
}

TEST_CASE("publish onto with no base and no such remote branch is not found", "[publish_onto]") {
  Fixture f;
  REQUIRE(EnsureBareRepository(f.cache).ok());
  PublishOntoOptions options = f.CacheOptions("");
  options.publish.branch = "missing";

  Result<PublishOutcome> outcome = PublishOnto(f.cache, kRequest, options);
  REQUIRE_FALSE(outcome.ok());
  CHECK(outcome.status().code() == StatusCode::kNotFound);
  CHECK(outcome.status().message() ==
        "cannot publish onto missing on " + f.url + ": the remote has no such branch");
}

TEST_CASE("fetch branch of a branch the remote does not have returns nothing", "[publish_onto]") {
  Fixture f;
  REQUIRE(EnsureBareRepository(f.cache).ok());
  Result<std::optional<std::string>> tip = FetchBranch(f.cache, f.url, "nope", f.NoHelper());
  REQUIRE(tip.ok());
  CHECK_FALSE(*tip);
  CHECK(RunShell(f.cache, "git rev-parse -q --verify refs/capstan/fetch-tip").exit_code != 0);
}

TEST_CASE("fetch branch from a named remote updates its tracking ref", "[publish_onto]") {
  Fixture f;
  RunGit(f.root.path(), "clone -q remote.git work");
  std::string work = f.root / "work";
  f.PushFromOther("README", "moved\n", "other change");
  std::string moved = RevParse(f.bare, "main");

  Result<std::optional<std::string>> tip = FetchBranch(work, "origin", "main", f.NoHelper());
  REQUIRE(tip.ok());
  REQUIRE(*tip);
  CHECK(**tip == moved);
  CHECK(RevParse(work, "refs/remotes/origin/main") == moved);
  CHECK(RevParse(work, "HEAD") == f.initial);

  Result<std::optional<std::string>> bad = FetchBranch(work, "upstream", "main", f.NoHelper());
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message() == "'upstream' is neither a configured remote nor a URL");
}

TEST_CASE("list tree lists the regular files of a commit, sorted, with their sizes",
          "[publish_onto]") {
  TempDir dir;
  InitRepo(dir.path());
  WriteFile(dir / "b.txt", "bee\n");
  WriteFile(dir / "a0", "zero");
  WriteFile(dir / "a/b.txt", "nested file\n");
  WriteFile(dir / "run.sh", "#!/bin/sh\n");
  REQUIRE(::chmod((dir / "run.sh").c_str(), 0755) == 0);
  REQUIRE(::symlink("b.txt", (dir / "link").c_str()) == 0);
  RunGit(dir.path(), "add -A");
  RunGit(dir.path(), "update-index --add --cacheinfo 160000," + std::string(40, '1') + ",sub");
  RunGit(dir.path(), "commit -q -m files");

  Result<std::vector<TreeFile>> files = ListTree(dir.path(), "HEAD");
  REQUIRE(files.ok());
  std::vector<std::string> paths;
  for (const TreeFile& file : *files) paths.push_back(file.path);
  CHECK(paths == std::vector<std::string>{"a/b.txt", "a0", "b.txt", "run.sh"});
  REQUIRE(files->size() == 4);
  CHECK((*files)[0].size == 12);
  CHECK((*files)[0].mode == 0100644);
  CHECK((*files)[0].oid == RevParse(dir.path(), "HEAD:a/b.txt"));
  CHECK((*files)[1].size == 4);
  CHECK((*files)[3].mode == 0100755);
  CHECK((*files)[3].size == 10);
}

TEST_CASE("list tree of something that is not a commit is an invalid argument", "[publish_onto]") {
  TempDir dir;
  InitRepo(dir.path());
  WriteFile(dir / "a", "1\n");
  RunGit(dir.path(), "add a");
  RunGit(dir.path(), "commit -q -m one");
  std::string name = GENERATE(std::string("nope"), std::string("HEAD:a"), std::string(""));

  Result<std::vector<TreeFile>> files = ListTree(dir.path(), name);
  REQUIRE_FALSE(files.ok());
  CHECK(files.status().code() == StatusCode::kInvalidArgument);
  CHECK(files.status().message() == "'" + name + "' is not a commit");
}

TEST_CASE("ensure bare repository creates one once and keeps it", "[publish_onto]") {
  Fixture f;
  std::string base = f.FetchIntoCache();
  CHECK(Trim(RunGit(f.cache, "rev-parse --is-bare-repository")) == "true");

  REQUIRE(EnsureBareRepository(f.cache).ok());
  CHECK(RevParse(f.cache, "refs/capstan/fetch-tip") == base);
}

TEST_CASE("ensure bare repository refuses a path that holds something else", "[publish_onto]") {
  TempDir dir;
  std::string path;
  std::string why;
  SECTION("a plain file") {
    path = dir / "file";
    WriteFile(path, "x\n");
    why = "': it exists and is not a directory";
  }
  SECTION("a directory with files") {
    path = dir / "full";
    WriteFile(path + "/keep.txt", "x\n");
    why = "': the directory is not empty and not a git repository";
  }
  SECTION("a working tree") {
    path = dir / "work";
    InitRepo(path);
    why = "";
  }

  Status status = EnsureBareRepository(path);
  REQUIRE_FALSE(status.ok());
  CHECK(status.code() == StatusCode::kIoError);
  if (why.empty()) {
    CHECK(status.message() == "cannot use '" + path + "' as a cache: it is not a bare repository");
  } else {
    CHECK(status.message() == "cannot create a repository at '" + path + why);
  }
}

}  // namespace
}  // namespace capstan::git
