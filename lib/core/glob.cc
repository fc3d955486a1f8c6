#include "core/glob.h"

#include <string>

#include "core/strings.h"

namespace capstan {
namespace {

constexpr std::size_t kUnterminated = std::string_view::npos;

// The length of the bracket class at p[0] == '[', or kUnterminated. When c is given, *matched
// tells whether the class admits it.
std::size_t ClassLength(std::string_view p, char c, bool* matched) {
  std::size_t i = 1;
  bool negate = i < p.size() && (p[i] == '!' || p[i] == '^');
  if (negate) ++i;
  bool in = false;
  bool first = true;
  for (; i < p.size() && (p[i] != ']' || first); first = false) {
    char lo = p[i];
    if (lo == '\\' && i + 1 < p.size()) lo = p[++i];
    char hi = lo;
    if (i + 2 < p.size() && p[i + 1] == '-' && p[i + 2] != ']') {
      hi = p[i + 2];
      i += 2;
    }
    if (c >= lo && c <= hi) in = true;
    ++i;
  }
  if (i >= p.size()) return kUnterminated;
  *matched = in != negate && c != '/';
  return i + 1;
}

bool Match(std::string_view p, std::string_view s) {
  while (!p.empty()) {
    if (p.starts_with("**")) {
      std::string_view rest = p.substr(2);
      if (rest.empty()) return true;
      if (rest.front() == '/') {
        rest.remove_prefix(1);
        for (std::size_t i = 0;;) {
          if (Match(rest, s.substr(i))) return true;
          std::size_t slash = s.find('/', i);
          if (slash == std::string_view::npos) return false;
          i = slash + 1;
        }
      }
      p = p.substr(1);  // "**x" behaves like "*x"
      continue;
    }
    char c = p.front();
    if (c == '*') {
      std::string_view rest = p.substr(1);
      for (std::size_t i = 0; i <= s.size(); ++i) {
        if (Match(rest, s.substr(i))) return true;
        if (i < s.size() && s[i] == '/') return false;
      }
      return false;
    }
    if (s.empty()) return false;
    if (c == '?') {
      if (s.front() == '/') return false;
    } else if (c == '[') {
      bool matched = false;
      std::size_t len = ClassLength(p, s.front(), &matched);
      if (len != kUnterminated) {
        if (!matched) return false;
        p.remove_prefix(len);
        s.remove_prefix(1);
        continue;
      }
      if (s.front() != '[') return false;
    } else {
      if (c == '\\' && p.size() > 1) {
        p.remove_prefix(1);
        c = p.front();
      }
      if (s.front() != c) return false;
    }
    p.remove_prefix(1);
    s.remove_prefix(1);
  }
  return s.empty();
}

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view path) { return Match(pattern, path); }

Status CheckGlob(std::string_view pattern) {
  auto invalid = [&](std::string_view why) {
    return Status::InvalidArgument("invalid glob " + QuoteForMessage(pattern) + ": " +
                                   std::string(why));
  };
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\') {
      if (i + 1 == pattern.size()) return invalid("trailing backslash");
      ++i;
    } else if (pattern[i] == '[') {
      bool matched = false;
      std::size_t len = ClassLength(pattern.substr(i), '\0', &matched);
      if (len == kUnterminated) return invalid("unterminated character class");
      i += len - 1;
    }
  }
  return Status::Ok();
}

}  // namespace capstan
