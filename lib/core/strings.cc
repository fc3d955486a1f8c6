#include "core/strings.h"

#include <algorithm>
#include <cctype>

#include "core/utf8.h"

namespace capstan {

std::string_view Trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\n\v\f\r";
  std::size_t first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string ShellQuote(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

namespace {

// The text to show for the character at text[i] and how many bytes it takes.
std::string_view Shown(std::string_view text, std::size_t i, std::size_t* used, char (&escape)[5]) {
  static constexpr char kHex[] = "0123456789abcdef";
  auto byte = static_cast<unsigned char>(text[i]);
  std::size_t len = byte < 0x80 ? 1 : Utf8SequenceLength(text, i);
  *used = len == 0 ? 1 : len;
  if (len > 1 || (len == 1 && byte >= 0x20 && byte != 0x7f)) return text.substr(i, len);
  switch (byte) {
    case '\n':
      return "\\n";
    case '\r':
      return "\\r";
    case '\t':
      return "\\t";
    default:
      escape[0] = '\\';
      escape[1] = 'x';
      escape[2] = kHex[byte >> 4];
      escape[3] = kHex[byte & 0xf];
      escape[4] = '\0';
      return std::string_view(escape, 4);
  }
}

}  // namespace

std::string QuoteForMessage(std::string_view text, std::size_t max_bytes) {
  std::string out = "'";
  char escape[5];
  for (std::size_t i = 0; i < text.size();) {
    std::size_t used = 0;
    std::string_view shown = Shown(text, i, &used, escape);
    if (out.size() - 1 + shown.size() > max_bytes) {
      return out + "\xE2\x80\xA6' (" + std::to_string(text.size()) + " bytes)";
    }
    out += shown;
    i += used;
  }
  return out + "'";
}

std::string Join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const std::string& s : items) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

std::size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      char x = static_cast<char>(std::tolower(static_cast<unsigned char>(a[i - 1])));
      char y = static_cast<char>(std::tolower(static_cast<unsigned char>(b[j - 1])));
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x == y ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string Closest(std::string_view word, const std::vector<std::string_view>& candidates) {
  std::string_view best;
  std::size_t best_d = std::max<std::size_t>(1, std::min<std::size_t>(3, word.size() / 3)) + 1;
  for (std::string_view c : candidates) {
    std::size_t d = EditDistance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return std::string(best);
}

}  // namespace capstan
