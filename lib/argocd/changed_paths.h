// The paths one change touched, sorted once so that each question an Application's rules ask
// ("is anything under apps/web?") costs a binary search, not a scan: the selection stays cheap
// for hundreds of Applications and thousands of changed files.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace capstan::argocd {

class ChangedPaths {
 public:
  // paths: repository-relative, '/'-separated (lib/git's changed paths: additions,
  // modifications, deletions, both sides of a rename). Normalised here (core/path.h
  // NormalizePath, leading '/' dropped), sorted and de-duplicated; empty ones dropped.
  explicit ChangedPaths(std::vector<std::string> paths);

  const std::vector<std::string>& paths() const { return paths_; }
  bool empty() const { return paths_.empty(); }

  // The first changed path (in sorted order) that is `path` or lies under it as a directory
  // ("apps/web" holds "apps/web/x.yaml", not "apps/web2/x.yaml"), or nullptr. "" is the
  // repository root: any changed path. path is taken as given (normalised, no leading '/').
  const std::string* FirstAtOrUnder(std::string_view path) const;

  // The first changed path Argo CD's AppFilesHaveChanged finds for one refresh path, as
  // GetAppRefreshPaths builds them (repository-relative, or starting with '/'; maybe a
  // pattern): equal to it, in or under it as a directory once it is cleaned, or matched by it
  // as a Go filepath.Match pattern (argocd/go_match.h; a malformed one matches by the first two
  // rules only). nullptr when none.
  const std::string* FirstMatchingRefreshPath(std::string_view refresh_path) const;

 private:
  std::vector<std::string> paths_;
};

}  // namespace capstan::argocd
