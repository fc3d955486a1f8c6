// Reads git's index file (.git/index) directly: its entries and its cache-tree extension. The
// cache-tree records, for each directory the index has not touched since the last write-tree or
// commit, the tree object it equals, so comparing the index with HEAD can skip every such
// directory instead of loading all entries into libgit2 and diffing every tree (which cost
// 120 ms in a 50,000-file repository against a 50 ms budget for a pre-commit hook).
//
// Format: git's Documentation/gitformat-index.txt, versions 2, 3 and 4. Only what StagedChanges
// needs is kept. A split index ("link"), a sparse index ("sdir") or anything malformed fails,
// and the caller falls back to libgit2 (which then reports what is wrong). The trailing
// checksum is not verified: git does not verify it on read either unless asked to.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"

namespace capstan::git {

// Views into IndexFile::data (or, for version 4's prefix-compressed paths, IndexFile::paths):
// valid as long as the IndexFile.
struct IndexFileEntry {
  std::string_view path;  // '/'-separated, as stored
  std::string_view oid;   // 20 raw bytes
  std::uint32_t mode = 0;
  int stage = 0;  // 0 normal; 1-3 during a conflicted merge
  // The working-tree file's stat data when it was last staged or refreshed, as git keeps it
  // (32 bits each: seconds, nanoseconds, and the low bits of the inode number and size).
  std::uint32_t ctime_sec = 0, ctime_nsec = 0, mtime_sec = 0, mtime_nsec = 0;
  std::uint32_t ino = 0, size = 0;
  // assume-unchanged, skip-worktree or intent-to-add: the working tree says nothing reliable
  // about the staged blob.
  bool worktree_unreliable = false;
};

struct CacheTreeEntry {
  int entry_count = -1;  // index entries covered; -1: invalidated (the directory changed)
  std::string oid;       // 20 raw bytes when entry_count >= 0
};

struct IndexFile {
  std::string data;  // the file's bytes
  // When the index file was last written, as its reader found it (0 when unknown): an entry
  // whose file was modified at or after it may have changed without its stat data showing it
  // (git's "racily clean" entries).
  std::int64_t mtime_sec = 0, mtime_nsec = 0;
  std::deque<std::string> paths;        // version 4 paths, rebuilt from their compressed form
  std::vector<IndexFileEntry> entries;  // in index order (sorted by path, then stage)
  // By directory path: "" for the root, "apps/web" for a subdirectory.
  std::unordered_map<std::string, CacheTreeEntry> cache_tree;
};

// Parses the bytes of an index file, keeping them. Fails with kParseError "git index: <why>"
// for anything but a well-formed, self-contained version 2-4 index.
// Without cache_tree, the TREE extension is skipped and IndexFile::cache_tree stays empty: a
// caller that needs only the entries saves most of the work on a large index.
Result<IndexFile> ParseIndexFile(std::string data, bool cache_tree = true);

}  // namespace capstan::git
