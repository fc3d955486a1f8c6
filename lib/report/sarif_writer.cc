#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "core/url.h"
#include "report/writer.h"
#include "report/writers.h"

namespace capstan::report::internal {
namespace {

using nlohmann::ordered_json;

// Relative URIs are resolved against this base, which GitHub code scanning takes to be the
// repository's checkout.
constexpr char kSourceRoot[] = "%SRCROOT%";
// Where a reader of an alert learns about the tool (README: the pre-commit repository).
constexpr char kInformationUri[] = "https://github.com/capstan-dev/capstan";

bool IsStdin(const std::string& file) { return file == "<stdin>"; }
bool IsAbsolute(const std::string& file) { return !file.empty() && file[0] == '/'; }

// A relative file name becomes a relative URI reference (resolved against %SRCROOT%); an
// absolute one becomes a file: URI. RFC 3986 unreserved characters, sub-delims, '@' and '/'
// stay; ':' is encoded because in the first segment of a relative reference it would read as a
// scheme.
std::string FileUri(const std::string& file) {
  if (IsStdin(file)) return "stdin";
  return (IsAbsolute(file) ? "file://" : "") + PercentEncode(file, "!$&'()*+,;=@/");
}

ordered_json RuleJson(const RuleInfo& r) {
  std::string summary = r.summary.empty() ? r.id : r.summary;
  std::string full = r.description.empty() ? summary : r.description;
  std::string help = r.help.empty() ? full : r.help;
  std::vector<std::string> tags = r.tags;
  if (!r.security_severity.empty() &&
      std::find(tags.begin(), tags.end(), "security") == tags.end()) {
    tags.insert(tags.begin(), "security");
  }
  ordered_json properties{{"tags", tags}};
  if (!r.security_severity.empty()) properties["security-severity"] = r.security_severity;
  return ordered_json{
      {"id", r.id},
      {"shortDescription", {{"text", summary}}},
      {"fullDescription", {{"text", TruncateChars(full, kMaxRuleDescriptionChars)}}},
      {"help", {{"text", help}}},
      {"properties", std::move(properties)},
  };
}

ordered_json SarifResult(const Finding& f, int rule_index, int occurrence) {
  ordered_json artifact{{"uri", FileUri(f.file)}};
  if (!IsStdin(f.file) && !IsAbsolute(f.file)) artifact["uriBaseId"] = kSourceRoot;
  ordered_json physical{{"artifactLocation", std::move(artifact)}};
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
  result["locations"] = ordered_json::array({std::move(location)});
  // GitHub matches alerts across runs by primaryLocationLineHash when given ("hash:n", n
  // telling apart identical results); the line-independent fingerprint keeps an alert when its
  // finding moves.
  std::string fingerprint = FingerprintOf(f);
  result["partialFingerprints"] = {
      {"capstan/v1", fingerprint},
      {"primaryLocationLineHash", fingerprint + ":" + std::to_string(occurrence)}};
  if (!f.resource.empty()) result["properties"]["resource"] = ResourceJson(f.resource);
  if (!f.commit.empty()) result["properties"]["commit"] = f.commit;
  return result;
}

}  // namespace

void WriteSarif(const Report& report, std::ostream& out) {
  ordered_json rules = ordered_json::array();
  std::map<std::string, int> rule_index;
  auto add_rule = [&](const RuleInfo& r) {
    if (rule_index.count(r.id)) return;
    rule_index[r.id] = static_cast<int>(rules.size());
    rules.push_back(RuleJson(r));
  };
  for (const RuleInfo& r : report.rules) add_rule(r);
  for (const Finding& f : report.findings) add_rule({f.rule, ""});

  // Code scanning needs every result located in the repository: a finding about no file
  // (capstan-sync: an application the repository does not declare) becomes a notification of
  // the run instead, which GitHub lists on the tool's status page.
  ordered_json notifications = ordered_json::array();
  std::vector<const Finding*> located;
  for (const Finding* f : MostSevereFirst(report)) {
    if (!f->file.empty()) {
      located.push_back(f);
      continue;
    }
    notifications.push_back(
        {{"level", SeverityName(f->severity)},
         {"message", {{"text", MessageWithResource(*f)}}},
         {"associatedRule", {{"id", f->rule}, {"index", rule_index[f->rule]}}}});
  }
  // Over the per-run limit, the most severe results are kept (in report order).
  std::set<const Finding*> kept(located.begin(),
                                located.begin() + std::min(located.size(), kMaxSarifResults));
  const std::size_t left_out = located.size() - kept.size();
  if (left_out > 0) {
    std::string text = std::to_string(left_out) + " of " + std::to_string(located.size()) +
                       " results left out: code scanning takes at most " +
                       std::to_string(kMaxSarifResults) + " per run, and the most severe were kept";
    notifications.push_back({{"level", "warning"}, {"message", {{"text", text}}}});
  }
  ordered_json results = ordered_json::array();
  std::map<std::string, int> occurrences;
  for (const Finding& f : report.findings) {
    if (kept.count(&f) == 0) continue;
    int occurrence = ++occurrences[FingerprintOf(f)];
    results.push_back(SarifResult(f, rule_index[f.rule], occurrence));
  }

  ordered_json driver{
      {"name", report.tool},
      {"version", report.version},
      {"informationUri", kInformationUri},
      {"rules", std::move(rules)},
  };
  ordered_json run{
      {"tool", {{"driver", std::move(driver)}}},
      // GitHub's category: one per tool, so each tool's upload replaces only its own alerts.
      {"automationDetails", {{"id", report.tool + "/"}}},
      {"originalUriBaseIds",
       {{kSourceRoot,
         {{"description",
           {{"text",
             "The directory the tool ran in, which file names are relative to: the root of "
             "the repository's checkout in CI"}}}}}}},
      {"columnKind", "unicodeCodePoints"},
      {"results", std::move(results)},
  };
  if (!notifications.empty()) {
    run["invocations"] =
        ordered_json::array({{{"executionSuccessful", true},
                              {"toolExecutionNotifications", std::move(notifications)}}});
  }
  if (left_out > 0) run["properties"] = {{"capstan/resultsLeftOut", left_out}};
  ordered_json doc{
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs", ordered_json::array({std::move(run)})},
  };
  DumpJson(doc, out);
}

}  // namespace capstan::report::internal
