#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/utf8.h"
#include "report/writers.h"

namespace capstan::report::internal {
namespace {

// Escapes for both text and attribute values. Control characters are not representable in
// XML 1.0 at all, so they are dropped; bytes that are not UTF-8 become U+FFFD so the document
// stays well-formed.
std::string Xml(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    char c = s[i];
    size_t n = Utf8SequenceLength(s, i);
    // U+FFFE and U+FFFF are not XML characters.
    if (n == 3 && s.substr(i, 2) == "\xef\xbf" && (s[i + 2] == '\xbe' || s[i + 2] == '\xbf')) n = 0;
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
  // One test case per file examined, passing ones included, so a dashboard's pass rate means
  // something; a failing file has one <failure> listing all its findings.
  std::vector<std::string> files = report.files;
  std::map<std::string, std::vector<const Finding*>> by_file;
  for (const Finding& f : report.findings) {
    auto [it, inserted] = by_file.try_emplace(f.file);
    if (inserted && std::find(files.begin(), files.end(), f.file) == files.end())
      files.push_back(f.file);
    it->second.push_back(&f);
  }
  auto is_failure = [](const Finding* f) { return f->severity != Severity::kNote; };
  int failures = 0;
  for (const auto& [file, findings] : by_file)
    failures += std::any_of(findings.begin(), findings.end(), is_failure) ? 1 : 0;
  const std::string tool = Xml(report.tool);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
      << "  <testsuite name=\"" << tool << "\" tests=\"" << (files.empty() ? 1 : files.size())
      << "\" failures=\"" << failures << "\" errors=\"0\">\n";
  if (files.empty()) out << "    <testcase classname=\"" << tool << "\" name=\"all files\"/>\n";
  for (const std::string& file : files) {
    out << "    <testcase classname=\"" << tool << "\" name=\"" << Xml(file) << "\"";
    auto it = by_file.find(file);
    if (it == by_file.end()) {
      out << "/>\n";
      continue;
    }
    out << ">\n";
    std::string failed, notes;
    int count = 0;
    const Finding* first = nullptr;
    for (const Finding* f : it->second) {
      if (!is_failure(f)) {
        notes += Line(*f) + "\n";
        continue;
      }
      if (first == nullptr) first = f;
      ++count;
      failed += Line(*f) + "\n";
    }
    if (first != nullptr) {
      failed.pop_back();  // the last line break
      std::string message = count == 1 ? first->message : std::to_string(count) + " problems";
      out << "      <failure type=\"" << Xml(first->rule) << "\" message=\"" << Xml(message)
          << "\">" << Xml(failed) << "</failure>\n";
    }
    if (!notes.empty()) out << "      <system-out>" << Xml(notes) << "</system-out>\n";
    out << "    </testcase>\n";
  }
  out << "  </testsuite>\n</testsuites>\n";
}

}  // namespace capstan::report::internal
