#include "git/index_file.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "git/repository.h"
#include "support/temp_repo.h"

namespace capstan::git {
namespace {

using testing::InitRepo;
using testing::RunGit;
using testing::TempDir;
using testing::WriteFile;

std::string ReadIndex(const std::string& repo) {
  std::ifstream in(repo + "/.git/index", std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> StagedPaths(const std::string& repo) {
  auto r = Repository::Discover(repo);
  REQUIRE(r.ok());
  auto staged = (*r)->StagedChanges();
  REQUIRE(staged.ok());
  std::vector<std::string> out;
  for (const auto& e : *staged) out.push_back(e.path);
  return out;
}

// What git itself says the next commit changes (added, modified, copied, renamed-to, type
// changed), sorted.
std::vector<std::string> GitStaged(const std::string& repo) {
  std::string text = RunGit(repo, "diff --cached --name-only --no-renames --diff-filter=AMT");
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

void MakeTree(const std::string& dir) {
  for (const char* f :
       {"a.txt", "a/b.yaml", "a/c/d.yaml", "a/c/e.yaml", "a0", "b/x.yaml", "z/y/x.yaml"})
    WriteFile(dir + "/" + f, std::string("content of ") + f + "\n");
}

TEST_CASE("the index reader agrees with git for every index version", "[git]") {
  for (int version : {2, 3, 4}) {
    INFO("index version " << version);
    TempDir dir;
    InitRepo(dir.path());
    MakeTree(dir.path());
    RunGit(dir.path(), "add -A");
    RunGit(dir.path(), "update-index --index-version " + std::to_string(version));
    RunGit(dir.path(), "commit -q -m init");
    auto parsed = ParseIndexFile(ReadIndex(dir.path()));
    REQUIRE(parsed.ok());
    CHECK(parsed->entries.size() == 7);
    CHECK(parsed->entries[1].path == "a/b.yaml");
    CHECK(parsed->cache_tree.count("a/c") == 1);
    CHECK(parsed->cache_tree.at("").entry_count == 7);
    auto entries_only = ParseIndexFile(ReadIndex(dir.path()), /*cache_tree=*/false);
    REQUIRE(entries_only.ok());
    CHECK(entries_only->entries.size() == 7);
    CHECK(entries_only->cache_tree.empty());
    CHECK(StagedPaths(dir.path()).empty());

    WriteFile(dir / "a/c/e.yaml", "changed\n");
    WriteFile(dir / "a/new.yaml", "new\n");
    WriteFile(dir / "q/deep/new.yaml", "new\n");
    RunGit(dir.path(), "add a q");
    RunGit(dir.path(), "rm -q --cached b/x.yaml");
    RunGit(dir.path(), "update-index --chmod=+x a.txt");
    if (version >= 3) {
      WriteFile(dir / "later.yaml", "intent\n");
      RunGit(dir.path(), "add -N later.yaml");  // an extended flag: needs version 3
    }
    auto again = ParseIndexFile(ReadIndex(dir.path()));
    REQUIRE(again.ok());
    CHECK(again->cache_tree.at("a").entry_count == -1);  // invalidated by the edit
    std::vector<std::string> expected = {"a.txt", "a/c/e.yaml", "a/new.yaml", "q/deep/new.yaml"};
    CHECK(GitStaged(dir.path()) == expected);
    std::vector<std::string> ours = StagedPaths(dir.path());
    // git leaves an intent-to-add entry out of `diff --cached`; it has no content yet (the
    // empty blob), which is harmless to scan.
    ours.erase(std::remove(ours.begin(), ours.end(), "later.yaml"), ours.end());
    CHECK(ours == expected);
  }
}

TEST_CASE("a stale cache tree that differs from HEAD is not trusted", "[git]") {
  TempDir dir;
  InitRepo(dir.path());
  MakeTree(dir.path());
  RunGit(dir.path(), "add -A");
  RunGit(dir.path(), "commit -q -m one");
  WriteFile(dir / "a/c/d.yaml", "two\n");
  RunGit(dir.path(), "commit -q -am two");
  // The index (and its cache tree) now describe commit two, HEAD is commit one.
  RunGit(dir.path(), "reset -q --soft HEAD~1");
  CHECK(GitStaged(dir.path()) == std::vector<std::string>{"a/c/d.yaml"});
  CHECK(StagedPaths(dir.path()) == std::vector<std::string>{"a/c/d.yaml"});
}

TEST_CASE("malformed, split and truncated indexes are refused so libgit2 can take over", "[git]") {
  CHECK_FALSE(ParseIndexFile("").ok());
  CHECK_FALSE(ParseIndexFile("DIRC\0\0\0\x09\0\0\0\0" + std::string(20, '\0')).ok());
  TempDir dir;
  InitRepo(dir.path());
  MakeTree(dir.path());
  RunGit(dir.path(), "add -A");
  std::string data = ReadIndex(dir.path());
  REQUIRE(ParseIndexFile(data).ok());
  for (std::size_t cut : {13u, 40u, 100u}) CHECK_FALSE(ParseIndexFile(data.substr(0, cut)).ok());
  RunGit(dir.path(), "commit -q -m init");
  RunGit(dir.path(), "update-index --split-index");
  CHECK_FALSE(ParseIndexFile(ReadIndex(dir.path())).ok());
  // libgit2 cannot read a split index either: StagedChanges fails with its message rather than
  // answering wrongly.
  auto repo = Repository::Discover(dir.path());
  REQUIRE(repo.ok());
  auto staged = (*repo)->StagedChanges();
  REQUIRE_FALSE(staged.ok());
  CHECK(staged.status().message().find("cannot read the git index") == 0);
}

TEST_CASE("an index header claiming billions of entries is refused without reserving them",
          "[git]") {
  // Found by the git_index fuzz target: the reader reserved the header's entry count (here
  // 4,294,967,295) before reading one, and a 40-byte index asked for 270 GB.
  std::string data = std::string("DIRC\0\0\0\x02\xff\xff\xff\xff", 12) + std::string(28, 'x');
  auto index = ParseIndexFile(data);
  REQUIRE_FALSE(index.ok());
  CHECK(index.status().message() == "git index: truncated entry");
}

TEST_CASE("conflicted paths are not staged changes", "[git]") {
  TempDir dir;
  InitRepo(dir.path());
  WriteFile(dir / "f.yaml", "base\n");
  RunGit(dir.path(), "add f.yaml");
  RunGit(dir.path(), "commit -q -m base");
  RunGit(dir.path(), "checkout -q -b other");
  WriteFile(dir / "f.yaml", "other\n");
  RunGit(dir.path(), "commit -q -am other");
  RunGit(dir.path(), "checkout -q main");
  WriteFile(dir / "f.yaml", "main\n");
  WriteFile(dir / "g.yaml", "new\n");
  RunGit(dir.path(), "add -A");
  RunGit(dir.path(), "commit -q -m main");
  RunGit(dir.path(), "merge -q other || true");
  auto parsed = ParseIndexFile(ReadIndex(dir.path()));
  REQUIRE(parsed.ok());
  CHECK(std::count_if(parsed->entries.begin(), parsed->entries.end(),
                      [](const auto& e) { return e.stage > 0; }) == 3);
  CHECK(StagedPaths(dir.path()).empty());
}

}  // namespace
}  // namespace capstan::git
