#include <algorithm>
#include <string>

#include "report/writers.h"

namespace capstan::report::internal {
namespace {

// GitHub cuts an annotation's message there.
constexpr std::size_t kMaxMessageChars = 4096;

// https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts (escapeData and
// escapeProperty).
std::string EscapeData(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '%':
        out += "%25";
        break;
      case '\r':
        out += "%0D";
        break;
      case '\n':
        out += "%0A";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string EscapeProperty(const std::string& s) {
  std::string out;
  for (char c : EscapeData(s)) {
    if (c == ':') {
      out += "%3A";
    } else if (c == ',') {
      out += "%2C";
    } else {
      out += c;
    }
  }
  return out;
}

const char* Command(Severity s) {
  switch (s) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kNote:
      return "notice";
  }
  return "error";
}

}  // namespace

void WriteGithub(const Report& report, int max_annotations, std::ostream& out) {
  const std::size_t limit = static_cast<std::size_t>(std::max(max_annotations, 0));
  std::size_t per_severity[3] = {0, 0, 0};
  for (const Finding& f : report.findings) ++per_severity[static_cast<int>(f.severity)];
  std::size_t shown[3];
  std::size_t left_out = 0;
  for (int s = 0; s < 3; ++s) {
    shown[s] = std::min(per_severity[s], limit);
    left_out += per_severity[s] - shown[s];
  }
  // The closing notice counts against the notices' own budget: when the notes fill it, one
  // note fewer is annotated so that the notice is not the one GitHub drops.
  const int note = static_cast<int>(Severity::kNote);
  if (left_out > 0 && shown[note] == limit && limit > 0) {
    --shown[note];
    ++left_out;
  }

  std::size_t written[3] = {0, 0, 0};
  for (const Finding* f : MostSevereFirst(report)) {
    const int s = static_cast<int>(f->severity);
    if (written[s] == shown[s]) continue;
    ++written[s];
    std::string properties;
    auto add = [&properties](const char* key, const std::string& value) {
      if (!properties.empty()) properties += ',';
      properties += std::string(key) + "=" + EscapeProperty(value);
    };
    if (!f->file.empty()) add("file", f->file);
    if (f->line > 0) {
      add("line", std::to_string(f->line));
      if (f->column > 0) add("col", std::to_string(f->column));
    }
    add("title", f->rule);
    out << "::" << Command(f->severity) << ' ' << properties
        << "::" << EscapeData(TruncateChars(MessageWithResource(*f), kMaxMessageChars)) << '\n';
  }
  if (left_out > 0) {
    out << "::notice title=" << EscapeProperty(report.tool.empty() ? "capstan" : report.tool)
        << "::" << left_out << (left_out == 1 ? " finding was" : " findings were")
        << " not annotated (at most " << limit
        << " annotations per severity): every finding is in the job summary and the report\n";
  }
}

}  // namespace capstan::report::internal
