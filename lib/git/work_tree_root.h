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
//  - a `.git` directory that is a repository (HEAD, and objects/ or a commondir file): D, or the
//    directory its config's core.worktree names;
//  - a `.git` file "gitdir: X" (a linked worktree or a submodule) naming such a repository: D,
//    or core.worktree of X's config as above (a submodule's points back at D).
// An invalid `.git` is passed over, as libgit2 does, and the walk stops at a file-system
// boundary (libgit2 opens without GIT_REPOSITORY_OPEN_CROSS_FS). kNone when the walk reaches
// "/" without a repository.
//
// kUndecided, so the caller asks libgit2, whenever the answer would need more of git's
// configuration than this reads: a directory on the way that is itself a repository (a bare
// one, or inside .git), core.bare not false, a quoted or escaped core.worktree, config
// includes, a linked worktree whose gitdir does not point back at D, or any file-system error.
// It never reads the system or global configuration, which cannot set these keys for one
// repository. Unlike libgit2 it does not check the owner of the repository (safe.directory).
WorkTreeRoot FindWorkTreeRoot(FileSystem& fs, const std::string& path);

}  // namespace capstan::git
