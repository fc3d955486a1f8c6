#include "argocd/revision.h"

#include <algorithm>

#include "core/strings.h"
#include "semver/constraint.h"
#include "semver/version.h"

namespace capstan::argocd {
namespace {

constexpr std::string_view kHeads = "refs/heads/";
constexpr std::string_view kTags = "refs/tags/";

bool AllHex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  });
}

std::string_view WithoutPrefix(std::string_view s, std::string_view prefix) {
  if (s.starts_with(prefix)) s.remove_prefix(prefix.size());
  return s;
}

std::string Q(std::string_view s) { return QuoteForMessage(s); }

}  // namespace

RevisionKind ClassifyRevision(std::string_view rev) {
  if (rev.empty() || rev == "HEAD") return RevisionKind::kDefaultBranch;
  if (rev.starts_with(kHeads)) return RevisionKind::kBranch;
  if (rev.starts_with(kTags)) return RevisionKind::kTag;
  if (AllHex(rev) && rev.size() >= 40) return RevisionKind::kCommit;
  if (AllHex(rev) && rev.size() >= 7) return RevisionKind::kShortCommit;
  // Argo CD: a revision that parses as a version is a pin, not a constraint.
  if (semver::ParseCoerce(rev).ok()) return RevisionKind::kVersion;
  if (semver::ParseConstraint(rev).ok()) return RevisionKind::kSemverRange;
  return RevisionKind::kBranch;
}

BranchMatch TracksBranch(std::string_view rev, std::string_view branch,
                         std::string_view default_branch) {
  branch = WithoutPrefix(branch, kHeads);
  default_branch = WithoutPrefix(default_branch, kHeads);
  std::string on = ", the change is on " + Q(branch);
  RevisionKind kind = ClassifyRevision(rev);
  if (kind == RevisionKind::kDefaultBranch) {
    bool head = !rev.empty();  // "" says nothing of HEAD, only of the default branch
    if (default_branch.empty())
      return {false, head ? "tracks HEAD, and the repository's default branch is unknown"
                          : "tracks the default branch, which is unknown"};
    std::string what = head ? "tracks HEAD, the default branch " + Q(default_branch)
                            : "tracks the default branch " + Q(default_branch);
    if (default_branch == branch) return {true, what};
    return {false,
            (head ? "tracks HEAD (the default branch " + Q(default_branch) + ")" : what) + on};
  }
  if (kind == RevisionKind::kTag) return {false, "tracks tag " + Q(rev.substr(kTags.size()))};
  // Argo CD resolves a name against the refs before anything else, so a branch that happens
  // to look like a SHA or a version is still that branch.
  std::string_view name = WithoutPrefix(rev, kHeads);
  if (name == branch) return {true, "tracks branch " + Q(branch)};
  switch (kind) {
    case RevisionKind::kCommit:
      return {false, "pinned to commit " + Q(rev) + ", not a branch"};
    case RevisionKind::kShortCommit:
      return {false, "pinned to " + Q(rev) + " (a short commit SHA or a tag)" + on};
    case RevisionKind::kVersion:
      return {false, "pinned to tag " + Q(rev) + on};
    case RevisionKind::kSemverRange:
      return {false, "tracks tags in semver range " + Q(rev) + ", not a branch"};
    default:
      return {false, "tracks branch " + Q(name) + on};
  }
}

}  // namespace capstan::argocd
