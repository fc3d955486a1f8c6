// The top of the git working tree containing a directory, found by reading the file system
// alone: no libgit2, so a tool that only needs the root (for .capstanignore) does not pay
// libgit2's initialisation. Objects, the index and ignore rules still go through Repository.
#pragma once

#include <string>

#include "core/env.h"

namespace capstan::git {

struct WorkTreeRoot {
  enum class Kind {
    kFound,     // path is the working tree's root
    kNone,      // no repository contains the directory
    kUndecided  // a layout this reader does not judge: ask Repository::Discover
  };
  Kind kind = Kind::kUndecided;
  // kFound: the absolute, symlink-free root without a trailing '/' (Repository::workdir()).
  std::string path;
};

// Where Repository::Discover(path) would put the working tree, for the layouts git creates:
// walking up from the real path of `path` (a directory, or a file whose directory is used), the
// first directory D with
//  - a `.git` directory that is a repository (a HEAD file, and objects/ and refs/ in it or in
//    the directory its commondir file names): D, or the directory its core.worktree names;
//  - a `.git` file "gitdir: X" (a linked worktree or a submodule) naming such a repository: D,
//    or core.worktree of X's config as above (a submodule's points back at D).
// The walk stops at a file-system boundary (libgit2 opens without GIT_REPOSITORY_OPEN_CROSS_FS;
// FileInfo::device tells them apart). kNone when the walk reaches "/" without a repository.
//
// kUndecided, so the caller asks libgit2, whenever the answer would need more of git's
// configuration than this reads: a directory on the way that is itself a repository (a bare
// one, or inside .git), a `.git` that is no repository or a `.git` file without "gitdir:",
// core.bare not false, a quoted or escaped core.worktree, config includes, a linked worktree
// whose gitdir file does not point back at D, or any file-system error.
// It reads only the repository's own config file, where git itself reads core.bare and
// core.worktree. Unlike libgit2 it does not check the repository's owner (safe.directory).
WorkTreeRoot FindWorkTreeRoot(FileSystem& fs, const std::string& path);

// The root of the working tree containing `path`, as Repository::Discover places it:
// FindWorkTreeRoot, and env.open_repository when that is undecided (so libgit2 is initialised
// only then). "" when no working tree contains it (no repository, a bare one, or one that
// cannot be opened). REQUIRES: env.fs is set; env.open_repository too, or "" is the answer
// whenever FindWorkTreeRoot is undecided.
std::string WorkTreeRootOf(Env& env, const std::string& path);

}  // namespace capstan::git
