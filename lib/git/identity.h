// Internal to lib/git's write side (commit.cc, publish_onto.cc): who makes a commit. Not for use
// outside lib/git.
#pragma once

#include <git2.h>

#include "core/result.h"
#include "git/publish.h"
#include "git/tree_edit.h"

namespace capstan::git::internal {

// A signature dated now for `requested`, its empty fields taken from the repository's git
// configuration (user.name, user.email). Fails with kInvalidArgument "no committer identity:
// set user.name and user.email or pass --author" when a field stays empty, kInvalidArgument
// when libgit2 refuses the name or email, kIoError when the configuration cannot be read.
Result<OwnedSignature> ResolveIdentity(git_repository* repo, const Identity& requested);

}  // namespace capstan::git::internal
