#include <algorithm>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/sha256.h"
#include "report/writers.h"

namespace capstan::report::internal {
namespace {

using nlohmann::ordered_json;

constexpr char kSchemaVersion[] = "15.1.4";
constexpr char kSchemaUrl[] =
    "https://gitlab.com/gitlab-org/security-products/security-report-schemas/-/raw/v15.1.4/dist/"
    "secret-detection-report-format.json";
// What the schema and GitLab's own analyzer write for a scan that did not read a commit.
constexpr char kNoCommit[] = "0000000";
constexpr char kEpoch[] = "1970-01-01T00:00:00";
// vulnerabilities[].name's maxLength.
constexpr std::size_t kMaxName = 255;
// vulnerabilities[].solution's maxLength.
constexpr std::size_t kMaxSolution = 7000;

// "YYYY-MM-DDTHH:MM:SS", the only shape the schema accepts.
bool IsScanTime(const std::string& t) {
  static constexpr std::string_view kShape = "0000-00-00T00:00:00";
  if (t.size() != kShape.size()) return false;
  for (std::size_t i = 0; i < t.size(); ++i) {
    bool digit = t[i] >= '0' && t[i] <= '9';
    if (kShape[i] == '0' ? !digit : t[i] != kShape[i]) return false;
  }
  return true;
}

const char* GitlabSeverity(Severity s) {
  switch (s) {
    case Severity::kError:
      return "Critical";
    case Severity::kWarning:
      return "Medium";
    case Severity::kNote:
      return "Info";
  }
  return "Critical";
}

// The first 16 bytes of SHA-256(seed) as an RFC 9562 version 8 (custom) UUID.
std::string UuidOf(const std::string& seed) {
  Sha256 hasher;
  hasher.Update(seed);
  Sha256Digest digest = hasher.Finish();
  digest[6] = static_cast<std::uint8_t>((digest[6] & 0x0f) | 0x80);  // version 8
  digest[8] = static_cast<std::uint8_t>((digest[8] & 0x3f) | 0x80);  // variant 10
  std::string hex = HexLower(std::span<const std::uint8_t>(digest.data(), 16));
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

ordered_json Analyzer(const Report& report) {
  std::string id = report.tool.empty() ? "capstan" : report.tool;
  return ordered_json{{"id", id},
                      {"name", id},
                      {"version", report.version.empty() ? "unknown" : report.version},
                      {"vendor", {{"name", "capstan"}}}};
}

}  // namespace

void WriteGitlabSecretDetection(const Report& report, std::ostream& out) {
  std::map<std::string, const RuleInfo*> rules;
  for (const RuleInfo& r : report.rules) rules.emplace(r.id, &r);

  // Identical findings (same fingerprint and commit) are told apart by their order of
  // appearance, which keeps every id unique and stable while the findings stay.
  std::map<std::string, int> seen;
  ordered_json vulnerabilities = ordered_json::array();
  for (const Finding& f : report.findings) {
    std::string fingerprint = FingerprintOf(f);
    std::string commit = f.commit.empty() ? kNoCommit : f.commit;
    std::string rule = f.rule.empty() ? "unknown" : f.rule;
    int occurrence = seen[fingerprint + ":" + commit]++;
    auto info = rules.find(f.rule);
    const RuleInfo* known = info == rules.end() ? nullptr : info->second;
    std::string name = known == nullptr || known->summary.empty() ? rule : known->summary;
    std::string solution = known == nullptr ? "" : known->help;
    ordered_json location = ordered_json::object();
    if (!f.file.empty()) {
      location["file"] = f.file;
      location["start_line"] = std::max(f.line, 1);
    }
    location["commit"] = {{"sha", commit}};
    vulnerabilities.push_back(ordered_json{
        {"id",
         UuidOf("capstan/v1:" + fingerprint + ":" + commit + ":" + std::to_string(occurrence))},
        {"name", TruncateChars(name, kMaxName)},
        {"description", MessageWithResource(f)},
        {"severity", GitlabSeverity(f.severity)},
        {"identifiers",
         ordered_json::array(
             {{{"type", "capstan_rule_id"}, {"name", "capstan rule " + rule}, {"value", rule}}})},
        {"location", std::move(location)},
    });
    if (!solution.empty())
      vulnerabilities.back()["solution"] = TruncateChars(solution, kMaxSolution);
  }

  std::string start = IsScanTime(report.started_at) ? report.started_at : "";
  std::string end = IsScanTime(report.finished_at) ? report.finished_at : "";
  if (start.empty()) start = end.empty() ? kEpoch : end;
  if (end.empty()) end = start;
  ordered_json doc{
      {"version", kSchemaVersion},
      {"schema", kSchemaUrl},
      {"scan",
       {{"analyzer", Analyzer(report)},
        {"scanner", Analyzer(report)},
        {"type", "secret_detection"},
        {"start_time", start},
        {"end_time", end},
        {"status", "success"}}},
      {"vulnerabilities", std::move(vulnerabilities)},
  };
  DumpJson(doc, out);
}

}  // namespace capstan::report::internal
