#include <string>

#include "report/writers.h"

namespace capstan::report::internal {
namespace {

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

void WriteGithub(const Report& report, std::ostream& out) {
  for (const Finding& f : report.findings) {
    std::string properties;
    auto add = [&properties](const char* key, const std::string& value) {
      if (!properties.empty()) properties += ',';
      properties += std::string(key) + "=" + EscapeProperty(value);
    };
    if (!f.file.empty()) add("file", f.file);
    if (f.line > 0) {
      add("line", std::to_string(f.line));
      if (f.column > 0) add("col", std::to_string(f.column));
    }
    add("title", f.rule);
    out << "::" << Command(f.severity) << ' ' << properties
        << "::" << EscapeData(MessageWithResource(f)) << '\n';
  }
}

}  // namespace capstan::report::internal
