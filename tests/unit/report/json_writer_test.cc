#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/json_schema.h"
#include "unit/report/samples.h"

namespace capstan::report {
namespace {

using capstan::testing::ValidateAgainstSchema;
using testing::EmptyReport;
using testing::MakeFinding;
using testing::Render;
using testing::ReportOf;
using testing::SampleReport;

const std::string kReportSchema = CAPSTAN_SOURCE_DIR "/schemas/report.schema.json";

TEST_CASE("json output validates against schemas/report.schema.json", "[report]") {
  auto report = GENERATE(SampleReport(), EmptyReport(0, 0));
  nlohmann::json doc = nlohmann::json::parse(Render(Format::kJson, report));
  std::vector<std::string> errors = ValidateAgainstSchema(doc, kReportSchema);
  CAPTURE(errors);
  CHECK(errors.empty());
}

TEST_CASE("the report schema rejects unknown keys, bad severities and missing fields", "[report]") {
  nlohmann::json valid = nlohmann::json::parse(Render(Format::kJson, SampleReport()));
  REQUIRE(ValidateAgainstSchema(valid, kReportSchema).empty());
  nlohmann::json doc = valid;
  SECTION("unknown top-level key") { doc["extra"] = 1; }
  SECTION("unknown finding key") { doc["findings"][0]["value"] = "hunter2"; }
  SECTION("severity outside the enum") { doc["findings"][0]["severity"] = "fatal"; }
  SECTION("line of the wrong type") { doc["findings"][0]["line"] = "12"; }
  SECTION("missing fingerprint") { doc["findings"][0].erase("fingerprint"); }
  SECTION("missing summary count") { doc["summary"].erase("notes"); }
  CHECK_FALSE(ValidateAgainstSchema(doc, kReportSchema).empty());
}

TEST_CASE("json output keeps the documented key order, 2-space indent and a final newline",
          "[report]") {
  Finding f = MakeFinding("a.yaml", 3, 5, "schema", Severity::kWarning, "bad");
  f.path = "/spec";
  f.resource = {"v1", "ConfigMap", "ns", "cm"};
  f.fingerprint = "0123456789abcdef";
  CHECK(Render(Format::kJson, ReportOf(f)) == R"({
  "tool": "capstan-validate",
  "version": "0.1.0",
  "findings": [
    {
      "rule": "schema",
      "severity": "warning",
      "message": "bad",
      "file": "a.yaml",
      "line": 3,
      "column": 5,
      "path": "/spec",
      "resource": {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "namespace": "ns",
        "name": "cm"
      },
      "fingerprint": "0123456789abcdef"
    }
  ],
  "summary": {
    "files": 1,
    "documents": 1,
    "errors": 0,
    "warnings": 1,
    "notes": 0
  }
}
)");
}

TEST_CASE("json output replaces invalid UTF-8 instead of throwing", "[report]") {
  Report r = ReportOf(MakeFinding("a.yaml", 1, 1, "schema", Severity::kError, "bad \xff byte"));
  std::string out;
  REQUIRE_NOTHROW(out = Render(Format::kJson, r));
  CHECK(nlohmann::json::parse(out)["findings"][0]["message"] == "bad \xef\xbf\xbd byte");
}

TEST_CASE("json output fingerprints findings of a report that was not finalized", "[report]") {
  Report r = EmptyReport(1, 1);
  r.findings.push_back(MakeFinding("a.yaml", 1, 1, "schema", Severity::kError, "m"));
  nlohmann::json doc = nlohmann::json::parse(Render(Format::kJson, r));
  CHECK(doc["findings"][0]["fingerprint"] == Fingerprint(r.findings[0]));
}

}  // namespace
}  // namespace capstan::report

namespace capstan::report {
namespace {

TEST_CASE("json output lists a deploying tool's deployments after the summary, schema-valid",
          "[report]") {
  Report report = testing::SampleReport();
  report.deployments.push_back(Deployment{"argocd/web", "deployed", std::string(40, 'a'), "Synced",
                                          "Healthy", 42000, "Synced at aaaaaaa, Healthy"});
  report.deployments.push_back(
      Deployment{"argocd/api", "timeout", "", "OutOfSync", "Progressing", -1, "still waiting"});
  nlohmann::json doc = nlohmann::json::parse(Render(Format::kJson, report));
  CHECK(ValidateAgainstSchema(doc, kReportSchema).empty());
  REQUIRE(doc["deployments"].size() == 2);
  CHECK(doc["deployments"][0] == nlohmann::json{{"name", "argocd/web"},
                                                {"outcome", "deployed"},
                                                {"revision", std::string(40, 'a')},
                                                {"sync", "Synced"},
                                                {"health", "Healthy"},
                                                {"durationMs", 42000},
                                                {"message", "Synced at aaaaaaa, Healthy"}});
  CHECK(doc["deployments"][1]["durationMs"] == 0);
  doc["deployments"][1]["outcome"] = "fine";
  CHECK_FALSE(ValidateAgainstSchema(doc, kReportSchema).empty());
  // Reports without deployments keep their shape.
  CHECK_FALSE(nlohmann::json::parse(Render(Format::kJson, testing::SampleReport()))
                  .contains("deployments"));
}

}  // namespace
}  // namespace capstan::report
