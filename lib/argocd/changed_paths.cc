#include "argocd/changed_paths.h"

#include <algorithm>

#include "argocd/go_match.h"
#include "core/path.h"

namespace capstan::argocd {
namespace {

// The changed paths that start with prefix, as a range of the sorted vector.
std::pair<std::vector<std::string>::const_iterator, std::vector<std::string>::const_iterator>
WithPrefix(const std::vector<std::string>& sorted, std::string_view prefix) {
  auto first = std::lower_bound(sorted.begin(), sorted.end(), prefix,
                                [](const std::string& a, std::string_view b) { return a < b; });
  auto last = first;
  while (last != sorted.end() && std::string_view(*last).starts_with(prefix)) ++last;
  return {first, last};
}

// Clean("/" + p) without the leading '/': what util/security EnforceToCurrentRoot compares.
std::string CleanRoot(std::string_view p) {
  std::string clean = NormalizePath("/" + std::string(p));
  while (clean.starts_with('/')) clean.erase(0, 1);
  return clean;
}

}  // namespace

ChangedPaths::ChangedPaths(std::vector<std::string> paths) {
  paths_.reserve(paths.size());
  for (std::string& p : paths) {
    std::string clean = CleanRoot(p);
    if (!clean.empty()) paths_.push_back(std::move(clean));
  }
  std::sort(paths_.begin(), paths_.end());
  paths_.erase(std::unique(paths_.begin(), paths_.end()), paths_.end());
}

const std::string* ChangedPaths::FirstAtOrUnder(std::string_view path) const {
  if (path.empty()) return paths_.empty() ? nullptr : &paths_.front();
  auto it = std::lower_bound(paths_.begin(), paths_.end(), path,
                             [](const std::string& a, std::string_view b) { return a < b; });
  if (it != paths_.end() && *it == path) return &*it;
  std::string dir = std::string(path) + "/";
  auto [first, last] = WithPrefix(paths_, dir);
  return first == last ? nullptr : &*first;
}

const std::string* ChangedPaths::FirstMatchingRefreshPath(std::string_view item) const {
  // util/app/path AppFilesHaveChanged: both sides made absolute with a leading '/', then
  // f == item, or f's directory on or under Clean(item) (EnforceToCurrentRoot), or
  // filepath.Match(item, f).
  std::string pattern = item.starts_with('/') ? std::string(item) : "/" + std::string(item);
  std::string_view relative = std::string_view(pattern).substr(1);
  const std::string* found = nullptr;
  auto consider = [&](const std::string* f) {
    if (f != nullptr && (found == nullptr || *f < *found)) found = f;
  };
  if (std::binary_search(paths_.begin(), paths_.end(), relative))
    consider(&*std::lower_bound(paths_.begin(), paths_.end(), relative));
  consider(FirstAtOrUnder(CleanRoot(relative)));
  std::size_t meta = pattern.find_first_of("*?[\\");
  if (meta == std::string::npos) return found;
  // Only names that share the pattern's literal directories can match it.
  std::string_view literal = std::string_view(pattern).substr(1, meta - 1);
  literal =
      literal.substr(0, literal.rfind('/') == std::string_view::npos ? 0 : literal.rfind('/') + 1);
  auto [first, last] = WithPrefix(paths_, literal);
  std::string name = "/";
  for (auto it = first; it != last; ++it) {
    if (found != nullptr && *it >= *found) break;
    name.resize(1);
    name += *it;
    if (GoPathMatch(pattern, name) == GoMatch::kMatch) {
      consider(&*it);
      break;
    }
  }
  return found;
}

}  // namespace capstan::argocd
