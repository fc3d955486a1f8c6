// Read access to a git repository through libgit2: discovery, ignore rules, the index, blobs
// and working-tree changes. libgit2 is initialised once, on first use, and never shut down;
// like git, it does not re-hash the objects it reads.
//
// Every call returns a Status instead of printing. libgit2 failures become kIoError with the
// message "cannot <what>: <libgit2's message>", e.g.
//   cannot read the git index: failed to parse index entry
// A Repository is not thread-safe; open one per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

struct git_repository;

namespace capstan::git {

struct BlobWalk;
struct IndexFile;
struct CommitSelection;
struct PathChange;

class Repository {
 public:
  // The repository containing `path` (a file or a directory, absolute or relative to the
  // process's working directory), found by walking up from it. Fails with kNotFound
  // "'<path>' is not inside a git repository" when there is none, and kIoError when one is
  // found but cannot be opened (e.g. owned by another user and not in safe.directory).
  static Result<std::unique_ptr<Repository>> Discover(const std::string& path);

  ~Repository();
  Repository(const Repository&) = delete;
  Repository& operator=(const Repository&) = delete;

  // The absolute, symlink-free working directory without a trailing '/'; empty when bare().
  std::string workdir() const;
  bool bare() const;
  // Whether this is a shallow clone (`git clone --depth N`): its history stops at boundary
  // commits whose parents were not fetched.
  bool shallow() const;

  // The short name of the branch HEAD is on ("main"). kInvalidArgument "HEAD is detached" when
  // it is on no branch; a branch without commits yet still has its name.
  Result<std::string> HeadBranch() const;

  // The URL of remote `remote` as configured (remote.<remote>.url; insteadOf rewrites not
  // applied). kNotFound "no remote '<remote>' in this repository" when there is none.
  Result<std::string> RemoteUrl(const std::string& remote) const;
  // The remote's default branch as the clone recorded it: the branch refs/remotes/<remote>/HEAD
  // points at ("main"). kNotFound "refs/remotes/<remote>/HEAD is not set" when the clone did
  // not record one (`git remote set-head <remote> --auto` sets it).
  Result<std::string> RemoteHeadBranch(const std::string& remote) const;

  // Whether `relpath` (relative to workdir(), '/'-separated) is ignored by .gitignore files,
  // .git/info/exclude or core.excludesFile, as `git check-ignore --no-index` would say. A path
  // inside an ignored directory is ignored. Whether a path is a directory (for "dir/" rules) is
  // decided by looking at the working tree. Tracked files may still be reported as ignored.
  // Fails with kIoError when the rules cannot be read.
  Result<bool> IsIgnored(const std::string& relpath);

  struct IndexEntry {
    std::string path;    // relative to the repository root, '/'-separated
    std::string oid;     // the staged blob, 40 hex digits
    std::uint32_t mode;  // git file mode: 0100644, 0100755, 0120000 (symlink), 0160000 (gitlink)
  };

  // The stage-0 index entries whose content differs from HEAD's tree: added, modified, renamed,
  // copied or type-changed, but not deleted, and not conflicted (those have no stage-0 entry).
  // In a repository without commits, every index entry. Sorted by path. Fails with kIoError
  // when the index, HEAD or its tree cannot be read.
  // index_file: the index to read instead of the repository's own (what git passes hooks in
  // GIT_INDEX_FILE for `git commit -a` and `git commit <paths>`); absolute, or empty for the
  // repository's index. Fails with kIoError when that file cannot be read.
  Result<std::vector<IndexEntry>> StagedChanges(const std::string& index_file = "");

  // Every stage-0 entry of the index (index_file as for StagedChanges): what the next commit
  // holds, sorted by path. Conflicted paths have no stage-0 entry and are left out. Fails with
  // kIoError when the index cannot be read. ReadIndex is cheaper for a large index.
  Result<std::vector<IndexEntry>> IndexEntries(const std::string& index_file = "");

  // The index file (index_file as for StagedChanges) read and parsed by capstan's own reader
  // (git/index_file.h), without libgit2 and without its cache tree: its entries are views into
  // it, so nothing is copied per entry. Fails with kIoError when it cannot be read (or the
  // repository is bare) and with kParseError for what that reader does not take (a split or sparse
  // index): IndexEntries reads those.
  Result<IndexFile> ReadIndex(const std::string& index_file = "");

  // The content of the blob `oid_hex` (40 hex digits). Fails with kInvalidArgument for a
  // malformed id or an object that is not a blob, kNotFound when it does not exist, and
  // kLimitExceeded when it is larger than max_bytes (decided from the object header, before
  // the content is inflated or copied).
  Result<std::string> ReadBlob(const std::string& oid_hex, std::uint64_t max_bytes);

  // The content of the file at `path` (relative to workdir(), '/'-separated) in the tree of the
  // commit `rev` ("HEAD", "HEAD~1", an id); nullopt when no file is there (a missing path, a
  // directory). Fails with kNotFound "unknown revision '<rev>'" when rev names no commit (a
  // root commit's "HEAD~1", an unborn branch), kIoError when the blob cannot be read.
  Result<std::optional<std::string>> ReadFileAt(const std::string& rev, const std::string& path);

  // Paths (relative to workdir(), sorted, unique) whose working-tree content differs from the
  // tree of `rev`, counting staged and unstaged changes and untracked files that are not
  // ignored (like `git diff <rev>` plus `git ls-files --others --exclude-standard`). Files
  // missing from the working tree are left out. A file whose staged edit was undone in the
  // working tree may be listed although its content equals rev's (checking it is harmless).
  // Fails with kInvalidArgument "unknown revision '<rev>'" when rev cannot be resolved,
  // kInvalidArgument "revision '<rev>' is not a commit or a tree" for e.g. a blob, and kIoError
  // for a bare repository or a libgit2 failure.
  Result<std::vector<std::string>> ChangedSince(const std::string& rev);

 private:
  friend Result<BlobWalk> WalkAddedBlobs(Repository& repo, const CommitSelection& selection);
  // revisions.h
  friend Result<std::string> ResolveCommit(Repository& repo, const std::string& rev);
  friend Result<bool> IsAncestor(Repository& repo, const std::string& ancestor,
                                 const std::string& descendant);
  friend Result<std::vector<PathChange>> ChangedPaths(Repository& repo, const std::string& from,
                                                      const std::string& to);

  explicit Repository(git_repository* repo) : repo_(repo) {}

  git_repository* repo_;  // owned
};

}  // namespace capstan::git
