#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <regex>

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
using testing::SampleReport;

const std::string kSarifSchema = CAPSTAN_SHARED_DIR "/data/sarif/sarif-schema-2.1.0.json";

nlohmann::json Sarif(const Report& r) { return nlohmann::json::parse(Render(Format::kSarif, r)); }

// The result whose artifact uri is `uri`; null when there is none.
nlohmann::json ResultFor(const nlohmann::json& sarif, const std::string& uri) {
  for (const auto& result : sarif["runs"][0]["results"]) {
    if (result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == uri) {
      return result;
    }
  }
  return nullptr;
}

TEST_CASE("sarif output validates against the official 2.1.0 schema", "[report]") {
  if (!capstan::testing::RequireSharedData("data/sarif")) return;
  auto report = GENERATE(SampleReport(), EmptyReport(0, 0));
  std::vector<std::string> errors = ValidateAgainstSchema(Sarif(report), kSarifSchema);
  CAPTURE(errors);
  CHECK(errors.empty());
}

TEST_CASE("sarif uris are relative URI references even for odd file names", "[report]") {
  // valijson does not check "format": "uri-reference", so check the RFC 3986 character set here.
  std::regex uri_reference(R"(([A-Za-z0-9\-._~!$&'()*+,;=@/]|%[0-9A-F]{2})+)");
  nlohmann::json sarif = Sarif(SampleReport());
  for (const auto& result : sarif["runs"][0]["results"]) {
    std::string uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    CAPTURE(uri);
    CHECK(std::regex_match(uri, uri_reference));
  }
  CHECK_FALSE(ResultFor(sarif, "stdin").is_null());
  CHECK_FALSE(ResultFor(sarif, "apps/my%20app/values.yaml").is_null());
  CHECK_FALSE(ResultFor(sarif, "apps/web/deploy.yaml").is_null());
}

TEST_CASE("sarif percent-encodes characters a URI reference cannot hold", "[report]") {
  auto [file, uri] = GENERATE(table<std::string, std::string>({
      {"a b#c?.yaml", "a%20b%23c%3F.yaml"},
      {"100%.yaml", "100%25.yaml"},
      {"c:foo.yaml", "c%3Afoo.yaml"},
      {"caf\xc3\xa9.yaml", "caf%C3%A9.yaml"},
      {"/abs/x.yaml", "file:///abs/x.yaml"},
  }));
  nlohmann::json sarif = Sarif(ReportOf(MakeFinding(file, 1, 1, "schema", Severity::kError, "m")));
  CHECK(sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
             ["uri"] == uri);
}

TEST_CASE("sarif regions omit what the finding does not know", "[report]") {
  nlohmann::json sarif = Sarif(SampleReport());
  auto region = [&](const std::string& uri) {
    nlohmann::json physical = ResultFor(sarif, uri)["locations"][0]["physicalLocation"];
    return physical.value("region", nlohmann::json());
  };
  CHECK(region("apps/web/deploy.yaml") == nlohmann::json{{"startLine", 12}, {"startColumn", 7}});
  CHECK(region("apps/my%20app/values.yaml") == nlohmann::json{{"startLine", 5}});
  CHECK(region("apps/web/kustomization.yaml").is_null());
}

TEST_CASE("sarif rules list the report's rules then any others the findings use", "[report]") {
  nlohmann::json sarif = Sarif(SampleReport());
  const nlohmann::json& driver = sarif["runs"][0]["tool"]["driver"];
  CHECK(driver["name"] == "capstan-validate");
  CHECK(driver["version"] == "0.1.0");
  CHECK(driver["informationUri"] == "https://github.com/capstan-dev/capstan");
  std::vector<std::string> ids;
  for (const auto& rule : driver["rules"]) ids.push_back(rule["id"]);
  CHECK(ids ==
        std::vector<std::string>{"schema", "yaml-syntax", "deprecated-api", "plaintext-secret"});
  CHECK(driver["rules"][0]["shortDescription"]["text"] ==
        "Manifests must match the schema of their kind");
  for (const auto& result : sarif["runs"][0]["results"]) {
    CHECK(driver["rules"][result["ruleIndex"].get<int>()]["id"] == result["ruleId"]);
  }
}

TEST_CASE("sarif results carry level, path, fingerprint and resource", "[report]") {
  Report report = SampleReport();
  nlohmann::json sarif = Sarif(report);
  CHECK(sarif["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json");
  CHECK(sarif["version"] == "2.1.0");
  CHECK(sarif["runs"][0]["columnKind"] == "unicodeCodePoints");

  nlohmann::json deploy = ResultFor(sarif, "apps/web/deploy.yaml");
  CHECK(deploy["level"] == "error");
  CHECK(deploy["message"]["text"] == "expected integer, got string");
  CHECK(deploy["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "/spec/replicas");
  CHECK(deploy["partialFingerprints"]["capstan/v1"] == report.findings[2].fingerprint);
  CHECK(deploy["properties"]["resource"] == nlohmann::json{{"apiVersion", "apps/v1"},
                                                           {"kind", "Deployment"},
                                                           {"namespace", "prod"},
                                                           {"name", "web"}});

  nlohmann::json stdin_result = ResultFor(sarif, "stdin");
  CHECK(stdin_result["level"] == "note");
  CHECK_FALSE(stdin_result.contains("properties"));
  CHECK_FALSE(stdin_result["locations"][0].contains("logicalLocations"));
  CHECK(ResultFor(sarif, "apps/my%20app/values.yaml")["level"] == "warning");
}

}  // namespace
}  // namespace capstan::report

namespace capstan::report {
namespace {

TEST_CASE("sarif turns a finding about no file into a notification of the run, not a result",
          "[report]") {
  Finding f = MakeFinding("", 0, 0, "deploy-timeout", Severity::kError, "web: timed out");
  f.resource = {"argoproj.io", "Application", "argocd", "web"};
  Report r = ReportOf(f);
  r.findings.push_back(MakeFinding("a.yaml", 1, 1, "schema", Severity::kWarning, "m"));
  Finalize(r);
  nlohmann::json sarif = Sarif(r);
  const nlohmann::json& run = sarif["runs"][0];
  REQUIRE(run["results"].size() == 1);
  CHECK(run["results"][0]["ruleId"] == "schema");
  nlohmann::json rules = run["tool"]["driver"]["rules"];
  CHECK(run["invocations"] == nlohmann::json::parse(R"([{
    "executionSuccessful": true,
    "toolExecutionNotifications": [{
      "level": "error",
      "message": {"text": "web: timed out [Application/argocd/web]"},
      "associatedRule": {"id": "deploy-timeout", "index": 0}
    }]
  }])"));
  CHECK(rules[0]["id"] == "deploy-timeout");
  if (!capstan::testing::RequireSharedData("data/sarif")) return;
  CHECK(ValidateAgainstSchema(sarif, kSarifSchema).empty());
}

}  // namespace
}  // namespace capstan::report

namespace capstan::report {
namespace {

nlohmann::json Run(const Report& r) { return Sarif(r)["runs"][0]; }

TEST_CASE("sarif names the tool's code-scanning category", "[report]") {
  CHECK(Run(SampleReport())["automationDetails"] == nlohmann::json{{"id", "capstan-validate/"}});
}

TEST_CASE("sarif rules carry short and full descriptions, help and tags", "[report]") {
  Report r = SampleReport();
  r.rules.push_back({"secret-data",
                     "A Secret's data value decodes to plaintext",
                     "A kind: Secret holds a data value that decodes to a real value.",
                     "Move the value out of the repository.",
                     "8.0",
                     {"secrets"}});
  nlohmann::json rules = Run(r)["tool"]["driver"]["rules"];
  CHECK(rules[2] == nlohmann::json::parse(R"({
    "id": "secret-data",
    "shortDescription": {"text": "A Secret's data value decodes to plaintext"},
    "fullDescription": {"text": "A kind: Secret holds a data value that decodes to a real value."},
    "help": {"text": "Move the value out of the repository."},
    "properties": {"tags": ["security", "secrets"], "security-severity": "8.0"}
  })"));
  // A rule without texts repeats what it has; one only a finding names, its id.
  CHECK(rules[0]["fullDescription"]["text"] == "Manifests must match the schema of their kind");
  CHECK(rules[0]["help"]["text"] == "Manifests must match the schema of their kind");
  CHECK_FALSE(rules[0]["properties"].contains("security-severity"));
  CHECK(rules[3]["id"] == "deprecated-api");
  CHECK(rules[3]["fullDescription"]["text"] == "deprecated-api");
  CHECK(rules[3]["help"]["text"] == "deprecated-api");
}

TEST_CASE("sarif cuts a full description to GitHub's 1024 characters", "[report]") {
  Report r = ReportOf(MakeFinding("a.yaml", 1, 1, "r", Severity::kError, "m"));
  r.rules = {{"r", "summary", std::string(2000, 'd'), "help"}};
  std::string full = Run(r)["tool"]["driver"]["rules"][0]["fullDescription"]["text"];
  CHECK(full == std::string(1023, 'd') + "\xe2\x80\xa6");
}

TEST_CASE("sarif resolves relative uris against %SRCROOT%, which it declares without a uri",
          "[report]") {
  nlohmann::json run = Run(SampleReport());
  CHECK(run["originalUriBaseIds"].size() == 1);
  CHECK_FALSE(run["originalUriBaseIds"]["%SRCROOT%"].contains("uri"));
  CHECK_FALSE(
      run["originalUriBaseIds"]["%SRCROOT%"]["description"]["text"].get<std::string>().empty());
  nlohmann::json sarif = Sarif(SampleReport());
  auto artifact = [&](const std::string& uri) {
    return ResultFor(sarif, uri)["locations"][0]["physicalLocation"]["artifactLocation"];
  };
  CHECK(artifact("apps/web/deploy.yaml")["uriBaseId"] == "%SRCROOT%");
  CHECK(artifact("apps/my%20app/values.yaml")["uriBaseId"] == "%SRCROOT%");
  CHECK_FALSE(artifact("stdin").contains("uriBaseId"));
  nlohmann::json absolute =
      Sarif(ReportOf(MakeFinding("/abs/x.yaml", 1, 1, "r", Severity::kError, "m")));
  CHECK_FALSE(
      absolute["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
          .contains("uriBaseId"));
}

TEST_CASE("sarif primaryLocationLineHash is the fingerprint with a count of identical findings",
          "[report]") {
  Report r = EmptyReport(1, 1);
  r.findings = {MakeFinding("a.yaml", 3, 1, "r", Severity::kError, "same"),
                MakeFinding("a.yaml", 9, 1, "r", Severity::kError, "same"),
                MakeFinding("a.yaml", 5, 1, "r", Severity::kError, "other")};
  Finalize(r);
  nlohmann::json results = Run(r)["results"];
  std::string same = Fingerprint(r.findings[0]);
  CHECK(results[0]["partialFingerprints"] ==
        nlohmann::json{{"capstan/v1", same}, {"primaryLocationLineHash", same + ":1"}});
  CHECK(results[1]["partialFingerprints"]["primaryLocationLineHash"] ==
        Fingerprint(r.findings[1]) + ":1");
  CHECK(results[2]["partialFingerprints"]["primaryLocationLineHash"] == same + ":2");
  // Moving a finding keeps its hash.
  r.findings[1].line = 50;
  CHECK(Run(r)["results"][1]["partialFingerprints"] == results[1]["partialFingerprints"]);
}

TEST_CASE("sarif keeps the 25000 most severe results and says how many it left out", "[report]") {
  Report r = EmptyReport(1, 1);
  r.findings.reserve(kMaxSarifResults + 10);
  for (std::size_t i = 0; i < kMaxSarifResults; ++i) {
    r.findings.push_back(
        MakeFinding("a.yaml", static_cast<int>(i) + 1, 1, "r", Severity::kWarning, "w"));
  }
  for (int i = 0; i < 10; ++i) {
    r.findings.push_back(MakeFinding("b.yaml", i + 1, 1, "r", Severity::kError, "e"));
  }
  nlohmann::json run = Run(r);
  REQUIRE(run["results"].size() == kMaxSarifResults);
  int errors = 0;
  for (const auto& result : run["results"]) errors += result["level"] == "error" ? 1 : 0;
  CHECK(errors == 10);
  CHECK(run["properties"]["capstan/resultsLeftOut"] == 10);
  nlohmann::json notification = run["invocations"][0]["toolExecutionNotifications"][0];
  CHECK(notification["level"] == "warning");
  CHECK(notification["message"]["text"] ==
        "10 of 25010 results left out: code scanning takes at most 25000 per run, and the most "
        "severe were kept");
  CHECK(run["invocations"][0]["executionSuccessful"] == true);
  CHECK_FALSE(Run(SampleReport()).contains("invocations"));
}

}  // namespace
}  // namespace capstan::report
