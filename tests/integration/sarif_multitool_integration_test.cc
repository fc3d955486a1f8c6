// The SARIF capstan writes passes Microsoft's SARIF validator with GitHub's rules ("Gh"), the
// check GitHub code scanning's own ingestion follows, run on the output of the real binaries.
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "report/writer.h"
#include "support/npm_tools.h"
#include "support/run_tool.h"
#include "support/shell.h"
#include "support/temp_repo.h"
#include "support/token_samples.h"
#include "sync/failures.h"

namespace capstan::testing {
namespace {

const std::string kTools = std::string(CAPSTAN_BINARY_DIR) + "/tools";

// Runs `sarif-multitool validate --rule-kind "Sarif;Gh" --rich-return-code` on sarif_path and
// returns every error and warning it reports, one line each ("GH2012: runs[0]..."). The
// validator exits 0 whatever it finds, so its findings are read from the log it writes.
std::vector<std::string> SarifProblems(const std::string& dir, const std::string& sarif_path) {
  std::string multitool = NpmTool("sarif-multitool");
  if (multitool.empty()) return {"sarif-multitool is missing"};
  // The npm wrapper hands its arguments to a shell once more, so each is quoted twice.
  auto arg = [](const std::string& a) { return ShellQuote(ShellQuote(a)); };
  std::string log = dir + "/validation.sarif";
  ShellResult r = RunShell(dir, ShellQuote(multitool) + " validate " + arg(sarif_path) + " -o " +
                                    arg(log) + " --log ForceOverwrite --rule-kind " +
                                    arg("Sarif;Gh") + " --rich-return-code");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  nlohmann::json results = nlohmann::json::parse(ReadFile(log))["runs"][0]["results"];
  std::vector<std::string> problems;
  std::regex reported(R"(: (error|warning) [A-Z]+[0-9]+: .*)");
  std::smatch m;
  for (const std::string& line : Lines(r.output)) {
    if (std::regex_search(line, m, reported)) problems.push_back(m.str(0).substr(2));
  }
  for (const auto& result : results) {
    std::string level = result.value("level", "warning");
    if ((level == "error" || level == "warning") && problems.empty()) {
      problems.push_back(result["ruleId"].get<std::string>() + " (see the validator's log)");
    }
  }
  return problems;
}

// Runs a built tool in dir with stdout to out_file; returns its exit code.
int RunBuiltTool(const std::string& dir, const std::string& tool, const std::string& args,
                 const std::string& out_file) {
  ShellResult r =
      RunShell(dir, ShellQuote(kTools + "/" + tool) + " " + args + " > " + ShellQuote(out_file));
  INFO(r.output);
  return r.exit_code;
}

TEST_CASE(
    "capstan-validate's SARIF on a repository with findings passes sarif-multitool's "
    "GitHub rules",
    "[integration][sarif]") {
  TempDir dir;
  std::string repo = dir / "repo";
  WriteFile(repo + "/apps/web/deploy.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: prod\n"
            "spec:\n  replicas: two\n  selector: {matchLabels: {app: web}}\n  template:\n"
            "    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, "
            "image: nginx}]\n");
  WriteFile(repo + "/apps/web/ingress.yaml",
            "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: web\n");
  WriteFile(repo + "/apps/web/dup.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n");
  WriteFile(repo + "/apps/my app/broken.yaml", "a: 'unterminated\n");
  WriteFile(repo + "/apps/empty.yaml", "");
  std::string sarif = dir / "validate.sarif";
  CHECK(RunBuiltTool(repo, "capstan-validate", "--strict --format sarif .", sarif) == 1);
  nlohmann::json doc = nlohmann::json::parse(ReadFile(sarif));
  REQUIRE(doc["runs"][0]["results"].size() >= 4);
  std::vector<std::string> problems = SarifProblems(dir.path(), sarif);
  CAPTURE(problems);
  CHECK(problems.empty());
}

TEST_CASE(
    "capstan-scan's SARIF on a repository and its history passes sarif-multitool's "
    "GitHub rules",
    "[integration][sarif]") {
  TempDir dir;
  std::string repo = dir / "repo";
  InitRepo(repo);
  WriteFile(repo + "/apps/db/secret.yaml",
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: " +
                Chars(kAlnum, 16, 7) + "\n");
  WriteFile(repo + "/apps/web/deploy.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n"
            "    spec:\n      containers:\n        - name: web\n          env:\n"
            "            - name: DB_PASSWORD\n              value: " +
                Chars(kAlnum, 14, 9) + "\n");
  WriteFile(repo + "/keys/id.pem", "-----BEGIN " + std::string("OPENSSH PRIVATE KEY-----\n") +
                                       Chars(kBase64Chars, 64, 3) + "\n-----END " +
                                       "OPENSSH PRIVATE KEY-----\n");
  RunGit(repo, "add -A");
  RunGit(repo, "commit -qm planted");
  RunGit(repo, "rm -q keys/id.pem");
  RunGit(repo, "commit -qm removed");

  std::string tree = dir / "tree.sarif";
  CHECK(RunBuiltTool(repo, "capstan-scan", "--format sarif .", tree) == 1);
  std::string history = dir / "history.sarif";
  CHECK(RunBuiltTool(repo, "capstan-scan", "--history --format sarif", history) == 1);
  nlohmann::json doc = nlohmann::json::parse(ReadFile(history));
  bool has_commit = false;
  for (const auto& result : doc["runs"][0]["results"])
    has_commit = has_commit || result["properties"].contains("commit");
  CHECK(has_commit);
  for (const std::string& sarif : {tree, history}) {
    CAPTURE(sarif);
    std::vector<std::string> problems = SarifProblems(dir.path(), sarif);
    CAPTURE(problems);
    CHECK(problems.empty());
  }
}

TEST_CASE("SARIF with findings about no file passes sarif-multitool's GitHub rules",
          "[integration][sarif]") {
  report::Report r;
  r.tool = "capstan-sync";
  r.version = "0.1.0";
  r.rules = tools::sync::FailureRules();
  report::Finding app;
  app.rule = "deploy-timeout";
  app.message = "application argocd/web: timeout: still Progressing";
  app.resource = {"argoproj.io", "Application", "argocd", "web"};
  report::Finding pod = app;
  pod.rule = "unhealthy";
  pod.message = "Deployment prod/web: Degraded";
  pod.resource = {"apps", "Deployment", "prod", "web"};
  report::Finding located = pod;
  located.file = "apps/web/deploy.yaml";
  located.line = 1;
  located.column = 1;
  r.findings = {app, pod, located};
  report::Finalize(r);
  TempDir dir;
  std::string sarif = dir / "sync.sarif";
  {
    std::ofstream out(sarif);
    report::Write(report::Format::kSarif, r, out);
  }
  std::vector<std::string> problems = SarifProblems(dir.path(), sarif);
  CAPTURE(problems);
  CHECK(problems.empty());
}

}  // namespace
}  // namespace capstan::testing
