#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "support/json_schema.h"
#include "support/shared_data.h"
#include "unit/report/samples.h"

namespace capstan::report {
namespace {

using capstan::testing::ValidateAgainstSchema;
using testing::EmptyReport;
using testing::MakeFinding;
using testing::Render;
using testing::ReportOf;

const std::string kSchema =
    CAPSTAN_SHARED_DIR "/data/gitlab/secret-detection-report-format-15.1.4.json";
const std::string kCommit = "0123456789abcdef0123456789abcdef01234567";

nlohmann::json Gitlab(const Report& r) {
  return nlohmann::json::parse(Render(Format::kGitlabSecretDetection, r));
}

// A capstan-scan report with the four shapes of finding: in history (with its commit), in the
// working tree, about a whole file, and about no file at all.
Report ScanReport() {
  Report r = EmptyReport(3, 3);
  r.tool = "capstan-scan";
  r.started_at = "2026-03-01T10:00:00";
  r.finished_at = "2026-03-01T10:00:02";
  r.rules = {{"github-token", "GitHub personal access token", "A GitHub token.",
              "Revoke the token, then remove it."},
             {"secret-data", "A Secret's data value decodes to plaintext"}};
  Finding history = MakeFinding("apps/web/.env", 4, 14, "github-token", Severity::kError,
                                "GitHub personal access token (ghp_…, 40 characters)");
  history.commit = kCommit;
  Finding tree = MakeFinding("apps/db/secret.yaml", 7, 3, "secret-data", Severity::kWarning,
                             "data.password decodes to plaintext");
  tree.path = "/data/password";
  tree.resource = {"v1", "Secret", "db", "creds"};
  r.findings = {
      history, tree,
      MakeFinding("apps/db/key.pem", 0, 0, "pem-private-key", Severity::kError, "PEM private key"),
      MakeFinding("", 0, 0, "deploy-error", Severity::kNote, "web: cannot be observed")};
  Finalize(r);
  return r;
}

// The vulnerability whose identifier value is `rule`; null when there is none.
nlohmann::json VulnerabilityFor(const nlohmann::json& doc, const std::string& rule) {
  for (const auto& v : doc["vulnerabilities"]) {
    if (v["identifiers"][0]["value"] == rule) return v;
  }
  return nullptr;
}

TEST_CASE("gitlab-secret-detection output validates against GitLab's 15.1.4 schema", "[report]") {
  if (!capstan::testing::RequireSharedData("data/gitlab")) return;
  auto report = GENERATE(ScanReport(), EmptyReport(0, 0), testing::SampleReport());
  std::vector<std::string> errors = ValidateAgainstSchema(Gitlab(report), kSchema);
  CAPTURE(errors);
  CHECK(errors.empty());
}

TEST_CASE("GitLab's schema rejects what the writer must never write", "[report]") {
  if (!capstan::testing::RequireSharedData("data/gitlab")) return;
  nlohmann::json doc = Gitlab(ScanReport());
  REQUIRE(ValidateAgainstSchema(doc, kSchema).empty());
  SECTION("a time with a zone") { doc["scan"]["start_time"] = "2026-03-01T10:00:00Z"; }
  SECTION("a lowercase severity") { doc["vulnerabilities"][0]["severity"] = "critical"; }
  SECTION("a location without commit") { doc["vulnerabilities"][0]["location"].erase("commit"); }
  SECTION("an empty identifier value") {
    doc["vulnerabilities"][0]["identifiers"][0]["value"] = "";
  }
  CHECK_FALSE(ValidateAgainstSchema(doc, kSchema).empty());
}

TEST_CASE("gitlab-secret-detection output names the tool as analyzer and scanner", "[report]") {
  nlohmann::json doc = Gitlab(ScanReport());
  CHECK(doc["version"] == "15.1.4");
  nlohmann::json tool = {{"id", "capstan-scan"},
                         {"name", "capstan-scan"},
                         {"version", "0.1.0"},
                         {"vendor", {{"name", "capstan"}}}};
  CHECK(doc["scan"]["analyzer"] == tool);
  CHECK(doc["scan"]["scanner"] == tool);
  CHECK(doc["scan"]["type"] == "secret_detection");
  CHECK(doc["scan"]["status"] == "success");
  CHECK(doc["scan"]["start_time"] == "2026-03-01T10:00:00");
  CHECK(doc["scan"]["end_time"] == "2026-03-01T10:00:02");
}

TEST_CASE("gitlab-secret-detection scan times fall back to the other one, then to the epoch",
          "[report]") {
  Report r = ScanReport();
  SECTION("neither set") {
    r.started_at = r.finished_at = "";
    CHECK(Gitlab(r)["scan"]["start_time"] == "1970-01-01T00:00:00");
    CHECK(Gitlab(r)["scan"]["end_time"] == "1970-01-01T00:00:00");
  }
  SECTION("only the start set") {
    r.finished_at = "";
    CHECK(Gitlab(r)["scan"]["end_time"] == "2026-03-01T10:00:00");
  }
  SECTION("the end malformed") {
    r.finished_at = "2026-03-01T10:00:02Z";
    CHECK(Gitlab(r)["scan"]["end_time"] == "2026-03-01T10:00:00");
  }
  SECTION("only the end set") {
    r.started_at = "";
    CHECK(Gitlab(r)["scan"]["start_time"] == "2026-03-01T10:00:02");
  }
}

TEST_CASE("gitlab-secret-detection vulnerabilities carry rule, message and location", "[report]") {
  nlohmann::json history = VulnerabilityFor(Gitlab(ScanReport()), "github-token");
  CHECK(history["name"] == "GitHub personal access token");
  CHECK(history["description"] ==
        "GitHub personal access token (ghp_…, 40 characters) (commit 0123456789ab)");
  CHECK(history["severity"] == "Critical");
  CHECK(history["solution"] == "Revoke the token, then remove it.");
  CHECK(history["identifiers"] == nlohmann::json::parse(R"([{"type": "capstan_rule_id",
      "name": "capstan rule github-token", "value": "github-token"}])"));
  CHECK(history["location"] == nlohmann::json{{"file", "apps/web/.env"},
                                              {"start_line", 4},
                                              {"commit", {{"sha", kCommit}}}});
}

TEST_CASE("gitlab-secret-detection marks working-tree findings with GitLab's no-commit sha",
          "[report]") {
  nlohmann::json tree = VulnerabilityFor(Gitlab(ScanReport()), "secret-data");
  CHECK(tree["location"]["commit"]["sha"] == "0000000");
  CHECK(tree["description"] == "data.password decodes to plaintext [Secret/db/creds]");
}

TEST_CASE("gitlab-secret-detection anchors whole-file findings to line 1", "[report]") {
  nlohmann::json key = VulnerabilityFor(Gitlab(ScanReport()), "pem-private-key");
  CHECK(key["location"]["file"] == "apps/db/key.pem");
  CHECK(key["location"]["start_line"] == 1);
  // A rule missing from report.rules is named by its id and has no solution.
  CHECK(key["name"] == "pem-private-key");
  CHECK_FALSE(key.contains("solution"));
}

TEST_CASE("gitlab-secret-detection gives a finding about no file a location with only the commit",
          "[report]") {
  nlohmann::json none = VulnerabilityFor(Gitlab(ScanReport()), "deploy-error");
  CHECK(none["location"] == nlohmann::json{{"commit", {{"sha", "0000000"}}}});
}

TEST_CASE("gitlab-secret-detection maps error, warning and note to Critical, Medium and Info",
          "[report]") {
  auto [severity, expected] = GENERATE(table<Severity, std::string>({
      {Severity::kError, "Critical"},
      {Severity::kWarning, "Medium"},
      {Severity::kNote, "Info"},
  }));
  nlohmann::json doc = Gitlab(ReportOf(MakeFinding("a.yaml", 2, 1, "r", severity, "m")));
  CHECK(doc["vulnerabilities"][0]["severity"] == expected);
}

TEST_CASE("gitlab-secret-detection ids are UUIDs, stable across runs and unique in a report",
          "[report]") {
  Report r = ScanReport();
  // An identical finding further down the same file.
  Finding twin = r.findings[0];
  twin.line = 40;
  r.findings.push_back(twin);
  nlohmann::json doc = Gitlab(r);
  std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::set<std::string> ids;
  for (const auto& v : doc["vulnerabilities"]) {
    std::string id = v["id"];
    CAPTURE(id);
    CHECK(std::regex_match(id, uuid));
    ids.insert(id);
  }
  CHECK(ids.size() == r.findings.size());
  CHECK(Gitlab(r) == doc);

  // Moving a finding keeps its id; another commit gives another one.
  Report moved = ScanReport();
  moved.findings[1].line += 10;
  CHECK(Gitlab(moved)["vulnerabilities"][1]["id"] ==
        Gitlab(ScanReport())["vulnerabilities"][1]["id"]);
  Report recommitted = ScanReport();
  for (Finding& f : recommitted.findings) f.commit = std::string(40, 'f');
  CHECK(Gitlab(recommitted)["vulnerabilities"][1]["id"] !=
        Gitlab(ScanReport())["vulnerabilities"][1]["id"]);
}

TEST_CASE("gitlab-secret-detection cuts a long rule summary to the 255 characters of a name",
          "[report]") {
  Report r = ReportOf(MakeFinding("a.yaml", 1, 1, "r", Severity::kError, "m"));
  r.rules = {{"r", std::string(250, 'x') + "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"}};
  std::string name = Gitlab(r)["vulnerabilities"][0]["name"];
  CHECK(name == std::string(250, 'x') + "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xe2\x80\xa6");
}

}  // namespace
}  // namespace capstan::report
