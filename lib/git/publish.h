// The write side of lib/git: commit a few files of a working tree, and push that commit to a
// remote branch without ever force-pushing. When the remote moved on (non-fast-forward, or the
// ref changed between our fetch and our push), the same edits are re-applied from scratch on the
// remote's new tip by a caller-supplied function, committed and pushed again, a bounded number
// of times. Used by capstan-bump and capstan-watch.
//
// Nothing here prints or reads the environment: credentials arrive in Credentials, progress goes
// to PublishOptions::log. No credential ever appears in a Status message or a log line, and
// URLs are shown without their user-info.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/subprocess.h"

namespace capstan::git {

struct FileUpdate {
  std::string path;     // relative to the repository root, '/'-separated
  std::string content;  // the file's new bytes
};

// Who a commit is by. A field left empty is taken from the repository's git configuration
// (user.name, user.email, read as git does: repository, then global and system files), and when
// that has none either, from kDefaultIdentity: a commit never fails for want of an identity.
struct Identity {
  std::string name;
  std::string email;
};

// The identity of last resort, as Argo CD Image Updater commits as argocd-image-updater
// <noreply@argoproj.io>: a CronJob with no git configuration at all still commits.
inline const Identity kDefaultIdentity{"capstan", "capstan@localhost"};

struct CommitRequest {
  std::string message;
  Identity author;
  Identity committer;  // completed independently of author (git's GIT_COMMITTER_* semantics)
};

// Commits `updates` on top of HEAD: the new commit's tree is HEAD's tree with only these paths
// replaced (their file mode kept; a new path gets 0100644), so changes the user staged in other
// files stay staged and uncommitted. The index entries of these paths are set to the new blobs,
// and HEAD (its branch, or HEAD itself when detached) moves to the new commit. The working tree
// is not written: the caller has written these files already. Returns the new commit's id.
// Fails with kInvalidArgument "invalid git identity '<name> <email>'" when libgit2 refuses a
// name or email, kInvalidArgument when the repository has no commits or is bare, kIoError on
// libgit2 failures, and kIoError "cannot create '<path>.lock': file exists: ..." before writing
// anything when a lock it needs is there (git/locks.h CheckNoStaleLocks: never removed). A commit
// that fails leaves HEAD and these index entries as they were (best effort: the index is written
// back); one libgit2 reports failed after moving HEAD counts.
Result<std::string> CommitFiles(const std::string& repo_path,
                                const std::vector<FileUpdate>& updates,
                                const CommitRequest& request);

struct Credentials {
  // HTTP(S): a token (read by the caller from an environment variable or a file) sent with
  // `username` (default "x-access-token", which GitHub, Gitea and GitLab accept with a token).
  std::string username;
  std::string token;
  // Ask git's configured credential helpers (`git credential fill`, never prompting) when no
  // token is given or it was refused; approve/reject the answer as git does.
  bool credential_helper = true;
  // Runs `git credential` for credential_helper (Env::run_subprocess); unset, no helper is asked.
  SubprocessRunner run_subprocess;
  // SSH: the agent (SSH_AUTH_SOCK, read by libssh2), then this private key file (public key
  // beside it as <key>.pub when present) with its optional passphrase.
  bool ssh_agent = true;
  std::string ssh_key_file;
  std::string ssh_key_passphrase;
  // An SSH server's host key must be in this OpenSSH known_hosts file; with none, every SSH
  // connection fails.
  std::string known_hosts_file;  // SSH host keys; "" = ~/.ssh/known_hosts resolved by the caller
  // Where the token came from, for error messages: "$CAPSTAN_GIT_TOKEN", "/run/secrets/token".
  std::string token_source;
};

// One re-application of the caller's edits on a snapshot of the remote branch: `read(path)`
// returns the file's content at the remote tip, nullopt when it does not exist there (kIoError
// when it cannot be read). Returns the files to change; an empty list means nothing is left to
// do (someone else already made the change).
using ReadAtTip = std::function<Result<std::optional<std::string>>(const std::string& path)>;
using Reapply = std::function<Result<std::vector<FileUpdate>>(const ReadAtTip& read)>;

struct PublishOptions {
  std::string remote = "origin";  // a remote name, or a URL
  std::string branch;             // remote branch; "" = the name of HEAD's branch
  int max_attempts = 5;           // pushes tried before giving up
  Credentials credentials;
  Reapply reapply;  // required
  // The message of a commit re-applied on a moved remote tip, asked right after reapply
  // returned its edits there (so it can name what reapply found, such as the version a line
  // moved from); unset, or returning "", keeps the first commit's message.
  std::function<std::string()> reapplied_message;
  std::function<void(const std::string&)> log;  // progress lines; may be empty
  // Test seam: called before every push attempt with the attempt number (1-based), e.g. to
  // make another clone push first.
  std::function<void(int attempt)> before_push;
};

struct PublishOutcome {
  bool pushed = false;        // false: nothing left to do after re-applying on the remote tip
  std::string commit;         // the commit now at the remote branch
  int attempts = 0;           // pushes tried
  bool local_updated = true;  // local branch and working tree moved to `commit`; false when
                              // the local branch held commits the remote does not (kept as is)
};

// Pushes `commit` (normally CommitFiles' result, a child of HEAD's old position) to the remote
// branch. On a non-fast-forward rejection it fetches the branch, calls options.reapply on the
// new tip, commits the result there with the message and author of `commit`, and pushes again;
// afterwards the local branch, index and working tree follow the pushed commit through a safe
// checkout (files the user changed are never overwritten). Never force-pushes.
// Fails with kIoError "authentication failed for <url>: ..." (naming where credentials were
// looked for, never their value), "cannot connect to <url>: ...", "the remote branch kept moving:
// gave up after N attempts", and with kInvalidArgument "HEAD is detached: name the branch to
// push" when branch is empty and HEAD detached. On failure the local commit and the working tree
// are kept as they were.
Result<PublishOutcome> Publish(const std::string& repo_path, const std::string& commit,
                               const PublishOptions& options);

// ---- capstan-watch's side: edits made on the remote tip, never on the working tree ----

// Creates a bare repository at `path` (and its parent directories) unless a bare repository is
// already there; used as capstan-watch's cache of a remote given by URL. Calling it again is
// harmless. Fails with kIoError when path is a file, a non-bare repository, or a non-empty
// directory that is not a repository, or when it cannot be created; kInvalidArgument when path
// is empty. The repository is made under a temporary name beside path (held while it is made,
// see core/temp_files.h) and renamed into place, so a failure leaves nothing that would stop the
// next call, and the temporary of a killed call is removed by the next one. capstan-watch holds
// its cache with HoldCache (git/locks.h), which calls this.
Status EnsureBareRepository(const std::string& path);

// Fetches refs/heads/<branch> from `remote` (a configured remote name, or a URL; its fetch URL
// with insteadOf rules applied, as git fetch would) into the repository at repo_path (bare or
// not, with or without commits), pointing refs/remotes/<remote>/<branch> (or
// refs/capstan/fetch-tip for a URL) at it. Returns the fetched commit id (40 hex digits),
// nullopt when the remote has no such branch. Fails like Publish ("authentication failed for
// <url>: ...", "cannot connect to <url>: ..."), with kInvalidArgument for an invalid branch
// name or an unknown remote, kNotFound when repo_path is not in a repository.
Result<std::optional<std::string>> FetchBranch(const std::string& repo_path,
                                               const std::string& remote, const std::string& branch,
                                               const Credentials& credentials);

struct TreeFile {
  std::string path;  // relative to the root, '/'-separated
  std::string oid;   // blob id, 40 hex digits
  std::uint32_t mode = 0100644;
  std::uint64_t size = 0;
};

// The regular files (modes 0100644 and 0100755; no symlinks, submodules or directories) of
// commit's tree, sorted by path (bytewise). kInvalidArgument when commit is not a commit id or
// name, kNotFound when repo_path is not in a repository, kIoError on libgit2 failures.
Result<std::vector<TreeFile>> ListTree(const std::string& repo_path, const std::string& commit);

struct PublishOntoOptions {
  PublishOptions publish;  // remote, branch (required here), credentials, reapply, log, ...
  // The commit the first attempt builds on, usually FetchBranch's result; "" = the tip of
  // publish.branch fetched from the remote.
  std::string base;
  // After a successful push, move the branch checked out in repo_path (its HEAD branch) and its
  // working tree to the pushed commit when that loses nothing, as Publish does. false for a
  // bare cache repository, or when pushing to another branch than the checked-out one.
  bool follow_local = true;
};

// Builds a commit on `base` from publish.reapply's edits (read from base's tree), with
// request's message, author and committer (empty fields completed as CommitFiles does), and
// pushes it to publish.branch, re-applying on the new remote tip when the remote
// moved, as Publish does; never force-pushes. Works in a bare repository without commits when
// follow_local is false. The working tree, index and local branches are not touched before the
// push succeeds, so a failure leaves them as they were (only fetched objects and the tracking
// ref, see FetchBranch, may change). When reapply has nothing to change on base, nothing is
// committed or pushed (outcome.pushed false, outcome.commit = base, outcome.attempts 0). When
// publish.branch does not exist on the remote yet, it is created from the commit (e.g.
// capstan-watch --push-branch). With follow_local, the checked-out branch then follows
// outcome.commit (pushed or not) when that is a fast-forward and the safe checkout succeeds;
// outcome.local_updated says whether it did (always false without follow_local).
// Fails like Publish, and with kInvalidArgument for an invalid identity (as CommitFiles), an empty
// or invalid publish.branch, an empty message, a base that is not a commit, follow_local in a bare
// repository or one without commits; kNotFound when base is "" and the remote has no
// publish.branch.
Result<PublishOutcome> PublishOnto(const std::string& repo_path, const CommitRequest& request,
                                   const PublishOntoOptions& options);

}  // namespace capstan::git
