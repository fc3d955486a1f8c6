// Internal to lib/git's write side (commit.cc, publish.cc): trees edited path by path, and the
// libgit2 objects both need. Not for use outside lib/git.
#pragma once

#include <git2.h>

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "git/libgit2_util.h"
#include "git/publish.h"

namespace capstan::git::internal {

// Opens the repository containing `path`. kNotFound when there is none, kIoError otherwise.
Result<OwnedRepository> OpenRepository(const std::string& path);

Result<OwnedCommit> LookupCommit(git_repository* repo, const git_oid& oid);
Result<OwnedTree> CommitTree(const git_commit* commit);

// The tree `base` with each update's path holding a new blob of its content: file modes of
// existing paths are kept, new paths get 0100644, missing directories are created. When a path
// is listed twice the last update wins. `modes` (optional) receives each written path's mode.
// Fails with kInvalidArgument for a path that is not a plain relative path ("", "/x", "a/../b",
// ".git/x") or that names a directory or submodule in `base`, kIoError on libgit2 failures.
struct WrittenEntry {
  std::string path;
  git_oid blob;
  git_filemode_t mode;
};
Result<git_oid> UpdatedTree(git_repository* repo, const git_tree* base,
                            const std::vector<FileUpdate>& updates,
                            std::vector<WrittenEntry>* written = nullptr);

// The content of the file at `path` in `tree`; nullopt when no file is there (a missing path or
// a directory). kIoError when the blob cannot be read.
Result<std::optional<std::string>> ReadFileAt(git_repository* repo, const git_tree* tree,
                                              const std::string& path);

// The first 7 hex digits of an object id, as git shows them.
std::string ShortHex(const git_oid& oid);

}  // namespace capstan::git::internal
