#include "input/selection.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "fs/posix_file_system.h"
#include "git/repository.h"
#include "support/temp_repo.h"

namespace capstan::input {
namespace {

using capstan::testing::InitRepo;
using capstan::testing::RunGit;
using capstan::testing::TempDir;
using capstan::testing::WriteFile;
using Names = std::vector<std::string>;

// Runs Select in `cwd` with the real file system and `stdin_text` as standard input.
struct Fixture {
  explicit Fixture(std::string cwd, std::string stdin_text = "") : in(std::move(stdin_text)) {
    env.fs = &fs;
    env.in = &in;
    env.cwd = std::move(cwd);
    env.open_repository = git::Repository::Discover;
  }

  Selection Run(SelectOptions options) {
    Result<Selection> result = Select(options, env);
    REQUIRE(result.ok());
    return std::move(*result);
  }
  Selection Run(std::vector<std::string> paths) {
    SelectOptions options;
    options.paths = std::move(paths);
    return Run(options);
  }

  fs::PosixFileSystem fs;
  std::istringstream in;
  Env env;
};

Names NamesOf(const Selection& s) {
  Names names;
  for (const Input& i : s.inputs) names.push_back(i.name);
  return names;
}

void Symlink(const std::string& target, const std::string& link) {
  std::filesystem::create_directories(std::filesystem::path(link).parent_path());
  REQUIRE(::symlink(target.c_str(), link.c_str()) == 0);
}

TEST_CASE("a directory walk selects listed extensions in sorted order and skips .git", "[input]") {
  TempDir dir;
  WriteFile(dir / "examples/b.yml", "");
  WriteFile(dir / "examples/apps/a.yaml", "");
  WriteFile(dir / "examples/apps/C.JSON", "");
  WriteFile(dir / "examples/README.md", "");
  WriteFile(dir / "examples/.git/config.yaml", "");
  WriteFile(dir / "examples/.gitignore", "b.yml\n");  // not a repository: no ignore rules
  Fixture f(dir.path());

  Selection s = f.Run({"examples/"});
  CHECK(NamesOf(s) == Names{"examples/apps/C.JSON", "examples/apps/a.yaml", "examples/b.yml"});
  CHECK(s.problems.empty());
  CHECK(s.inputs[1].path == dir / "examples/apps/a.yaml");
  CHECK_FALSE(s.inputs[1].loaded);
}

TEST_CASE("names below '.' or './dir' carry no './' prefix", "[input]") {
  TempDir dir;
  WriteFile(dir / "apps/a.yaml", "");
  Fixture f(dir.path());

  CHECK(NamesOf(f.Run({"."})) == Names{"apps/a.yaml"});
  CHECK(NamesOf(f.Run({"./apps"})) == Names{"apps/a.yaml"});
  CHECK(NamesOf(f.Run(std::vector<std::string>{})) == Names{"apps/a.yaml"});
}

TEST_CASE("a directory walk inside a repository honours its .gitignore", "[input][git]") {
  TempDir dir;
  InitRepo(dir.path());
  WriteFile(dir / ".gitignore", "rendered/\n*.local.yaml\n");
  WriteFile(dir / "apps/a.yaml", "");
  WriteFile(dir / "apps/dev.local.yaml", "");
  WriteFile(dir / "rendered/out.yaml", "");
  Fixture f(dir / "apps");

  CHECK(NamesOf(f.Run({"."})) == Names{"a.yaml"});
  f.env.cwd = dir.path();
  CHECK(NamesOf(f.Run({"."})) == Names{"apps/a.yaml"});
}

TEST_CASE("a walk notes the directories holding a named file, selected or not", "[input][git]") {
  TempDir dir;
  InitRepo(dir.path());
  WriteFile(dir / ".gitignore", "ignored/kustomization.yaml\n");
  WriteFile(dir / "base/kustomization.yaml", "");
  WriteFile(dir / "base/app.yaml", "");
  WriteFile(dir / "ignored/kustomization.yaml", "");
  WriteFile(dir / "ignored/secret.env", "");
  WriteFile(dir / "plain/app.yaml", "");
  WriteFile(dir / "top.yaml", "");
  Fixture f(dir.path());
  SelectOptions options;
  options.paths = {".", "plain/app.yaml"};
  options.note_names = {"kustomization.yaml", "Kustomization"};
  Selection s = f.Run(options);
  // Noted whether selected (base) or left out by an ignore rule (ignored); not where absent.
  CHECK(s.noted_dirs == std::set<std::string>{"base", "ignored"});
  for (const Input& in : s.inputs) {
    INFO(in.name);
    CHECK(in.in_walk);  // plain/app.yaml was walked first; naming it again adds nothing
  }
  SelectOptions named;
  named.paths = {"top.yaml"};
  Selection one = f.Run(named);
  REQUIRE(one.inputs.size() == 1);
  CHECK_FALSE(one.inputs[0].in_walk);
  CHECK(one.noted_dirs.empty());
}

TEST_CASE("an explicitly named ignored directory or file is still checked", "[input][git]") {
  TempDir dir;
  InitRepo(dir.path());
  WriteFile(dir / ".gitignore", "rendered/\n");
  WriteFile(dir / "rendered/out.yaml", "");
  Fixture f(dir.path());

  CHECK(NamesOf(f.Run({"rendered"})) == Names{"rendered/out.yaml"});
  CHECK(NamesOf(f.Run({"rendered/out.yaml"})) == Names{"rendered/out.yaml"});
}

TEST_CASE("a file named explicitly is selected whatever its extension", "[input]") {
  TempDir dir;
  WriteFile(dir / "manifest.txt", "");
  Fixture f(dir.path());
  CHECK(NamesOf(f.Run({"manifest.txt"})) == Names{"manifest.txt"});
}

TEST_CASE("a path that does not exist is a problem with the name as given", "[input]") {
  TempDir dir;
  Fixture f(dir.path());
  Selection s = f.Run({"nope.yaml"});
  CHECK(s.inputs.empty());
  REQUIRE(s.problems.size() == 1);
  CHECK(s.problems[0].name == "nope.yaml");
  CHECK(s.problems[0].status.code() == StatusCode::kNotFound);
  CHECK(s.problems[0].status.message() == "cannot read 'nope.yaml': no such file or directory");
}

TEST_CASE("a symlink loop is a problem and does not hang", "[input]") {
  TempDir dir;
  Symlink("x.yaml", dir / "d/x.yaml");
  Symlink("missing.yaml", dir / "d/broken.yaml");
  Symlink("ignored.txt", dir / "d/broken.txt");
  Fixture f(dir.path());

  Selection s = f.Run({"d", "d/x.yaml"});
  CHECK(s.inputs.empty());
  REQUIRE(s.problems.size() == 3);
  CHECK(s.problems[0].status.message() == "cannot read 'd/broken.yaml': no such file or directory");
  CHECK(s.problems[1].status.message() ==
        "cannot read 'd/x.yaml': too many levels of symbolic links");
  CHECK(s.problems[2].name == "d/x.yaml");
  CHECK(s.problems[2].status.code() == StatusCode::kIoError);
}

TEST_CASE("symlinked files are selected but symlinked directories are not followed", "[input]") {
  TempDir dir;
  WriteFile(dir / "real/a.yaml", "");
  Symlink("a.yaml", dir / "real/alias.yaml");
  Symlink("..", dir / "real/parent");
  Symlink(dir / "real", dir / "real/self");
  Fixture f(dir.path());

  CHECK(NamesOf(f.Run({"real"})) == Names{"real/a.yaml", "real/alias.yaml"});
}

TEST_CASE("a symlinked directory named explicitly is walked", "[input]") {
  TempDir dir;
  WriteFile(dir / "real/a.yaml", "");
  Symlink("real", dir / "link");
  Fixture f(dir.path());
  CHECK(NamesOf(f.Run({"link"})) == Names{"link/a.yaml"});
}

TEST_CASE("a file reached twice is selected once, first occurrence wins", "[input]") {
  TempDir dir;
  WriteFile(dir / "dir/a.yaml", "");
  WriteFile(dir / "dir/b.yaml", "");
  Fixture f(dir.path());

  CHECK(NamesOf(f.Run({"dir", "dir/a.yaml"})) == Names{"dir/a.yaml", "dir/b.yaml"});
  CHECK(NamesOf(f.Run({"./dir/b.yaml", "dir/"})) == Names{"./dir/b.yaml", "dir/a.yaml"});
  CHECK(NamesOf(f.Run({dir / "dir/a.yaml", "dir/a.yaml"})) == Names{dir / "dir/a.yaml"});
}

TEST_CASE("stdin is read once into a loaded input", "[input]") {
  TempDir dir;
  WriteFile(dir / "a.yaml", "");
  Fixture f(dir.path(), "kind: Secret\n");

  Selection s = f.Run({"-", "a.yaml", "-"});
  CHECK(NamesOf(s) == Names{"<stdin>", "a.yaml"});
  CHECK(s.inputs[0].loaded);
  CHECK(s.inputs[0].path.empty());
  CHECK(s.inputs[0].content == "kind: Secret\n");
}

TEST_CASE("stdin over the size limit is a problem", "[input]") {
  TempDir dir;
  Fixture f(dir.path(), std::string(2048, 'x'));
  SelectOptions options;
  options.paths = {"-"};
  options.max_file_bytes = 1024;

  Selection s = f.Run(options);
  CHECK(s.inputs.empty());
  REQUIRE(s.problems.size() == 1);
  CHECK(s.problems[0].status.message() == "'<stdin>' is larger than the 1 KiB file size limit");
}

TEST_CASE("a directory that cannot be listed is an i/o problem", "[input]") {
  if (::geteuid() == 0) return;  // root reads everything
  TempDir dir;
  WriteFile(dir / "locked/a.yaml", "");
  REQUIRE(::chmod((dir / "locked").c_str(), 0) == 0);
  Fixture f(dir.path());

  Selection s = f.Run({"locked"});
  REQUIRE(s.problems.size() == 1);
  CHECK(s.problems[0].status.code() == StatusCode::kIoError);
  CHECK(s.problems[0].status.message() == "cannot read 'locked': permission denied");
}

TEST_CASE("a FIFO named explicitly is refused without opening it", "[input]") {
  // Opening a FIFO with no writer blocks forever: this test hangs on the old code.
  TempDir dir;
  REQUIRE(::mkfifo((dir / "pipe.yaml").c_str(), 0600) == 0);
  Fixture f(dir.path());

  Selection s = f.Run({"pipe.yaml"});
  CHECK(s.inputs.empty());
  REQUIRE(s.problems.size() == 1);
  CHECK(s.problems[0].status.code() == StatusCode::kInvalidArgument);
  CHECK(s.problems[0].status.message() == "cannot read 'pipe.yaml': not a regular file");
  CHECK_FALSE(s.problems[0].in_walk);
}

TEST_CASE("a walk skips FIFOs and symlinks to them", "[input]") {
  TempDir dir;
  WriteFile(dir / "d/a.yaml", "");
  REQUIRE(::mkfifo((dir / "d/pipe.yaml").c_str(), 0600) == 0);
  Symlink("pipe.yaml", dir / "d/to-pipe.yaml");
  Fixture f(dir.path());

  Selection s = f.Run({"d"});
  CHECK(NamesOf(s) == Names{"d/a.yaml"});
  CHECK(s.problems.empty());
}

TEST_CASE("a looping symlink met in a walk is a problem marked as found by the walk", "[input]") {
  TempDir dir;
  WriteFile(dir / "d/a.yaml", "");
  Symlink("loop.yaml", dir / "d/loop.yaml");
  Fixture f(dir.path());

  Selection s = f.Run({"d"});
  CHECK(NamesOf(s) == Names{"d/a.yaml"});
  REQUIRE(s.problems.size() == 1);
  CHECK(s.problems[0].name == "d/loop.yaml");
  CHECK(s.problems[0].in_walk);
  CHECK(f.Run({"d/loop.yaml"}).problems.at(0).in_walk == false);
}

TEST_CASE("hidden files and directories are walked only when include_hidden", "[input]") {
  TempDir dir;
  WriteFile(dir / "repo/app.yaml", "");
  WriteFile(dir / "repo/.vscode/settings.json", "{}");
  WriteFile(dir / "repo/.github/workflows/ci.yml", "");
  WriteFile(dir / "repo/.sops.yaml", "");
  WriteFile(dir / "repo/apps/.hidden/x.yaml", "");
  Fixture f(dir.path());

  SelectOptions options;
  options.paths = {"repo"};
  CHECK(NamesOf(f.Run(options)) == Names{"repo/.github/workflows/ci.yml", "repo/.sops.yaml",
                                         "repo/.vscode/settings.json", "repo/app.yaml",
                                         "repo/apps/.hidden/x.yaml"});
  options.include_hidden = false;
  CHECK(NamesOf(f.Run(options)) == Names{"repo/app.yaml"});

  // Named paths are selected whatever they are called; a named hidden directory is walked.
  options.paths = {"repo/.vscode/settings.json", "repo/.github"};
  CHECK(NamesOf(f.Run(options)) ==
        Names{"repo/.vscode/settings.json", "repo/.github/workflows/ci.yml"});
}

}  // namespace
}  // namespace capstan::input
