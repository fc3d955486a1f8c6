// capstan-watch --once losing its push to a human commit on the same file (issue 19): the
// remote is served by git daemon, whose pre-receive hook pushes the human's commit first
// (support/push_race.h), and the registry is Debian's docker-registry. Whatever the human did,
// watch ends on top of it or leaves it alone: the history stays linear, nothing is forced, and
// a tag the human set is never overwritten by an older one.

#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "support/git_servers.h"
#include "support/oci_registry.h"
#include "support/push_race.h"
#include "support/shell.h"
#include "support/temp_repo.h"

namespace capstan::testing {
namespace {

const std::string kWatch = std::string(CAPSTAN_BINARY_DIR) + "/tools/capstan-watch";

// acme/api (watched) and acme/web (not watched) in one kustomization.
std::string Kustomization(const std::string& host, const std::string& api_tag,
                          const std::string& web_tag) {
  return "apiVersion: kustomize.config.k8s.io/v1beta1\n"
         "kind: Kustomization\n"
         "resources: [deploy.yaml]\n"
         "images:\n"
         "  - name: " +
         host + "/acme/api\n    newTag: " + api_tag + "\n  - name: " + host +
         "/acme/web\n    newTag: " + web_tag + "\n";
}

std::string Config(const std::string& host, const std::string& constraint) {
  return "images:\n  - name: api\n    image: " + host + "/acme/api\n    constraint: \"" +
         constraint + "\"\n";
}

const std::string kFile = "apps/api/kustomization.yaml";

// A registry with acme/api 1.4.0, 1.4.1, 1.4.2 and 1.5.0, a bare remote pinning api at 1.4.1
// under ~1.4 (so watch wants 1.4.2) and web at 2.0.0, served by git daemon.
struct Race {
  TempDir root, work, scratch;
  DockerRegistry registry{root.path() + "/registry-root"};
  std::string bare;
  std::string host = registry.host();

  Race() {
    int n = 0;
    for (const char* tag : {"1.4.0", "1.4.1", "1.4.2", "1.5.0"}) {
      TestImage image;
      image.salt = tag;
      image.created = "2026-01-0" + std::to_string(++n) + "T00:00:00Z";
      PushImage(host, "acme/api", tag, image);
    }
    bare = CreateBareRepo(
        root.path() + "/git", "config.git",
        {{".capstan.yaml", Config(host, "~1.4")}, {kFile, Kustomization(host, "1.4.1", "2.0.0")}});
    RunGit(bare, "config core.logAllRefUpdates always");  // a reflog on the server, to audit
  }

  // One `capstan-watch --once` through git daemon, its remote's first push raced by `edit`.
  ShellResult Watch(const std::string& edit, const std::string& message) {
    RaceNextPush(bare, scratch.path(), edit, message);
    GitDaemon daemon(root.path() + "/git");
    auto started = std::chrono::steady_clock::now();
    ShellResult r =
        RunShell(work.path(), "GIT_TERMINAL_PROMPT=0 HOME=" + ShellQuote(work.path()) + " " +
                                  ShellQuote(kWatch) + " --once --repo " +
                                  ShellQuote(daemon.url("config.git")) +
                                  " --branch main --cache-dir cache --author 'Watch Bot "
                                  "<watch@example.com>'");
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::steady_clock::now() - started)
                  .count();
    WARN("capstan-watch --once raced by '" << message << "': " << ms << " ms");
    return r;
  }

  std::string Subjects() { return RunGit(bare, "log --format=%s main"); }
  std::string File() { return RunGit(bare, "show main:" + kFile); }
  // One parent per commit, and every value the branch had since the race (the human's push,
  // then watch's when it pushed) is an ancestor of its tip.
  void CheckLinearAndNeverForced(int updates) {
    CHECK(RunGit(bare, "rev-list --merges main").empty());
    CHECK(RunShell(bare, "git fsck --no-progress --strict").exit_code == 0);
    ShellResult forced = RunShell(bare,
                                  "n=0; for c in $(git reflog show --format=%H main); do "
                                  "n=$((n+1)); git merge-base --is-ancestor $c main || echo $c; "
                                  "done; echo $n updates");
    CHECK(forced.output == std::to_string(updates) + " updates\n");
  }
};

std::string Sed(const std::string& from, const std::string& to, const std::string& file) {
  return "sed -i 's|" + from + "|" + to + "|' " + file;
}

TEST_CASE("capstan-watch raced by a human edit of another line of the same file re-applies on it",
          "[integration][watch]") {
  Race race;
  ShellResult r = race.Watch(Sed("newTag: 2.0.0", "newTag: 2.1.0", kFile), "web 2.1.0");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(race.Subjects() ==
        "capstan-watch: " + race.host + "/acme/api 1.4.1 -> 1.4.2\nweb 2.1.0\ninitial commit\n");
  CHECK(race.File() == Kustomization(race.host, "1.4.2", "2.1.0"));
  CHECK(r.output.find("(re-applied on the moved remote, attempt 2)") != std::string::npos);
  CHECK(r.output.find("summary: 1 images checked, 1 update, 0 errors") != std::string::npos);
  race.CheckLinearAndNeverForced(2);
}

TEST_CASE("capstan-watch raced by a human setting the same line to a newer tag keeps the human's",
          "[integration][watch]") {
  // 1.5.0 is in the registry (outside ~1.4); 1.9.0 is not there at all.
  std::string newer = GENERATE("1.5.0", "1.9.0");
  CAPTURE(newer);
  Race race;
  ShellResult r = race.Watch(Sed("newTag: 1.4.1", "newTag: " + newer, kFile), "api " + newer);
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(race.Subjects() == "api " + newer + "\ninitial commit\n");
  CHECK(race.File() == Kustomization(race.host, newer, "2.0.0"));
  CHECK(r.output.find(race.host + "/acme/api: Git has " + newer + ", newer than 1.4.2: kept") !=
        std::string::npos);
  CHECK(r.output.find("pushed ") == std::string::npos);
  CHECK(r.output.find("summary: 1 images checked, 0 updates, 0 errors") != std::string::npos);
  race.CheckLinearAndNeverForced(1);
}

TEST_CASE("capstan-watch raced by a human setting the same line to an older tag moves it forward",
          "[integration][watch]") {
  Race race;
  ShellResult r = race.Watch(Sed("newTag: 1.4.1", "newTag: 1.4.0", kFile), "api back to 1.4.0");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(race.Subjects() == "capstan-watch: " + race.host +
                               "/acme/api 1.4.0 -> 1.4.2\napi back to 1.4.0\ninitial commit\n");
  CHECK(RunGit(race.bare, "log -1 --format=%b main")
            .find(race.host + "/acme/api: 1.4.0 -> 1.4.2 (semver ~1.4;") != std::string::npos);
  CHECK(race.File() == Kustomization(race.host, "1.4.2", "2.0.0"));
  // The report tells what was pushed, not what the first attempt would have.
  CHECK(r.output.find(race.host + "/acme/api: 1.4.0 -> 1.4.2") != std::string::npos);
  race.CheckLinearAndNeverForced(2);
}

TEST_CASE("capstan-watch raced by a human changing the policy starts the cycle again under it",
          "[integration][watch]") {
  Race race;
  ShellResult r =
      race.Watch(Sed("constraint: \"~1.4\"", "constraint: \"~1.5\"", ".capstan.yaml"), "api ~1.5");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(race.Subjects() ==
        "capstan-watch: " + race.host + "/acme/api 1.4.1 -> 1.5.0\napi ~1.5\ninitial commit\n");
  CHECK(race.File() == Kustomization(race.host, "1.5.0", "2.0.0"));
  CHECK(r.output.find(".capstan.yaml changed on the remote: starting the cycle again") !=
        std::string::npos);
  // Both starts asked the registry; the summary counts both.
  CHECK(r.output.find("tags 2") != std::string::npos);
  race.CheckLinearAndNeverForced(2);
}

}  // namespace
}  // namespace capstan::testing
