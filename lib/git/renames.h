// Rename detection for ChangedPaths (revisions.cc); internal to lib/git.
//
// libgit2's git_diff_find_similar is not used: it also pairs the sides of type changes (git
// does not), scores every added file against every deleted one even when an exact match
// exists (a 1,000-file change took 35 ms in it), and reads diff.renameLimit from the
// repository's config.
#pragma once

#include <git2.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"

namespace capstan::git::internal {

// One side of a candidate pair: a deleted or an added tree entry.
struct RenameSide {
  const char* path;    // owned by the caller; must outlive the call
  git_oid id;          // the blob
  std::uint32_t mode;  // git file mode
};

struct RenamePair {
  std::size_t deleted;  // index into `deleted`
  std::size_t added;    // index into `added`
};

// git's default diff.renameLimit: the similarity pass is skipped when more than this many
// squared (added x deleted) pairs would be scored.
inline constexpr std::size_t kRenameLimit = 1000;

// Pairs deleted and added entries as `git diff -M` does, each entry in at most one pair:
//  1. same blob and same kind (both regular files, or both symlinks), preferring a deleted
//     entry with the same file name, else the first by path (both lists in path order);
//  2. among the regular files left, unless added x deleted > kRenameLimit^2: content at least
//     50% similar (libgit2's line-hash signature; pairs whose sizes differ by more than half
//     are not scored), best score first, then same file name, then path order.
// Gitlinks are never paired. Fails with kIoError "cannot <what>: <libgit2's message>" when a
// blob cannot be read. Memory: one signature (about 1 KB) per regular file scored.
Result<std::vector<RenamePair>> PairRenames(git_repository* repo,
                                            const std::vector<RenameSide>& deleted,
                                            const std::vector<RenameSide>& added,
                                            const std::string& what);

}  // namespace capstan::git::internal
