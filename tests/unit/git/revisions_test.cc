#include "git/revisions.h"

#include <catch2/catch.hpp>
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
using capstan::testing::RevParse;
using capstan::testing::RunGit;
using capstan::testing::TempDir;
using capstan::testing::WriteFile;

constexpr const char* kFetchMore =
    " (fetch more history: git fetch --deepen=<n> or git fetch --unshallow; with "
    "actions/checkout, fetch-depth: 0)";

// A clone of `origin` (inside `dir`) with only the newest `depth` commits of its HEAD.
std::string ShallowClone(const TempDir& dir, const std::string& origin, int depth) {
  RunGit(dir.path(),
         "clone -q --depth " + std::to_string(depth) + " 'file://" + origin + "' shallow");
  return dir / "shallow";
}

// origin: one.yaml, two.yaml, three.yaml added by one commit each; returns their ids.
std::vector<std::string> ThreeCommits(const std::string& origin) {
  InitRepo(origin);
  std::vector<std::string> ids;
  for (const char* name : {"one", "two", "three"}) {
    WriteFile(origin + "/" + name + ".yaml", std::string(name) + "\n");
    ids.push_back(CommitAll(origin, name));
  }
  return ids;
}

TEST_CASE("parse revision range splits at the two dots", "[git]") {
  Result<RevisionRange> r = ParseRevisionRange("v1.0..origin/main");
  REQUIRE(r.ok());
  CHECK(*r == RevisionRange{"v1.0", "origin/main"});
  Result<RevisionRange> sha = ParseRevisionRange("a1b2c3d..HEAD~2");
  REQUIRE(sha.ok());
  CHECK(*sha == RevisionRange{"a1b2c3d", "HEAD~2"});
}

TEST_CASE("parse revision range rejects one revision, empty sides and three dots", "[git]") {
  auto [spec, why] = GENERATE(table<std::string, std::string>({
      {"", "expected <from>..<to>"},
      {"main", "expected <from>..<to>"},
      {"..", "both sides of '..' must be given"},
      {"..main", "both sides of '..' must be given"},
      {"main..", "both sides of '..' must be given"},
      {"a...b", "'...' (symmetric difference) is not supported, use <from>..<to>"},
      {"a..b..c", "more than one '..'"},
  }));
  Result<RevisionRange> r = ParseRevisionRange(spec);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kInvalidArgument);
  CHECK(r.status().message() == "invalid range '" + spec + "': " + why);
}

TEST_CASE("resolve commit turns short ids, branches, tags and remote branches into full ids",
          "[git]") {
  TempDir dir;
  const std::vector<std::string> ids = ThreeCommits(dir / "origin");
  RunGit(dir / "origin", "tag v1 " + ids[0]);
  RunGit(dir / "origin", "tag -a -m release v2 " + ids[1]);
  RunGit(dir / "origin", "branch feature " + ids[1]);
  RunGit(dir.path(), "clone -q 'file://" + (dir / "origin") + "' work");
  RunGit(dir / "work", "reset -q --hard " + ids[0]);
  auto repo = Open(dir / "work");

  const std::vector<std::pair<std::string, std::string>> cases = {
      {ids[2], ids[2]},
      {ids[1].substr(0, 7), ids[1]},
      {ids[1].substr(0, 4), ids[1]},
      {"main", ids[0]},
      {"refs/heads/main", ids[0]},
      {"HEAD", ids[0]},
      {"v1", ids[0]},
      {"v2", ids[1]},
      {"refs/tags/v2", ids[1]},
      {"origin/main", ids[2]},
      {"origin/feature", ids[1]},
      {"refs/remotes/origin/main", ids[2]},
      {"origin/main~2", ids[0]},
      {"origin/main^", ids[1]},
  };
  for (const auto& [name, want] : cases) {
    INFO(name);
    Result<std::string> got = ResolveCommit(*repo, name);
    INFO(got.status().message());
    REQUIRE(got.ok());
    CHECK(*got == want);
  }
}

TEST_CASE("resolve commit of an unknown revision is not found, naming it", "[git]") {
  TempDir dir;
  ThreeCommits(dir.path());
  auto repo = Open(dir.path());
  for (const std::string rev : {"nope", "HEAD~3", "deadbeef", "origin/main", "a..b"}) {
    Result<std::string> got = ResolveCommit(*repo, rev);
    REQUIRE_FALSE(got.ok());
    CHECK(got.status().code() == StatusCode::kNotFound);
    CHECK(got.status().message() == "unknown revision '" + rev + "'");
  }
  CHECK_FALSE(repo->shallow());
}

TEST_CASE("resolve commit rejects an empty revision and one that is not a commit", "[git]") {
  TempDir dir;
  ThreeCommits(dir.path());
  RunGit(dir.path(), "tag blobtag HEAD:one.yaml");
  auto repo = Open(dir.path());

  Result<std::string> empty = ResolveCommit(*repo, "");
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.status().code() == StatusCode::kInvalidArgument);
  CHECK(empty.status().message() == "empty revision");

  for (const std::string rev : {"HEAD:one.yaml", "HEAD^{tree}", "blobtag"}) {
    Result<std::string> got = ResolveCommit(*repo, rev);
    REQUIRE_FALSE(got.ok());
    CHECK(got.status().code() == StatusCode::kInvalidArgument);
    CHECK(got.status().message() == "revision '" + rev + "' is not a commit");
  }
}

TEST_CASE("resolve commit of a short id that two objects share says it is ambiguous", "[git]") {
  TempDir dir;
  ThreeCommits(dir.path());
  // Precomputed: these two blobs' ids both start with 1e7ba.
  WriteFile(dir / "x", "ambiguous 690\n");
  WriteFile(dir / "y", "ambiguous 783\n");
  REQUIRE(RunGit(dir.path(), "hash-object -w x y") ==
          "1e7ba22ae5f263f2522c8af21af0483a7f53cba3\n1e7ba3dc6d0e1fe5b07e6a7d301ba0fe6ba0c9c0\n");
  auto repo = Open(dir.path());

  Result<std::string> got = ResolveCommit(*repo, "1e7ba");
  REQUIRE_FALSE(got.ok());
  CHECK(got.status().code() == StatusCode::kInvalidArgument);
  CHECK(got.status().message() ==
        "revision '1e7ba' is ambiguous: more than one object id starts with it");
  Result<std::string> longer = ResolveCommit(*repo, "1e7ba2");
  REQUIRE_FALSE(longer.ok());
  CHECK(longer.status().message() == "revision '1e7ba2' is not a commit");
}

TEST_CASE("is ancestor follows parents, and a commit is its own ancestor", "[git]") {
  TempDir dir;
  const std::vector<std::string> ids = ThreeCommits(dir.path());
  RunGit(dir.path(), "checkout -q -b side " + ids[0]);
  WriteFile(dir / "side.yaml", "s\n");
  const std::string side = CommitAll(dir.path(), "side");
  RunGit(dir.path(), "checkout -q main");
  RunGit(dir.path(), "merge -q --no-edit side");
  auto repo = Open(dir.path());

  auto [ancestor, descendant, want] = GENERATE_COPY(table<std::string, std::string, bool>({
      {ids[0], ids[2], true},
      {ids[0].substr(0, 7), "main~1", true},
      {ids[1], ids[1], true},
      {"HEAD", "HEAD", true},
      {"side", "main", true},  // through the merge's second parent
      {ids[0], "side", true},
      {ids[2], ids[0], false},
      {"main", ids[1], false},
      {ids[1], "side", false},  // other branch
      {"side", ids[2], false},
  }));
  INFO(ancestor << " " << descendant);
  Result<bool> got = IsAncestor(*repo, ancestor, descendant);
  INFO(got.status().message());
  REQUIRE(got.ok());
  CHECK(*got == want);
  // git agrees.
  const std::string git = RunGit(dir.path(), "merge-base --is-ancestor " + ancestor + " " +
                                                 descendant + " && echo yes || echo no");
  CHECK(git == (want ? "yes\n" : "no\n"));
}

TEST_CASE("is ancestor of an unknown revision names the question and the revision", "[git]") {
  TempDir dir;
  ThreeCommits(dir.path());
  auto repo = Open(dir.path());
  Result<bool> got = IsAncestor(*repo, "HEAD", "nope");
  REQUIRE_FALSE(got.ok());
  CHECK(got.status().code() == StatusCode::kNotFound);
  CHECK(got.status().message() ==
        "cannot tell whether 'HEAD' is an ancestor of 'nope': unknown revision 'nope'");
}

TEST_CASE("a revision missing from a shallow clone says so and how to fetch it", "[git]") {
  TempDir dir;
  const std::vector<std::string> ids = ThreeCommits(dir / "origin");
  const std::string shallow = ShallowClone(dir, dir / "origin", 1);
  auto repo = Open(shallow);
  REQUIRE(repo->shallow());

  const std::string short_id = ids[0].substr(0, 7);
  Result<std::vector<PathChange>> diff = ChangedPaths(*repo, short_id, "HEAD");
  REQUIRE_FALSE(diff.ok());
  CHECK(diff.status().code() == StatusCode::kNotFound);
  CHECK(diff.status().message() == "cannot diff '" + short_id + "..HEAD': revision '" + short_id +
                                       "' is not in this shallow clone" + kFetchMore);

  Result<std::string> parent = ResolveCommit(*repo, "HEAD~1");
  REQUIRE_FALSE(parent.ok());
  CHECK(parent.status().code() == StatusCode::kNotFound);
  CHECK(parent.status().message() ==
        std::string("revision 'HEAD~1' is not in this shallow clone") + kFetchMore);

  Result<bool> ancestor = IsAncestor(*repo, ids[0], "HEAD");
  REQUIRE_FALSE(ancestor.ok());
  CHECK(ancestor.status().code() == StatusCode::kNotFound);
  CHECK(ancestor.status().message() == "cannot tell whether '" + ids[0] +
                                           "' is an ancestor of 'HEAD': revision '" + ids[0] +
                                           "' is not in this shallow clone" + kFetchMore);
}

TEST_CASE("a shallow clone answers ancestry within what it has", "[git]") {
  TempDir dir;
  const std::vector<std::string> ids = ThreeCommits(dir / "origin");
  auto repo = Open(ShallowClone(dir, dir / "origin", 2));

  Result<bool> older = IsAncestor(*repo, ids[1], ids[2]);
  REQUIRE(older.ok());
  CHECK(*older);
  // HEAD~1 is the boundary: its own history is cut, but HEAD descends from it, so HEAD cannot
  // also be its ancestor.
  Result<bool> newer = IsAncestor(*repo, "HEAD", "HEAD~1");
  INFO(newer.status().message());
  REQUIRE(newer.ok());
  CHECK_FALSE(*newer);
}

TEST_CASE("ancestry across the gap of a shallow clone is an error, not a guess", "[git]") {
  TempDir dir;
  const std::vector<std::string> ids = ThreeCommits(dir / "origin");
  RunGit(dir / "origin", "tag v1 " + ids[0]);
  const std::string shallow = ShallowClone(dir, dir / "origin", 1);
  RunGit(shallow, "fetch -q --depth 1 origin refs/tags/v1:refs/tags/v1");
  auto repo = Open(shallow);
  REQUIRE(RevParse(shallow, "v1") == ids[0]);

  Result<bool> got = IsAncestor(*repo, "v1", "HEAD");
  REQUIRE_FALSE(got.ok());
  CHECK(got.status().code() == StatusCode::kNotFound);
  CHECK(got.status().message() ==
        std::string("cannot tell whether 'v1' is an ancestor of 'HEAD': the history of 'HEAD' "
                    "is cut short by this shallow clone") +
            kFetchMore);

  // The two trees are there, so their difference is known.
  Result<std::vector<PathChange>> diff = ChangedPaths(*repo, "v1", "HEAD");
  REQUIRE(diff.ok());
  CHECK(TouchedPaths(*diff) == std::vector<std::string>{"three.yaml", "two.yaml"});
}

}  // namespace
}  // namespace capstan::git
