#include <string>

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

void WriteText(const Report& report, std::ostream& out) {
  // Counted from the findings rather than the summary so the last line never contradicts the
  // lines above it, even when Finalize was not called.
  int errors = 0, warnings = 0, notes = 0;
  for (const Finding& f : report.findings) {
    std::string location = Location(f);
    std::string line = location.empty() ? "" : location + ": ";
    line += std::string(SeverityName(f.severity)) + " " + f.rule + ": " + MessageWithResource(f);
    out << Printable(line) << '\n';
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
  out << counts << " in " << Counted(report.summary.files, "file") << " ("
      << Counted(report.summary.documents, "document") << ")\n";
}

}  // namespace capstan::report::internal
