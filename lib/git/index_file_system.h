// The git index as a read-only FileSystem: what the next commit will hold, for checks that look
// past the staged files (a kustomization's `resources` must exist in the commit, not merely in
// the working tree). Files are the index's stage-0 entries, under the working tree's path;
// directories are what holds them; contents are the staged blobs.
//
//   auto index = git::IndexFileSystem::Open(repo, "");  // repo: a non-bare Repository
//   auto text = (*index)->ReadFile(repo.workdir() + "/apps/web/kustomization.yaml", 1 << 20);
//
// With a work_tree FileSystem, a file git itself would take as unchanged is read from the
// working tree: its stat data (times, inode, size) are those the index recorded, and it was
// last modified before the index was written (not "racily clean"). Reading a small file costs a
// fraction of opening the object database and inflating the blob. Anything else (an unstaged
// edit, an assume-unchanged or skip-worktree entry, an index libgit2 had to read) is read from
// the blob. As in `git diff`, a clean file is the working tree's rendering of the blob: with a
// smudge filter or an eol attribute, that rendering, not the blob's bytes.
//
// Paths must be absolute and under root() ("a/../b" is resolved lexically); anything else is
// kNotFound. Symlink entries are followed within the index (up to 8 links; a target outside it
// is kNotFound). Submodules (gitlinks) are neither files nor directories. Writing fails with
// kInvalidArgument. Not thread-safe: it reads blobs through the Repository, which must outlive it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/env.h"
#include "git/index_file.h"
#include "git/repository.h"

namespace capstan::git {

class IndexFileSystem : public FileSystem {
 public:
  // Reads the index of repo (or index_file, as for Repository::StagedChanges) now. Fails as
  // Repository::IndexEntries, and with kInvalidArgument for a bare repository. work_tree, when
  // given, must outlive the IndexFileSystem.
  static Result<std::unique_ptr<IndexFileSystem>> Open(Repository& repo,
                                                       const std::string& index_file,
                                                       FileSystem* work_tree = nullptr);

  const std::string& root() const { return root_; }

  Result<std::string> ReadFile(const std::string& path, std::uint64_t max_bytes) override;
  Status ReadChunks(const std::string& path, std::size_t chunk_bytes,
                    const std::function<Status(std::string_view)>& sink) override;
  Result<FileInfo> Stat(const std::string& path, bool follow_symlinks) override;
  Result<std::vector<DirEntry>> ListDir(const std::string& path) override;
  Result<std::string> RealPath(const std::string& path) override;
  Status WriteFileAtomic(const std::string& path, std::string_view content) override;
  Status Rename(const std::string& from, const std::string& to) override;
  Status Remove(const std::string& path) override;
  Status SetMode(const std::string& path, std::uint32_t mode) override;
  Status CreateDirectories(const std::string& path) override;

 private:
  // A stage-0 entry: views into index_ (raw object id) or owned_ (hex object id).
  struct Entry {
    std::string_view path;
    std::string_view oid;
    std::uint32_t mode = 0;
    const IndexFileEntry* stat = nullptr;  // when capstan's reader took the index
  };

  explicit IndexFileSystem(Repository& repo) : repo_(repo), root_(repo.workdir()) {}

  // The repository-relative path of an absolute path under root_ ("" for root_ itself), or
  // nullopt when it is elsewhere.
  std::optional<std::string> Relative(const std::string& path) const;
  // The entry at rel, or nullptr; with follow, symlink entries resolved.
  const Entry* Find(std::string rel, bool follow) const;
  // The first entry at or after path, in path order.
  std::vector<Entry>::const_iterator LowerBound(std::string_view path) const;
  bool IsDirectory(std::string_view rel) const;
  Result<std::string> ReadBlob(const Entry& e, std::uint64_t max_bytes) const;
  // The working tree's copy of e when git would take it as unchanged, else nullopt.
  std::optional<std::string> WorkTreeCopy(const Entry& e, std::uint64_t max_bytes) const;

  Repository& repo_;
  FileSystem* work_tree_ = nullptr;
  std::string root_;
  IndexFile index_;                            // when capstan's own reader took it
  std::vector<Repository::IndexEntry> owned_;  // else, as libgit2 read it
  std::vector<Entry> entries_;                 // sorted by path
};

}  // namespace capstan::git
