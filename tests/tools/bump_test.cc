#include "bump/bump.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/run_tool.h"
#include "support/shell.h"
#include "support/temp_repo.h"

namespace capstan::tools {
namespace {

using capstan::testing::ReadFile;

using testing::RunGit;
using testing::RunTool;
using testing::TempDir;
using testing::ToolResult;
using testing::WriteFile;

const char* const kKustomization =
    "apiVersion: kustomize.config.k8s.io/v1beta1\n"
    "kind: Kustomization\n"
    "resources:\n"
    "  - deploy.yaml   # the app\n"
    "images:\n"
    "  - name: ghcr.io/acme/api\n"
    "    newTag: \"1.4.1\" # pinned by CI\n"
    "  - name: redis\n"
    "    newTag: 7.2.4\n";

const char* const kDeployment =
    "apiVersion: apps/v1\n"
    "kind: Deployment\n"
    "metadata:\n"
    "  name: api\n"
    "spec:\n"
    "  template:\n"
    "    spec:\n"
    "      initContainers:\n"
    "        - name: migrate\n"
    "          image: ghcr.io/acme/api:1.4.1\n"
    "      containers:\n"
    "        - name: api\n"
    "          image: ghcr.io/acme/api:1.4.1   # app\n"
    "        - name: sidecar\n"
    "          image: ghcr.io/acme/proxy:1.4.1\n";

// A committed repository with an app overlay, like a CI checkout of a config repo.
struct ConfigRepo {
  TempDir dir;
  ConfigRepo() {
    testing::InitRepo(dir.path());
    RunGit(dir.path(), "config user.name 'Repo Owner'");
    RunGit(dir.path(), "config user.email owner@example.com");
    WriteFile(dir / "apps/api/kustomization.yaml", kKustomization);
    WriteFile(dir / "apps/api/deploy.yaml", kDeployment);
    WriteFile(dir / "README.md", "config\n");
    RunGit(dir.path(), "add -A");
    RunGit(dir.path(), "commit -q -m initial");
  }
  std::string path() const { return dir.path(); }
};

// A bare remote holding ConfigRepo's history (pushed from seed), and a clone of it at ci, as a
// CI job checks it out.
struct ClonedConfigRepo {
  TempDir remote;
  ConfigRepo seed;
  TempDir work;
  std::string ci;
  ClonedConfigRepo() {
    RunGit(remote.path(), "init -q --bare -b main");
    RunGit(seed.path(), "push -q " + remote.path() + " main");
    RunGit(work.path(), "clone -q " + remote.path() + " ci");
    ci = work / "ci";
  }
};

ToolResult Bump(const std::string& cwd, std::vector<std::string> args) {
  return RunTool(RunBump, std::move(args), cwd);
}

// `before` with each (from, to) replaced once, in order.
std::string With(std::string text,
                 std::initializer_list<std::pair<std::string, std::string>> edits) {
  for (const auto& [from, to] : edits) {
    std::size_t at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
  }
  return text;
}

TEST_CASE("capstan-bump changes only the image's bytes and prints file:line: old -> new",
          "[bump]") {
  ConfigRepo repo;
  ToolResult r = Bump(repo.path(), {"--image", "ghcr.io/acme/api", "--tag", "1.4.2"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(testing::Lines(r.out) ==
        std::vector<std::string>{
            "apps/api/deploy.yaml:10: ghcr.io/acme/api:1.4.1 -> ghcr.io/acme/api:1.4.2",
            "apps/api/deploy.yaml:13: ghcr.io/acme/api:1.4.1 -> ghcr.io/acme/api:1.4.2",
            "apps/api/kustomization.yaml:7: 1.4.1 -> 1.4.2",
        });
  CHECK(ReadFile(repo.dir / "apps/api/kustomization.yaml") ==
        With(kKustomization, {{"\"1.4.1\"", "\"1.4.2\""}}));
  CHECK(ReadFile(repo.dir / "apps/api/deploy.yaml") ==
        With(kDeployment, {{"api:1.4.1\n", "api:1.4.2\n"}, {"api:1.4.1   #", "api:1.4.2   #"}}));
}

TEST_CASE("capstan-bump takes the tag from --image and keeps a file's mode", "[bump]") {
  ConfigRepo repo;
  REQUIRE(::chmod((repo.dir / "apps/api/kustomization.yaml").c_str(), 0600) == 0);
  ToolResult r =
      Bump(repo.path(), {"--image", "ghcr.io/acme/api:1.5.0", "apps/api/kustomization.yaml"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out == "apps/api/kustomization.yaml:7: 1.4.1 -> 1.5.0\n");
  struct stat st {};
  REQUIRE(::stat((repo.dir / "apps/api/kustomization.yaml").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("capstan-bump --dry-run prints a unified diff and writes nothing", "[bump]") {
  ConfigRepo repo;
  ToolResult r = Bump(repo.path(), {"--dry-run", "--image", "ghcr.io/acme/api", "--tag", "1.4.2",
                                    "apps/api/kustomization.yaml"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out ==
        "--- a/apps/api/kustomization.yaml\n"
        "+++ b/apps/api/kustomization.yaml\n"
        "@@ -4,6 +4,6 @@\n"
        "   - deploy.yaml   # the app\n"
        " images:\n"
        "   - name: ghcr.io/acme/api\n"
        "-    newTag: \"1.4.1\" # pinned by CI\n"
        "+    newTag: \"1.4.2\" # pinned by CI\n"
        "   - name: redis\n"
        "     newTag: 7.2.4\n");
  CHECK(ReadFile(repo.dir / "apps/api/kustomization.yaml") == kKustomization);
  CHECK(RunGit(repo.path(), "status --porcelain").empty());
}

TEST_CASE("capstan-bump says already up to date and exits 0", "[bump]") {
  ConfigRepo repo;
  ToolResult r = Bump(repo.path(), {"--image", "ghcr.io/acme/api", "--tag", "1.4.1"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "ghcr.io/acme/api already up to date (3 places)\n");
  CHECK(RunGit(repo.path(), "status --porcelain").empty());
}

TEST_CASE("capstan-bump exits 1 for no match only with --require-match", "[bump]") {
  ConfigRepo repo;
  ToolResult plain = Bump(repo.path(), {"--image", "ghcr.io/acme/web", "--tag", "2.0.0"});
  CHECK(plain.exit_code == 0);
  CHECK(plain.err == "capstan-bump: warning: nothing names ghcr.io/acme/web\n");
  ToolResult required =
      Bump(repo.path(), {"--require-match", "--image", "ghcr.io/acme/web", "--tag", "2.0.0"});
  CHECK(required.exit_code == 1);
  CHECK(required.err == "capstan-bump: error: nothing names ghcr.io/acme/web\n");
}

TEST_CASE("capstan-bump notes a file naming the image that it cannot edit: UTF-16, broken YAML",
          "[bump]") {
  TempDir dir;
  testing::InitRepo(dir.path());
  // kustomization.yaml saved as UTF-16 (little-endian, with its byte order mark).
  const std::string utf8 = "images:\n- name: ghcr.io/acme/api\n  newTag: 1.4.1\n";
  std::string utf16 = "\xff\xfe";
  for (char c : utf8) utf16 += std::string{c, '\0'};
  WriteFile(dir / "a/kustomization.yaml", utf16);
  WriteFile(dir / "b/kustomization.yaml", "images:\n- name: ghcr.io/acme/api\n  newTag: [1.4.1\n");
  ToolResult r = Bump(dir.path(), {"--image", "ghcr.io/acme/api", "--tag", "1.4.2"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.empty());
  CHECK(r.err.find("capstan-bump: note: a/kustomization.yaml: skipped, not valid YAML: 1:1: "
                   "UTF-16 encoded text is not supported: save the file as UTF-8\n") !=
        std::string::npos);
  CHECK(r.err.find("capstan-bump: note: b/kustomization.yaml: skipped, not valid YAML: 3:11:") !=
        std::string::npos);
  CHECK(r.err.find("capstan-bump: warning: nothing names ghcr.io/acme/api\n") != std::string::npos);
  CHECK(ReadFile(dir / "a/kustomization.yaml") == utf16);
  ToolResult required =
      Bump(dir.path(), {"--require-match", "--image", "ghcr.io/acme/api", "--tag", "1.4.2"});
  CHECK(required.exit_code == 1);
}

TEST_CASE("capstan-bump refuses a semver downgrade unless --allow-downgrade, writing nothing",
          "[bump]") {
  ConfigRepo repo;
  ToolResult r = Bump(repo.path(), {"--image", "ghcr.io/acme/api", "--tag", "1.3.9"});
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  CHECK(r.err.find("apps/api/kustomization.yaml:7:13: would downgrade 1.4.1 to 1.3.9 (pass "
                   "--allow-downgrade") != std::string::npos);
  CHECK(RunGit(repo.path(), "status --porcelain").empty());

  ToolResult allowed =
      Bump(repo.path(), {"--allow-downgrade", "--image", "ghcr.io/acme/api", "--tag", "1.3.9"});
  CHECK(allowed.exit_code == 0);
  CHECK(testing::Lines(allowed.out).size() == 3);
}

TEST_CASE("capstan-bump never compares tags that are not versions", "[bump]") {
  ConfigRepo repo;
  ToolResult r = Bump(repo.path(), {"--image", "ghcr.io/acme/api", "--tag", "main-0a1b2c3"});
  CHECK(r.exit_code == 0);
  CHECK(testing::Lines(r.out).size() == 3);
}

TEST_CASE("capstan-bump refuses files with uncommitted changes unless --allow-dirty", "[bump]") {
  ConfigRepo repo;
  std::string edited = std::string(kKustomization) + "# local edit\n";
  WriteFile(repo.dir / "apps/api/kustomization.yaml", edited);
  ToolResult r = Bump(repo.path(), {"--image", "ghcr.io/acme/api", "--tag", "1.4.2"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("apps/api/kustomization.yaml: has uncommitted changes") != std::string::npos);
  CHECK(ReadFile(repo.dir / "apps/api/kustomization.yaml") == edited);
  CHECK(ReadFile(repo.dir / "apps/api/deploy.yaml") == kDeployment);

  ToolResult allowed =
      Bump(repo.path(), {"--allow-dirty", "--image", "ghcr.io/acme/api", "--tag", "1.4.2"});
  CHECK(allowed.exit_code == 0);
  CHECK(ReadFile(repo.dir / "apps/api/kustomization.yaml") == With(edited, {{"1.4.1", "1.4.2"}}));
}

TEST_CASE("capstan-bump writes nothing when one target cannot be edited in place", "[bump]") {
  ConfigRepo repo;
  WriteFile(repo.dir / "apps/api/values.yaml",
            "defaults: &img ghcr.io/acme/api:1.4.1\n"
            "worker:\n"
            "  image: *img\n");
  RunGit(repo.path(), "add -A");
  RunGit(repo.path(), "commit -q -m values");
  ToolResult r = Bump(repo.path(), {"--image", "ghcr.io/acme/api", "--tag", "1.4.2"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("apps/api/values.yaml:3:") != std::string::npos);
  CHECK(r.err.find("nothing was changed") != std::string::npos);
  CHECK(RunGit(repo.path(), "status --porcelain").empty());
}

TEST_CASE("capstan-bump --commit commits only the changed files with the message template",
          "[bump]") {
  ConfigRepo repo;
  WriteFile(repo.dir / "README.md", "staged but not ours\n");
  RunGit(repo.path(), "add README.md");
  ToolResult r =
      Bump(repo.path(), {"--commit", "--author", "CI Bot <ci@example.com>", "-m",
                         "deploy {image} {old} -> {new} ({files})", "--image", "ghcr.io/acme/api",
                         "--tag", "1.4.2", "apps/api/kustomization.yaml"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("committed ") != std::string::npos);
  CHECK(RunGit(repo.path(), "log -1 --format=%an%n%ae%n%B") ==
        "CI Bot\nci@example.com\ndeploy ghcr.io/acme/api 1.4.1 -> 1.4.2 "
        "(apps/api/kustomization.yaml)\n\n");
  CHECK(RunGit(repo.path(), "show --stat --format= HEAD") ==
        " apps/api/kustomization.yaml | 2 +-\n 1 file changed, 1 insertion(+), 1 deletion(-)\n");
  CHECK(RunGit(repo.path(), "status --porcelain") == "M  README.md\n");
}

TEST_CASE("capstan-bump --commit takes the author from git config and lists changes by default",
          "[bump]") {
  ConfigRepo repo;
  ToolResult r = Bump(repo.path(), {"--commit", "--image", "ghcr.io/acme/api", "--tag", "1.4.2"});
  REQUIRE(r.exit_code == 0);
  CHECK(RunGit(repo.path(), "log -1 --format=%an%n%B") ==
        "Repo Owner\nBump ghcr.io/acme/api to 1.4.2\n\n"
        "apps/api/deploy.yaml:10: ghcr.io/acme/api:1.4.1 -> ghcr.io/acme/api:1.4.2\n"
        "apps/api/deploy.yaml:13: ghcr.io/acme/api:1.4.1 -> ghcr.io/acme/api:1.4.2\n"
        "apps/api/kustomization.yaml:7: 1.4.1 -> 1.4.2\n\n");
  CHECK(RunGit(repo.path(), "status --porcelain").empty());
}

TEST_CASE("capstan-bump --push pushes to a bare remote, re-applying on a remote that moved",
          "[bump]") {
  ClonedConfigRepo cloned;
  const TempDir& remote = cloned.remote;
  ConfigRepo& seed = cloned.seed;
  const std::string& ci = cloned.ci;
  RunGit(ci, "config user.name CI");
  RunGit(ci, "config user.email ci@example.com");
  // Someone pushes after CI checked out: our first push is not a fast-forward.
  WriteFile(seed.dir / "README.md", "a human edit\n");
  RunGit(seed.path(), "commit -q -am human");
  RunGit(seed.path(), "push -q " + remote.path() + " main");

  ToolResult r = Bump(ci, {"--push", "--image", "ghcr.io/acme/api", "--tag", "1.4.2"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("pushed ") != std::string::npos);
  CHECK(RunGit(remote.path(), "log --format=%s main") ==
        "Bump ghcr.io/acme/api to 1.4.2\nhuman\ninitial\n");
  CHECK(RunGit(remote.path(), "show main:README.md") == "a human edit\n");
  CHECK(RunGit(remote.path(), "show main:apps/api/kustomization.yaml") ==
        With(kKustomization, {{"1.4.1", "1.4.2"}}));
  CHECK(RunGit(ci, "rev-parse HEAD") == RunGit(remote.path(), "rev-parse main"));
  CHECK(ReadFile(ci + "/README.md") == "a human edit\n");
}

TEST_CASE("capstan-bump --push re-applied on a moved remote names what it changed there",
          "[bump]") {
  ClonedConfigRepo cloned;
  RunGit(cloned.ci, "config user.name CI");
  RunGit(cloned.ci, "config user.email ci@example.com");
  // A human rolls the kustomization back to 1.4.0 and adds a line above it after CI checked out.
  const std::string rolled_back =
      "# owned by team api\n" + With(kKustomization, {{"1.4.1", "1.4.0"}});
  WriteFile(cloned.seed.dir / "apps/api/kustomization.yaml", rolled_back);
  RunGit(cloned.seed.path(), "commit -q -am 'roll api back'");
  RunGit(cloned.seed.path(), "push -q " + cloned.remote.path() + " main");

  ToolResult r = Bump(cloned.ci, {"--push", "--image", "ghcr.io/acme/api", "--tag", "1.4.2",
                                  "--message", "Bump {image} from {old} to {new}\n\n{changes}\n"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("re-applied on the moved remote, attempt 2") != std::string::npos);
  CHECK(RunGit(cloned.remote.path(), "show main:apps/api/kustomization.yaml") ==
        "# owned by team api\n" + With(kKustomization, {{"1.4.1", "1.4.2"}}));
  // The commit on the remote tells what happened there, not what the first plan found.
  CHECK(RunGit(cloned.remote.path(), "log -1 --format=%B main") ==
        "Bump ghcr.io/acme/api from 1.4.1, 1.4.0 to 1.4.2\n\n"
        "apps/api/deploy.yaml:10: ghcr.io/acme/api:1.4.1 -> ghcr.io/acme/api:1.4.2\n"
        "apps/api/deploy.yaml:13: ghcr.io/acme/api:1.4.1 -> ghcr.io/acme/api:1.4.2\n"
        "apps/api/kustomization.yaml:8: 1.4.0 -> 1.4.2\n\n");
}

TEST_CASE("capstan-bump --push pushes nothing when the remote already has the bump", "[bump]") {
  ClonedConfigRepo cloned;
  const TempDir& remote = cloned.remote;
  ConfigRepo& seed = cloned.seed;
  const std::string& ci = cloned.ci;
  // Another pipeline bumped to the same tag first.
  REQUIRE(
      Bump(seed.path(), {"--commit", "--image", "ghcr.io/acme/api", "--tag", "1.4.2"}).exit_code ==
      0);
  RunGit(seed.path(), "push -q " + remote.path() + " main");
  std::string remote_tip = RunGit(remote.path(), "rev-parse main");

  ToolResult r = Bump(ci, {"--push", "--author", "CI <ci@example.com>", "--image",
                           "ghcr.io/acme/api", "--tag", "1.4.2"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("nothing to push") != std::string::npos);
  CHECK(RunGit(remote.path(), "rev-parse main") == remote_tip);
}

// Regression (issue 19, kill mid-run): a run killed after writing the file (or staging it) was
// finished by nobody; the next run said "already up to date".
TEST_CASE("capstan-bump --commit commits a change an earlier run wrote but did not commit",
          "[bump]") {
  ConfigRepo repo;
  const std::string bumped = With(kKustomization, {{"1.4.1", "1.4.2"}});
  WriteFile(repo.dir / "apps/api/kustomization.yaml", bumped);
  const bool staged = GENERATE(false, true);
  if (staged) RunGit(repo.path(), "add apps/api/kustomization.yaml");
  ToolResult r = Bump(repo.path(), {"--commit", "--image", "ghcr.io/acme/api", "--tag", "1.4.2"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.find("'apps/api/kustomization.yaml' already holds this change, not committed: "
                   "committing it") != std::string::npos);
  CHECK(RunGit(repo.path(), "log -1 --format=%B") ==
        "Bump ghcr.io/acme/api to 1.4.2\n\n"
        "apps/api/deploy.yaml:10: ghcr.io/acme/api:1.4.1 -> ghcr.io/acme/api:1.4.2\n"
        "apps/api/deploy.yaml:13: ghcr.io/acme/api:1.4.1 -> ghcr.io/acme/api:1.4.2\n"
        "apps/api/kustomization.yaml:7: 1.4.1 -> 1.4.2\n\n");
  CHECK(RunGit(repo.path(), "show HEAD:apps/api/kustomization.yaml") == bumped);
  CHECK(RunGit(repo.path(), "status --porcelain").empty());
}

TEST_CASE("capstan-bump --commit never commits a file holding the new tag among other edits",
          "[bump]") {
  ConfigRepo repo;
  const std::string edited = With(kKustomization, {{"1.4.1", "1.4.2"}, {"7.2.4", "7.2.5"}});
  WriteFile(repo.dir / "apps/api/kustomization.yaml", edited);
  ToolResult r = Bump(repo.path(), {"--commit", "--image", "ghcr.io/acme/api", "--tag", "1.4.2",
                                    "apps/api/kustomization.yaml"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out == "ghcr.io/acme/api already up to date (1 place)\n");
  CHECK(RunGit(repo.path(), "log --format=%s") == "initial\n");
  CHECK(ReadFile(repo.dir / "apps/api/kustomization.yaml") == edited);
}

// Regression (issue 19, kill mid-run): a run killed after committing but before pushing was
// finished by nobody.
TEST_CASE("capstan-bump --push pushes the bump commit an earlier run made and did not push",
          "[bump]") {
  ClonedConfigRepo cloned;
  const TempDir& remote = cloned.remote;
  const std::string& ci = cloned.ci;
  REQUIRE(Bump(ci, {"--commit", "--image", "ghcr.io/acme/api", "--tag", "1.4.2"}).exit_code == 0);
  const std::string bump = RunGit(ci, "rev-parse HEAD");

  ToolResult r = Bump(ci, {"--push", "--image", "ghcr.io/acme/api", "--tag", "1.4.2"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.find("note: HEAD made this change and origin does not have it: pushing it") !=
        std::string::npos);
  CHECK(r.out.find("pushed " + bump.substr(0, 7) + " to origin") != std::string::npos);
  CHECK(RunGit(remote.path(), "rev-parse main") == bump);

  // Done: the next run finds it on the remote and pushes nothing.
  ToolResult again = Bump(ci, {"--push", "--image", "ghcr.io/acme/api", "--tag", "1.4.2"});
  INFO(again.out << again.err);
  REQUIRE(again.exit_code == 0);
  CHECK(again.out == "ghcr.io/acme/api already up to date (3 places)\n");
  CHECK(again.err.empty());
  CHECK(RunGit(remote.path(), "rev-parse main") == bump);
}

TEST_CASE("capstan-bump --commit stops on a lock git left, as git does, and leaves it", "[bump]") {
  ConfigRepo repo;
  WriteFile(repo.dir / ".git/index.lock", "");
  ToolResult r = Bump(repo.path(), {"--commit", "--image", "ghcr.io/acme/api", "--tag", "1.4.2"});
  CHECK(r.exit_code == 3);
  CHECK(r.err == "capstan-bump: error: cannot create '" + (repo.dir / ".git/index.lock") +
                     "': file exists: another git process seems to be running in this "
                     "repository; if none is, one was killed or crashed earlier: remove the "
                     "file to continue; the files are as they were\n");
  CHECK(ReadFile(repo.dir / "apps/api/kustomization.yaml") == kKustomization);
  CHECK(std::filesystem::exists(repo.dir / ".git/index.lock"));
}

TEST_CASE("capstan-bump reads its defaults from .capstan.yaml, and flags win", "[bump]") {
  ConfigRepo repo;
  WriteFile(repo.dir / ".capstan.yaml",
            "bump:\n"
            "  author: Config Bot <bot@example.com>\n"
            "  message: 'cfg {image} {new}'\n"
            "  require-match: true\n");
  RunGit(repo.path(), "add .capstan.yaml");
  RunGit(repo.path(), "commit -q -m config");
  ToolResult r = Bump(repo.path(), {"--commit", "--image", "ghcr.io/acme/api", "--tag", "1.4.2"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(RunGit(repo.path(), "log -1 --format=%an%n%s") ==
        "Config Bot\ncfg ghcr.io/acme/api 1.4.2\n");

  ToolResult flagged = Bump(repo.path(), {"--commit", "-m", "flag {new}", "--image",
                                          "ghcr.io/acme/api", "--tag", "1.4.3"});
  REQUIRE(flagged.exit_code == 0);
  CHECK(RunGit(repo.path(), "log -1 --format=%an%n%s") == "Config Bot\nflag 1.4.3\n");

  ToolResult unmatched = Bump(repo.path(), {"--image", "ghcr.io/acme/web", "--tag", "1.0.0"});
  CHECK(unmatched.exit_code == 1);  // require-match from the file
}

TEST_CASE("capstan-bump rejects unknown .capstan.yaml keys with their line", "[bump]") {
  ConfigRepo repo;
  auto [config, message] = GENERATE(table<std::string, std::string>({
      {"bump:\n  autor: x\n", ".capstan.yaml:2:3: unknown key 'bump.autor'"},
      {"bmup:\n  author: x\n", ".capstan.yaml:1:1: unknown key 'bmup'"},
      {"bump:\n  tag: 1.0\n", ".capstan.yaml:2:3: unknown key 'bump.tag'"},
      {"bump:\n  require-match: yes please\n",
       ".capstan.yaml:2:18: 'bump.require-match' must be true or false"},
      {"bump:\n  author: [a, b]\n", ".capstan.yaml:2:11: 'bump.author' must be a string"},
  }));
  WriteFile(repo.dir / ".capstan.yaml", config);
  ToolResult r = Bump(repo.path(), {"--image", "ghcr.io/acme/api", "--tag", "1.4.2"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find(message) != std::string::npos);
  CHECK(ReadFile(repo.dir / "apps/api/kustomization.yaml") == kKustomization);
}

TEST_CASE("capstan-bump --push=REMOTE --branch pushes a digest and new name from a detached HEAD",
          "[bump]") {
  ClonedConfigRepo cloned;
  const TempDir& remote = cloned.remote;
  const std::string& ci = cloned.ci;
  RunGit(ci, "checkout -q --detach");
  const std::string digest = "sha256:" + std::string(64, 'a');

  ToolResult r =
      Bump(ci, {"--push=" + remote.path(), "--branch", "main", "--author", "CI <ci@example.com>",
                "--image", "ghcr.io/acme/api", "--tag", "1.4.2", "--digest", digest, "--new-name",
                "registry.acme.dev/api", "apps/api/kustomization.yaml"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(RunGit(remote.path(), "show main:apps/api/kustomization.yaml") ==
        With(kKustomization, {{"    newTag: \"1.4.1\" # pinned by CI\n",
                               "    newTag: \"1.4.2\" # pinned by CI\n"
                               "    newName: registry.acme.dev/api\n"
                               "    digest: " +
                                   digest + "\n"}}));
  CHECK(RunGit(ci, "rev-parse HEAD") == RunGit(remote.path(), "rev-parse main"));
}

TEST_CASE("capstan-bump usage errors exit 2 with one line", "[bump]") {
  ConfigRepo repo;
  auto [args, message] = GENERATE(table<std::vector<std::string>, std::string>({
      {{"--tag", "1.0"}, "--image is required"},
      {{"--image", "ghcr.io/acme/api"}, "nothing to set: give --tag, --digest or --new-name"},
      {{"--image", "ghcr.io/Acme/api", "--tag", "1"}, "invalid image reference"},
      {{"--image", "ghcr.io/acme/api", "--tag", "bad tag"}, "invalid tag 'bad tag'"},
      {{"--image", "ghcr.io/acme/api", "--digest", "sha256:abc"}, "invalid digest 'sha256:abc'"},
      {{"--image", "ghcr.io/acme/api:1.0", "--tag", "2.0"},
       "--image names tag '1.0' but --tag is '2.0'"},
      {{"--image", "a/b", "--tag", "1", "--dry-run", "--commit"}, "--dry-run cannot be combined"},
      {{"--image", "a/b", "--tag", "1", "--branch", "x"}, "need --push"},
      {{"--image", "a/b", "--tag", "1", "--commit", "--author", "nobody"},
       "is not of the form 'Name <email>'"},
      {{"--image", "a/b", "--tag", "1", "--bogus"}, "unknown option '--bogus'"},
  }));
  CAPTURE(args);
  ToolResult r = Bump(repo.path(), args);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find(message) != std::string::npos);
  CHECK(r.out.empty());
  CHECK(RunGit(repo.path(), "status --porcelain").empty());
}

// Issue 14: echoed input is cut to a short prefix with its length.
TEST_CASE("capstan-bump cuts a huge bad image reference or tag to a short prefix with its length",
          "[bump]") {
  ConfigRepo repo;
  // An image reference shows up to 128 bytes (kQuotePathLimit: room for a digest), other values 64.
  auto [args, length,
        max_line] = GENERATE(table<std::vector<std::string>, std::string, std::size_t>({
      {{"--image", "ghcr.io/acme/" + std::string(10000, 'A'), "--tag", "1"}, "(10013 bytes)", 240},
      {{"--image", "ghcr.io/acme/api", "--tag", std::string(10000, '!')}, "(10000 bytes)", 200},
      {{"--image", "ghcr.io/acme/api", "--tag", "1", "--author", std::string(10000, 'x')},
       "(10000 bytes)",
       200},
  }));
  ToolResult r = Bump(repo.path(), args);
  CHECK(r.exit_code == 2);
  INFO(r.err);
  REQUIRE(testing::Lines(r.err).size() == 2);  // the error and the --help hint
  CHECK(testing::Lines(r.err).front().size() < max_line);
  CHECK(r.err.find(length) != std::string::npos);
}

TEST_CASE("capstan-bump --help names every flag and the exit codes", "[bump]") {
  ToolResult r = Bump(".", {"--help"});
  CHECK(r.exit_code == 0);
  for (const char* flag :
       {"--image", "--tag", "--digest", "--new-name", "--helm-key", "--dry-run", "--require-match",
        "--allow-downgrade", "--allow-dirty", "--commit", "--message", "--author", "--push",
        "--branch", "--token-env", "--token-file", "--ssh-key", "exit codes:"}) {
    CHECK(r.out.find(flag) != std::string::npos);
  }
}

}  // namespace
}  // namespace capstan::tools
