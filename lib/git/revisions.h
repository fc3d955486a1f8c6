// Revisions and what changed between them: what capstan-sync needs to pick the Applications a
// commit range touched and to pin its wait to a commit, usable by every tool.
//
// A revision is anything libgit2's rev-parse accepts: a full or short commit id (at least 4 hex
// digits), a branch ("main", "refs/heads/main"), a tag (annotated tags are peeled to their
// commit), a remote-tracking branch ("origin/main"), "HEAD", "HEAD~2", "v1.2^{commit}"...
//
// Shallow clones (`git clone --depth N`, actions/checkout's default fetch-depth: 1) lack the
// older history. Nothing here guesses across that gap: a revision that is not there, or an
// ancestry question whose answer lies beyond it, fails with kNotFound and a message that says
// the clone is shallow and how to fetch more, e.g.
//   cannot diff 'a1b2c3d..HEAD': revision 'a1b2c3d' is not in this shallow clone (fetch more
//   history: git fetch --deepen=<n> or git fetch --unshallow; with actions/checkout,
//   fetch-depth: 0)
// (one line). Repository::shallow() tells that case apart from a plain unknown revision.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "git/repository.h"

namespace capstan::git {

// The two ends of "REV1..REV2".
struct RevisionRange {
  std::string from;  // REV1
  std::string to;    // REV2
  bool operator==(const RevisionRange&) const = default;
};

// Splits "REV1..REV2" at its "..". The revisions are not resolved, and nothing is trimmed.
// Fails with kInvalidArgument "invalid range '<spec>': <why>", why being
//   "expected <from>..<to>"                                     "" or no ".." ("main")
//   "'...' (symmetric difference) is not supported, use <from>..<to>"             "a...b"
//   "more than one '..'"                                                        "a..b..c"
//   "both sides of '..' must be given"                               "..b", "a..", ".."
Result<RevisionRange> ParseRevisionRange(std::string_view spec);

// The full id (40 lowercase hex digits) of the commit `rev` names. Fails with
//   kNotFound "unknown revision '<rev>'" when it names nothing (or an unborn branch);
//   kNotFound "revision '<rev>' is not in this shallow clone (fetch more history: ...)" instead
//     when the repository is shallow;
//   kInvalidArgument "revision '<rev>' is ambiguous: more than one object id starts with it"
//     for a short id that several objects share;
//   kInvalidArgument "empty revision" for "";
//   kInvalidArgument "revision '<rev>' is not a commit" when it names a tree or a blob
//     ("HEAD:app.yaml", a tag of a blob);
//   kIoError "cannot <what>: <libgit2's message>" when the repository cannot be read.
Result<std::string> ResolveCommit(Repository& repo, const std::string& rev);

// Whether the commit `ancestor` is reachable from the commit `descendant` by following parents,
// or is the same commit: `git merge-base --is-ancestor ANCESTOR DESCENDANT`. Both are revisions,
// resolved as ResolveCommit does. Like git, the walk goes newest first by committer date, so a
// history whose dates go back in time by more than a few commits may answer false.
// Fails with ResolveCommit's errors, prefixed "cannot tell whether '<ancestor>' is an ancestor
// of '<descendant>': ", and with kNotFound, same prefix, "the history of '<descendant>' is cut
// short by this shallow clone (fetch more history: ...)" when the walk down from `descendant`
// reached a shallow boundary without meeting `ancestor`. (When `ancestor` itself descends from
// `descendant`, the answer is false without looking further.)
// Cost: the commits between the two, plus those from `ancestor` down to where the histories
// meet when it is not an ancestor; about 100 bytes each.
Result<bool> IsAncestor(Repository& repo, const std::string& ancestor,
                        const std::string& descendant);

enum class ChangeKind {
  kAdded,
  kModified,  // content or mode (0100644 <-> 0100755), or a submodule's commit
  kDeleted,
  kRenamed,     // with or without edits (similarity >= 50%, as `git diff -M`)
  kTypeChanged  // file <-> symlink <-> submodule
};

// "added", "modified", "deleted", "renamed", "typechanged".
std::string_view ChangeKindName(ChangeKind kind);

struct PathChange {
  // '/'-separated, relative to the repository root: the new path, or the deleted one.
  std::string path;
  ChangeKind kind = ChangeKind::kModified;
  std::string old_path;  // kRenamed only: the path in `from`; empty otherwise
  bool operator==(const PathChange&) const = default;
};

// The entries that differ between the trees of the commits `from` and `to`, as
// `git diff --name-status -M FROM TO` lists them: a tree-to-tree comparison, so `from` need not
// be an ancestor of `to` (no merge base is looked for, and a shallow clone only needs the two
// commits). Files, symlinks and submodule gitlinks are entries, directories are not: a deleted
// directory lists every file in it, a bumped submodule its gitlink path. Renames pair a
// deleted entry with an added one, as git does: first those with the same content (files with
// files, symlinks with symlinks), then, among the files left, those at least 50% similar in
// content, best first, each entry in at most one pair. Like git with its default
// diff.renameLimit, that second pass is skipped when the files left, added times deleted,
// exceed 1000 x 1000 (only exact renames are found then); repository config changes none of
// this. A type change is never a side of a rename (git without -B): a symlink replaced by a
// copy of a deleted file is 'cfg' typechanged plus 'old' deleted. Similarity is libgit2's
// line-hash estimate, not git's: a file edited to about half may pair where git does not, and
// among equally good candidates (copies of one file) the pairs may differ from git's; the set
// of paths, TouchedPaths, never depends on the pairing. Sorted by path (bytewise); each path
// once. The same commit on both sides gives an empty list.
// Fails with ResolveCommit's errors for either side, prefixed "cannot diff '<from>..<to>': ",
// and kIoError "cannot diff '<from>..<to>': <libgit2's message>" when a tree or blob cannot be
// read.
// Cost: unchanged subtrees are skipped by id; blobs are read only for the similarity pass. A
// 1,000-entry change (700 edits, 100 deletions, 150 renames of which 50 edited, 50 additions in
// a 5,000-file tree) takes about 3 ms, 20 ms on a cold object cache.
Result<std::vector<PathChange>> ChangedPaths(Repository& repo, const std::string& from,
                                             const std::string& to);

// Every path in `changes`, both sides of each rename, sorted (bytewise) and unique: what path
// selection rules match against. For ChangedPaths' result: every path whose entry differs
// between the two trees, however renames were paired.
std::vector<std::string> TouchedPaths(const std::vector<PathChange>& changes);

}  // namespace capstan::git
