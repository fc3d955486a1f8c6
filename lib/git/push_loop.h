// Internal to lib/git's push side (publish.cc, publish_onto.cc): where a push goes, the bounded
// push / fetch / re-apply loop that Publish and PublishOnto share, and the fast-forward of the
// local branch afterwards. Not for use outside lib/git.
#pragma once

#include <git2.h>

#include <functional>
#include <optional>
#include <string>

#include "core/result.h"
#include "git/credentials.h"
#include "git/publish.h"
#include "git/remote_session.h"

namespace capstan::git::internal {

// Where a push (or fetch) goes and how it is named in log lines.
struct Target {
  std::string url;
  std::string remote_name;   // "" for a URL
  std::string label;         // "origin", or the URL without user-info
  std::string tracking_ref;  // refs/remotes/<remote>/<branch>, or refs/capstan/fetch-tip for a URL
  std::string where;         // "origin/main", or "main on <label>" for a URL
};

enum class Direction { kPush, kFetch };

// `remote` (a configured remote name, or a URL or path) resolved to the URL git would use for
// `direction`: remote.<name>.pushurl and url.<base>.pushInsteadOf count for kPush only,
// url.<base>.insteadOf for both. kInvalidArgument when remote is neither a configured remote
// nor a URL or has no URL, kIoError when the configuration cannot be read.
Result<Target> ResolveTarget(git_repository* repo, const std::string& remote,
                             const std::string& branch, Direction direction);

// kInvalidArgument "'<branch>' is not a valid branch name" unless refs/heads/<branch> is a
// valid reference name.
Status CheckBranchName(const std::string& branch);

// What HEAD stands on.
struct LocalBranch {
  std::string ref;     // "refs/heads/main", or "HEAD" when detached
  std::string branch;  // the branch to push: requested_branch, or HEAD's branch
};

// HEAD's branch, with requested_branch (when not empty) as the branch to push. kInvalidArgument
// when the repository has no commits, when HEAD is detached and requested_branch is empty, or
// when the branch name is invalid; kIoError when HEAD cannot be read.
Result<LocalBranch> ResolveLocal(git_repository* repo, const std::string& requested_branch);

// Calls a possibly empty log function.
class Logger {
 public:
  explicit Logger(const std::function<void(const std::string&)>& log) : log_(log) {}
  void operator()(const std::string& line) const {
    if (log_) log_(line);
  }

 private:
  const std::function<void(const std::string&)>& log_;
};

// The commit made by applying reapply's edits (read from tip's tree) on `tip`, with these
// author, committer and message (encoding may be null). When reapplied_message is set and
// returns a non-empty text once the edits are known, that text (UTF-8) is the message instead.
// nullopt when the edits change nothing. Fails with reapply's own Status, kInvalidArgument for
// a bad path (see UpdatedTree), kIoError on libgit2 failures.
Result<std::optional<git_oid>> CommitOnTip(
    git_repository* repo, const git_oid& tip, const Reapply& reapply, const git_signature* author,
    const git_signature* committer, const char* encoding, const char* message,
    const std::function<std::string()>& reapplied_message = nullptr);

// A credential provider and a session on target.url that uses it.
class RemoteConnection {
 public:
  // REQUIRES: repo outlives the connection.
  RemoteConnection(git_repository* repo, const std::string& url, const Credentials& credentials);
  RemoteConnection(const RemoteConnection&) = delete;
  RemoteConnection& operator=(const RemoteConnection&) = delete;

  RemoteSession& session() { return session_; }

 private:
  CredentialProvider credentials_;
  RemoteSession session_;
};

// Pushes `original` to refs/heads/<branch> of target, never forced. While the remote branch
// moved meanwhile, fetches it into target.tracking_ref, makes original's edit again on its tip
// through options.reapply (original's message and author, its committer's identity committing
// now) and pushes that, up to options.max_attempts pushes. Afterwards a configured remote's
// tracking ref points at the remote branch. Returns pushed, commit and attempts (local_updated
// is left to the caller). Fails like Publish; nothing but objects and target.tracking_ref
// changes locally.
Result<PublishOutcome> PushWithReapply(git_repository* repo, RemoteSession& session,
                                       const Target& target, const std::string& branch,
                                       const git_commit* original, const PublishOptions& options);

// Moves the local branch (or detached HEAD) and the working tree to `pushed` when that loses
// nothing: the local tip is an ancestor of it, or the local tip is `original` and the commit
// it was made on is. The checkout is safe: a file changed locally that the move would touch
// leaves everything where it was (logged). Returns whether the local branch moved (or was
// there already).
bool FollowRemote(git_repository* repo, const LocalBranch& local, const git_commit* original,
                  const git_oid& pushed, const std::string& where, const Logger& log);

}  // namespace capstan::git::internal
