// Internal to lib/git's push side: the credentials callback libgit2 calls while connecting, and
// the URL handling that keeps user-info out of messages. Not for use outside lib/git.
#pragma once

#include <git2.h>

#include <optional>
#include <string>
#include <vector>

#include "core/url.h"
#include "git/publish.h"

namespace capstan::git::internal {

// A remote URL split up. "https://u:p@host:8443/org/app.git" gives scheme "https", user "u",
// password "p" (both percent-decoded), host "host:8443", path "org/app.git". scp-like
// "git@host:org/app.git" gives scheme "ssh"; a local path gives scheme "file" and no host.
struct UrlParts {
  std::string scheme;
  std::string user;
  std::string password;
  std::string host;
  std::string path;
};
UrlParts ParseUrl(const std::string& url);

// Hands libgit2 one credential after another, each at most once, and gives up (GIT_EAUTH)
// when none is left, so a server refusing everything cannot make libgit2 ask forever.
// HTTP(S): the token, then `git credential fill` (libgit2 itself tries the URL's user-info
// before asking). SSH: the agent, then the key file. Credentials the server refused are not
// offered again in later connections of the same Publish.
//
// `git credential fill|approve|reject` runs as `git -C <dir> credential ...` with prompting and
// askpass programs off, stderr discarded, and a time limit.
class CredentialProvider {
 public:
  CredentialProvider(const Credentials& credentials, std::string dir);
  ~CredentialProvider();
  CredentialProvider(const CredentialProvider&) = delete;
  CredentialProvider& operator=(const CredentialProvider&) = delete;

  // A git_credential_acquire_cb; payload is the CredentialProvider.
  static int Acquire(git_credential** out, const char* url, const char* username_from_url,
                     unsigned int allowed_types, void* payload);

  // Call before each connection.
  void BeginConnection();
  // Call after an operation succeeded: approves the credential helper's answer if it was used.
  void ConnectionSucceeded();

  // Whether the last connection failed because every credential was refused or none was found.
  bool gave_up() const { return gave_up_; }
  // What was tried, for "authentication failed for <url>: <detail>", e.g. "the server refused
  // the token from $CAPSTAN_GIT_TOKEN and the credentials from git's credential helper". Never
  // holds a credential.
  std::string FailureDetail() const;
  // The credential values seen so far (token, passphrase, helper and URL passwords), to be
  // scrubbed from any message that might echo one.
  std::vector<std::string> Secrets() const;

 private:
  enum class Source { kNone, kUrl, kToken, kHelper, kAgent, kKeyFile };
  struct HelperAnswer {
    std::string request;  // protocol=, host=, path= lines as sent
    std::string username;
    std::string password;
  };

  int AcquireImpl(git_credential** out, const char* url, const char* username_from_url,
                  unsigned int allowed_types);
  bool Available(Source s) const;
  void Offered(Source s);
  std::optional<HelperAnswer> Fill(const UrlParts& url, const char* username_from_url);
  void Tell(const char* action, const HelperAnswer& answer) const;
  std::string Describe(Source s) const;

  Credentials credentials_;
  std::string dir_;
  std::vector<Source> refused_;  // in the order they were offered, over all connections
  std::vector<Source> offered_;  // this connection
  Source last_ = Source::kNone;  // offered in the latest call of this connection
  int calls_ = 0;                // this connection
  bool gave_up_ = false;         // this connection
  bool helper_had_none_ = false;
  bool helper_approved_ = false;
  bool is_ssh_ = false;
  std::optional<HelperAnswer> helper_answer_;
  std::vector<std::string> seen_passwords_;  // from URLs and the helper
};

}  // namespace capstan::git::internal
