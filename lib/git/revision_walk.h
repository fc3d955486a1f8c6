// Revisions and commit selection for history walks, internal to lib/git (history.cc and
// revisions.cc use them).
//
// This replaces git_revwalk because libgit2 1.5 does not know about shallow clones: its walk
// fails with "object not found" as soon as it reaches the missing parent of a shallow
// boundary commit, on the included side as well as on the hidden one (`--range HEAD~1..HEAD`
// in a `--depth 2` CI checkout). The algorithm is git's and libgit2's: walk newest-first by
// committer date from all tips, carry "hidden" down to parents, stop a few commits after only
// hidden ones are left (so, like git, clock skew can let a hidden commit through), then order
// the rest topologically.
#pragma once

#include <git2.h>

#include <string>
#include <vector>

#include "core/result.h"

namespace capstan::git {

// The commit a revision names, with revisions.h's ResolveCommit errors (kNotFound for an
// unknown revision, saying so when the clone is shallow; kInvalidArgument for an ambiguous
// short id or a tree or blob).
Result<git_oid> ResolveCommitId(git_repository* repo, const std::string& rev);

// The commits reachable from `include` and not from `exclude`, each once, parents before
// children: a depth-first post-order from the include tips in the given order, first parent
// first. A parent object that does not exist (the boundary of a shallow clone) is treated as
// absent: its child becomes a root. The tips must be commits. Fails with kIoError
// "cannot read commit <id>: <libgit2's message>" when a commit exists but cannot be read.
// Memory: about 100 bytes per commit visited, hidden ones included.
// hidden_cut (optional) is set to whether the walk met a missing parent on the hidden side: an
// exclude tip's ancestry is cut by a shallow boundary, so commits beyond it that it would have
// hidden may be selected (ancestry questions cannot be answered from what is there).
Result<std::vector<git_oid>> SelectCommits(git_repository* repo,
                                           const std::vector<git_oid>& include,
                                           const std::vector<git_oid>& exclude,
                                           bool* hidden_cut = nullptr);

}  // namespace capstan::git
