#include "git/config.h"

#include <catch2/catch.hpp>
#include <filesystem>

#include "support/temp_repo.h"

namespace capstan::git {
namespace {

using testing::InitRepo;
using testing::RunGit;
using testing::TempDir;
using testing::WriteFile;

TEST_CASE("hooks live in .git/hooks by default", "[git][hooks]") {
  TempDir tmp;
  InitRepo(tmp.path());
  std::filesystem::create_directories(tmp / "apps/web");
  Result<HooksDir> dir = FindHooksDir(tmp / "apps/web");
  REQUIRE(dir.ok());
  CHECK(dir->path == tmp / ".git/hooks");
  CHECK(dir->configured.empty());
  CHECK(dir->workdir == tmp.path());
}

TEST_CASE("an absolute core.hooksPath is used as it is", "[git][hooks]") {
  TempDir tmp;
  InitRepo(tmp / "repo");
  RunGit(tmp / "repo", "config core.hooksPath '" + tmp.path() + "/shared/./hooks/'");
  Result<HooksDir> dir = FindHooksDir(tmp / "repo");
  REQUIRE(dir.ok());
  CHECK(dir->path == tmp / "shared/hooks");
  CHECK(dir->configured == tmp.path() + "/shared/./hooks/");
}

TEST_CASE("a relative core.hooksPath is resolved against the working tree root", "[git][hooks]") {
  TempDir tmp;
  InitRepo(tmp.path());
  RunGit(tmp.path(), "config core.hooksPath ../outside/../.githooks");
  std::filesystem::create_directories(tmp / "deep/dir");
  Result<HooksDir> dir = FindHooksDir(tmp / "deep/dir");
  REQUIRE(dir.ok());
  CHECK(dir->path == std::filesystem::path(tmp.path()).parent_path().string() + "/.githooks");
  CHECK(dir->configured == "../outside/../.githooks");
}

TEST_CASE("an empty core.hooksPath means the default", "[git][hooks]") {
  TempDir tmp;
  InitRepo(tmp.path());
  RunGit(tmp.path(), "config core.hooksPath ''");
  Result<HooksDir> dir = FindHooksDir(tmp.path());
  REQUIRE(dir.ok());
  CHECK(dir->path == tmp / ".git/hooks");
}

TEST_CASE("a linked worktree uses the main repository's hooks", "[git][hooks]") {
  TempDir tmp;
  InitRepo(tmp / "main");
  WriteFile(tmp / "main/a.txt", "a\n");
  RunGit(tmp / "main", "add a.txt");
  RunGit(tmp / "main", "commit -q -m a");
  RunGit(tmp / "main", "worktree add -q '" + tmp.path() + "/linked' -b linked");
  Result<HooksDir> dir = FindHooksDir(tmp / "linked");
  REQUIRE(dir.ok());
  CHECK(dir->path == tmp / "main/.git/hooks");
  CHECK(dir->workdir == tmp / "linked");
}

TEST_CASE("a bare repository has no working tree and hooks in the repository", "[git][hooks]") {
  TempDir tmp;
  RunGit(tmp.path(), "init -q --bare r.git");
  RunGit(tmp / "r.git", "config core.hooksPath custom");
  Result<HooksDir> dir = FindHooksDir(tmp / "r.git");
  REQUIRE(dir.ok());
  CHECK(dir->workdir.empty());
  CHECK(dir->path == tmp / "r.git/custom");
}

TEST_CASE("a directory outside any repository is kNotFound", "[git][hooks]") {
  TempDir tmp;
  Result<HooksDir> dir = FindHooksDir(tmp.path());
  REQUIRE_FALSE(dir.ok());
  CHECK(dir.status().code() == StatusCode::kNotFound);
  CHECK(dir.status().message() == "'" + tmp.path() + "' is not inside a git repository");
}

TEST_CASE("a malformed config file is kIoError", "[git][hooks]") {
  TempDir tmp;
  InitRepo(tmp.path());
  WriteFile(tmp / ".git/config", "[core\n\tbare = false\n");
  Result<HooksDir> dir = FindHooksDir(tmp.path());
  REQUIRE_FALSE(dir.ok());
  CHECK(dir.status().code() == StatusCode::kIoError);
}

}  // namespace
}  // namespace capstan::git
