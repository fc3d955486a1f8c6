#include <algorithm>
#include <nlohmann/json.hpp>

#include "report/writers.h"

namespace capstan::report::internal {

using nlohmann::ordered_json;

std::string FingerprintOf(const Finding& f) {
  return f.fingerprint.empty() ? Fingerprint(f) : f.fingerprint;
}

ordered_json ResourceJson(const Resource& r) {
  return ordered_json{
      {"apiVersion", r.api_version}, {"kind", r.kind}, {"namespace", r.ns}, {"name", r.name}};
}

void DumpJson(const ordered_json& j, std::ostream& out) {
  out << j.dump(2, ' ', false, ordered_json::error_handler_t::replace) << '\n';
}

void WriteJson(const Report& report, std::ostream& out) {
  ordered_json findings = ordered_json::array();
  for (const Finding& f : report.findings) {
    findings.push_back(ordered_json{
        {"rule", f.rule},
        {"severity", SeverityName(f.severity)},
        {"message", f.message},
        {"file", f.file},
        {"line", std::max(f.line, 0)},
        {"column", std::max(f.column, 0)},
        {"path", f.path},
        {"resource", ResourceJson(f.resource)},
        {"fingerprint", FingerprintOf(f)},
    });
    if (!f.commit.empty()) findings.back()["commit"] = f.commit;
  }
  const Summary& s = report.summary;
  ordered_json doc{
      {"tool", report.tool},
      {"version", report.version},
      {"findings", std::move(findings)},
      {"summary",
       {{"files", s.files},
        {"documents", s.documents},
        {"errors", s.errors},
        {"warnings", s.warnings},
        {"notes", s.notes}}},
  };
  if (!report.deployments.empty()) {
    ordered_json deployments = ordered_json::array();
    for (const Deployment& d : report.deployments) {
      deployments.push_back(ordered_json{{"name", d.name},
                                         {"outcome", d.outcome},
                                         {"revision", d.revision},
                                         {"sync", d.sync_status},
                                         {"health", d.health},
                                         {"durationMs", std::max(d.duration_ms, 0LL)},
                                         {"message", d.message}});
    }
    doc["deployments"] = std::move(deployments);
  }
  DumpJson(doc, out);
}

}  // namespace capstan::report::internal
