// The findings model shared by every checking tool (DESIGN.md "Findings and reports").
// A Finding never carries a secret value: tools put a key path, a rule and a redacted hint in
// `message`, nothing else.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace capstan::report {

enum class Severity { kNote = 0, kWarning = 1, kError = 2 };

// "error", "warning", "note".
const char* SeverityName(Severity s);
// Parses "error" | "warning" | "note"; false when s is none of them.
bool ParseSeverity(std::string_view s, Severity* out);

struct Resource {
  std::string api_version;
  std::string kind;
  std::string ns;  // metadata.namespace
  std::string name;
  bool empty() const { return kind.empty() && name.empty(); }
};

struct Finding {
  std::string rule;  // stable id, e.g. "schema", "yaml-syntax", "duplicate-key"
  Severity severity = Severity::kError;
  std::string message;  // one line, no trailing period
  std::string file;     // as the user named it, '/'-separated; "<stdin>" for stdin
  int line = 0;         // 1-based; 0 when the finding is about the whole file
  int column = 0;       // 1-based code points; 0 when unknown
  std::string path;     // JSON pointer into the document ("/spec/replicas"), "" for none
  Resource resource;
  std::string fingerprint;  // line-independent; filled by Fingerprint() when empty
  // For findings in git history (capstan-scan --range/--history): the commit, 40 hex digits,
  // that first added the offending content. Empty for working-tree and index findings.
  std::string commit;
};

// What a rule means, for SARIF's rules array (GitHub code scanning shows these texts on every
// alert), GitLab's vulnerability names and --help texts. Rule lists fill every field; a test
// holds each list to the limits below.
struct RuleInfo {
  std::string id;
  std::string summary;  // one sentence (SARIF shortDescription)
  // What the rule finds and why it matters (SARIF fullDescription): at most
  // kMaxRuleDescriptionChars characters; "" stands for the summary.
  std::string description{};
  // How to fix a finding, or to accept it (SARIF help.text); "" stands for the description.
  std::string help{};
  // For security rules (capstan-scan's): GitHub's security-severity, a number from 0.1 to 10.0
  // as a string ("9.0"). GitHub reads 9.0 and up as critical, 7.0 as high, 4.0 as medium and
  // anything lower as low. "" for rules that are not about security.
  std::string security_severity{};
  // Topics for filtering alerts (SARIF properties.tags), e.g. {"kubernetes", "schema"}. A rule
  // with a security_severity is tagged "security" whether listed or not.
  std::vector<std::string> tags{};
};

// GitHub's limit for a rule's fullDescription.
inline constexpr std::size_t kMaxRuleDescriptionChars = 1024;

struct Summary {
  int files = 0;      // files examined
  int documents = 0;  // YAML documents examined
  int errors = 0;
  int warnings = 0;
  int notes = 0;
};

// What a deploying tool (capstan-sync) did with one target, beside its findings, so that a
// pipeline can branch on each. Only the json format lists them ("deployments"); the others
// carry the failures as findings.
struct Deployment {
  std::string name;  // "argocd/web"
  // "deployed", "dry-run" (its operation succeeded), "requested" (--async, webhooks), "failed",
  // "degraded", "suspended", "conflict", "timeout", "error" (could not be asked or observed),
  // "skipped"
  std::string outcome;
  std::string revision;     // full SHA, "" when unknown
  std::string sync_status;  // "Synced", "OutOfSync"...; "" when none was seen
  std::string health;       // "Healthy", "Degraded"...; "" when none was seen
  long long duration_ms = 0;
  std::string message;  // one line
};

struct Report {
  std::string tool;                     // "capstan-validate"
  std::string version;                  // "0.1.0"
  std::vector<Finding> findings;        // in output order
  std::vector<RuleInfo> rules;          // every rule the tool can emit
  std::vector<std::string> files;       // every file examined, findings or not (junit lists them)
  Summary summary;                      // counts; errors/warnings/notes are recomputed by Finalize
  std::vector<Deployment> deployments;  // capstan-sync only
  // When the tool started and finished, UTC "YYYY-MM-DDTHH:MM:SS" read from the tool's clock
  // (lib never reads one); "" when not set.
  std::string started_at;
  std::string finished_at;
};

// A line-independent fingerprint: a 16-hex-digit hash of rule, file, resource identity, path
// and message. Moving a resource within its file keeps it; changing any of those changes it.
std::string Fingerprint(const Finding& f);

// Sorts findings by (file, line, column, rule, message), fills empty fingerprints and the
// severity counts of the summary. Call once before writing.
void Finalize(Report& report);

}  // namespace capstan::report
