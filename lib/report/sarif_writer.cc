#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "core/url.h"
#include "report/writers.h"

namespace capstan::report::internal {
namespace {

using nlohmann::ordered_json;

// A relative file name becomes a relative URI reference (resolved against the checkout by
// code-scanning consumers); an absolute one becomes a file: URI. RFC 3986 unreserved characters,
// sub-delims, '@' and '/' stay; ':' is encoded because in the first segment of a relative
// reference it would read as a scheme.
std::string FileUri(const std::string& file) {
  if (file == "<stdin>") return "stdin";
  return (!file.empty() && file[0] == '/' ? "file://" : "") + PercentEncode(file, "!$&'()*+,;=@/");
}

ordered_json SarifResult(const Finding& f, int rule_index) {
  ordered_json physical{{"artifactLocation", {{"uri", FileUri(f.file)}}}};
  if (f.line > 0) {
    ordered_json region{{"startLine", f.line}};
    if (f.column > 0) region["startColumn"] = f.column;
    physical["region"] = std::move(region);
  }
  ordered_json location{{"physicalLocation", std::move(physical)}};
  if (!f.path.empty()) {
    location["logicalLocations"] = ordered_json::array({{{"fullyQualifiedName", f.path}}});
  }
  ordered_json result{
      {"ruleId", f.rule},
      {"ruleIndex", rule_index},
      {"level", SeverityName(f.severity)},
      {"message", {{"text", f.message}}},
  };
  // A finding about no file (capstan-sync: a resource the repository does not declare) has
  // no location rather than an empty URI.
  if (!f.file.empty()) result["locations"] = ordered_json::array({std::move(location)});
  result["partialFingerprints"] = {{"capstan/v1", FingerprintOf(f)}};
  if (!f.resource.empty()) result["properties"]["resource"] = ResourceJson(f.resource);
  if (!f.commit.empty()) result["properties"]["commit"] = f.commit;
  return result;
}

}  // namespace

void WriteSarif(const Report& report, std::ostream& out) {
  ordered_json rules = ordered_json::array();
  std::map<std::string, int> rule_index;
  auto add_rule = [&](const std::string& id, const std::string& summary) {
    if (rule_index.count(id)) return;
    rule_index[id] = static_cast<int>(rules.size());
    rules.push_back({{"id", id}, {"shortDescription", {{"text", summary.empty() ? id : summary}}}});
  };
  for (const RuleInfo& r : report.rules) add_rule(r.id, r.summary);
  for (const Finding& f : report.findings) add_rule(f.rule, "");

  ordered_json results = ordered_json::array();
  for (const Finding& f : report.findings) results.push_back(SarifResult(f, rule_index[f.rule]));

  ordered_json driver{
      {"name", report.tool},
      {"version", report.version},
      {"rules", std::move(rules)},
  };
  ordered_json run{
      {"tool", {{"driver", std::move(driver)}}},
      {"columnKind", "unicodeCodePoints"},
      {"results", std::move(results)},
  };
  ordered_json doc{
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs", ordered_json::array({std::move(run)})},
  };
  DumpJson(doc, out);
}

}  // namespace capstan::report::internal
