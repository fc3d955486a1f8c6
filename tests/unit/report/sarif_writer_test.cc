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
  CHECK_FALSE(driver.contains("informationUri"));
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

TEST_CASE("sarif gives a finding about no file no location rather than an empty uri", "[report]") {
  Finding f = MakeFinding("", 0, 0, "deploy-timeout", Severity::kError, "web: timed out");
  nlohmann::json sarif = Sarif(ReportOf(f));
  const nlohmann::json& result = sarif["runs"][0]["results"][0];
  CHECK_FALSE(result.contains("locations"));
  CHECK(result["message"]["text"] == "web: timed out");
  if (!capstan::testing::RequireSharedData("data/sarif")) return;
  CHECK(ValidateAgainstSchema(sarif, kSarifSchema).empty());
}

}  // namespace
}  // namespace capstan::report
