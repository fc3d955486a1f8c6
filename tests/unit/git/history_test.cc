#include "git/history.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "support/open_repository.h"
#include "support/temp_repo.h"

namespace capstan::git {
namespace {

constexpr auto& Open = capstan::testing::OpenRepository;
using capstan::testing::CommitAll;
using capstan::testing::InitRepo;
using capstan::testing::RunGit;
using capstan::testing::TempDir;
using capstan::testing::WriteFile;

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

void MakeExecutable(const std::string& path) {
  namespace fs = std::filesystem;
  fs::permissions(path, fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                  fs::perm_options::add);
}

std::string RevParse(const std::string& dir, const std::string& rev) {
  return Trim(RunGit(dir, "rev-parse '" + rev + "'"));
}

BlobWalk Walk(const std::string& dir, const CommitSelection& selection) {
  Result<BlobWalk> walk = WalkAddedBlobs(*Open(dir), selection);
  INFO(walk.status().message());
  REQUIRE(walk.ok());
  return std::move(*walk);
}

BlobWalk WalkRange(const std::string& dir, const std::string& spec) {
  Result<CommitSelection> selection = ParseRange(spec);
  REQUIRE(selection.ok());
  return Walk(dir, *selection);
}

// "path@commit" for each blob, to compare whole walks in one CHECK.
std::vector<std::string> Introduced(const BlobWalk& walk) {
  std::vector<std::string> out;
  for (const AddedBlob& b : walk.blobs) out.push_back(b.path + "@" + b.commit);
  return out;
}

TEST_CASE("parse range splits from..to into include and exclude", "[git]") {
  Result<CommitSelection> s = ParseRange("v1.0..feature/x");
  REQUIRE(s.ok());
  CHECK(s->include == std::vector<std::string>{"feature/x"});
  CHECK(s->exclude == std::vector<std::string>{"v1.0"});
  CHECK_FALSE(s->all_refs);
  CHECK_FALSE(s->exclude_remotes);
}

TEST_CASE("parse range of a single revision hides every remote-tracking branch", "[git]") {
  Result<CommitSelection> s = ParseRange("HEAD~2");
  REQUIRE(s.ok());
  CHECK(s->include == std::vector<std::string>{"HEAD~2"});
  CHECK(s->exclude.empty());
  CHECK(s->exclude_remotes);
  CHECK_FALSE(s->all_refs);
}

TEST_CASE("parse range rejects empty sides, symmetric differences and extra dots", "[git]") {
  auto [spec, why] = GENERATE(table<std::string, std::string>({
      {"", "expected <from>..<to> or <rev>"},
      {"..", "both sides of '..' must be given"},
      {"..main", "both sides of '..' must be given"},
      {"main..", "both sides of '..' must be given"},
      {"a...b", "'...' (symmetric difference) is not supported, use <from>..<to>"},
      {"a..b..c", "more than one '..'"},
  }));
  Result<CommitSelection> s = ParseRange(spec);
  REQUIRE_FALSE(s.ok());
  CHECK(s.status().code() == StatusCode::kInvalidArgument);
  CHECK(s.status().message() == "invalid range '" + spec + "': " + why);
}

TEST_CASE("a range yields only the blobs added after its start, at their commit and path",
          "[git]") {
  TempDir dir;
  InitRepo(dir.path());
  WriteFile(dir / "a.yaml", "a: 1\n");
  const std::string c1 = CommitAll(dir.path(), "one");
  WriteFile(dir / "b.yaml", "b: 1\n");
  const std::string c2 = CommitAll(dir.path(), "two");
  WriteFile(dir / "apps/web/c.yaml", "c: 1\n");
  WriteFile(dir / "z.yaml", "z: 1\n");
  const std::string c3 = CommitAll(dir.path(), "three");

  BlobWalk walk = WalkRange(dir.path(), c1 + "..HEAD");
  CHECK(walk.commits == 2);
  CHECK(Introduced(walk) ==
        std::vector<std::string>{"b.yaml@" + c2, "apps/web/c.yaml@" + c3, "z.yaml@" + c3});
  REQUIRE(walk.blobs.size() == 3);
  CHECK(walk.blobs[1].oid == RevParse(dir.path(), "HEAD:apps/web/c.yaml"));
  CHECK(walk.blobs[1].mode == 0100644);

  BlobWalk all = Walk(dir.path(), CommitSelection{{"HEAD"}, {}, false, false});
  CHECK(all.commits == 3);
  CHECK(Introduced(all) == std::vector<std::string>{"a.yaml@" + c1, "b.yaml@" + c2,
                                                    "apps/web/c.yaml@" + c3, "z.yaml@" + c3});
}

TEST_CASE("a modified file yields its new blob and keeps an executable mode", "[git]") {
  TempDir dir;
  InitRepo(dir.path());
  WriteFile(dir / "deploy.yaml", "v: 1\n");
  WriteFile(dir / "run.sh", "echo 1\n");
  const std::string c1 = CommitAll(dir.path(), "one");
  WriteFile(dir / "deploy.yaml", "v: 2\n");
  WriteFile(dir / "run.sh", "echo 2\n");
  MakeExecutable(dir / "run.sh");
  const std::string c2 = CommitAll(dir.path(), "two");

  BlobWalk walk = WalkRange(dir.path(), c1 + ".." + c2);
  REQUIRE(walk.blobs.size() == 2);
  CHECK(walk.blobs[0].path == "deploy.yaml");
  CHECK(walk.blobs[0].oid == RevParse(dir.path(), "HEAD:deploy.yaml"));
  CHECK(walk.blobs[0].commit == c2);
  CHECK(walk.blobs[1].path == "run.sh");
  CHECK(walk.blobs[1].mode == 0100755);
}

TEST_CASE("a blob added in two places and two commits is reported once at the oldest", "[git]") {
  TempDir dir;
  InitRepo(dir.path());
  WriteFile(dir / "z/first.yaml", "token: same\n");
  WriteFile(dir / "b.yaml", "token: same\n");
  const std::string c1 = CommitAll(dir.path(), "one");
  WriteFile(dir / "a/again.yaml", "token: same\n");
  WriteFile(dir / "other.yaml", "x\n");
  const std::string c2 = CommitAll(dir.path(), "two");

  BlobWalk walk = WalkRange(dir.path(), "HEAD");
  CHECK(walk.commits == 2);
  CHECK(Introduced(walk) == std::vector<std::string>{"b.yaml@" + c1, "other.yaml@" + c2});
}

TEST_CASE("deletions, renames, moves and mode changes add no blobs", "[git]") {
  TempDir dir;
  InitRepo(dir.path());
  WriteFile(dir / "gone.yaml", "g\n");
  WriteFile(dir / "old/name.yaml", "n\n");
  WriteFile(dir / "before.yaml", "b\n");
  WriteFile(dir / "tool.sh", "t\n");
  const std::string c1 = CommitAll(dir.path(), "one");
  RunGit(dir.path(), "rm -q gone.yaml");
  RunGit(dir.path(), "mv old new");
  RunGit(dir.path(), "mv before.yaml after.yaml");
  MakeExecutable(dir / "tool.sh");
  const std::string c2 = CommitAll(dir.path(), "two");

  BlobWalk walk = WalkRange(dir.path(), c1 + ".." + c2);
  CHECK(walk.commits == 1);
  CHECK(walk.blobs.empty());
}

TEST_CASE("a copy that keeps the original is reported when the range did not see it", "[git]") {
  TempDir dir;
  InitRepo(dir.path());
  WriteFile(dir / "a.yaml", "token: x\n");
  const std::string c1 = CommitAll(dir.path(), "one");
  WriteFile(dir / "copy/a.yaml", "token: x\n");
  const std::string c2 = CommitAll(dir.path(), "two");

  CHECK(Introduced(WalkRange(dir.path(), c1 + ".." + c2)) ==
        std::vector<std::string>{"copy/a.yaml@" + c2});
  CHECK(Introduced(WalkRange(dir.path(), c2)) == std::vector<std::string>{"a.yaml@" + c1});
}

TEST_CASE("blobs from a merged branch belong to the branch commit, not the merge", "[git]") {
  TempDir dir;
  InitRepo(dir.path());
  WriteFile(dir / "base.yaml", "b\n");
  const std::string base = CommitAll(dir.path(), "base");
  RunGit(dir.path(), "checkout -q -b feature");
  WriteFile(dir / "feature/f.yaml", "f\n");
  const std::string f1 = CommitAll(dir.path(), "feature");
  RunGit(dir.path(), "checkout -q main");
  WriteFile(dir / "main.yaml", "m\n");
  const std::string m1 = CommitAll(dir.path(), "main");
  RunGit(dir.path(), "merge -q --no-ff -m merge feature");

  BlobWalk walk = WalkRange(dir.path(), base + "..HEAD");
  CHECK(walk.commits == 3);
  std::vector<std::string> introduced = Introduced(walk);
  std::sort(introduced.begin(), introduced.end());
  CHECK(introduced == std::vector<std::string>{"feature/f.yaml@" + f1, "main.yaml@" + m1});

  BlobWalk after_feature = WalkRange(dir.path(), "feature..main");
  CHECK(after_feature.commits == 2);
  CHECK(Introduced(after_feature) == std::vector<std::string>{"main.yaml@" + m1});
}

TEST_CASE("content first written while resolving a merge belongs to the merge", "[git]") {
  TempDir dir;
  InitRepo(dir.path());
  WriteFile(dir / "app.yaml", "v: 0\n");
  const std::string base = CommitAll(dir.path(), "base");
  RunGit(dir.path(), "checkout -q -b feature");
  WriteFile(dir / "app.yaml", "v: feature\n");
  CommitAll(dir.path(), "feature");
  RunGit(dir.path(), "checkout -q main");
  WriteFile(dir / "app.yaml", "v: main\n");
  CommitAll(dir.path(), "main");
  RunGit(dir.path(), "merge -q -s ours --no-commit feature");
  WriteFile(dir / "app.yaml", "v: resolved\n");
  const std::string merge = CommitAll(dir.path(), "merge");

  BlobWalk walk = WalkRange(dir.path(), base + "..HEAD");
  CHECK(walk.commits == 3);
  REQUIRE(walk.blobs.size() == 3);
  CHECK(walk.blobs.back().commit == merge);
  CHECK(walk.blobs.back().oid == RevParse(dir.path(), "HEAD:app.yaml"));
}

TEST_CASE("all refs reaches a tag on an orphan branch and skips refs that lead nowhere", "[git]") {
  TempDir dir;
  InitRepo(dir.path());
  WriteFile(dir / "main.yaml", "m\n");
  const std::string c1 = CommitAll(dir.path(), "main");
  RunGit(dir.path(), "checkout -q --orphan orphan");
  RunGit(dir.path(), "rm -q -r --cached .");
  std::filesystem::remove(dir / "main.yaml");
  WriteFile(dir / "leaked.yaml", "password: hunter2\n");
  const std::string orphan = CommitAll(dir.path(), "orphan");
  RunGit(dir.path(), "tag -a -m old old-release");
  RunGit(dir.path(), "checkout -q main");
  RunGit(dir.path(), "branch -q -D orphan");
  RunGit(dir.path(), "tag blob-tag HEAD:main.yaml");
  RunGit(dir.path(), "symbolic-ref refs/remotes/origin/HEAD refs/remotes/origin/gone");

  CommitSelection all;
  all.all_refs = true;
  BlobWalk walk = Walk(dir.path(), all);
  CHECK(walk.commits == 2);
  std::vector<std::string> introduced = Introduced(walk);
  std::sort(introduced.begin(), introduced.end());
  CHECK(introduced == std::vector<std::string>{"leaked.yaml@" + orphan, "main.yaml@" + c1});

  CHECK(Walk(dir.path(), CommitSelection{{"HEAD"}, {}, false, false}).blobs.size() == 1);
}

TEST_CASE("all refs walks a detached HEAD that no ref reaches", "[git]") {
  TempDir dir;
  InitRepo(dir.path());
  WriteFile(dir / "a.yaml", "a\n");
  CommitAll(dir.path(), "one");
  RunGit(dir.path(), "checkout -q --detach");
  WriteFile(dir / "detached.yaml", "d\n");
  const std::string detached = CommitAll(dir.path(), "detached");

  CommitSelection all;
  all.all_refs = true;
  BlobWalk walk = Walk(dir.path(), all);
  CHECK(walk.commits == 2);
  REQUIRE(walk.blobs.size() == 2);
  CHECK(walk.blobs[1].path == "detached.yaml");
  CHECK(walk.blobs[1].commit == detached);
}

TEST_CASE("a new branch yields only the commits no remote-tracking branch has", "[git]") {
  TempDir dir;
  const std::string work = dir / "work";
  RunGit(dir.path(), "init -q --bare -b main remote.git");
  InitRepo(work);
  WriteFile(work + "/pushed.yaml", "p\n");
  CommitAll(work, "pushed");
  RunGit(work, "remote add origin '" + (dir / "remote.git") + "'");
  RunGit(work, "push -q origin main");
  REQUIRE(!RevParse(work, "refs/remotes/origin/main").empty());
  RunGit(work, "checkout -q -b feature");
  WriteFile(work + "/f1.yaml", "1\n");
  const std::string f1 = CommitAll(work, "f1");
  WriteFile(work + "/f2.yaml", "2\n");
  const std::string f2 = CommitAll(work, "f2");

  BlobWalk walk = WalkRange(work, "feature");
  CHECK(walk.commits == 2);
  CHECK(Introduced(walk) == std::vector<std::string>{"f1.yaml@" + f1, "f2.yaml@" + f2});

  RunGit(work, "push -q origin feature");
  BlobWalk pushed = WalkRange(work, "feature");
  CHECK(pushed.commits == 0);
  CHECK(pushed.blobs.empty());
}

TEST_CASE("merging an already-pushed main into a new branch adds nothing from main", "[git]") {
  TempDir dir;
  const std::string work = dir / "work";
  RunGit(dir.path(), "init -q --bare -b main remote.git");
  InitRepo(work);
  WriteFile(work + "/base.yaml", "b\n");
  CommitAll(work, "base");
  RunGit(work, "remote add origin '" + (dir / "remote.git") + "'");
  RunGit(work, "push -q origin main");
  RunGit(work, "checkout -q -b feature");
  WriteFile(work + "/f.yaml", "f\n");
  const std::string f1 = CommitAll(work, "f1");
  RunGit(work, "checkout -q main");
  WriteFile(work + "/upstream.yaml", "u\n");
  CommitAll(work, "upstream");
  RunGit(work, "push -q origin main");
  RunGit(work, "checkout -q feature");
  RunGit(work, "merge -q --no-ff -m 'merge main' main");

  BlobWalk walk = WalkRange(work, "feature");
  CHECK(walk.commits == 2);
  CHECK(Introduced(walk) == std::vector<std::string>{"f.yaml@" + f1});
}

TEST_CASE("symlinks and submodule gitlinks are skipped", "[git]") {
  TempDir dir;
  InitRepo(dir / "sub");
  WriteFile(dir / "sub/inner.yaml", "i\n");
  const std::string sub = CommitAll(dir / "sub", "sub");
  const std::string repo = dir / "repo";
  InitRepo(repo);
  WriteFile(repo + "/real.yaml", "r\n");
  std::filesystem::create_symlink("real.yaml", repo + "/link.yaml");
  RunGit(repo, "add -A");
  RunGit(repo, "update-index --add --cacheinfo 160000," + sub + ",vendor/sub");
  RunGit(repo, "commit -q -m one");
  const std::string c1 = RevParse(repo, "HEAD");
  REQUIRE(RunGit(repo, "ls-tree -r HEAD").find("160000 commit " + sub) != std::string::npos);

  BlobWalk walk = WalkRange(repo, "HEAD");
  CHECK(Introduced(walk) == std::vector<std::string>{"real.yaml@" + c1});
}

TEST_CASE("a symlink replaced by a file with the same content is reported", "[git]") {
  TempDir dir;
  InitRepo(dir.path());
  std::filesystem::create_symlink("target", dir / "cfg.yaml");
  const std::string c1 = CommitAll(dir.path(), "link");
  std::filesystem::remove(dir / "cfg.yaml");
  WriteFile(dir / "cfg.yaml", "target");
  const std::string c2 = CommitAll(dir.path(), "file");
  REQUIRE(RevParse(dir.path(), c1 + ":cfg.yaml") == RevParse(dir.path(), c2 + ":cfg.yaml"));

  BlobWalk walk = WalkRange(dir.path(), "HEAD");
  CHECK(Introduced(walk) == std::vector<std::string>{"cfg.yaml@" + c2});
}

TEST_CASE("a directory replaced by a file and back is compared entry by entry", "[git]") {
  TempDir dir;
  InitRepo(dir.path());
  WriteFile(dir / "conf/a.yaml", "a\n");
  WriteFile(dir / "conf.d", "x\n");
  CommitAll(dir.path(), "dir");
  std::filesystem::remove_all(dir / "conf");
  WriteFile(dir / "conf", "now a file\n");
  const std::string c2 = CommitAll(dir.path(), "file");
  std::filesystem::remove(dir / "conf");
  WriteFile(dir / "conf/a.yaml", "a\n");
  WriteFile(dir / "conf/b.yaml", "b\n");
  const std::string c3 = CommitAll(dir.path(), "dir again");

  BlobWalk walk = WalkRange(dir.path(), "HEAD~2..HEAD");
  CHECK(Introduced(walk) ==
        std::vector<std::string>{"conf@" + c2, "conf/a.yaml@" + c3, "conf/b.yaml@" + c3});
}

TEST_CASE("an unknown or non-commit revision is a clear invalid argument", "[git]") {
  TempDir dir;
  InitRepo(dir.path());
  WriteFile(dir / "a.yaml", "a\n");
  CommitAll(dir.path(), "one");
  auto repo = Open(dir.path());

  Result<BlobWalk> unknown =
      WalkAddedBlobs(*repo, CommitSelection{{"HEAD"}, {"nope"}, false, false});
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.status().code() == StatusCode::kInvalidArgument);
  CHECK(unknown.status().message() == "unknown revision 'nope'");

  Result<BlobWalk> blob = WalkAddedBlobs(*repo, CommitSelection{{"HEAD:a.yaml"}, {}, false, false});
  REQUIRE_FALSE(blob.ok());
  CHECK(blob.status().code() == StatusCode::kInvalidArgument);
  CHECK(blob.status().message() == "revision 'HEAD:a.yaml' is not a commit");
}

TEST_CASE("an empty range and an empty selection walk nothing without an error", "[git]") {
  TempDir dir;
  InitRepo(dir.path());
  CommitSelection all;
  all.all_refs = true;
  BlobWalk unborn = Walk(dir.path(), all);
  CHECK(unborn.commits == 0);

  WriteFile(dir / "a.yaml", "a\n");
  CommitAll(dir.path(), "one");
  BlobWalk empty = WalkRange(dir.path(), "HEAD..main");
  CHECK(empty.commits == 0);
  CHECK(empty.blobs.empty());
  CHECK(Walk(dir.path(), CommitSelection{}).commits == 0);
}

TEST_CASE("the boundary commit of a shallow clone is compared with the empty tree", "[git]") {
  TempDir dir;
  InitRepo(dir / "origin");
  WriteFile(dir / "origin/a.yaml", "a\n");
  CommitAll(dir / "origin", "one");
  WriteFile(dir / "origin/b.yaml", "b\n");
  CommitAll(dir / "origin", "two");
  WriteFile(dir / "origin/c.yaml", "c\n");
  CommitAll(dir / "origin", "three");
  RunGit(dir.path(), "clone -q --depth 2 'file://" + (dir / "origin") + "' shallow");
  const std::string shallow = dir / "shallow";
  const std::string boundary = RevParse(shallow, "HEAD~1");

  CommitSelection all;
  all.all_refs = true;
  BlobWalk walk = Walk(shallow, all);
  CHECK(walk.commits == 2);
  CHECK(Introduced(walk) == std::vector<std::string>{"a.yaml@" + boundary, "b.yaml@" + boundary,
                                                     "c.yaml@" + RevParse(shallow, "HEAD")});

  BlobWalk range = WalkRange(shallow, boundary + "..HEAD");
  CHECK(range.commits == 1);
  CHECK(Introduced(range) == std::vector<std::string>{"c.yaml@" + RevParse(shallow, "HEAD")});
}

}  // namespace
}  // namespace capstan::git
