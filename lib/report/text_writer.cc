#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "report/writers.h"

namespace capstan::report::internal {
namespace {

// File names and messages come from the repository being checked; a control character in
// them must not reach the terminal (escape sequences) or split a finding across lines.
std::string Printable(const std::string& s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte != 0x7f) {
      out += c;
    } else if (c == '\t') {
      out += ' ';
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else {
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    }
  }
  return out;
}

std::string Counted(int n, const char* noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

void AppendCount(std::string& out, int n, const char* noun) {
  if (n == 0) return;
  if (!out.empty()) out += ", ";
  out += Counted(n, noun);
}

}  // namespace

std::string Location(const Finding& f) {
  std::string out = f.file;
  if (f.line > 0) {
    out += ":" + std::to_string(f.line);
    if (f.column > 0) out += ":" + std::to_string(f.column);
  }
  return out;
}

std::string MessageWithResource(const Finding& f) {
  const Resource& r = f.resource;
  std::string commit = f.commit.empty() ? "" : " (commit " + f.commit.substr(0, 12) + ")";
  if (r.empty()) return f.message + commit;
  // A resource that lacks a name (the finding may be about exactly that) is shown as [kind].
  std::string label = r.kind;
  if (!r.name.empty()) {
    std::string qualified = r.ns.empty() ? r.name : r.ns + "/" + r.name;
    label = label.empty() ? qualified : label + "/" + qualified;
  }
  return f.message + " [" + label + "]" + commit;
}

// "deployed  argocd/web  5d6e7f8  Synced/Healthy  12s  <message>".
std::string DeploymentLine(const Deployment& d) {
  std::string line = d.outcome + "  " + d.name;
  if (!d.revision.empty()) line += "  " + d.revision.substr(0, 7);
  if (!d.sync_status.empty() || !d.health.empty()) {
    line += "  " + (d.sync_status.empty() ? "-" : d.sync_status) + "/" +
            (d.health.empty() ? "-" : d.health);
  }
  line += "  " + std::to_string(std::max(d.duration_ms, 0LL) / 1000) + "s";
  if (!d.message.empty()) line += "  " + d.message;
  return line;
}

// "3 applications (2 deployed, 1 failed)".
std::string DeploymentCounts(const std::vector<Deployment>& deployments) {
  std::vector<std::pair<std::string, int>> by_outcome;
  for (const Deployment& d : deployments) {
    auto it = std::find_if(by_outcome.begin(), by_outcome.end(),
                           [&](const auto& e) { return e.first == d.outcome; });
    if (it == by_outcome.end()) {
      by_outcome.emplace_back(d.outcome, 1);
    } else {
      ++it->second;
    }
  }
  std::string parts;
  for (const auto& [outcome, n] : by_outcome)
    parts += (parts.empty() ? "" : ", ") + std::to_string(n) + " " + outcome;
  return Counted(static_cast<int>(deployments.size()), "application") + " (" + parts + ")";
}

std::string SummaryLine(const Report& report) {
  int errors = 0, warnings = 0, notes = 0;
  for (const Finding& f : report.findings) {
    switch (f.severity) {
      case Severity::kError:
        ++errors;
        break;
      case Severity::kWarning:
        ++warnings;
        break;
      case Severity::kNote:
        ++notes;
        break;
    }
  }
  std::string counts;
  AppendCount(counts, errors, "error");
  AppendCount(counts, warnings, "warning");
  AppendCount(counts, notes, "note");
  if (counts.empty()) counts = "no problems";
  if (!report.deployments.empty()) return counts + " in " + DeploymentCounts(report.deployments);
  return counts + " in " + Counted(report.summary.files, "file") + " (" +
         Counted(report.summary.documents, "document") + ")";
}

void WriteText(const Report& report, std::ostream& out) {
  for (const Deployment& d : report.deployments) out << Printable(DeploymentLine(d)) << '\n';
  for (const Finding& f : report.findings) {
    std::string location = Location(f);
    std::string line = location.empty() ? "" : location + ": ";
    line += std::string(SeverityName(f.severity)) + " " + f.rule + ": " + MessageWithResource(f);
    out << Printable(line) << '\n';
  }
  // Counted from the findings rather than the summary so the last line never contradicts the
  // lines above it, even when Finalize was not called.
  out << SummaryLine(report) << '\n';
}

}  // namespace capstan::report::internal
