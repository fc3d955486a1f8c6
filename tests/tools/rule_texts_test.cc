// Every rule a tool can report carries the texts GitHub code scanning shows on an alert, within
// GitHub's limits (lib/report/finding.h RuleInfo).
#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>

#include "common/cli.h"
#include "core/utf8.h"
#include "k8s/validator.h"
#include "scan/scan.h"
#include "secrets/builtin_rules.h"
#include "secrets/scanner.h"
#include "support/run_tool.h"
#include "support/temp_repo.h"
#include "sync/failures.h"
#include "validate/validate.h"

namespace capstan::tools {
namespace {

std::size_t Chars(const std::string& s) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < s.size(); ++chars) {
    std::size_t n = Utf8SequenceLength(s, i);
    i += n == 0 ? 1 : n;
  }
  return chars;
}

std::vector<report::RuleInfo> ScanRules() {
  Result<secrets::Scanner> scanner = secrets::Scanner::Create(secrets::BuiltinRules());
  REQUIRE(scanner.ok());
  return scanner->Rules();
}

void CheckTexts(const report::RuleInfo& r) {
  CAPTURE(r.id);
  CHECK_FALSE(r.summary.empty());
  CHECK_FALSE(r.description.empty());
  CHECK(Chars(r.description) <= report::kMaxRuleDescriptionChars);
  CHECK_FALSE(r.help.empty());
  CHECK_FALSE(r.tags.empty());
  CHECK(r.tags.size() <= 20);  // GitHub keeps 20 tags per rule
}

// "0.1".."10.0", one decimal.
bool IsSecuritySeverity(const std::string& s) {
  if (!std::regex_match(s, std::regex(R"((10|[0-9])\.[0-9])"))) return false;
  double v = std::stod(s);
  return v >= 0.1 && v <= 10.0;
}

TEST_CASE("every rule of every tool has a description within 1024 characters, help and tags",
          "[report]") {
  std::vector<std::pair<std::string, std::vector<report::RuleInfo>>> lists = {
      {"validate", k8s::ValidateRules()},
      {"scan", ScanRules()},
      {"sync", sync::FailureRules()},
      {"input-unreadable", {UnreadableInputRule()}},
  };
  for (const auto& [name, rules] : lists) {
    CAPTURE(name);
    CHECK_FALSE(rules.empty());
    for (const report::RuleInfo& r : rules) CheckTexts(r);
  }
}

TEST_CASE("capstan-scan's rules carry a security-severity and the security tag, the others none",
          "[report]") {
  for (const report::RuleInfo& r : ScanRules()) {
    CAPTURE(r.id, r.security_severity);
    CHECK(IsSecuritySeverity(r.security_severity));
    CHECK(std::find(r.tags.begin(), r.tags.end(), "security") != r.tags.end());
  }
  std::vector<report::RuleInfo> others = k8s::ValidateRules();
  for (const report::RuleInfo& r : sync::FailureRules()) others.push_back(r);
  others.push_back(UnreadableInputRule());
  for (const report::RuleInfo& r : others) {
    CAPTURE(r.id);
    CHECK(r.security_severity.empty());
  }
}

TEST_CASE("capstan-scan rates credentials by what their holder can do", "[report]") {
  std::map<std::string, std::string> severity;
  for (const report::RuleInfo& r : ScanRules()) severity[r.id] = r.security_severity;
  CHECK(severity["pem-private-key"] == "9.5");
  CHECK(severity["kubeconfig-credential"] == "9.0");
  CHECK(severity["github-token"] == "9.0");
  CHECK(severity["aws-access-key-id"] == "9.0");
  CHECK(severity["stripe-live-key"] == "9.0");
  CHECK(severity["vault-token"] == "9.5");
  CHECK(severity["secret-data"] == "8.0");
  CHECK(severity["openai-api-key"] == "7.5");
  CHECK(severity["slack-webhook-url"] == "5.5");
  CHECK(severity["scan-unparsed"] == "5.0");
}

TEST_CASE("a user rule is rated by its severity", "[report]") {
  std::vector<secrets::Rule> rules = secrets::BuiltinRules();
  auto user = [](std::string id, std::string severity) {
    secrets::Rule r;
    r.id = std::move(id);
    r.regex = "acme_[0-9a-f]{32}";
    r.severity = std::move(severity);
    return r;
  };
  rules.push_back(user("acme-error", "error"));
  rules.push_back(user("acme-warning", "warning"));
  rules.push_back(user("acme-note", "note"));
  Result<secrets::Scanner> scanner = secrets::Scanner::Create(std::move(rules));
  REQUIRE(scanner.ok());
  std::map<std::string, report::RuleInfo> by_id;
  for (const report::RuleInfo& r : scanner->Rules()) by_id[r.id] = r;
  CHECK(by_id["acme-error"].security_severity == "8.0");
  CHECK(by_id["acme-warning"].security_severity == "5.0");
  CHECK(by_id["acme-note"].security_severity == "3.0");
  CHECK(by_id["acme-note"].summary == "A credential of rule acme-note");
  CheckTexts(by_id["acme-note"]);
}

// The rules array of the SARIF a tool writes over a clean manifest: everything it declares,
// including rules added by the tool itself.
nlohmann::json SarifRules(const testing::RunFn& run) {
  testing::TempDir dir;
  testing::WriteFile(dir / "cm.yaml",
                     "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: b\n");
  testing::ToolResult r = testing::RunTool(run, {"--format", "sarif", "."}, dir.path());
  REQUIRE(r.exit_code == 0);
  return nlohmann::json::parse(r.out)["runs"][0]["tool"]["driver"]["rules"];
}

TEST_CASE("the SARIF of capstan-validate and capstan-scan describes every rule for GitHub",
          "[report]") {
  for (bool scan : {false, true}) {
    nlohmann::json rules = SarifRules(scan ? testing::RunFn(RunScan) : RunValidate);
    CHECK(rules.size() > 5);
    for (const nlohmann::json& rule : rules) {
      std::string id = rule["id"];
      CAPTURE(id);
      CHECK_FALSE(rule["shortDescription"]["text"].get<std::string>().empty());
      CHECK(Chars(rule["fullDescription"]["text"]) <= report::kMaxRuleDescriptionChars);
      CHECK(rule["fullDescription"]["text"] != rule["shortDescription"]["text"]);
      CHECK_FALSE(rule["help"]["text"].get<std::string>().empty());
      CHECK_FALSE(rule["properties"]["tags"].empty());
      if (scan && id != "input-unreadable") {
        CHECK(IsSecuritySeverity(rule["properties"]["security-severity"]));
      }
    }
  }
}

}  // namespace
}  // namespace capstan::tools
