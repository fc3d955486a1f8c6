#include "core/unified_diff.h"

#include <algorithm>
#include <vector>

namespace capstan {
namespace {

// Lines with their line endings; a final line without one is kept as it is.
std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t nl = text.find('\n', at);
    std::size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
    lines.push_back(text.substr(at, end - at));
    at = end;
  }
  return lines;
}

enum class Op { kKeep, kRemove, kAdd };
struct Line {
  Op op;
  std::string_view text;
  std::size_t old_no;  // 0-based line in before (kKeep, kRemove)
  std::size_t new_no;  // 0-based line in after (kKeep, kAdd)
};

// An edit script by longest common subsequence over the lines between the common prefix and
// suffix. Bumps change a line or two of large files, so that middle part is small; past a
// size bound it is shown as a whole replacement rather than spending quadratic memory.
std::vector<Line> Script(const std::vector<std::string_view>& a,
                         const std::vector<std::string_view>& b) {
  std::size_t pre = 0;
  while (pre < a.size() && pre < b.size() && a[pre] == b[pre]) ++pre;
  std::size_t suf = 0;
  while (suf < a.size() - pre && suf < b.size() - pre &&
         a[a.size() - 1 - suf] == b[b.size() - 1 - suf])
    ++suf;
  std::size_t n = a.size() - pre - suf, m = b.size() - pre - suf;

  std::vector<Line> out;
  for (std::size_t i = 0; i < pre; ++i) out.push_back({Op::kKeep, a[i], i, i});
  if (n * m <= 4'000'000) {
    // lcs[i][j]: length of the LCS of a[pre+i..] and b[pre+j..] (middle part only).
    std::vector<std::uint32_t> lcs((n + 1) * (m + 1), 0);
    auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& { return lcs[i * (m + 1) + j]; };
    for (std::size_t i = n; i-- > 0;) {
      for (std::size_t j = m; j-- > 0;) {
        at(i, j) =
            a[pre + i] == b[pre + j] ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
      }
    }
    std::size_t i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[pre + i] == b[pre + j]) {
        out.push_back({Op::kKeep, a[pre + i], pre + i, pre + j});
        ++i, ++j;
      } else if (i < n && (j == m || at(i + 1, j) >= at(i, j + 1))) {
        out.push_back({Op::kRemove, a[pre + i], pre + i, pre + j});
        ++i;
      } else {
        out.push_back({Op::kAdd, b[pre + j], pre + i, pre + j});
        ++j;
      }
    }
  } else {
    for (std::size_t i = 0; i < n; ++i) out.push_back({Op::kRemove, a[pre + i], pre + i, pre});
    for (std::size_t j = 0; j < m; ++j) out.push_back({Op::kAdd, b[pre + j], pre + n, pre + j});
  }
  for (std::size_t k = 0; k < suf; ++k) {
    out.push_back({Op::kKeep, a[pre + n + k], pre + n + k, pre + m + k});
  }
  return out;
}

// "l,n" of a hunk side; diff writes "l" alone for one line and "l-1,0" for none.
std::string Range(std::size_t first, std::size_t count) {
  if (count == 1) return std::to_string(first + 1);
  if (count == 0) return std::to_string(first) + ",0";
  return std::to_string(first + 1) + "," + std::to_string(count);
}

void AppendLine(std::string& out, char mark, std::string_view text) {
  out += mark;
  out += text;
  if (text.empty() || text.back() != '\n') out += "\n\\ No newline at end of file\n";
}

}  // namespace

std::string UnifiedDiff(std::string_view path, std::string_view before, std::string_view after,
                        int context) {
  if (before == after) return "";
  std::vector<std::string_view> a = SplitLines(before), b = SplitLines(after);
  std::vector<Line> script = Script(a, b);
  std::size_t ctx = static_cast<std::size_t>(std::max(context, 0));

  std::string out = "--- a/" + std::string(path) + "\n+++ b/" + std::string(path) + "\n";
  std::size_t k = 0;
  while (k < script.size()) {
    while (k < script.size() && script[k].op == Op::kKeep) ++k;
    if (k == script.size()) break;
    // A hunk: from ctx lines before this change to ctx lines after the last change that is
    // at most 2*ctx kept lines away from the next one.
    std::size_t start = k >= ctx ? k - ctx : 0;
    std::size_t end = k;
    while (end < script.size()) {
      std::size_t next = end;
      while (next < script.size() && script[next].op != Op::kKeep) ++next;
      std::size_t keep = next;
      while (keep < script.size() && script[keep].op == Op::kKeep) ++keep;
      if (keep == script.size() || keep - next > 2 * ctx) {
        end = std::min(next + ctx, script.size());
        break;
      }
      end = keep;
    }
    std::size_t old_count = 0, new_count = 0;
    for (std::size_t i = start; i < end; ++i) {
      if (script[i].op != Op::kAdd) ++old_count;
      if (script[i].op != Op::kRemove) ++new_count;
    }
    out += "@@ -" + Range(script[start].old_no, old_count) + " +" +
           Range(script[start].new_no, new_count) + " @@\n";
    for (std::size_t i = start; i < end; ++i) {
      AppendLine(out,
                 script[i].op == Op::kKeep     ? ' '
                 : script[i].op == Op::kRemove ? '-'
                                               : '+',
                 script[i].text);
    }
    k = end;
  }
  return out;
}

}  // namespace capstan
