// The GitLab CI templates (actions/gitlab/templates) run the way a shell runner runs them: by
// gitlab-ci-local (tests/npm) with its shell executor on fixture repositories that include the
// templates with `include: local:` and find the built tools on PATH. Offline: no docker, no
// network; gitlab-ci-local's state stays in the fixture (.gitlab-ci-local/) and its home in the
// temp dir.
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "support/fake_argocd.h"
#include "support/git_servers.h"
#include "support/json_schema.h"
#include "support/manual_clock.h"
#include "support/npm_tools.h"
#include "support/shared_data.h"
#include "support/shell.h"
#include "support/temp_repo.h"

namespace capstan::testing {
namespace {

const std::string kTools = std::string(CAPSTAN_BINARY_DIR) + "/tools";
const std::string kTemplates = std::string(CAPSTAN_SOURCE_DIR) + "/actions/gitlab/templates";
const std::string kSecretDetectionSchema =
    CAPSTAN_SHARED_DIR "/data/gitlab/secret-detection-report-format-15.1.4.json";
const std::string kValidateReport = "gl-code-quality-report-capstan-validate.json";
const std::string kScanReport = "gl-code-quality-report-capstan-scan.json";
const std::string kSecretReport = "gl-secret-detection-report.json";

// Split so that this file holds no AWS key of its own.
const std::string kAwsKey = std::string("AKIA") + "IOSFODNN7EXAMPL" + "Q";

const std::string kConfigMap =
    "apiVersion: v1\n"
    "kind: ConfigMap\n"
    "metadata: {name: web}\n"
    "data: {LOG_LEVEL: info}\n";

const std::string kKustomization =
    "apiVersion: kustomize.config.k8s.io/v1beta1\n"
    "kind: Kustomization\n"
    "resources: [configmap.yaml]\n"
    "images:\n"
    "  - name: ghcr.io/acme/api\n"
    "    newTag: 1.4.1\n";

// The includes of every template, as a user writes them (bump's image is mandatory).
const std::string kIncludeAll =
    "include:\n"
    "  - local: ci/validate.yml\n"
    "    inputs: {paths: apps}\n"
    "  - local: ci/scan.yml\n"
    "  - local: ci/bump.yml\n"
    "    inputs: {image: ghcr.io/acme/api, tag: 1.4.2, message: 'deploy {image} {new}'}\n"
    "  - local: ci/sync.yml\n"
    "  - local: ci/watch.yml\n";

// gitlab-ci-local reads the project's URL from this remote (origin may be a local path).
constexpr const char* kProjectUrl = "https://gitlab.example.com/acme/config.git";

void RequireTools() {
  for (const char* tool :
       {"capstan-validate", "capstan-scan", "capstan-bump", "capstan-sync", "capstan-watch"}) {
    INFO("the GitLab CI tests run the built " << tool << "; build it first");
    REQUIRE(std::filesystem::exists(kTools + "/" + tool));
  }
}

// A temp dir holding the fixture repositories and gitlab-ci-local's home.
struct GitLabCi {
  TempDir tmp;
  std::string gcl = NpmTool("gitlab-ci-local");

  // Makes dir a repository on main (or uses the one there) with the templates under ci/, the
  // given .gitlab-ci.yml and files, all committed.
  void Project(const std::string& dir, const std::string& gitlab_ci,
               const std::map<std::string, std::string>& files = {}) {
    if (!std::filesystem::exists(dir + "/.git")) InitRepo(dir);
    RunGit(dir, "config user.name CI");  // gitlab-ci-local reads it for GITLAB_USER_NAME
    RunGit(dir, "config user.email ci@example.com");
    std::filesystem::create_directories(dir + "/ci");
    for (const auto& entry : std::filesystem::directory_iterator(kTemplates)) {
      std::filesystem::copy_file(entry.path(), dir + "/ci/" + entry.path().filename().string(),
                                 std::filesystem::copy_options::overwrite_existing);
    }
    WriteFile(dir + "/.gitlab-ci.yml", gitlab_ci);
    WriteFile(dir + "/.gitignore", ".gitlab-ci-local/\n");
    for (const auto& [path, content] : files) WriteFile(dir + "/" + path, content);
    AddProjectUrl(dir);
    CommitAll(dir, "project");
  }

  static void AddProjectUrl(const std::string& dir) {
    RunShell(dir, "git remote remove gcl-origin 2>/dev/null; git remote add gcl-origin " +
                      std::string(kProjectUrl));
  }

  // gitlab-ci-local in dir with the shell executor (no docker), the built tools first on PATH,
  // no JSON schema check unless asked for (it takes seconds), and `args` (jobs, --variable ...).
  // Its jobs share dir's working tree (a runner gives each its own), so they run one at a time:
  // a scan walking the tree must not meet another job's report half-written.
  ShellResult Run(const std::string& dir, const std::string& args, bool schema_check = false) {
    std::string home = tmp / "home";
    std::filesystem::create_directories(home);
    return RunShell(
        dir, "export HOME=" + ShellQuote(home) + " PATH=" + ShellQuote(kTools + ":/usr/bin:/bin") +
                 "\n" + ShellQuote(gcl) + " --home " + ShellQuote(home) +
                 " --force-shell-executor --concurrency 1 --no-color --max-job-name-padding 0" +
                 " --ignore-predefined-vars "
                 "CI_PIPELINE_SOURCE,CI_PROJECT_URL,CI_COMMIT_BEFORE_SHA" +
                 (schema_check ? "" : " --no-json-schema-validation") + " " + args);
  }
};

nlohmann::json ReadJson(const std::string& path) {
  std::string text = ReadFile(path);
  INFO(path);
  REQUIRE(!text.empty());
  CHECK(text.rfind("\xEF\xBB\xBF", 0) != 0);  // GitLab refuses a BOM
  return nlohmann::json::parse(text);
}

// A Code Quality report as GitLab reads it: a JSON array of Code Climate issues with the keys
// the widget needs. Returns the paths its issues name.
std::set<std::string> CheckCodeQuality(const std::string& path) {
  nlohmann::json report = ReadJson(path);
  INFO(path << ": " << report.dump(2));
  REQUIRE(report.is_array());
  std::set<std::string> paths;
  for (const nlohmann::json& issue : report) {
    CHECK(issue["description"].is_string());
    CHECK(issue["check_name"].is_string());
    CHECK(issue["fingerprint"].is_string());
    CHECK(std::set<std::string>{"info", "minor", "major", "critical", "blocker"}.count(
              issue["severity"].get<std::string>()) == 1);
    CHECK(issue["location"]["lines"]["begin"].is_number_integer());
    paths.insert(issue["location"]["path"].get<std::string>());
  }
  return paths;
}

// A secret detection report valid against GitLab's 15.x schema. Returns the files it names.
std::set<std::string> CheckSecretDetection(const std::string& path) {
  nlohmann::json report = ReadJson(path);
  INFO(path << ": " << report.dump(2));
  std::set<std::string> files;
  if (RequireSharedData("data/gitlab")) {
    std::vector<std::string> errors = ValidateAgainstSchema(report, kSecretDetectionSchema);
    for (const std::string& e : errors) UNSCOPED_INFO(e);
    CHECK(errors.empty());
  }
  CHECK(report["scan"]["type"] == "secret_detection");
  for (const nlohmann::json& v : report["vulnerabilities"]) {
    files.insert(v["location"]["file"].get<std::string>());
  }
  return files;
}

// The jobs gitlab-ci-local would run, by name, with their `when` ("never": not in the pipeline).
std::map<std::string, std::string> Jobs(const ShellResult& listed) {
  // stdout holds the JSON (an array printed with two-space indentation), stderr notes around it
  std::size_t start = listed.output.find("\n[");
  std::size_t end = listed.output.find("\n]", start);
  INFO(listed.output);
  REQUIRE(end != std::string::npos);
  nlohmann::json jobs = nlohmann::json::parse(listed.output.substr(start + 1, end + 1 - start));
  std::map<std::string, std::string> out;
  for (const nlohmann::json& job : jobs) out[job["name"]] = job["when"];
  return out;
}

TEST_CASE("the GitLab templates pass GitLab's CI schema and add their jobs by pipeline source",
          "[integration][gitlab]") {
  RequireTools();
  GitLabCi ci;
  std::string repo = ci.tmp / "config";
  ci.Project(repo, kIncludeAll, {{"apps/web/configmap.yaml", kConfigMap}});

  ShellResult push = ci.Run(repo, "--list-json", /*schema_check=*/true);
  INFO(push.output);
  REQUIRE(push.exit_code == 0);
  CHECK(push.output.find("json schema validated") != std::string::npos);
  CHECK(Jobs(push) == std::map<std::string, std::string>{{"capstan-validate", "on_success"},
                                                         {"capstan-scan", "on_success"},
                                                         {"capstan-bump", "on_success"},
                                                         {"capstan-sync", "on_success"},
                                                         {"capstan-watch", "never"}});

  ShellResult schedule = ci.Run(repo, "--list-json --variable CI_PIPELINE_SOURCE=schedule");
  INFO(schedule.output);
  REQUIRE(schedule.exit_code == 0);
  CHECK(Jobs(schedule) == std::map<std::string, std::string>{{"capstan-validate", "never"},
                                                             {"capstan-scan", "never"},
                                                             {"capstan-bump", "never"},
                                                             {"capstan-sync", "never"},
                                                             {"capstan-watch", "on_success"}});

  ShellResult preview = ci.Run(repo, "--preview");
  INFO(preview.output);
  REQUIRE(preview.exit_code == 0);
  CHECK(preview.output.find("CAPSTAN_INPUT_PATHS: apps\n") != std::string::npos);
  CHECK(preview.output.find("CAPSTAN_INPUT_IMAGE: ghcr.io/acme/api\n") != std::string::npos);
  CHECK(preview.output.find("codequality: gl-code-quality-report-capstan-scan.json") !=
        std::string::npos);
  CHECK(preview.output.find("secret_detection: gl-secret-detection-report.json") !=
        std::string::npos);
  CHECK(preview.output.find("$[[") == std::string::npos);
}

TEST_CASE("the GitLab validate and scan jobs pass on a clean repository and write their reports",
          "[integration][gitlab]") {
  RequireTools();
  GitLabCi ci;
  std::string repo = ci.tmp / "config";
  ci.Project(repo, kIncludeAll, {{"apps/web/configmap.yaml", kConfigMap}});

  ShellResult r = ci.Run(repo, "capstan-validate capstan-scan");
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK(r.output.find("PASS  capstan-validate") != std::string::npos);
  CHECK(r.output.find("PASS  capstan-scan") != std::string::npos);
  CHECK(CheckCodeQuality(repo + "/" + kValidateReport).empty());
  CHECK(CheckCodeQuality(repo + "/" + kScanReport).empty());
  CHECK(CheckSecretDetection(repo + "/" + kSecretReport).empty());
}

TEST_CASE("the GitLab jobs fail on a planted secret and a broken manifest and still report them",
          "[integration][gitlab]") {
  RequireTools();
  GitLabCi ci;
  std::string repo = ci.tmp / "config";
  ci.Project(repo, kIncludeAll,
             {{"apps/web/configmap.yaml", "apiVersion: v1\nkind: ConfigMap\ndata: {a: b}\n"},
              {"notes/setup.md", "# Setup\n\nThe deploy user's key is " + kAwsKey + ".\n"}});

  ShellResult r = ci.Run(repo, "capstan-validate capstan-scan");
  INFO(r.output);
  CHECK(r.exit_code != 0);
  CHECK(r.output.find("FAIL  capstan-validate") != std::string::npos);
  CHECK(r.output.find("FAIL  capstan-scan") != std::string::npos);
  CHECK(r.output.find("notes/setup.md:3:") != std::string::npos);
  CHECK(r.output.find(kAwsKey) == std::string::npos);
  CHECK(CheckCodeQuality(repo + "/" + kValidateReport) ==
        std::set<std::string>{"apps/web/configmap.yaml"});
  CHECK(CheckCodeQuality(repo + "/" + kScanReport) == std::set<std::string>{"notes/setup.md"});
  CHECK(CheckSecretDetection(repo + "/" + kSecretReport) ==
        std::set<std::string>{"notes/setup.md"});
  CHECK(ReadFile(repo + "/" + kSecretReport).find(kAwsKey) == std::string::npos);
}

TEST_CASE("the GitLab validate job fails when its paths hold nothing to check",
          "[integration][gitlab]") {
  RequireTools();
  GitLabCi ci;
  std::string repo = ci.tmp / "config";
  ci.Project(repo,
             "include:\n"
             "  - local: ci/validate.yml\n"
             "    inputs: {paths: notes}\n"
             "  - local: ci/validate.yml\n"
             "    inputs: {paths: notes, allow-empty: true, job-name: validate-notes}\n",
             {{"notes/setup.md", "# Setup\n"}});

  ShellResult r = ci.Run(repo, "capstan-validate validate-notes");
  INFO(r.output);
  CHECK(r.exit_code != 0);
  CHECK(r.output.find("FAIL  capstan-validate") != std::string::npos);
  CHECK(r.output.find("no file was checked: the paths (notes) hold none") != std::string::npos);
  CHECK(r.output.find("PASS  validate-notes") != std::string::npos);
}

TEST_CASE("in a GitLab merge request pipeline the scan job scans the merge request's commits",
          "[integration][gitlab]") {
  RequireTools();
  GitLabCi ci;
  std::string repo = ci.tmp / "config";
  ci.Project(repo, kIncludeAll, {{"apps/web/configmap.yaml", kConfigMap}});
  std::string base = RevParse(repo, "HEAD");
  WriteFile(repo + "/notes/setup.md", "key " + kAwsKey + "\n");
  CommitAll(repo, "add notes");
  std::filesystem::remove(repo + "/notes/setup.md");
  CommitAll(repo, "remove the key again");
  const std::string merge_request =
      "capstan-scan --variable CI_PIPELINE_SOURCE=merge_request_event"
      " --variable CI_MERGE_REQUEST_DIFF_BASE_SHA=" +
      base;

  SECTION("a branch pipeline scans the tree, which is clean") {
    ShellResult r = ci.Run(repo, "capstan-scan");
    INFO(r.output);
    CHECK(r.exit_code == 0);
  }
  SECTION("the merge request's history holds the key") {
    ShellResult r = ci.Run(repo, merge_request);
    INFO(r.output);
    CHECK(r.exit_code != 0);
    CHECK(r.output.find("capstan-scan: scanning " + base + "..") != std::string::npos);
    CHECK(r.output.find("notes/setup.md:1:") != std::string::npos);
    CHECK(CheckSecretDetection(repo + "/" + kSecretReport) ==
          std::set<std::string>{"notes/setup.md"});
  }
  SECTION("a shallow clone that lacks the base fails, naming GIT_DEPTH") {
    RunShell(ci.tmp.path(), "git clone -q --depth 1 file://" + repo + " shallow");
    std::string shallow = ci.tmp / "shallow";
    GitLabCi::AddProjectUrl(shallow);
    ShellResult r = ci.Run(shallow, merge_request);
    INFO(r.output);
    CHECK(r.exit_code != 0);
    CHECK(r.output.find("shallow clone (GIT_DEPTH") != std::string::npos);
    CHECK(r.output.find("git-depth input (or variables: GIT_DEPTH) to 0") != std::string::npos);
  }
}

// A bare repository at <tmp>/server/acme/config.git holding a kustomization, for the jobs that
// push.
std::string ServeConfigRepo(GitLabCi& ci) {
  return CreateBareRepo(
      ci.tmp / "server", "acme/config.git",
      {{"apps/api/kustomization.yaml", kKustomization}, {"apps/api/configmap.yaml", kConfigMap}});
}

TEST_CASE("the GitLab bump job commits the new tag and pushes it with the token variable",
          "[integration][gitlab]") {
  RequireTools();
  GitLabCi ci;
  std::string bare = ServeConfigRepo(ci);
  HttpGitServer server(ci.tmp / "server", "project_123_bot", "glpat-capstan-test-3f9a1c");
  // What GitLab hands the job: the project's URL, and the token in a CI/CD variable.
  const std::string variables = "--variable CI_PROJECT_URL=" + server.url("acme/config") +
                                " --variable CAPSTAN_GIT_TOKEN=" + server.password();
  const std::string inputs =
      "image: ghcr.io/acme/api, tag: 1.4.2, paths: apps, username: " + server.user() +
      ", message: 'deploy {image} {new}', args: \"--author 'API CI <ci@example.com>'\"";
  std::string checkout;

  SECTION("this project's own checkout, whose origin holds a job token") {
    RunShell(
        ci.tmp.path(),
        "git clone -q " + ShellQuote(server.url_with_credentials("acme/config.git")) + " checkout");
    checkout = ci.tmp / "checkout";
    ci.Project(checkout, "include:\n  - local: ci/bump.yml\n    inputs: {" + inputs + "}\n");
    RunGit(checkout, "push -q origin main");
    // GitLab's origin URL carries the job token, which may not push: here it leads nowhere, so
    // the push has to go to $CI_PROJECT_URL.git with the token variable.
    RunGit(checkout, "remote set-url origin http://gitlab-ci-token:job-token@127.0.0.1:" +
                         std::to_string(ClosedPort()) + "/git/acme/config.git");
  }
  SECTION("another repository, cloned by the job") {
    checkout = ci.tmp / "app";
    ci.Project(checkout, "include:\n  - local: ci/bump.yml\n    inputs: {" + inputs +
                             ", repository: '" + server.url("acme/config.git") + "'}\n");
  }

  std::string before = RevParse(bare, "main");
  ShellResult r = ci.Run(checkout, "capstan-bump " + variables);
  INFO(r.output << server.log());
  REQUIRE(r.exit_code == 0);
  CHECK(r.output.find(server.password()) == std::string::npos);
  CHECK(RunGit(bare, "log -1 --format=%s%n%an main") == "deploy ghcr.io/acme/api 1.4.2\nAPI CI\n");
  CHECK(RunGit(bare, "rev-parse main~1") == before + "\n");
  CHECK(RunGit(bare, "diff --numstat main~1 main") == "1\t1\tapps/api/kustomization.yaml\n");
  std::string pushed = RevParse(bare, "main");
  CHECK(ReadFile(checkout + "/capstan-bump.env") ==
        "CAPSTAN_BUMP_COMMIT=" + pushed + "\nCAPSTAN_BUMP_CHANGED=true\n");

  // The same bump again finds the tag in place: nothing is pushed.
  ShellResult again = ci.Run(checkout, "capstan-bump " + variables);
  INFO(again.output);
  CHECK(again.exit_code == 0);
  CHECK(RevParse(bare, "main") == pushed);
  CHECK(ReadFile(checkout + "/capstan-bump.env") ==
        "CAPSTAN_BUMP_COMMIT=" + pushed + "\nCAPSTAN_BUMP_CHANGED=false\n");
}

TEST_CASE("the GitLab sync job deploys the Applications the push changed",
          "[integration][gitlab]") {
  RequireTools();
  if (!RequireSharedData("data/argocd/swagger.json")) return;
  GitLabCi ci;
  std::string repo = ci.tmp / "config";
  ci.Project(repo,
             "include:\n"
             "  - local: ci/sync.yml\n"
             "    inputs: {token-variable: ARGO_TOKEN, args: --plaintext --settle 0}\n",
             {{"apps/api/configmap.yaml", kConfigMap}, {"apps/web/configmap.yaml", kConfigMap}});
  RunGit(repo,
         "remote add origin https://gitlab-ci-token:job-token@gitlab.example.com/acme/config.git");
  std::string before = RevParse(repo, "HEAD");
  WriteFile(repo + "/apps/api/configmap.yaml", kConfigMap + "  LOG_FORMAT: json\n");
  std::string after = CommitAll(repo, "api logs json");

  // The fake's scripted time starts now, so that the tool's clock and its agree.
  ManualClock clock(std::chrono::system_clock::now());
  FakeArgoCd argo(clock, {.token = "argo-t0ken-3f9a1c"});
  for (const char* app : {"api", "web"}) {
    argo.AddApp(AppSpec{.name = app,
                        .repo_url = kProjectUrl,
                        .path = std::string("apps/") + app,
                        .revision = before},
                {.heads = {after}});
  }
  ShellResult r = ci.Run(repo, "capstan-sync --variable CI_COMMIT_BEFORE_SHA=" + before +
                                   " --variable ARGOCD_SERVER=" + argo.host() +
                                   " --variable ARGO_TOKEN=argo-t0ken-3f9a1c");
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK(r.output.find("argo-t0ken-3f9a1c") == std::string::npos);
  CHECK(argo.ViolationsText() == "");
  CHECK(argo.Count("list") == 1);
  CHECK(argo.Count("sync", "api") == 1);
  CHECK(argo.Count("sync", "web") == 0);
  CHECK(argo.App("api")["status"]["sync"]["revision"] == after);
  nlohmann::json report = ReadJson(repo + "/capstan-sync.json");
  INFO(report.dump(2));
  CHECK(report["tool"] == "capstan-sync");
  REQUIRE(report["deployments"].size() == 1);
  CHECK(report["deployments"][0]["name"] == "argocd/api");
  CHECK(report["deployments"][0]["outcome"] == "deployed");
}

TEST_CASE("the GitLab watch job runs one cycle on this project in a scheduled pipeline",
          "[integration][gitlab]") {
  RequireTools();
  GitLabCi ci;
  ServeConfigRepo(ci);
  HttpGitServer server(ci.tmp / "server", "project_123_bot", "glpat-capstan-test-3f9a1c");
  std::string repo = ci.tmp / "config";
  ci.Project(repo,
             "include:\n"
             "  - local: ci/watch.yml\n"
             "    inputs: {username: " +
                 server.user() + "}\n");

  ShellResult r = ci.Run(repo, "--variable CI_PIPELINE_SOURCE=schedule --variable CI_PROJECT_URL=" +
                                   server.url("acme/config") +
                                   " --variable CAPSTAN_GIT_TOKEN=" + server.password());
  INFO(r.output << server.log());
  CHECK(r.exit_code == 0);
  CHECK(r.output.find("PASS  capstan-watch") != std::string::npos);
  CHECK(r.output.find(server.password()) == std::string::npos);
  CHECK(std::filesystem::is_directory(repo + "/.capstan-cache"));
}

}  // namespace
}  // namespace capstan::testing
