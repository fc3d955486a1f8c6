#include "git/work_tree_root.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <memory>
#include <string>

#include "fs/posix_file_system.h"
#include "git/repository.h"
#include "support/temp_repo.h"

namespace capstan::git {
namespace {

using capstan::testing::InitRepo;
using capstan::testing::RunGit;
using capstan::testing::TempDir;
using capstan::testing::WriteFile;
using Kind = WorkTreeRoot::Kind;

// What libgit2 says: the workdir, "(bare)", or "(none)".
std::string Libgit2Answer(const std::string& path) {
  Result<std::unique_ptr<Repository>> repo = Repository::Discover(path);
  if (!repo.ok()) return repo.status().code() == StatusCode::kNotFound ? "(none)" : "(error)";
  return (*repo)->bare() ? "(bare)" : (*repo)->workdir();
}

WorkTreeRoot Find(const std::string& path) {
  fs::PosixFileSystem fs;
  return FindWorkTreeRoot(fs, path);
}

void CommitFile(const std::string& dir, const std::string& rel) {
  WriteFile(dir + "/" + rel, "x\n");
  RunGit(dir, "add -A");
  RunGit(dir, "commit -q -m init");
}

TEST_CASE("work tree root is libgit2's workdir from the top, a subdirectory and a file", "[git]") {
  TempDir dir;
  InitRepo(dir / "repo");
  CommitFile(dir / "repo", "apps/web/deploy.yaml");
  for (const std::string& from :
       {dir / "repo", dir / "repo/apps/web", dir / "repo/apps/web/deploy.yaml"}) {
    WorkTreeRoot root = Find(from);
    REQUIRE(root.kind == Kind::kFound);
    CHECK(root.path == dir / "repo");
    CHECK(root.path == Libgit2Answer(from));
  }
}

TEST_CASE("work tree root follows a symlinked directory to the repository it is in", "[git]") {
  TempDir dir;
  InitRepo(dir / "repo");
  CommitFile(dir / "repo", "apps/a.yaml");
  std::filesystem::create_directory_symlink(dir / "repo/apps", dir / "link");
  WorkTreeRoot root = Find(dir / "link");
  REQUIRE(root.kind == Kind::kFound);
  CHECK(root.path == Libgit2Answer(dir / "link"));
}

TEST_CASE("work tree root of a linked worktree is the worktree, as libgit2 says", "[git]") {
  TempDir dir;
  InitRepo(dir / "main");
  CommitFile(dir / "main", "a.yaml");
  RunGit(dir / "main", "worktree add -q " + dir / "wt");
  WorkTreeRoot root = Find(dir / "wt");
  REQUIRE(root.kind == Kind::kFound);
  CHECK(root.path == dir / "wt");
  CHECK(root.path == Libgit2Answer(dir / "wt"));
}

TEST_CASE("work tree root of a submodule is the submodule, as libgit2 says", "[git]") {
  TempDir dir;
  InitRepo(dir / "lib");
  CommitFile(dir / "lib", "lib.yaml");
  InitRepo(dir / "app");
  CommitFile(dir / "app", "app.yaml");
  RunGit(dir / "app",
         "-c protocol.file.allow=always submodule -q add " + dir / "lib" + " vendor/lib");
  // The submodule's .git is a file naming app/.git/modules/vendor/lib, whose config sets
  // core.worktree back to app/vendor/lib.
  for (const std::string& from : {dir / "app/vendor/lib", dir / "app/vendor"}) {
    WorkTreeRoot root = Find(from);
    REQUIRE(root.kind == Kind::kFound);
    CHECK(root.path == Libgit2Answer(from));
  }
  CHECK(Find(dir / "app/vendor/lib").path == dir / "app/vendor/lib");
  CHECK(Find(dir / "app/vendor").path == dir / "app");
}

TEST_CASE("work tree root honours core.worktree as libgit2 does", "[git]") {
  TempDir dir;
  InitRepo(dir / "repo");
  CommitFile(dir / "repo", "a.yaml");
  std::filesystem::create_directories(dir / "elsewhere");
  RunGit(dir / "repo", "config core.worktree " + dir / "elsewhere");
  WorkTreeRoot root = Find(dir / "repo");
  REQUIRE(root.kind == Kind::kFound);
  CHECK(root.path == dir / "elsewhere");
  CHECK(root.path == Libgit2Answer(dir / "repo"));
}

TEST_CASE("work tree root leaves bare repositories and .git itself to libgit2", "[git]") {
  TempDir dir;
  RunGit(dir.path(), "init -q --bare bare.git");
  InitRepo(dir / "repo");
  CommitFile(dir / "repo", "a.yaml");
  CHECK(Find(dir / "bare.git").kind == Kind::kUndecided);
  CHECK(Find(dir / "repo/.git/refs").kind == Kind::kUndecided);
  RunGit(dir / "repo", "config core.bare true");
  CHECK(Find(dir / "repo").kind == Kind::kUndecided);
}

TEST_CASE("work tree root leaves config includes and quoted values to libgit2", "[git]") {
  TempDir dir;
  InitRepo(dir / "repo");
  CommitFile(dir / "repo", "a.yaml");
  RunGit(dir / "repo", "config include.path extra.config");
  CHECK(Find(dir / "repo").kind == Kind::kUndecided);
}

TEST_CASE("work tree root is none outside any repository, as libgit2 says", "[git]") {
  TempDir dir;
  std::filesystem::create_directories(dir / "plain/sub");
  WorkTreeRoot root = Find(dir / "plain/sub");
  // TMPDIR could itself sit inside a repository; then both must still agree.
  if (root.kind == Kind::kNone)
    CHECK(Libgit2Answer(dir / "plain/sub") == "(none)");
  else
    CHECK(root.path == Libgit2Answer(dir / "plain/sub"));
}

TEST_CASE("work tree root is undecided for an unreadable .git file", "[git]") {
  TempDir dir;
  WriteFile(dir / "repo/.git", "not a gitdir line\n");
  CHECK(Find(dir / "repo").kind == Kind::kUndecided);
}

}  // namespace
}  // namespace capstan::git
