#include "git/publish.h"

#include <git2.h>

#include "core/strings.h"
#include "git/push_loop.h"
#include "git/tree_edit.h"

namespace capstan::git {

using namespace internal;  // lib/git's libgit2 helpers (libgit2_util.h)

Result<PublishOutcome> Publish(const std::string& repo_path, const std::string& commit,
                               const PublishOptions& options) {
  if (!options.reapply) return Status::InvalidArgument("publish needs a reapply function");
  if (options.max_attempts < 1) return Status::InvalidArgument("max_attempts must be at least 1");
  Result<OwnedRepository> opened = internal::OpenRepository(repo_path);
  if (!opened.ok()) return opened.status();
  git_repository* repo = opened->get();

  Result<internal::LocalBranch> local = internal::ResolveLocal(repo, options.branch);
  if (!local.ok()) return local.status();
  Result<internal::Target> target =
      internal::ResolveTarget(repo, options.remote, local->branch, internal::Direction::kPush);
  if (!target.ok()) return target.status();

  git_object* raw_commit = nullptr;
  if (git_revparse_single(&raw_commit, repo, (commit + "^{commit}").c_str()) < 0) {
    return Status::InvalidArgument(QuoteForMessage(commit) + " is not a commit");
  }
  OwnedCommit original(reinterpret_cast<git_commit*>(raw_commit));

  internal::RemoteConnection connection(repo, target->url, options.credentials);
  Result<PublishOutcome> outcome = internal::PushWithReapply(
      repo, connection.session(), *target, local->branch, original.get(), options);
  if (!outcome.ok()) return outcome.status();
  git_oid pushed;
  if (git_oid_fromstr(&pushed, outcome->commit.c_str()) < 0) {
    return internal::GitError("read the pushed commit id");
  }
  outcome->local_updated = internal::FollowRemote(repo, *local, original.get(), pushed,
                                                  target->where, internal::Logger(options.log));
  return outcome;
}

}  // namespace capstan::git
