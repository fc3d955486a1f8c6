// The GitHub composite actions (actions/<tool>/action.yml) run as the Actions runner runs them
// (tests/support/action_runner.h), with the built capstan on PATH, on fixture repositories:
// outputs, the annotation budget, the job summary, escaping, exit codes, shallow clones, and
// @action-validator/cli's verdict on every action and example workflow.
#include <catch2/catch.hpp>
#include <filesystem>

#include "support/action_runner.h"
#include "support/npm_tools.h"
#include "support/shell.h"
#include "support/temp_repo.h"

namespace capstan::testing {
namespace {

const std::string kSource = CAPSTAN_SOURCE_DIR;
const std::string kPath = std::string(CAPSTAN_BINARY_DIR) + "/tools:/usr/bin:/bin";

// A Deployment whose replicas is a string: one schema error at line 6.
const std::string kBadDeployment =
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: \"two\"\n"
    "  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: "
    "web}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n";
const std::string kConfigMap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n";
const std::string kAwsKey = std::string("AKIA") + "IOSFODNN7EXAMPL" + "Q";

ActionRun Action(const std::string& name, const std::string& workspace) {
  ActionRun run;
  run.action_dir = kSource + "/actions/" + name;
  run.workspace = workspace;
  run.path = kPath;
  return run;
}

int Count(const std::string& text, const std::string& needle) {
  int n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
    ++n;
  return n;
}

std::vector<std::string> ActionNames() {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(kSource + "/actions")) {
    if (std::filesystem::exists(e.path() / "action.yml")) names.push_back(e.path().filename());
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST_CASE("there is an action per tool and setup, and each passes the runner's rules",
          "[integration][actions]") {
  CHECK(ActionNames() ==
        std::vector<std::string>{"bump", "scan", "setup", "sync", "validate", "watch"});
  for (const std::string& name : ActionNames()) {
    INFO(name);
    CHECK(LintAction(kSource + "/actions/" + name + "/action.yml") == std::vector<std::string>{});
  }
}

TEST_CASE("action-validator accepts every action and every example workflow",
          "[integration][actions]") {
  std::string validator = NpmTool("action-validator");
  if (validator.empty()) return;
  std::vector<std::string> files;
  for (const std::string& name : ActionNames()) files.push_back("actions/" + name + "/action.yml");
  for (const auto& e : std::filesystem::directory_iterator(kSource + "/examples/.github/workflows"))
    files.push_back("examples/.github/workflows/" + e.path().filename().string());
  CHECK(files.size() >= 10);
  for (const std::string& file : files) {
    ShellResult r = RunShell(kSource, ShellQuote(validator) + " " + ShellQuote(file));
    INFO(file << "\n" << r.output);
    CHECK(r.exit_code == 0);
  }
  // It does reject what is wrong: an action whose step has no shell.
  TempDir dir;
  WriteFile(dir / "action.yml",
            "name: x\ndescription: y\nruns:\n  using: composite\n  steps:\n    - run: echo\n");
  CHECK(RunShell(dir.path(), ShellQuote(validator) + " action.yml").exit_code != 0);
}

TEST_CASE("validate with 30 findings: 10 error annotations, one notice, 30 summary rows",
          "[integration][actions]") {
  TempDir ws;
  for (int i = 0; i < 30; ++i)
    WriteFile(ws / ("apps/bad" + std::to_string(i) + ".yaml"), kBadDeployment);
  WriteFile(ws / "apps/ok.yaml", kConfigMap);
  ActionRun run = Action("validate", ws.path());
  run.inputs = {{"paths", "apps"}};
  run.summary_before = "earlier step\n";
  ActionResult r = RunAction(run);
  INFO(r.stderr_text);
  CHECK(r.exit_code == 1);
  CHECK(r.outputs["exit-code"] == "1");
  CHECK(r.outputs["findings"] == "30");
  CHECK(r.outputs["errors"] == "30");
  CHECK(WorkflowCommands(r.stdout_text, "error").size() == 10);
  std::vector<std::string> notices = WorkflowCommands(r.stdout_text, "notice");
  REQUIRE(notices.size() == 1);
  CHECK(notices[0].find("20") != std::string::npos);
  CHECK(r.summary.starts_with("earlier step\n"));  // appended, not replaced
  CHECK(Count(r.summary, "| error |") == 30);
  REQUIRE(!r.outputs["sarif"].empty());
  CHECK(ReadFile(r.outputs["sarif"]).find("\"version\": \"2.1.0\"") != std::string::npos);
  CHECK(ReadFile(r.outputs["report"]).find("\"errors\": 30") != std::string::npos);
  CHECK(r.uses.empty());  // sarif: false uploads nothing

  run.inputs["sarif"] = "true";
  run.inputs["max-annotations"] = "3";
  ActionResult uploaded = RunAction(run);
  CHECK(WorkflowCommands(uploaded.stdout_text, "error").size() == 3);
  REQUIRE(uploaded.uses.size() == 1);
  CHECK(uploaded.uses[0].uses == "github/codeql-action/upload-sarif@v3");
  CHECK(uploaded.uses[0].with["sarif_file"] == uploaded.outputs["sarif"]);
}

TEST_CASE("annotation properties escape %, comma and colon in a file name",
          "[integration][actions]") {
  TempDir ws;
  WriteFile(ws / "50%,a:b.yaml", kBadDeployment);
  ActionResult r = RunAction(Action("validate", ws.path()));
  CHECK(r.exit_code == 1);
  std::vector<std::string> errors = WorkflowCommands(r.stdout_text, "error");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].starts_with("::error file=50%25%2Ca%3Ab.yaml,line=6,"));
}

TEST_CASE("a validate that checks nothing fails unless allow-empty says so",
          "[integration][actions]") {
  TempDir ws;
  std::filesystem::create_directories(ws / "empty");
  ActionRun run = Action("validate", ws.path());
  run.inputs = {{"paths", "empty"}};
  ActionResult r = RunAction(run);
  CHECK(r.exit_code == 2);
  CHECK(r.outputs["exit-code"] == "2");
  CHECK(r.stdout_text.find("::error title=capstan validate::no file was checked") !=
        std::string::npos);
  run.inputs["allow-empty"] = "true";
  CHECK(RunAction(run).exit_code == 0);
}

TEST_CASE("inputs reach the tools as words, never as shell code", "[integration][actions]") {
  TempDir ws;
  WriteFile(ws / "a b/ok.yaml", kConfigMap);
  WriteFile(ws / "bad.yaml", kBadDeployment);
  ActionRun run = Action("validate", ws.path());
  run.inputs = {{"paths", "$(touch pwned) *.yaml"}, {"args", "--skip 'Deployment' --jobs 1"}};
  ActionResult r = RunAction(run);
  CHECK(!std::filesystem::exists(ws / "pwned"));
  CHECK(r.exit_code == 2);  // no substitution, no glob: the words are paths that do not exist
  CHECK(r.stderr_text.find("cannot read '$(touch'") != std::string::npos);
  CHECK(r.stderr_text.find("cannot read '*.yaml'") != std::string::npos);
  run.inputs = {{"paths", "bad.yaml"}, {"args", "--skip 'Deployment'"}};
  CHECK(RunAction(run).exit_code == 0);  // the quoted word reached --skip
  run.inputs = {{"paths", "bad.yaml"}, {"args", "--skip 'Deployment"}};
  ActionResult unmatched = RunAction(run);
  CHECK(unmatched.exit_code == 2);
  CHECK(unmatched.stdout_text.find("::error title=capstan::cannot split INPUT_ARGS") !=
        std::string::npos);
}

TEST_CASE("scan passes a clean tree and fails on a planted key without printing it",
          "[integration][actions]") {
  TempDir ws;
  WriteFile(ws / "apps/cm.yaml", kConfigMap);
  ActionResult clean = RunAction(Action("scan", ws.path()));
  INFO(clean.stderr_text);
  CHECK(clean.exit_code == 0);
  CHECK(clean.outputs["findings"] == "0");
  WriteFile(ws / "apps/app.env", "AWS_ACCESS_KEY_ID=" + kAwsKey + "\n");
  ActionResult leak = RunAction(Action("scan", ws.path()));
  CHECK(leak.exit_code == 1);
  CHECK(leak.outputs["findings"] == "1");
  CHECK(WorkflowCommands(leak.stdout_text, "error").size() == 1);
  for (const std::string* text : {&leak.stdout_text, &leak.stderr_text, &leak.summary}) {
    CHECK(text->find(kAwsKey) == std::string::npos);
  }
  CHECK(ReadFile(leak.outputs["sarif"]).find(kAwsKey) == std::string::npos);
}

TEST_CASE("scan range auto reads the pull request's commits and fails loudly on a shallow clone",
          "[integration][actions]") {
  TempDir dir;
  InitRepo(dir / "origin");
  WriteFile(dir / "origin/cm.yaml", kConfigMap);
  std::string base = CommitAll(dir / "origin", "base");
  WriteFile(dir / "origin/app.env", "AWS_ACCESS_KEY_ID=" + kAwsKey + "\n");
  CommitAll(dir / "origin", "leak");
  RunGit(dir / "origin", "rm -q app.env");
  std::string head = CommitAll(dir / "origin", "hide it");
  RunGit(dir.path(), "clone -q file://" + dir.path() + "/origin full");
  RunGit(dir.path(), "clone -q --depth 1 file://" + dir.path() + "/origin shallow");

  for (const std::string event : {"pull_request", "pull_request_target", "merge_group"}) {
    INFO(event);
    ActionRun run = Action("scan", dir / "full");
    run.inputs = {{"range", "auto"}};
    run.event_name = event;
    run.event = {{"pull_request", {{"base", {{"sha", base}}}, {"head", {{"sha", head}}}}},
                 {"merge_group", {{"base_sha", base}, {"head_sha", head}}}};
    ActionResult r = RunAction(run);
    CHECK(r.exit_code == 1);  // the tree is clean; the range holds the key
    CHECK(r.outputs["findings"] == "1");
    run.workspace = dir / "shallow";
    ActionResult shallow = RunAction(run);
    CHECK(shallow.exit_code == 2);
    CHECK(shallow.stderr_text.find("fetch-depth: 0") != std::string::npos);
  }
  ActionRun push = Action("scan", dir / "full");
  push.inputs = {{"range", "auto"}};
  push.event_name = "push";
  push.sha = head;
  push.event = {{"before", base}};
  CHECK(RunAction(push).exit_code == 1);
  ActionRun schedule = Action("scan", dir / "full");
  schedule.inputs = {{"range", "auto"}};
  schedule.event_name = "schedule";
  ActionResult tree = RunAction(schedule);
  CHECK(tree.exit_code == 0);  // no range on a schedule: the (clean) working tree
  CHECK(tree.stderr_text.find("scanning the working tree") != std::string::npos);
}

TEST_CASE("bump commits once, reports the commit and the changes, and is idempotent",
          "[integration][actions]") {
  TempDir dir;
  InitRepo(dir / "work");
  WriteFile(dir / "work/apps/api/kustomization.yaml",
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
            "images:\n  - name: ghcr.io/acme/api\n    newTag: 1.4.1\n");
  CommitAll(dir / "work", "init");
  RunGit(dir.path(), "clone -q --bare work origin");
  RunGit(dir.path(), "clone -q file://" + dir.path() + "/origin ci");
  ActionRun run = Action("bump", dir / "ci");
  run.inputs = {{"image", "ghcr.io/acme/api"},
                {"tag", "1.5.0"},
                {"push", "true"},
                {"author", "CI <ci@example.com>"}};
  ActionResult r = RunAction(run);
  INFO(r.stdout_text << r.stderr_text);
  CHECK(r.exit_code == 0);
  CHECK(r.outputs["changed"] == "true");
  CHECK(r.outputs["changes"] == "apps/api/kustomization.yaml:5: 1.4.1 -> 1.5.0");
  CHECK(r.outputs["commit-sha"].size() == 40);
  CHECK(RevParse(dir / "origin", "main") == r.outputs["commit-sha"]);
  ActionResult again = RunAction(run);
  CHECK(again.exit_code == 0);
  CHECK(again.outputs["changed"] == "false");
  CHECK(again.outputs["commit-sha"] == "");
  CHECK(again.outputs["changes"] == "");
  run.inputs["require-match"] = "true";
  run.inputs["image"] = "ghcr.io/acme/other";
  ActionResult missing = RunAction(run);
  CHECK(missing.exit_code == 1);
  CHECK(missing.outputs["exit-code"] == "1");
}

TEST_CASE("setup refuses a .deb that is not there and reuses a cached build",
          "[integration][actions]") {
  TempDir ws;
  ActionRun run = Action("setup", ws.path());
  run.inputs = {{"deb", "missing/capstan_0.1.0_amd64.deb"}};
  ActionResult r = RunAction(run);
  CHECK(r.exit_code == 2);
  CHECK(r.stdout_text.find("::error title=capstan setup::no capstan .deb") != std::string::npos);
  CHECK(r.skipped == std::vector<std::string>{"key", "cache", "build"});

  // The key step, then the build step over a build directory that already holds a .deb of this
  // very source (what actions/cache restores on a hit): it is used as it is, nothing is built.
  std::string env = "ACTION_PATH=" + ShellQuote(kSource + "/actions/setup") +
                    " GITHUB_OUTPUT=out HOME=" + ShellQuote(ws / "home") + " ";
  ShellResult key = RunShell(ws.path(), env + ShellQuote(kSource + "/actions/setup/setup.sh") +
                                            " key && cat out && rm out");
  INFO(key.output);
  REQUIRE(key.exit_code == 0);
  CHECK(key.output.find("dir=" + ws.path() + "/home/.cache/capstan-setup\n") != std::string::npos);
  CHECK(key.output.find("key=capstan-build-") != std::string::npos);
  CHECK(
      RunShell(ws.path(), env + ShellQuote(kSource + "/actions/setup/setup.sh") + " key && cat out")
          .output == key.output);
  std::size_t key_at = key.output.find("key=");
  std::string sum = key.output.substr(key_at, key.output.find('\n', key_at) - key_at);
  sum = sum.substr(sum.rfind('-') + 1);
  REQUIRE(sum.size() == 32);
  std::string cached = ws / "home/.cache/capstan-setup";
  WriteFile(cached + "/capstan_0.1.0_amd64.deb", "a package\n");
  WriteFile(cached + "/source.sha256", sum + "\n");
  ShellResult hit = RunShell(ws.path(), env + "BUILD_DIR=" + ShellQuote(cached) + " " +
                                            ShellQuote(kSource + "/actions/setup/setup.sh") +
                                            " build && cat out");
  INFO(hit.output);
  CHECK(hit.exit_code == 0);
  CHECK(hit.output.find("(cache hit)") != std::string::npos);
  CHECK(hit.output.find("deb=" + cached + "/capstan_0.1.0_amd64.deb\n") != std::string::npos);
}

}  // namespace
}  // namespace capstan::testing
