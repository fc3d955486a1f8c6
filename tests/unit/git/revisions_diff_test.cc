// ChangedPaths and TouchedPaths (git/revisions.h), each case checked against
// `git diff --name-status -M` as well.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "git/revisions.h"
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

// Lines shaped like git's --name-status: "A\tpath", "R\told\tnew".
std::vector<std::string> NameStatus(const std::vector<PathChange>& changes) {
  std::vector<std::string> out;
  for (const PathChange& c : changes) {
    switch (c.kind) {
      case ChangeKind::kAdded:
        out.push_back("A\t" + c.path);
        break;
      case ChangeKind::kModified:
        out.push_back("M\t" + c.path);
        break;
      case ChangeKind::kDeleted:
        out.push_back("D\t" + c.path);
        break;
      case ChangeKind::kRenamed:
        out.push_back("R\t" + c.old_path + "\t" + c.path);
        break;
      case ChangeKind::kTypeChanged:
        out.push_back("T\t" + c.path);
        break;
    }
  }
  return out;
}

// `git diff --name-status -M from to`, similarity scores dropped, sorted.
std::vector<std::string> GitNameStatus(const std::string& dir, const std::string& from,
                                       const std::string& to) {
  std::istringstream in(RunGit(dir, "diff --name-status -M " + from + " " + to));
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    if (line[0] == 'R') line = "R" + line.substr(line.find('\t'));
    out.push_back(line);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// ChangedPaths(from, to) as name-status lines, in its own order; fails the test when git's
// differ (order aside).
std::vector<std::string> Changes(const std::string& dir, const std::string& from,
                                 const std::string& to) {
  Result<std::vector<PathChange>> changes = ChangedPaths(*Open(dir), from, to);
  INFO(changes.status().message());
  REQUIRE(changes.ok());
  std::vector<std::string> lines = NameStatus(*changes);
  std::vector<std::string> sorted = lines;
  std::sort(sorted.begin(), sorted.end());
  CHECK(sorted == GitNameStatus(dir, from, to));
  return lines;
}

TEST_CASE("changed paths lists added, modified and deleted files sorted by path", "[git]") {
  TempDir dir;
  InitRepo(dir.path());
  WriteFile(dir / "apps/web/deploy.yaml", "replicas: 1\n");
  WriteFile(dir / "apps/api/deploy.yaml", "replicas: 1\n");
  WriteFile(dir / "run.sh", "echo\n");
  const std::string c1 = CommitAll(dir.path(), "one");
  WriteFile(dir / "apps/web/deploy.yaml", "replicas: 2\n");
  std::filesystem::remove(dir / "apps/api/deploy.yaml");
  WriteFile(dir / "apps/db/values.yaml", "size: 10Gi\n");
  std::filesystem::permissions(dir / "run.sh", std::filesystem::perms::owner_exec,
                               std::filesystem::perm_options::add);
  CommitAll(dir.path(), "two");

  CHECK(Changes(dir.path(), c1, "HEAD") ==
        std::vector<std::string>{"D\tapps/api/deploy.yaml", "A\tapps/db/values.yaml",
                                 "M\tapps/web/deploy.yaml", "M\trun.sh"});
  // The other way round, additions and deletions swap.
  CHECK(Changes(dir.path(), "HEAD", c1) ==
        std::vector<std::string>{"A\tapps/api/deploy.yaml", "D\tapps/db/values.yaml",
                                 "M\tapps/web/deploy.yaml", "M\trun.sh"});
  CHECK(Changes(dir.path(), "HEAD", "main").empty());
}

TEST_CASE("a rename reports both the old and the new path", "[git]") {
  TempDir dir;
  InitRepo(dir.path());
  const std::string body = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n";
  WriteFile(dir / "apps/web/cm.yaml", body);
  WriteFile(dir / "apps/web/other.yaml", "x: 1\n");
  CommitAll(dir.path(), "one");
  std::filesystem::rename(dir / "apps/web/cm.yaml", dir / "apps/web/configmap.yaml");
  CommitAll(dir.path(), "two");

  Result<std::vector<PathChange>> changes = ChangedPaths(*Open(dir.path()), "HEAD~1", "HEAD");
  REQUIRE(changes.ok());
  REQUIRE(changes->size() == 1);
  CHECK((*changes)[0] ==
        PathChange{"apps/web/configmap.yaml", ChangeKind::kRenamed, "apps/web/cm.yaml"});
  CHECK(TouchedPaths(*changes) ==
        std::vector<std::string>{"apps/web/cm.yaml", "apps/web/configmap.yaml"});
  CHECK(Changes(dir.path(), "HEAD~1", "HEAD") ==
        std::vector<std::string>{"R\tapps/web/cm.yaml\tapps/web/configmap.yaml"});
}

TEST_CASE("a renamed and edited file is still a rename while mostly the same", "[git]") {
  TempDir dir;
  InitRepo(dir.path());
  std::string body;
  for (int i = 0; i < 20; ++i) body += "line " + std::to_string(i) + "\n";
  WriteFile(dir / "base/deploy.yaml", body);
  WriteFile(dir / "base/small.yaml", "a: 1\n");
  CommitAll(dir.path(), "one");
  std::filesystem::remove(dir / "base/deploy.yaml");
  WriteFile(dir / "base/deployment.yaml", body + "line 20\n");
  // Wholly rewritten under a new name: a deletion and an addition.
  std::filesystem::remove(dir / "base/small.yaml");
  WriteFile(dir / "base/tiny.yaml", "b: 2\n");
  CommitAll(dir.path(), "two");

  CHECK(Changes(dir.path(), "HEAD~1", "HEAD") ==
        std::vector<std::string>{"R\tbase/deploy.yaml\tbase/deployment.yaml", "D\tbase/small.yaml",
                                 "A\tbase/tiny.yaml"});
}

TEST_CASE("an exact rename prefers the deleted copy with the same file name", "[git]") {
  TempDir dir;
  InitRepo(dir.path());
  const std::string body = "kind: ConfigMap\nmetadata:\n  name: shared\n";
  WriteFile(dir / "a/other.yaml", body);
  WriteFile(dir / "b/config.yaml", body);
  WriteFile(dir / "c/config.yaml", body);
  CommitAll(dir.path(), "copies");
  std::filesystem::remove_all(dir / "a");
  std::filesystem::remove_all(dir / "c");
  WriteFile(dir / "new/config.yaml", body);
  // Edited too: similar to all three, but the exact one comes first.
  WriteFile(dir / "b/config.yaml", body + "data: {}\n");
  CommitAll(dir.path(), "moved");

  CHECK(Changes(dir.path(), "HEAD~1", "HEAD") ==
        std::vector<std::string>{"D\ta/other.yaml", "M\tb/config.yaml",
                                 "R\tc/config.yaml\tnew/config.yaml"});
}

TEST_CASE("a file moved into a new directory is a rename", "[git]") {
  TempDir dir;
  InitRepo(dir.path());
  WriteFile(dir / "kustomization.yaml", "resources:\n- deploy.yaml\n");
  WriteFile(dir / "deploy.yaml", "kind: Deployment\nmetadata:\n  name: web\n");
  CommitAll(dir.path(), "flat");
  std::filesystem::create_directories(dir / "apps/web");
  std::filesystem::rename(dir / "deploy.yaml", dir / "apps/web/deploy.yaml");
  WriteFile(dir / "kustomization.yaml", "resources:\n- apps/web/deploy.yaml\n");
  CommitAll(dir.path(), "nested");

  CHECK(Changes(dir.path(), "HEAD~1", "HEAD") ==
        std::vector<std::string>{"R\tdeploy.yaml\tapps/web/deploy.yaml", "M\tkustomization.yaml"});
}

TEST_CASE("a file turned into a symlink is a type change", "[git]") {
  TempDir dir;
  InitRepo(dir.path());
  WriteFile(dir / "values.yaml", "a: 1\n");
  WriteFile(dir / "shared.yaml", "b: 2\n");
  CommitAll(dir.path(), "file");
  std::filesystem::remove(dir / "values.yaml");
  std::filesystem::create_symlink("shared.yaml", dir / "values.yaml");
  CommitAll(dir.path(), "link");

  Result<std::vector<PathChange>> changes = ChangedPaths(*Open(dir.path()), "HEAD~1", "HEAD");
  REQUIRE(changes.ok());
  CHECK(*changes == std::vector<PathChange>{{"values.yaml", ChangeKind::kTypeChanged, ""}});
  CHECK(Changes(dir.path(), "HEAD~1", "HEAD") == std::vector<std::string>{"T\tvalues.yaml"});
  CHECK(Changes(dir.path(), "HEAD", "HEAD~1") == std::vector<std::string>{"T\tvalues.yaml"});
}

TEST_CASE("a type change is never one side of a rename, as in git", "[git]") {
  TempDir dir;
  InitRepo(dir.path());
  const std::string body = "kind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: '1'\n";
  WriteFile(dir / "old.yaml", body);
  std::filesystem::create_symlink("old.yaml", dir / "cfg.yaml");
  CommitAll(dir.path(), "link");
  std::filesystem::remove(dir / "old.yaml");
  std::filesystem::remove(dir / "cfg.yaml");
  WriteFile(dir / "cfg.yaml", body);
  CommitAll(dir.path(), "file");

  // libgit2 alone says "R old.yaml cfg.yaml" and "D cfg.yaml".
  CHECK(Changes(dir.path(), "HEAD~1", "HEAD") ==
        std::vector<std::string>{"T\tcfg.yaml", "D\told.yaml"});
  // A rename next to a type change is still found, whatever characters its paths hold.
  WriteFile(dir / "other[1].yaml", body + "  b: '2'\n");
  CommitAll(dir.path(), "other");
  std::filesystem::rename(dir / "other[1].yaml", dir / "re named*.yaml");
  std::filesystem::remove(dir / "cfg.yaml");
  std::filesystem::create_symlink("re named*.yaml", dir / "cfg.yaml");
  CommitAll(dir.path(), "again");
  CHECK(Changes(dir.path(), "HEAD~1", "HEAD") ==
        std::vector<std::string>{"T\tcfg.yaml", "R\tother[1].yaml\tre named*.yaml"});
}

TEST_CASE("deleting a directory lists every file that was in it", "[git]") {
  TempDir dir;
  InitRepo(dir.path());
  WriteFile(dir / "apps/old/a.yaml", "a\n");
  WriteFile(dir / "apps/old/sub/b.yaml", "b\n");
  WriteFile(dir / "apps/keep/c.yaml", "c\n");
  CommitAll(dir.path(), "one");
  std::filesystem::remove_all(dir / "apps/old");
  CommitAll(dir.path(), "two");

  CHECK(Changes(dir.path(), "HEAD~1", "HEAD") ==
        std::vector<std::string>{"D\tapps/old/a.yaml", "D\tapps/old/sub/b.yaml"});
}

TEST_CASE("a submodule bump is its gitlink path", "[git]") {
  TempDir dir;
  InitRepo(dir / "sub");
  WriteFile(dir / "sub/a", "1\n");
  const std::string s1 = CommitAll(dir / "sub", "s1");
  WriteFile(dir / "sub/a", "2\n");
  const std::string s2 = CommitAll(dir / "sub", "s2");
  const std::string repo = dir / "repo";
  InitRepo(repo);
  WriteFile(repo + "/app.yaml", "a\n");
  RunGit(repo, "add -A");
  RunGit(repo, "update-index --add --cacheinfo 160000," + s1 + ",vendor/charts");
  RunGit(repo, "commit -q -m one");
  RunGit(repo, "update-index --cacheinfo 160000," + s2 + ",vendor/charts");
  RunGit(repo, "commit -q -m bump");
  RunGit(repo, "update-index --add --cacheinfo 160000," + s2 + ",vendor/more");
  RunGit(repo, "commit -q -m add");

  CHECK(Changes(repo, "HEAD~2", "HEAD~1") == std::vector<std::string>{"M\tvendor/charts"});
  CHECK(Changes(repo, "HEAD~2", "HEAD") ==
        std::vector<std::string>{"M\tvendor/charts", "A\tvendor/more"});
}

TEST_CASE("a range whose start is not an ancestor compares the two trees", "[git]") {
  TempDir dir;
  InitRepo(dir.path());
  WriteFile(dir / "base.yaml", "b\n");
  CommitAll(dir.path(), "base");
  RunGit(dir.path(), "checkout -q -b feature");
  WriteFile(dir / "feature.yaml", "f\n");
  CommitAll(dir.path(), "feature");
  RunGit(dir.path(), "checkout -q main");
  WriteFile(dir / "main.yaml", "m\n");
  WriteFile(dir / "base.yaml", "b2\n");
  CommitAll(dir.path(), "main");

  // Not what feature...main (from the merge base) would say: feature.yaml is gone in main.
  CHECK(Changes(dir.path(), "feature", "main") ==
        std::vector<std::string>{"M\tbase.yaml", "D\tfeature.yaml", "A\tmain.yaml"});
}

TEST_CASE("changed paths names the range when a side cannot be resolved", "[git]") {
  TempDir dir;
  InitRepo(dir.path());
  WriteFile(dir / "a.yaml", "a\n");
  CommitAll(dir.path(), "one");
  auto repo = Open(dir.path());

  Result<std::vector<PathChange>> unknown = ChangedPaths(*repo, "HEAD", "nope");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.status().code() == StatusCode::kNotFound);
  CHECK(unknown.status().message() == "cannot diff 'HEAD..nope': unknown revision 'nope'");

  Result<std::vector<PathChange>> empty = ChangedPaths(*repo, "", "HEAD");
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.status().code() == StatusCode::kInvalidArgument);
  CHECK(empty.status().message() == "cannot diff '..HEAD': empty revision");

  Result<std::vector<PathChange>> blob = ChangedPaths(*repo, "HEAD:a.yaml", "HEAD");
  REQUIRE_FALSE(blob.ok());
  CHECK(blob.status().code() == StatusCode::kInvalidArgument);
  CHECK(blob.status().message() ==
        "cannot diff 'HEAD:a.yaml..HEAD': revision 'HEAD:a.yaml' is not a commit");
}

TEST_CASE("touched paths merges both sides of renames into one sorted set", "[git]") {
  const std::vector<PathChange> changes = {
      {"b/new.yaml", ChangeKind::kRenamed, "a/old.yaml"},
      {"a/old.yaml", ChangeKind::kAdded, ""},
      {"c.yaml", ChangeKind::kDeleted, ""},
  };
  CHECK(TouchedPaths(changes) == std::vector<std::string>{"a/old.yaml", "b/new.yaml", "c.yaml"});
  CHECK(TouchedPaths({}).empty());
  CHECK(ChangeKindName(ChangeKind::kTypeChanged) == "typechanged");
  CHECK(ChangeKindName(ChangeKind::kRenamed) == "renamed");
}

}  // namespace
}  // namespace capstan::git
