// Internal to lib/git's push side: one remote URL, pushed to and fetched from over libgit2 with
// the caller's credentials, every failure turned into a one-line Status that names the URL
// without its user-info and holds no credential. Not for use outside lib/git.
#pragma once

#include <git2.h>

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "git/credentials.h"
#include "git/libgit2_util.h"

namespace capstan::git::internal {

class RemoteSession {
 public:
  // REQUIRES: repo and credentials outlive the session. SSH host keys are checked against
  // known_hosts_file (see CheckSshHostKey); TLS certificates are left to libgit2.
  RemoteSession(git_repository* repo, std::string url, CredentialProvider* credentials,
                std::string known_hosts_file);

  // The URL without user-info.
  const std::string& display_url() const { return display_url_; }

  struct PushResult {
    // The remote branch moved: libgit2 found it is not an ancestor of the commit, or the server
    // refused to move it from the value it advertised.
    bool stale = false;
    // The server's reason when it refused (e.g. "failed to update ref"); empty when libgit2
    // found the branch had moved before sending anything.
    std::string rejection;
  };

  // Pushes `commit` to refs/heads/<branch>, never forced. Fails with kIoError
  // "authentication failed for <url>: ...", "cannot connect to <url>: ..." (an SSH host key
  // refused by CheckSshHostKey included, with its message), or
  // "cannot push to <url>: ..." (a server-side refusal such as a declined hook included).
  Result<PushResult> Push(const git_oid& commit, const std::string& branch);

  // Downloads refs/heads/<branch> and points the local ref `into` (e.g. refs/remotes/origin/main)
  // at it. nullopt when the remote has no such branch. Fails like Push, with "cannot fetch ...".
  Result<std::optional<git_oid>> Fetch(const std::string& branch, const std::string& into);

  // What the remote printed (hook output) during the latest operation, one line each.
  std::vector<std::string> RemoteMessages() const;

 private:
  using OwnedRemote = Owned<git_remote, git_remote_free>;

  static int OnCredentials(git_credential** out, const char* url, const char* username_from_url,
                           unsigned int allowed_types, void* payload);
  static int OnSideband(const char* text, int len, void* payload);
  static int OnUpdateReference(const char* refname, const char* status, void* payload);
  static int OnCertificate(git_cert* cert, int valid, const char* host, void* payload);

  git_remote_callbacks Callbacks();
  // Opens a connection; the Status is the failure to report.
  Result<OwnedRemote> Connect(git_direction direction);
  // Status for a failed libgit2 call: authentication, or "cannot <what>: <why>".
  Status Failure(int rc, const std::string& what) const;
  std::string Scrub(std::string message) const;

  git_repository* repo_;
  std::string url_;
  std::string display_url_;
  CredentialProvider* credentials_;
  std::string known_hosts_file_;
  std::string host_key_error_;  // why the latest connection's host key was refused
  std::string sideband_;
  std::vector<std::pair<std::string, std::string>> rejections_;  // refname, server message
};

}  // namespace capstan::git::internal
