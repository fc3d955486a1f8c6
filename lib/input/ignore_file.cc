#include "input/ignore_file.h"

#include "core/glob.h"

namespace capstan::input {

IgnoreList IgnoreList::Parse(std::string_view text) {
  IgnoreList list;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t nl = text.find('\n', start);
    std::string_view line =
        text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    start = nl == std::string_view::npos ? text.size() : nl + 1;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
      line.remove_suffix(1);
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
  if (p.anchored) return GlobMatch(p.glob, path);
  std::size_t slash = path.rfind('/');
  return GlobMatch(p.glob, slash == std::string_view::npos ? path : path.substr(slash + 1));
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
