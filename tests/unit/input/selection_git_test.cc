// Select with --staged and --changed-since, over real temp repositories.
#include <catch2/catch.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "fs/posix_file_system.h"
#include "git/repository.h"
#include "input/selection.h"
#include "support/temp_repo.h"

namespace capstan::input {
namespace {

using capstan::testing::InitRepo;
using capstan::testing::RunGit;
using capstan::testing::TempDir;
using capstan::testing::WriteFile;
using Names = std::vector<std::string>;

Result<Selection> SelectIn(const std::string& cwd, const SelectOptions& options) {
  fs::PosixFileSystem fs;
  std::istringstream in;
  Env env;
  env.fs = &fs;
  env.in = &in;
  env.cwd = cwd;
  env.open_repository = git::Repository::Discover;
  return Select(options, env);
}

Names NamesOf(const Selection& s) {
  Names names;
  for (const Input& i : s.inputs) names.push_back(i.name);
  return names;
}

SelectOptions Staged(std::vector<std::string> paths = {}) {
  SelectOptions options;
  options.staged = true;
  options.paths = std::move(paths);
  return options;
}

SelectOptions ChangedSince(std::string rev, std::vector<std::string> paths = {}) {
  SelectOptions options;
  options.changed_since = std::move(rev);
  options.paths = std::move(paths);
  return options;
}

// A repository with one commit (apps/web/deploy.yaml, apps/api/deploy.yaml, README.md) and
// then: web's deploy partially staged, a new staged notes.txt, an untracked apps/new.yaml.
void MakeRepo(const TempDir& dir) {
  InitRepo(dir.path());
  WriteFile(dir / "apps/web/deploy.yaml", "replicas: 1\n");
  WriteFile(dir / "apps/api/deploy.yaml", "replicas: 1\n");
  WriteFile(dir / "README.md", "readme\n");
  RunGit(dir.path(), "add .");
  RunGit(dir.path(), "commit -q -m init");
  WriteFile(dir / "apps/web/deploy.yaml", "replicas: 2\n");
  RunGit(dir.path(), "add apps/web/deploy.yaml");
  WriteFile(dir / "apps/web/deploy.yaml", "replicas: 3\n");
  WriteFile(dir / "apps/api/notes.txt", "n\n");
  RunGit(dir.path(), "add apps/api/notes.txt");
  WriteFile(dir / "apps/new.yaml", "new\n");
}

TEST_CASE("staged inputs carry the staged content under their repository path", "[input][git]") {
  TempDir dir;
  MakeRepo(dir);

  Result<Selection> s = SelectIn(dir / "apps/api", Staged());
  REQUIRE(s.ok());
  CHECK(NamesOf(*s) == Names{"apps/web/deploy.yaml"});
  CHECK(s->inputs[0].loaded);
  CHECK(s->inputs[0].path.empty());
  CHECK(s->inputs[0].content == "replicas: 2\n");
  CHECK(s->problems.empty());
}

TEST_CASE("staged inputs are restricted to the given paths, relative to the cwd", "[input][git]") {
  TempDir dir;
  MakeRepo(dir);

  Result<Selection> in_web = SelectIn(dir / "apps", Staged({"web"}));
  REQUIRE(in_web.ok());
  CHECK(NamesOf(*in_web) == Names{"apps/web/deploy.yaml"});

  Result<Selection> in_api = SelectIn(dir / "apps", Staged({"api/"}));
  REQUIRE(in_api.ok());
  CHECK(NamesOf(*in_api).empty());
  CHECK(in_api->problems.empty());

  Result<Selection> named = SelectIn(dir / "apps", Staged({"api/notes.txt"}));
  REQUIRE(named.ok());
  CHECK(NamesOf(*named) == Names{"apps/api/notes.txt"});
}

TEST_CASE("a staged filter naming nothing is a problem", "[input][git]") {
  TempDir dir;
  MakeRepo(dir);
  Result<Selection> s = SelectIn(dir.path(), Staged({"nope.yaml"}));
  REQUIRE(s.ok());
  REQUIRE(s->problems.size() == 1);
  CHECK(s->problems[0].status.message() == "cannot read 'nope.yaml': no such file or directory");
}

TEST_CASE("a staged blob over the size limit is a problem", "[input][git]") {
  TempDir dir;
  MakeRepo(dir);
  SelectOptions options = Staged();
  options.max_file_bytes = 4;
  Result<Selection> s = SelectIn(dir.path(), options);
  REQUIRE(s.ok());
  CHECK(s->inputs.empty());
  REQUIRE(s->problems.size() == 1);
  CHECK(s->problems[0].name == "apps/web/deploy.yaml");
  CHECK(s->problems[0].status.code() == StatusCode::kLimitExceeded);
}

TEST_CASE("staged outside a repository fails as not found", "[input][git]") {
  TempDir dir;
  Result<Selection> s = SelectIn(dir.path(), Staged());
  REQUIRE_FALSE(s.ok());
  CHECK(s.status().code() == StatusCode::kNotFound);
  CHECK(s.status().message() == "'" + dir.path() + "' is not inside a git repository");
}

TEST_CASE("staged and changed-since cannot be combined, nor used with stdin", "[input][git]") {
  TempDir dir;
  MakeRepo(dir);
  SelectOptions both = Staged();
  both.changed_since = "HEAD";
  CHECK(SelectIn(dir.path(), both).status().code() == StatusCode::kInvalidArgument);
  CHECK(SelectIn(dir.path(), Staged({"-"})).status().code() == StatusCode::kInvalidArgument);
}

TEST_CASE("changed-since selects working-tree files changed or untracked since the revision",
          "[input][git]") {
  TempDir dir;
  MakeRepo(dir);

  Result<Selection> s = SelectIn(dir.path(), ChangedSince("HEAD"));
  REQUIRE(s.ok());
  CHECK(NamesOf(*s) == Names{"apps/new.yaml", "apps/web/deploy.yaml"});
  CHECK_FALSE(s->inputs[1].loaded);
  CHECK(s->inputs[1].path == dir / "apps/web/deploy.yaml");

  Result<Selection> filtered = SelectIn(dir / "apps", ChangedSince("HEAD", {"web"}));
  REQUIRE(filtered.ok());
  CHECK(NamesOf(*filtered) == Names{"apps/web/deploy.yaml"});
}

TEST_CASE("changed-since an unknown revision fails with the revision named", "[input][git]") {
  TempDir dir;
  MakeRepo(dir);
  Result<Selection> s = SelectIn(dir.path(), ChangedSince("xyz"));
  REQUIRE_FALSE(s.ok());
  CHECK(s.status().code() == StatusCode::kInvalidArgument);
  CHECK(s.status().message() == "unknown revision 'xyz'");
}

TEST_CASE("staged hidden entries are left out unless include_hidden or named", "[input][git]") {
  TempDir dir;
  InitRepo(dir.path());
  WriteFile(dir / "app.yaml", "a: 1\n");
  WriteFile(dir / ".vscode/settings.json", "{}\n");
  WriteFile(dir / "ci/.hidden.yaml", "a: 1\n");
  RunGit(dir.path(), "add .");

  SelectOptions skip = Staged();
  skip.include_hidden = false;
  Result<Selection> s = SelectIn(dir.path(), skip);
  REQUIRE(s.ok());
  CHECK(NamesOf(*s) == Names{"app.yaml"});

  skip.paths = {".vscode"};
  s = SelectIn(dir.path(), skip);
  REQUIRE(s.ok());
  CHECK(NamesOf(*s) == Names{".vscode/settings.json"});

  s = SelectIn(dir.path(), Staged());
  REQUIRE(s.ok());
  CHECK(NamesOf(*s) == Names{".vscode/settings.json", "app.yaml", "ci/.hidden.yaml"});
}

}  // namespace
}  // namespace capstan::input
