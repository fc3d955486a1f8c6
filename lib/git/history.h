// The blobs that a set of commits added: what `capstan-scan --range A..B` and `--history` scan.
//
// A walk selects commits like `git rev-list` (revisions to include, revisions whose ancestry is
// hidden), compares each selected commit's tree with its first parent's tree and reports every
// regular-file blob the commit added or changed, each blob once, at the oldest commit and path
// that introduced it. Blob contents are not read; use Repository::ReadBlob for that.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "git/repository.h"

namespace capstan::git {

// Which commits to walk: the ancestry of `include` (and of every ref when all_refs) minus the
// ancestry of `exclude` (and of every remote-tracking branch when exclude_remotes).
struct CommitSelection {
  std::vector<std::string> include;  // revisions whose ancestry is walked (rev-parse syntax)
  std::vector<std::string> exclude;  // revisions whose ancestry is hidden
  bool all_refs = false;             // include HEAD and every ref under refs/ (like --all)
  // Hide every refs/remotes/* ref (what a push of a new branch sends).
  bool exclude_remotes = false;
};

// "A..B" -> include B, exclude A. "B" (no "..") -> include B and exclude_remotes: the commits no
// remote-tracking branch has, which is what a pre-push of a new branch sends. The revisions are
// not resolved here. Fails with kInvalidArgument "invalid range '<spec>': <why>" for an empty
// spec, an empty side ("..B", "A.."), "A...B" (symmetric difference) or more than one "..".
Result<CommitSelection> ParseRange(std::string_view spec);

struct AddedBlob {
  std::string oid;   // 40 hex
  std::string path;  // '/'-separated, relative to the repository root
  // 40 hex: the first commit (oldest in topological order) that added this blob.
  std::string commit;
  std::uint32_t mode;  // 0100644 or 0100755 only (symlinks, gitlinks are skipped)
};

struct BlobWalk {
  // Each blob oid once, in the order first introduced (oldest commit first, then path).
  std::vector<AddedBlob> blobs;
  int commits = 0;  // commits walked
};

// Every regular-file blob that a selected commit adds or changes relative to its first parent
// (a root commit: relative to the empty tree). Each unique blob is listed once, at the first
// (oldest) commit and path that introduced it. Commits are visited parents before children,
// a merge's first-parent history before the merged branch; within a commit, in path order.
//
// A merge commit is compared with its first parent, but a blob that another parent has at the
// same path is not the merge's (git's combined diff): what a merge brings in from a merged
// branch belongs to that branch's commits, and is not reported when they are not selected
// (merging an already-pushed main into a feature branch adds nothing). Content first written
// by the merge itself (a conflict resolution) is reported at the merge.
//
// A commit that only moves a blob adds nothing: a mode change, a rename, a move to another
// directory (the blob left some path in the same commit). A copy to a new path while the
// original stays is reported unless the walk saw the blob before; so is a blob that the
// selection restores after an excluded commit deleted it.
// Symlinks (0120000) and submodule gitlinks (0160000) are skipped, and so is everything under
// a submodule. A symlink turned into a regular file with the same content is reported.
//
// Shallow clones: a commit whose first parent object is missing (the shallow boundary of
// `git clone --depth N`) is treated like a root commit, so all of its files are reported, and
// a hidden revision whose ancestry crosses the boundary hides what is there (`A..B` works in a
// CI checkout as long as A was fetched).
//
// Refs for all_refs and exclude_remotes: symbolic refs whose target does not exist and refs
// that do not point at a commit (e.g. a tag of a blob) are skipped, as git does.
//
// Fails with kInvalidArgument "unknown revision '<rev>'" for an include or exclude revision
// that cannot be resolved ("revision '<rev>' is not in this shallow clone (fetch more history:
// ...)" in a shallow clone, "revision '<rev>' is ambiguous: ..." for a short id several objects
// share) and "revision '<rev>' is not a commit" for one that names e.g. a tree; with kIoError
// "cannot <what>: <libgit2's message>" when libgit2 fails (an unreadable commit or tree, a ref
// pointing at a missing object). A selection with nothing in it (nothing included, or
// everything hidden) is not an error: zero commits and zero blobs.
// Memory: the result, a set of the blob ids seen so far, about 100 bytes per commit visited
// (hidden ones included) and the trees along one path at a time, plus libgit2's object cache
// (bounded by its own settings).
Result<BlobWalk> WalkAddedBlobs(Repository& repo, const CommitSelection& selection);

}  // namespace capstan::git
