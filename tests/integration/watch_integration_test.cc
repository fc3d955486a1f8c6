// capstan-watch end to end: the built binary against Debian's docker-registry (without auth and
// with htpasswd basic auth) and real git remotes (file://, git daemon with a racing pre-receive
// hook), all on 127.0.0.1 with ephemeral ports.

#include <catch2/catch.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>

#include "http/curl_client.h"
#include "support/git_servers.h"
#include "support/oci_registry.h"
#include "support/push_race.h"
#include "support/shell.h"
#include "support/temp_repo.h"

namespace capstan::testing {
namespace {

const std::string kWatch = std::string(CAPSTAN_BINARY_DIR) + "/tools/capstan-watch";

std::string Kustomization(const std::string& image, const std::string& tag) {
  return "apiVersion: kustomize.config.k8s.io/v1beta1\n"
         "kind: Kustomization\n"
         "resources: [deploy.yaml]\n"
         "images:\n"
         "  - name: " +
         image +
         "\n"
         "    newTag: " +
         tag + "  # managed by capstan-watch\n";
}

std::string Config(const std::string& image, const std::string& extra = "") {
  return "images:\n"
         "  - name: api\n"
         "    image: " +
         image +
         "\n"
         "    constraint: \"~1.4\"\n" +
         extra;
}

// A bare config repository whose kustomization pins `image` at 1.4.1 and whose .capstan.yaml
// watches it with the semver range ~1.4.
std::string ConfigRepo(const std::string& root, const std::string& image,
                       const std::string& config_extra = "") {
  return CreateBareRepo(root, "config.git",
                        {{".capstan.yaml", Config(image, config_extra)},
                         {"apps/api/kustomization.yaml", Kustomization(image, "1.4.1")},
                         {"README.md", "config repo\n"}});
}

// Tags 1.4.1, 1.4.2 (the one to pick), 1.5.0 (outside ~1.4) and 1.4.3-rc.1 (a pre-release).
void PushReleases(const std::string& host,
                  const std::optional<BasicCredentials>& creds = std::nullopt) {
  int n = 0;
  for (const char* tag : {"1.4.1", "1.4.2", "1.5.0", "1.4.3-rc.1"}) {
    TestImage image;
    image.salt = tag;
    image.created = "2026-01-0" + std::to_string(++n) + "T00:00:00Z";
    PushImage(host, "acme/api", tag, image, creds);
  }
}

ShellResult Watch(const std::string& dir, const std::string& args, const std::string& env = "") {
  return RunShell(dir, env + " GIT_TERMINAL_PROMPT=0 HOME=" + ShellQuote(dir) + " " +
                           ShellQuote(kWatch) + " " + args);
}

std::string Common(const std::string& bare, const std::string& cache) {
  return "--once --repo " + ShellQuote("file://" + bare) + " --branch main --cache-dir " +
         ShellQuote(cache) + " --author 'Watch Bot <watch@example.com>'";
}

TEST_CASE("capstan-watch commits a new semver tag once, and the next run does nothing",
          "[integration][watch]") {
  TempDir root, work;
  DockerRegistry registry(root.path() + "/registry-root");
  PushReleases(registry.host());
  const std::string image = registry.host() + "/acme/api";
  std::string bare = ConfigRepo(root.path() + "/git", image);

  ShellResult first = Watch(work.path(), Common(bare, work.path() + "/cache"));
  INFO(first.output << registry.log());
  REQUIRE(first.exit_code == 0);
  CHECK(RunGit(bare, "log --format=%s main") ==
        "capstan-watch: " + image + " 1.4.1 -> 1.4.2\ninitial commit\n");
  CHECK(RunGit(bare, "diff --numstat main~1 main") == "1\t1\tapps/api/kustomization.yaml\n");
  CHECK(RunGit(bare, "show main:apps/api/kustomization.yaml") == Kustomization(image, "1.4.2"));
  CHECK(RunGit(bare, "log -1 --format=%an%n%ae main") == "Watch Bot\nwatch@example.com\n");
  // The body lists the change and its place.
  CHECK(RunGit(bare, "log -1 --format=%b main")
            .find("apps/api/kustomization.yaml:6 kustomize-image") != std::string::npos);
  CHECK(first.output.find("summary: 1 images checked, 1 update, 0 errors") != std::string::npos);
  CHECK(first.output.find(" to file://" + bare + " main\n") != std::string::npos);

  const std::string tip = RunGit(bare, "rev-parse main");
  ShellResult second = Watch(work.path(), Common(bare, work.path() + "/cache"));
  INFO(second.output);
  REQUIRE(second.exit_code == 0);
  CHECK(RunGit(bare, "rev-parse main") == tip);
  CHECK(second.output.find("up to date (1.4.2)") != std::string::npos);
  CHECK(second.output.find("0 updates") != std::string::npos);
}

// The shipped CronJob (deploy/cronjob.yaml): HOME is an empty directory, there is no git
// configuration anywhere and no --author. Issue 14: every cycle that found an update failed.
// RunShell exports a fixed GIT_AUTHOR_*/GIT_COMMITTER_* identity; the case unsets it.
ShellResult WatchWithoutIdentity(const std::string& work, const std::string& bare,
                                 const std::string& vars) {
  TempDir home;
  ShellResult r = RunShell(
      work, "unset GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL; " +
                vars +
                " GIT_TERMINAL_PROMPT=0 GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null HOME=" +
                ShellQuote(home.path()) + " XDG_CONFIG_HOME=" + ShellQuote(home / ".config") + " " +
                ShellQuote(kWatch) + " --once --repo " + ShellQuote("file://" + bare) +
                " --branch main --cache-dir " + ShellQuote(work + "/cache"));
  CHECK(RunShell(home.path(), "ls -A").output.empty());
  return r;
}

TEST_CASE("capstan-watch with no git configuration and no --author commits as capstan",
          "[integration][watch]") {
  TempDir root, work;
  DockerRegistry registry(root.path() + "/registry-root");
  PushReleases(registry.host());
  const std::string image = registry.host() + "/acme/api";
  std::string bare = ConfigRepo(root.path() + "/git", image);

  SECTION("nothing configured: the default identity") {
    ShellResult r = WatchWithoutIdentity(work.path(), bare, "");
    INFO(r.output << registry.log());
    REQUIRE(r.exit_code == 0);
    CHECK(RunGit(bare, "show main:apps/api/kustomization.yaml") == Kustomization(image, "1.4.2"));
    CHECK(RunGit(bare, "log -1 --format=%an%n%ae%n%cn%n%ce main") ==
          "capstan\ncapstan@localhost\ncapstan\ncapstan@localhost\n");
  }
  SECTION("git's variables: author and committer apart") {
    ShellResult r =
        WatchWithoutIdentity(work.path(), bare,
                             "GIT_AUTHOR_NAME='Ann Author' GIT_AUTHOR_EMAIL=ann@example.com "
                             "GIT_COMMITTER_NAME='CI Runner' GIT_COMMITTER_EMAIL=ci@example.com");
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    CHECK(RunGit(bare, "log -1 --format=%an%n%ae%n%cn%n%ce main") ==
          "Ann Author\nann@example.com\nCI Runner\nci@example.com\n");
  }
}

TEST_CASE("capstan-watch asks the registry for one tag list and no manifest",
          "[integration][watch]") {
  TempDir root, work;
  DockerRegistry registry(root.path() + "/registry-root");
  PushReleases(registry.host());
  const std::string image = registry.host() + "/acme/api";
  std::string bare = ConfigRepo(root.path() + "/git", image);

  ShellResult r = Watch(work.path(), Common(bare, work.path() + "/cache") + " --log-format json");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  // Every stdout line is one JSON object; the cycle event counts the requests by kind.
  nlohmann::json cycle;
  std::istringstream lines(r.output);
  for (std::string line; std::getline(lines, line);) {
    nlohmann::json event = nlohmann::json::parse(line, nullptr, false);
    REQUIRE_FALSE(event.is_discarded());
    CHECK(event.contains("time"));
    if (event.value("msg", "") == "cycle") cycle = event;
  }
  REQUIRE(cycle.is_object());
  CHECK(cycle["updates"] == 1);
  CHECK(cycle["requests"] == nlohmann::json({{"ping", 1}, {"tags", 1}}));
}

TEST_CASE("capstan-watch pins the chosen tag's digest and picks a tag offering the wanted platform",
          "[integration][watch]") {
  TempDir root, work;
  DockerRegistry registry(root.path() + "/registry-root");
  const std::string image = registry.host() + "/acme/api";
  PushImage(registry.host(), "acme/api", "1.4.1", TestImage{});
  TestImage amd, arm;
  arm.architecture = "arm64";
  arm.salt = amd.salt = "1.4.2";
  std::string index = PushIndex(registry.host(), "acme/api", "1.4.2", {amd, arm});
  TestImage only_amd;
  only_amd.salt = "1.4.3";
  PushImage(registry.host(), "acme/api", "1.4.3", only_amd);
  std::string bare = ConfigRepo(root.path() + "/git", image,
                                "    platforms: [linux/arm64]\n    pin-digest: true\n");

  ShellResult r = Watch(work.path(), Common(bare, work.path() + "/cache"));
  INFO(r.output << registry.log());
  REQUIRE(r.exit_code == 0);
  std::string written = RunGit(bare, "show main:apps/api/kustomization.yaml");
  CHECK(written.find("newTag: 1.4.2") != std::string::npos);
  CHECK(written.find("digest: " + index) != std::string::npos);
}

TEST_CASE("capstan-watch --dry-run prints the diff and changes nothing", "[integration][watch]") {
  TempDir root, work;
  DockerRegistry registry(root.path() + "/registry-root");
  PushReleases(registry.host());
  const std::string image = registry.host() + "/acme/api";
  std::string bare = ConfigRepo(root.path() + "/git", image);
  const std::string tip = RunGit(bare, "rev-parse main");

  ShellResult r = Watch(work.path(), Common(bare, work.path() + "/cache") + " --dry-run");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(r.output.find("-    newTag: 1.4.1  # managed by capstan-watch\n+    newTag: 1.4.2  # "
                      "managed by capstan-watch\n") != std::string::npos);
  CHECK(RunGit(bare, "rev-parse main") == tip);
}

TEST_CASE(
    "capstan-watch exits 3 and commits nothing when the registry is down or refuses the password",
    "[integration][watch]") {
  TempDir root, work;
  SECTION("registry down") {
    const std::string image = "127.0.0.1:" + std::to_string(ClosedPort()) + "/acme/api";
    std::string bare = ConfigRepo(root.path() + "/git", image);
    const std::string tip = RunGit(bare, "rev-parse main");
    ShellResult r = Watch(work.path(), Common(bare, work.path() + "/cache"));
    INFO(r.output);
    CHECK(r.exit_code == 3);
    CHECK(r.output.find("cannot list tags of " + image) != std::string::npos);
    CHECK(RunGit(bare, "rev-parse main") == tip);
  }
  SECTION("wrong password in the Docker config, then the right one") {
    BasicCredentials alice{"alice", "pw-7c1e9a"};
    DockerRegistry registry(root.path() + "/registry-root", alice);
    PushReleases(registry.host(), alice);
    const std::string image = registry.host() + "/acme/api";
    std::string bare = ConfigRepo(root.path() + "/git", image);
    const std::string tip = RunGit(bare, "rev-parse main");
    auto docker_config = [&](const std::string& password) {
      std::string auth = BasicAuthorization({"alice", password}).substr(6);  // without "Basic "
      WriteFile(work.path() + "/.docker/config.json",
                "{\"auths\": {\"" + registry.host() + "\": {\"auth\": \"" + auth + "\"}}}");
    };
    docker_config("not-the-password");
    ShellResult wrong = Watch(work.path(), Common(bare, work.path() + "/cache"));
    INFO(wrong.output);
    CHECK(wrong.exit_code == 3);
    CHECK(wrong.output.find("credentials refused") != std::string::npos);
    CHECK(wrong.output.find("not-the-password") == std::string::npos);
    CHECK(RunGit(bare, "rev-parse main") == tip);

    docker_config(alice.password);
    ShellResult right = Watch(work.path(), Common(bare, work.path() + "/cache"));
    INFO(right.output);
    CHECK(right.exit_code == 0);
    CHECK(right.output.find(alice.password) == std::string::npos);
    CHECK(RunGit(bare, "show main:apps/api/kustomization.yaml") == Kustomization(image, "1.4.2"));
  }
}

TEST_CASE("capstan-watch re-applies on the moved remote: both commits end on the remote",
          "[integration][watch]") {
  TempDir root, work, scratch;
  DockerRegistry registry(root.path() + "/registry-root");
  PushReleases(registry.host());
  const std::string image = registry.host() + "/acme/api";
  std::string bare = ConfigRepo(root.path() + "/git", image);
  // On the first push only, another clone pushes first (the server's own hook), so our update of
  // main is refused as in a real race.
  RaceNextPush(bare, scratch.path(), "echo 'a human edit' > README.md", "human edit");
  GitDaemon daemon(root.path() + "/git");

  // A checkout this time: it pushes to its origin and follows the pushed commit.
  REQUIRE(RunShell(work.path(), "git clone -q " + ShellQuote(daemon.url("config.git")) + " ci")
              .exit_code == 0);
  const std::string ci = work.path() + "/ci";
  ShellResult r = Watch(work.path(), "--once --repo ci --author 'Watch Bot <watch@example.com>'");
  INFO(r.output << daemon.log());
  REQUIRE(r.exit_code == 0);
  CHECK(RunGit(bare, "log --format=%s main") ==
        "capstan-watch: " + image + " 1.4.1 -> 1.4.2\nhuman edit\ninitial commit\n");
  CHECK(RunGit(bare, "show main:README.md") == "a human edit\n");
  CHECK(RunGit(bare, "show main:apps/api/kustomization.yaml") == Kustomization(image, "1.4.2"));
  CHECK(RunGit(ci, "rev-parse HEAD") == RunGit(bare, "rev-parse main"));
  CHECK(RunGit(ci, "status --porcelain").empty());
}

TEST_CASE("capstan-watch --push-branch leaves the base branch alone", "[integration][watch]") {
  TempDir root, work;
  DockerRegistry registry(root.path() + "/registry-root");
  PushReleases(registry.host());
  const std::string image = registry.host() + "/acme/api";
  std::string bare = ConfigRepo(root.path() + "/git", image);
  const std::string tip = RunGit(bare, "rev-parse main");

  ShellResult r =
      Watch(work.path(), Common(bare, work.path() + "/cache") + " --push-branch capstan/updates");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(RunGit(bare, "rev-parse main") == tip);
  CHECK(RunGit(bare, "rev-parse capstan/updates~1") == tip);
  CHECK(RunGit(bare, "show capstan/updates:apps/api/kustomization.yaml") ==
        Kustomization(image, "1.4.2"));
}

TEST_CASE("capstan-watch follows Argo CD Image Updater annotations and Flux policies",
          "[integration][watch]") {
  TempDir root, work;
  DockerRegistry registry(root.path() + "/registry-root");
  PushReleases(registry.host());
  for (const char* tag : {"main-100", "main-250", "main-99", "pr-300"}) {
    TestImage image;
    image.salt = tag;
    PushImage(registry.host(), "acme/web", tag, image);
  }
  const std::string api = registry.host() + "/acme/api";
  const std::string web = registry.host() + "/acme/web";
  std::string bare =
      CreateBareRepo(root.path() + "/git", "config.git",
                     {{"argocd/api.yaml",
                       "apiVersion: argoproj.io/v1alpha1\n"
                       "kind: Application\n"
                       "metadata:\n"
                       "  name: api\n"
                       "  annotations:\n"
                       "    argocd-image-updater.argoproj.io/image-list: api=" +
                           api +
                           ":~1.4\n"
                           "    argocd-image-updater.argoproj.io/write-back-method: git\n"
                           "    argocd-image-updater.argoproj.io/write-back-target: kustomization\n"
                           "spec:\n"
                           "  source:\n"
                           "    repoURL: https://git.example.com/config.git\n"
                           "    path: apps/api\n"},
                      {"apps/api/kustomization.yaml", Kustomization(api, "1.4.1")},
                      {"flux/web.yaml",
                       "apiVersion: image.toolkit.fluxcd.io/v1beta2\n"
                       "kind: ImageRepository\n"
                       "metadata: {name: web, namespace: flux-system}\n"
                       "spec: {image: " +
                           web +
                           "}\n"
                           "---\n"
                           "apiVersion: image.toolkit.fluxcd.io/v1beta2\n"
                           "kind: ImagePolicy\n"
                           "metadata: {name: web, namespace: flux-system}\n"
                           "spec:\n"
                           "  imageRepositoryRef: {name: web}\n"
                           "  filterTags: {pattern: '^main-(?P<n>[0-9]+)$', extract: '$n'}\n"
                           "  policy: {numerical: {order: asc}}\n"},
                      {"apps/web/deploy.yaml",
                       "apiVersion: apps/v1\n"
                       "kind: Deployment\n"
                       "metadata: {name: web}\n"
                       "spec:\n"
                       "  template:\n"
                       "    spec:\n"
                       "      containers:\n"
                       "        - name: web\n"
                       "          image: " +
                           web + ":main-100 # {\"$imagepolicy\": \"flux-system:web\"}\n"}});

  ShellResult r = Watch(work.path(), Common(bare, work.path() + "/cache"));
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(RunGit(bare, "log -1 --format=%s main") == "capstan-watch: update 2 images\n");
  CHECK(RunGit(bare, "show main:apps/api/kustomization.yaml") == Kustomization(api, "1.4.2"));
  CHECK(RunGit(bare, "show main:apps/web/deploy.yaml").find("image: " + web + ":main-250 # {") !=
        std::string::npos);
  CHECK(RunGit(bare, "diff --numstat main~1 main") ==
        "1\t1\tapps/api/kustomization.yaml\n1\t1\tapps/web/deploy.yaml\n");
}

TEST_CASE("capstan-watch in loop mode serves Prometheus metrics", "[integration][watch]") {
  TempDir root, work;
  DockerRegistry registry(root.path() + "/registry-root");
  PushReleases(registry.host());
  const std::string image = registry.host() + "/acme/api";
  std::string bare = ConfigRepo(root.path() + "/git", image);
  std::string args = Common(bare, work.path() + "/cache");
  args.replace(0, 6, "");  // without --once
  const std::string out = work.path() + "/watch.out";
  ShellResult started =
      Watch(work.path(), args + " --interval 4s --cycles 2 --metrics-addr 127.0.0.1:0 > " +
                             ShellQuote(out) + " 2>&1 & echo $! > watch.pid");
  REQUIRE(started.exit_code == 0);

  // Wait for the first cycle's summary, then scrape during the pause before the second.
  std::string log;
  for (int i = 0; i < 300 && log.find("summary:") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    log = RunShell(work.path(), "cat " + ShellQuote(out)).output;
  }
  INFO(log);
  std::size_t at = log.find("serving metrics on port ");
  REQUIRE(at != std::string::npos);
  std::string port = log.substr(at + 24, log.find('\n', at) - at - 24);
  http::CurlHttpClient client;
  HttpRequest request;
  request.url = "http://127.0.0.1:" + port + "/metrics";
  Result<HttpResponse> scrape = client.Send(request);
  REQUIRE(scrape.ok());
  INFO(scrape->body);
  CHECK(scrape->status == 200);
  CHECK(scrape->body.find("capstan_watch_cycles_total{result=\"ok\"} 1\n") != std::string::npos);
  CHECK(scrape->body.find("capstan_watch_commits_total 1\n") != std::string::npos);
  CHECK(scrape->body.find("capstan_watch_registry_requests_total{host=\"" + registry.host() +
                          "\",kind=\"tags\"} 1\n") != std::string::npos);
  request.url = "http://127.0.0.1:" + port + "/other";
  Result<HttpResponse> missing = client.Send(request);
  REQUIRE(missing.ok());
  CHECK(missing->status == 404);
  ShellResult waited =
      RunShell(work.path(), "while kill -0 $(cat watch.pid) 2>/dev/null; do sleep 0.2; done; cat " +
                                ShellQuote(out));
  CHECK(waited.output.find("up to date (1.4.2)") != std::string::npos);
}

}  // namespace
}  // namespace capstan::testing
