// What git's configuration says about a repository, read through libgit2 the way git reads it:
// the system, global (~/.gitconfig, $XDG_CONFIG_HOME/git/config) and repository config files,
// with includes. libgit2 finds the global files from $HOME itself.
#pragma once

#include <string>

#include "core/result.h"

namespace capstan::git {

struct HooksDir {
  // The absolute directory git runs hooks from; it may not exist yet. No trailing '/'.
  std::string path;
  // core.hooksPath as written in the config; empty when unset, which means the default
  // $GIT_DIR/hooks (the main repository's hooks/ for a linked worktree).
  std::string configured;
  // The absolute working tree root, empty for a bare repository.
  std::string workdir;
};

// Where git looks for hooks in the repository containing `path` (a file or directory, absolute
// or relative to the process's working directory): core.hooksPath when it is set and not
// empty, else $GIT_DIR/hooks. "~/" at its start is the home directory. A relative core.hooksPath is
// taken from the top of the working tree, where git runs hooks (from $GIT_DIR in a bare
// repository). The result is lexically normalised ("a/./b/../c" -> "a/c"); symlinks are not
// resolved.
//
// Fails with kNotFound "'<path>' is not inside a git repository" when there is none, and
// kIoError "cannot <what>: <libgit2's message>" when the repository or its configuration
// cannot be read (e.g. a malformed config file).
Result<HooksDir> FindHooksDir(const std::string& path);

}  // namespace capstan::git
