#include "git/repository.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "support/open_repository.h"
#include "support/temp_repo.h"

namespace capstan::git {
namespace {

constexpr auto& Open = capstan::testing::OpenRepository;
using capstan::testing::InitRepo;
using capstan::testing::RunGit;
using capstan::testing::TempDir;
using capstan::testing::WriteFile;

std::vector<std::string> Paths(const std::vector<Repository::IndexEntry>& entries) {
  std::vector<std::string> paths;
  for (const auto& e : entries) paths.push_back(e.path);
  return paths;
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

TEST_CASE("discover finds the repository from a nested file and reports its workdir", "[git]") {
  TempDir dir;
  InitRepo(dir.path());
  WriteFile(dir / "apps/web/deploy.yaml", "kind: Deployment\n");

  auto repo = Open(dir / "apps/web/deploy.yaml");
  CHECK(repo->workdir() == dir.path());
  CHECK_FALSE(repo->bare());
  CHECK(Open(dir / "apps")->workdir() == dir.path());
}

TEST_CASE("discover outside any repository is not found with the path in the message", "[git]") {
  TempDir dir;
  Result<std::unique_ptr<Repository>> repo = Repository::Discover(dir.path());
  REQUIRE_FALSE(repo.ok());
  CHECK(repo.status().code() == StatusCode::kNotFound);
  CHECK(repo.status().message() == "'" + dir.path() + "' is not inside a git repository");
}

TEST_CASE("a bare repository has no workdir", "[git]") {
  TempDir dir;
  RunGit(dir.path(), "init -q --bare -b main bare.git");
  auto repo = Open(dir / "bare.git");
  CHECK(repo->bare());
  CHECK(repo->workdir().empty());
  Result<std::vector<std::string>> changed = repo->ChangedSince("HEAD");
  REQUIRE_FALSE(changed.ok());
  CHECK(changed.status().code() == StatusCode::kIoError);
}

TEST_CASE("is ignored honours .gitignore, info/exclude and core.excludesFile", "[git]") {
  TempDir dir;
  InitRepo(dir.path());
  WriteFile(dir / ".gitignore", "build/\n*.tmp.yaml\n");
  WriteFile(dir / ".git/info/exclude", "local.yaml\n");
  WriteFile(dir / "global-ignore", "rendered/\n");
  RunGit(dir.path(), "config core.excludesFile '" + (dir / "global-ignore") + "'");
  WriteFile(dir / "build/out.yaml", "");
  WriteFile(dir / "rendered/chart.yaml", "");
  WriteFile(dir / "apps/a.yaml", "");
  auto repo = Open(dir.path());

  CHECK(*repo->IsIgnored("build") == true);
  CHECK(*repo->IsIgnored("build/out.yaml") == true);
  CHECK(*repo->IsIgnored("x.tmp.yaml") == true);
  CHECK(*repo->IsIgnored("local.yaml") == true);
  CHECK(*repo->IsIgnored("rendered/chart.yaml") == true);
  CHECK(*repo->IsIgnored("apps") == false);
  CHECK(*repo->IsIgnored("apps/a.yaml") == false);
}

TEST_CASE("a partially staged file yields its staged content, not the working tree", "[git]") {
  TempDir dir;
  InitRepo(dir.path());
  WriteFile(dir / "secret.yaml", "v: 1\n");
  RunGit(dir.path(), "add secret.yaml");
  RunGit(dir.path(), "commit -q -m init");
  WriteFile(dir / "secret.yaml", "v: 2\n");
  RunGit(dir.path(), "add secret.yaml");
  WriteFile(dir / "secret.yaml", "v: 3\n");
  auto repo = Open(dir.path());

  Result<std::vector<Repository::IndexEntry>> staged = repo->StagedChanges();
  REQUIRE(staged.ok());
  REQUIRE(staged->size() == 1);
  const Repository::IndexEntry& e = (*staged)[0];
  CHECK(e.path == "secret.yaml");
  CHECK(e.mode == 0100644);
  CHECK(e.oid == Trim(RunGit(dir.path(), "rev-parse :secret.yaml")));
  Result<std::string> blob = repo->ReadBlob(e.oid, 1024);
  REQUIRE(blob.ok());
  CHECK(*blob == "v: 2\n");
}

TEST_CASE("staged changes leave out deleted and unchanged files", "[git]") {
  TempDir dir;
  InitRepo(dir.path());
  WriteFile(dir / "keep.yaml", "a\n");
  WriteFile(dir / "gone.yaml", "b\n");
  WriteFile(dir / "old-name.yaml", "c\n");
  RunGit(dir.path(), "add .");
  RunGit(dir.path(), "commit -q -m init");
  RunGit(dir.path(), "rm -q gone.yaml");
  RunGit(dir.path(), "mv old-name.yaml new-name.yaml");
  WriteFile(dir / "added.yaml", "d\n");
  WriteFile(dir / "unstaged.yaml", "e\n");
  RunGit(dir.path(), "add added.yaml");

  Result<std::vector<Repository::IndexEntry>> staged = Open(dir.path())->StagedChanges();
  REQUIRE(staged.ok());
  CHECK(Paths(*staged) == std::vector<std::string>{"added.yaml", "new-name.yaml"});
}

TEST_CASE("in a repository without commits every index entry is staged", "[git]") {
  TempDir dir;
  InitRepo(dir.path());
  WriteFile(dir / "b.yaml", "b\n");
  WriteFile(dir / "a/x.json", "{}\n");
  WriteFile(dir / "untracked.yaml", "u\n");
  RunGit(dir.path(), "add b.yaml a/x.json");

  Result<std::vector<Repository::IndexEntry>> staged = Open(dir.path())->StagedChanges();
  REQUIRE(staged.ok());
  CHECK(Paths(*staged) == std::vector<std::string>{"a/x.json", "b.yaml"});
}

TEST_CASE("read blob refuses a blob over the limit, a malformed id and a missing one", "[git]") {
  TempDir dir;
  InitRepo(dir.path());
  WriteFile(dir / "big.yaml", std::string(100, 'x'));
  RunGit(dir.path(), "add big.yaml");
  auto repo = Open(dir.path());
  std::string oid = Trim(RunGit(dir.path(), "rev-parse :big.yaml"));

  CHECK(repo->ReadBlob(oid, 100).ok());
  Result<std::string> big = repo->ReadBlob(oid, 99);
  REQUIRE_FALSE(big.ok());
  CHECK(big.status().code() == StatusCode::kLimitExceeded);
  CHECK(repo->ReadBlob("xyz", 100).status().code() == StatusCode::kInvalidArgument);
  CHECK(repo->ReadBlob(std::string(40, 'a'), 100).status().code() == StatusCode::kNotFound);
}

TEST_CASE("changed since includes modified, staged and untracked but not ignored files", "[git]") {
  TempDir dir;
  InitRepo(dir.path());
  WriteFile(dir / ".gitignore", "*.log\n");
  WriteFile(dir / "same.yaml", "s\n");
  WriteFile(dir / "modified.yaml", "m\n");
  WriteFile(dir / "staged.yaml", "t\n");
  WriteFile(dir / "deleted.yaml", "d\n");
  RunGit(dir.path(), "add .");
  RunGit(dir.path(), "commit -q -m init");
  WriteFile(dir / "modified.yaml", "m2\n");
  WriteFile(dir / "staged.yaml", "t2\n");
  RunGit(dir.path(), "add staged.yaml");
  std::filesystem::remove(dir / "deleted.yaml");
  WriteFile(dir / "new/dir/untracked.yaml", "u\n");
  WriteFile(dir / "debug.log", "l\n");

  Result<std::vector<std::string>> changed = Open(dir.path())->ChangedSince("HEAD");
  REQUIRE(changed.ok());
  CHECK(*changed ==
        std::vector<std::string>{"modified.yaml", "new/dir/untracked.yaml", "staged.yaml"});
}

TEST_CASE("changed since keeps a file removed from the index but left in the working tree",
          "[git]") {
  TempDir dir;
  InitRepo(dir.path());
  WriteFile(dir / "kept.yaml", "a\n");
  WriteFile(dir / "ignored.yaml", "b\n");
  RunGit(dir.path(), "add .");
  RunGit(dir.path(), "commit -q -m init");
  RunGit(dir.path(), "rm -q --cached kept.yaml ignored.yaml");
  WriteFile(dir / "kept.yaml", "a2\n");
  WriteFile(dir / ".gitignore", "ignored.yaml\n");

  Result<std::vector<std::string>> changed = Open(dir.path())->ChangedSince("HEAD");
  REQUIRE(changed.ok());
  CHECK(*changed == std::vector<std::string>{".gitignore", "kept.yaml"});
}

TEST_CASE("changed since an unknown revision is a clear invalid argument", "[git]") {
  TempDir dir;
  InitRepo(dir.path());
  WriteFile(dir / "a.yaml", "a\n");
  RunGit(dir.path(), "add a.yaml");
  RunGit(dir.path(), "commit -q -m init");

  Result<std::vector<std::string>> changed = Open(dir.path())->ChangedSince("xyz");
  REQUIRE_FALSE(changed.ok());
  CHECK(changed.status().code() == StatusCode::kInvalidArgument);
  CHECK(changed.status().message() == "unknown revision 'xyz'");

  Result<std::vector<std::string>> blob = Open(dir.path())->ChangedSince("HEAD:a.yaml");
  REQUIRE_FALSE(blob.ok());
  CHECK(blob.status().message() == "revision 'HEAD:a.yaml' is not a commit or a tree");
}

TEST_CASE("changed since an earlier commit covers the commits in between", "[git]") {
  TempDir dir;
  InitRepo(dir.path());
  WriteFile(dir / "a.yaml", "a\n");
  RunGit(dir.path(), "add a.yaml");
  RunGit(dir.path(), "commit -q -m one");
  WriteFile(dir / "b.yaml", "b\n");
  RunGit(dir.path(), "add b.yaml");
  RunGit(dir.path(), "commit -q -m two");

  Result<std::vector<std::string>> changed = Open(dir.path())->ChangedSince("HEAD~1");
  REQUIRE(changed.ok());
  CHECK(*changed == std::vector<std::string>{"b.yaml"});
}

// Regression: RemoteUrl went through git_remote_lookup, which applied insteadOf and, in libgit2
// 1.5, leaked regex match data on every call (LeakSanitizer failed the test run).
TEST_CASE("remote url is the configured one, without insteadOf rewrites", "[git]") {
  TempDir dir;
  InitRepo(dir.path());
  RunGit(dir.path(), "remote add origin git@github.com:acme/config.git");
  RunGit(dir.path(), "config url.https://mirror.example.com/.insteadOf git@github.com:");
  RunGit(dir.path(), "config core.pager less");
  auto repo = Open(dir.path());
  Result<std::string> url = repo->RemoteUrl("origin");
  REQUIRE(url.ok());
  CHECK(*url == "git@github.com:acme/config.git");
  Result<std::string> none = repo->RemoteUrl("upstream");
  CHECK(none.status().code() == StatusCode::kNotFound);
  CHECK(none.status().message() == "no remote 'upstream' in this repository");
}

}  // namespace
}  // namespace capstan::git
