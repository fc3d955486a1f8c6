#include "input/ignore_file.h"

namespace capstan::input {
namespace {

// Matches one bracket class at p[0] == '['; sets *len to the class's length. False when the
// class is unterminated (then '[' is literal).
bool ClassMatch(std::string_view p, char c, std::size_t* len, bool* ok) {
  std::size_t i = 1;
  bool negate = i < p.size() && (p[i] == '!' || p[i] == '^');
  if (negate) ++i;
  bool matched = false;
  bool first = true;
  for (; i < p.size() && (p[i] != ']' || first); first = false) {
    char lo = p[i];
    if (lo == '\\' && i + 1 < p.size()) lo = p[++i];
    char hi = lo;
    if (i + 2 < p.size() && p[i + 1] == '-' && p[i + 2] != ']') {
      hi = p[i + 2];
      i += 2;
    }
    if (c >= lo && c <= hi) matched = true;
    ++i;
  }
  if (i >= p.size()) return false;
  *len = i + 1;
  *ok = matched != negate && c != '/';
  return true;
}

bool Match(std::string_view p, std::string_view s) {
  while (!p.empty()) {
    if (p.starts_with("**")) {
      // "**/" matches zero or more whole directories; "**" at the end matches everything.
      std::string_view rest = p.substr(2);
      if (rest.empty()) return true;
      if (rest.front() == '/') {
        rest.remove_prefix(1);
        for (std::size_t i = 0;; ) {
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
      std::size_t len = 0;
      bool ok = false;
      if (ClassMatch(p, s.front(), &len, &ok)) {
        if (!ok) return false;
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

IgnoreList IgnoreList::Parse(std::string_view text) {
  IgnoreList list;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t nl = text.find('\n', start);
    std::string_view line = text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    start = nl == std::string_view::npos ? text.size() : nl + 1;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    Pattern p;
    if (line.front() == '!') {
      p.negate = true;
      line.remove_prefix(1);
    }
    if (!line.empty() && line.back() == '/') {
      p.dir_only = true;
      line.remove_suffix(1);
    }
    if (line.find('/') != std::string_view::npos) p.anchored = true;
    if (!line.empty() && line.front() == '/') line.remove_prefix(1);
    if (line.empty()) continue;
    p.glob = std::string(line);
    list.patterns_.push_back(std::move(p));
  }
  return list;
}

bool IgnoreList::Matches(const Pattern& p, std::string_view path, bool is_dir) const {
  if (p.dir_only && !is_dir) return false;
  if (p.anchored) return Match(p.glob, path);
  std::size_t slash = path.rfind('/');
  return Match(p.glob, slash == std::string_view::npos ? path : path.substr(slash + 1));
}

bool IgnoreList::Ignored(std::string_view relpath) const {
  // A file is excluded when it or any directory above it is; as in git, a file below an
  // excluded directory cannot be re-included.
  std::size_t pos = 0;
  for (;;) {
    std::size_t slash = relpath.find('/', pos);
    bool is_dir = slash != std::string_view::npos;
    std::string_view prefix = is_dir ? relpath.substr(0, slash) : relpath;
    bool ignored = false;
    for (const Pattern& p : patterns_)
      if (Matches(p, prefix, is_dir)) ignored = !p.negate;
    if (ignored) return true;
    if (!is_dir) return false;
    pos = slash + 1;
  }
}

}  // namespace capstan::input
