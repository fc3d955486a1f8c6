#include "core/path.h"

#include <vector>

namespace capstan {

std::string AppendPath(std::string_view dir, std::string_view name) {
  std::string out(dir);
  if (!out.empty() && out.back() != '/') out += '/';
  out += name;
  return out;
}

namespace {

// Whether path has nothing to normalise: no empty, "." or ".." component (a leading '/' aside).
bool IsNormal(std::string_view path) {
  std::size_t i = !path.empty() && path[0] == '/' ? 1 : 0;
  if (i == path.size()) return path.empty();
  for (;;) {
    std::size_t slash = path.find('/', i);
    std::string_view part = path.substr(i, slash == std::string_view::npos ? slash : slash - i);
    if (part.empty() || part == "." || part == "..") return false;
    if (slash == std::string_view::npos) return true;
    i = slash + 1;
  }
}

}  // namespace

std::string JoinPath(std::string_view dir, std::string_view rel) {
  std::string joined = (!rel.empty() && rel[0] == '/') || dir.empty()
                           ? std::string(rel)
                           : std::string(dir) + "/" + std::string(rel);
  // Most paths are normal already (a file named in a walk): no need to take them apart.
  if (IsNormal(joined)) return joined;
  const bool absolute = !joined.empty() && joined[0] == '/';
  std::vector<std::string_view> parts;
  std::string_view rest = joined;
  while (true) {
    std::size_t slash = rest.find('/');
    std::string_view part = rest.substr(0, slash);
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") {
        parts.pop_back();
      } else if (!absolute) {
        parts.push_back(part);
      }
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  std::string out = absolute ? "/" : "";
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += '/';
    out += parts[i];
  }
  return out;
}

std::string NormalizePath(std::string_view path) { return JoinPath("", path); }

std::string DirName(std::string_view path) {
  std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? "" : std::string(path.substr(0, slash));
}

bool AtOrUnder(std::string_view path, std::string_view dir) {
  if (dir.empty()) return path != ".." && !path.starts_with("../") && !path.starts_with('/');
  return path.starts_with(dir) && (path.size() == dir.size() || path[dir.size()] == '/');
}

}  // namespace capstan
