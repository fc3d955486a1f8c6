#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "unit/report/samples.h"

namespace capstan::report {
namespace {

using testing::EmptyReport;
using testing::MakeFinding;
using testing::Render;
using testing::ReportOf;

nlohmann::json CodeQuality(const Report& r) {
  return nlohmann::json::parse(Render(Format::kCodeQuality, r));
}

TEST_CASE("codequality maps error, warning and note to major, minor and info", "[report]") {
  auto [severity, expected] = GENERATE(table<Severity, std::string>({
      {Severity::kError, "major"},
      {Severity::kWarning, "minor"},
      {Severity::kNote, "info"},
  }));
  nlohmann::json issues = CodeQuality(ReportOf(MakeFinding("a.yaml", 2, 1, "r", severity, "m")));
  REQUIRE(issues.size() == 1);
  CHECK(issues[0]["severity"] == expected);
}

TEST_CASE("codequality issues carry description, check, fingerprint and location", "[report]") {
  Finding f = MakeFinding("apps/a.yaml", 7, 3, "schema", Severity::kError, "bad");
  f.resource = {"v1", "Service", "", "api"};
  Report r = ReportOf(f);
  nlohmann::json expected = nlohmann::json::parse(R"([{
    "description": "bad [Service/api]",
    "check_name": "schema",
    "severity": "major",
    "location": {"path": "apps/a.yaml", "lines": {"begin": 7}}
  }])");
  expected[0]["fingerprint"] = r.findings[0].fingerprint;
  CHECK(CodeQuality(r) == expected);
}

TEST_CASE("codequality anchors whole-file findings to line 1", "[report]") {
  nlohmann::json issues =
      CodeQuality(ReportOf(MakeFinding("a.yaml", 0, 0, "r", Severity::kError, "m")));
  CHECK(issues[0]["location"]["lines"]["begin"] == 1);
}

TEST_CASE("codequality output without findings is an empty array", "[report]") {
  CHECK(Render(Format::kCodeQuality, EmptyReport(1, 1)) == "[]\n");
}

}  // namespace
}  // namespace capstan::report
