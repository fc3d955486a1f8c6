#include <algorithm>
#include <nlohmann/json.hpp>

#include "report/writers.h"

namespace capstan::report::internal {
namespace {

const char* CodeQualitySeverity(Severity s) {
  switch (s) {
    case Severity::kError:
      return "major";
    case Severity::kWarning:
      return "minor";
    case Severity::kNote:
      return "info";
  }
  return "major";
}

}  // namespace

void WriteCodeQuality(const Report& report, std::ostream& out) {
  using nlohmann::ordered_json;
  ordered_json issues = ordered_json::array();
  for (const Finding& f : report.findings) {
    issues.push_back(ordered_json{
        {"description", MessageWithResource(f)},
        {"check_name", f.rule},
        {"fingerprint", FingerprintOf(f)},
        {"severity", CodeQualitySeverity(f.severity)},
        // A whole-file finding is anchored to the first line.
        {"location", {{"path", f.file}, {"lines", {{"begin", std::max(f.line, 1)}}}}},
    });
  }
  DumpJson(issues, out);
}

}  // namespace capstan::report::internal
