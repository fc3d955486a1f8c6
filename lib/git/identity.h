// Internal to lib/git's write side (commit.cc, publish_onto.cc): who makes a commit. Not for use
// outside lib/git.
#pragma once

#include <git2.h>

#include "core/result.h"
#include "git/publish.h"
#include "git/tree_edit.h"

namespace capstan::git::internal {

struct Signatures {
  OwnedSignature author;
  OwnedSignature committer;
};

// Signatures dated now for request.author and request.committer, each empty field taken from
// the repository's git configuration (user.name, user.email), then from kDefaultIdentity.
// Fails with kInvalidArgument "invalid git identity '<name> <email>'" when libgit2 refuses a
// name or email (e.g. one holding '<' or '>'), kIoError when the configuration cannot be read.
Result<Signatures> ResolveSignatures(git_repository* repo, const CommitRequest& request);

}  // namespace capstan::git::internal
