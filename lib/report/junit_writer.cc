#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "report/writers.h"

namespace capstan::report::internal {
namespace {

// Length of the well-formed UTF-8 sequence at s[i], or 0 when the bytes there are not one.
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b = byte(i);
  size_t n;
  char32_t cp;
  if (b < 0x80) return 1;
  if (b >= 0xc2 && b <= 0xdf) {
    n = 2;
    cp = b & 0x1f;
  } else if (b >= 0xe0 && b <= 0xef) {
    n = 3;
    cp = b & 0x0f;
  } else if (b >= 0xf0 && b <= 0xf4) {
    n = 4;
    cp = b & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3f);
  }
  bool overlong = (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000);
  bool surrogate = cp >= 0xd800 && cp <= 0xdfff;
  // U+FFFE and U+FFFF are not XML characters.
  bool non_char = cp == 0xfffe || cp == 0xffff;
  if (overlong || surrogate || non_char || cp > 0x10ffff) return 0;
  return n;
}

// Escapes for both text and attribute values. Control characters are not representable in
// XML 1.0 at all, so they are dropped; bytes that are not UTF-8 become U+FFFD so the document
// stays well-formed.
std::string Xml(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    char c = s[i];
    size_t n = Utf8SequenceLength(s, i);
    if (n == 0) {
      out += "\xef\xbf\xbd";
      ++i;
      continue;
    }
    if (n > 1) {
      out.append(s, i, n);
      i += n;
      continue;
    }
    ++i;
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\t':
        out += "&#9;";
        break;
      case '\n':
        out += "&#10;";
        break;
      case '\r':
        out += "&#13;";
        break;
      default:
        if (static_cast<unsigned char>(c) >= 0x20) out += c;
    }
  }
  return out;
}

std::string Line(const Finding& f) {
  return Location(f) + ": " + SeverityName(f.severity) + " " + f.rule + ": " +
         MessageWithResource(f);
}

}  // namespace

void WriteJunit(const Report& report, std::ostream& out) {
  // Files in the order of their first finding, which after Finalize is file order.
  std::vector<std::string> files;
  std::map<std::string, std::vector<const Finding*>> by_file;
  for (const Finding& f : report.findings) {
    auto [it, inserted] = by_file.try_emplace(f.file);
    if (inserted) files.push_back(f.file);
    it->second.push_back(&f);
  }
  auto is_failure = [](const Finding* f) { return f->severity != Severity::kNote; };
  // failures counts failing test cases, not <failure> elements, so that it never exceeds tests.
  int failures = 0;
  for (const auto& [file, findings] : by_file) {
    for (const Finding* f : findings) {
      if (is_failure(f)) {
        ++failures;
        break;
      }
    }
  }
  const std::string tool = Xml(report.tool);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
      << "  <testsuite name=\"" << tool << "\" tests=\"" << (files.empty() ? 1 : files.size())
      << "\" failures=\"" << failures << "\" errors=\"0\">\n";
  if (files.empty()) {
    out << "    <testcase classname=\"" << tool << "\" name=\"all files\"/>\n";
  }
  for (const std::string& file : files) {
    out << "    <testcase classname=\"" << tool << "\" name=\"" << Xml(file) << "\">\n";
    std::string notes;
    for (const Finding* f : by_file[file]) {
      if (!is_failure(f)) {
        notes += Line(*f) + "\n";
        continue;
      }
      out << "      <failure type=\"" << Xml(f->rule) << "\" message=\"" << Xml(f->message) << "\">"
          << Xml(Line(*f)) << "</failure>\n";
    }
    if (!notes.empty()) out << "      <system-out>" << Xml(notes) << "</system-out>\n";
    out << "    </testcase>\n";
  }
  out << "  </testsuite>\n</testsuites>\n";
}

}  // namespace capstan::report::internal
