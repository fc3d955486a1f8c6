#include "report/suppression.h"

#include <algorithm>
#include <cstddef>

namespace capstan::report {
namespace {

bool IdChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }

}  // namespace

bool AllowMarkerCovers(std::string_view line, std::string_view rule) {
  for (std::size_t at = line.find(kAllowMarker); at != std::string_view::npos;
       at = line.find(kAllowMarker, at + 1)) {
    std::size_t i = at + kAllowMarker.size();
    if (i >= line.size() || line[i] != '=') return true;
    for (;;) {
      std::size_t start = ++i;
      while (i < line.size() && IdChar(line[i])) ++i;
      if (line.substr(start, i - start) == rule) return true;
      if (i >= line.size() || line[i] != ',') break;
    }
  }
  return false;
}

void DropAllowed(std::string_view text, std::vector<Finding>& findings) {
  if (text.find(kAllowMarker) == std::string_view::npos) return;
  std::vector<std::size_t> starts = {0};  // of each line
  for (std::size_t i = text.find('\n'); i != std::string_view::npos; i = text.find('\n', i + 1))
    starts.push_back(i + 1);
  auto LineOf = [&](int n) {  // 1-based; "" past the end
    if (n < 1 || static_cast<std::size_t>(n) > starts.size()) return std::string_view();
    std::size_t start = starts[n - 1];
    std::size_t end = static_cast<std::size_t>(n) < starts.size() ? starts[n] - 1 : text.size();
    return text.substr(start, end - start);
  };
  std::erase_if(findings, [&](const Finding& f) {
    if (f.line <= 0) return false;
    return AllowMarkerCovers(LineOf(f.line), f.rule) ||
           (f.line > 1 && AllowMarkerCovers(LineOf(f.line - 1), f.rule));
  });
}

}  // namespace capstan::report
