// What an Application source's targetRevision follows, and whether it follows the branch a
// change was made on. Mirrors how Argo CD resolves a revision (util/git LsRemote: a ref name
// first, then a commit SHA, then a semver constraint over tags) and which sources a push
// reaches (util/webhook sourceRevisionHasChanged: HEAD or "" is the default branch,
// `refs/heads/<b>` and `<b>` the branch b).
#pragma once

#include <string>
#include <string_view>

namespace capstan::argocd {

enum class RevisionKind {
  kDefaultBranch,  // "", "HEAD": the repository's default branch
  kBranch,         // "refs/heads/<b>", or a name that is none of the kinds below
  kTag,            // "refs/tags/<t>"
  kCommit,         // 40 or more hex digits: a full commit SHA
  kShortCommit,    // 7 to 39 hex digits: a short SHA (or a tag of that name)
  kVersion,        // a version, "1.2.3" or "v1.2": a tag pinned by name
  kSemverRange,    // a semver constraint that is not a version ("1.x", ">=1.2.0 <2"): the
                   // highest matching tag
};

// The kind of targetRevision as written. A name that is both a branch and something else
// ("1.x" as a branch name) is told apart only by TracksBranch, which compares names first.
RevisionKind ClassifyRevision(std::string_view target_revision);

struct BranchMatch {
  bool tracks = false;
  // One line for `--plan`, lowercase, values quoted: "tracks branch 'main'", "tracks HEAD, the
  // default branch 'main'", "tracks branch 'release-1', the change is on 'main'", "tracks tags
  // in semver range '1.x', not a branch", "pinned to commit '<sha>', not a branch".
  std::string explanation;
};

// Whether a source with this targetRevision follows `branch`, the branch the change is on
// ("main" or "refs/heads/main"). HEAD or "" follows default_branch (the repository's, e.g. what
// origin/HEAD names; "" when unknown, then HEAD follows nothing). A branch name equal to
// `branch` follows it whatever it looks like; tags, commits, versions and semver ranges never
// follow a branch (a semver range tracks tags: a new tag, not a branch commit, moves it).
// REQUIRES: branch is not empty.
BranchMatch TracksBranch(std::string_view target_revision, std::string_view branch,
                         std::string_view default_branch);

}  // namespace capstan::argocd
