// What the writers with a size limit (github, markdown, sarif, gitlab) share.
#include <algorithm>
#include <string>
#include <string_view>

#include "core/utf8.h"
#include "report/writers.h"

namespace capstan::report::internal {

std::string TruncateChars(std::string_view s, std::size_t max_chars) {
  static constexpr std::string_view kEllipsis = "\xe2\x80\xa6";  // U+2026
  if (max_chars == 0) return "";
  std::size_t chars = 0;
  std::size_t keep = 0;  // bytes of the first max_chars - 1 characters
  for (std::size_t i = 0; i < s.size(); ++chars) {
    if (chars == max_chars - 1) keep = i;
    std::size_t n = Utf8SequenceLength(s, i);
    i += n == 0 ? 1 : n;
  }
  if (chars <= max_chars) return std::string(s);
  return std::string(s.substr(0, keep)) + std::string(kEllipsis);
}

std::vector<const Finding*> MostSevereFirst(const Report& report) {
  std::vector<const Finding*> out;
  out.reserve(report.findings.size());
  for (const Finding& f : report.findings) out.push_back(&f);
  std::stable_sort(out.begin(), out.end(), [](const Finding* a, const Finding* b) {
    return static_cast<int>(a->severity) > static_cast<int>(b->severity);
  });
  return out;
}

}  // namespace capstan::report::internal
