#include "git/remote_session.h"

#include <array>
#include <string_view>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

#include "git/host_key.h"
#include "git/locks.h"

namespace capstan::git::internal {
namespace {

constexpr char kPushSource[] = "refs/capstan/push";

// Server answers that mean the branch moved after it was advertised: git receive-pack's
// failed compare-and-swap, and what other servers say for a non-fast-forward update.
bool IsStaleRejection(std::string_view message) {
  static constexpr std::array<std::string_view, 4> kStale = {"failed to update ref", "fetch first",
                                                             "non-fast-forward", "stale info"};
  for (std::string_view s : kStale) {
    if (message.find(s) != std::string_view::npos) return true;
  }
  return false;
}

void ReplaceAll(std::string& s, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
}

// libgit2 1.5.1's SSH transport leaks on every connection (the known_hosts list it loads, URL
// parts, libssh2's list of auth methods); its frames have no symbols to suppress by, so leak
// checking is paused while it connects over SSH, and only then.
class LibgitSshLeaksIgnored {
 public:
  explicit LibgitSshLeaksIgnored(bool ssh) : on_(ssh) {
#if defined(__SANITIZE_ADDRESS__)
    if (on_) __lsan_disable();
#endif
  }
  ~LibgitSshLeaksIgnored() {
#if defined(__SANITIZE_ADDRESS__)
    if (on_) __lsan_enable();
#endif
  }
  LibgitSshLeaksIgnored(const LibgitSshLeaksIgnored&) = delete;
  LibgitSshLeaksIgnored& operator=(const LibgitSshLeaksIgnored&) = delete;

 private:
  bool on_;
};

}  // namespace

RemoteSession::RemoteSession(git_repository* repo, std::string url, CredentialProvider* credentials,
                             std::string known_hosts_file)
    : repo_(repo),
      url_(std::move(url)),
      display_url_(RedactUrl(url_)),
      credentials_(credentials),
      known_hosts_file_(std::move(known_hosts_file)) {}

int RemoteSession::OnCredentials(git_credential** out, const char* url,
                                 const char* username_from_url, unsigned int allowed_types,
                                 void* payload) {
  auto* self = static_cast<RemoteSession*>(payload);
  return CredentialProvider::Acquire(out, url, username_from_url, allowed_types,
                                     self->credentials_);
}

int RemoteSession::OnSideband(const char* text, int len, void* payload) {
  auto* self = static_cast<RemoteSession*>(payload);
  if (len > 0 && self->sideband_.size() < 64 * 1024) {
    self->sideband_.append(text, static_cast<std::size_t>(len));
  }
  return 0;
}

int RemoteSession::OnUpdateReference(const char* refname, const char* status, void* payload) {
  auto* self = static_cast<RemoteSession*>(payload);
  if (status != nullptr) self->rejections_.emplace_back(refname, status);
  return 0;
}

int RemoteSession::OnCertificate(git_cert* cert, int /*valid*/, const char* host, void* payload) {
  // libgit2 verifies TLS itself. Over SSH, libgit2 1.5.1 looks only at $HOME/.ssh/known_hosts
  // (passed in as `valid`); the caller's file decides instead.
  if (cert->cert_type != GIT_CERT_HOSTKEY_LIBSSH2) return GIT_PASSTHROUGH;
  auto* self = static_cast<RemoteSession*>(payload);
  Status status =
      CheckSshHostKey(*reinterpret_cast<const git_cert_hostkey*>(cert), host != nullptr ? host : "",
                      SshPort(self->url_), self->known_hosts_file_);
  if (status.ok()) return 0;
  self->host_key_error_ = status.message();
  git_error_set_str(GIT_ERROR_SSH, self->host_key_error_.c_str());
  return GIT_ECERTIFICATE;
}

git_remote_callbacks RemoteSession::Callbacks() {
  git_remote_callbacks callbacks = GIT_REMOTE_CALLBACKS_INIT;
  callbacks.credentials = &RemoteSession::OnCredentials;
  callbacks.sideband_progress = &RemoteSession::OnSideband;
  callbacks.push_update_reference = &RemoteSession::OnUpdateReference;
  callbacks.certificate_check = &RemoteSession::OnCertificate;
  callbacks.payload = this;
  return callbacks;
}

std::string RemoteSession::Scrub(std::string message) const {
  if (url_ != display_url_) ReplaceAll(message, url_, display_url_);
  for (const std::string& secret : credentials_->Secrets()) {
    // Shorter values would garble the message and protect nothing.
    if (secret.size() >= 4) ReplaceAll(message, secret, "***");
  }
  return message;
}

Status RemoteSession::Failure(int rc, const std::string& what) const {
  if (!host_key_error_.empty()) return Status::IoError("cannot " + what + ": " + host_key_error_);
  if (credentials_->gave_up()) {
    return Status::IoError("authentication failed for " + display_url_ + ": " +
                           credentials_->FailureDetail());
  }
  // GitError says "cannot <what>: <why>"; the why alone is wanted for authentication.
  const std::string why =
      Scrub(GitError(what).message().substr(std::string("cannot ").size() + what.size() + 2));
  if (rc == GIT_EAUTH || why.find("status code: 401") != std::string::npos) {
    return Status::IoError("authentication failed for " + display_url_ + ": " + why);
  }
  if (why.find("status code: 403") != std::string::npos) {
    return Status::IoError("authentication failed for " + display_url_ +
                           ": the server denied access (http 403)");
  }
  return Status::IoError("cannot " + what + ": " + why);
}

Result<RemoteSession::OwnedRemote> RemoteSession::Connect(git_direction direction) {
  credentials_->BeginConnection();
  host_key_error_.clear();
  sideband_.clear();
  rejections_.clear();
  git_remote_create_options create = GIT_REMOTE_CREATE_OPTIONS_INIT;
  create.repository = repo_;
  // The URL arrives rewritten (publish.cc); libgit2 1.5's own insteadOf lookup leaks memory.
  create.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF | GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
  git_remote* raw = nullptr;
  if (git_remote_create_with_opts(&raw, url_.c_str(), &create) < 0) {
    return Status::IoError(Scrub(GitError("use the remote " + display_url_).message()));
  }
  OwnedRemote remote(raw);
  git_remote_callbacks callbacks = Callbacks();
  git_proxy_options proxy = GIT_PROXY_OPTIONS_INIT;
  int rc;
  {
    LibgitSshLeaksIgnored ignored(ParseUrl(url_).scheme == "ssh");
    rc = git_remote_connect(remote.get(), direction, &callbacks, &proxy, nullptr);
  }
  if (rc < 0) return Failure(rc, "connect to " + display_url_);
  return remote;
}

Result<RemoteSession::PushResult> RemoteSession::Push(const git_oid& commit,
                                                      const std::string& branch) {
  const HeldFile own_refs = HoldOwnRefs(repo_);  // for kPushSource
  Result<OwnedRemote> remote = Connect(GIT_DIRECTION_PUSH);
  if (!remote.ok()) return remote.status();
  const std::string ref = "refs/heads/" + branch;
  // libgit2 1.5 pushes references, not object ids.
  git_reference* raw_source = nullptr;
  if (git_reference_create(&raw_source, repo_, kPushSource, &commit, 1, nullptr) < 0) {
    return GitError(std::string("create ") + kPushSource);
  }
  OwnedReference source(raw_source);
  struct DeleteAtExit {
    git_reference* ref;
    ~DeleteAtExit() {
      if (git_reference_delete(ref) < 0) git_error_clear();
    }
  } delete_source{source.get()};
  std::string refspec = std::string(kPushSource) + ":" + ref;  // no '+': never forced
  char* specs[] = {refspec.data()};
  git_strarray refspecs = {specs, 1};
  git_push_options options = GIT_PUSH_OPTIONS_INIT;
  options.callbacks = Callbacks();
  int rc = git_remote_upload(remote->get(), &refspecs, &options);
  if (rc == GIT_ENONFASTFORWARD) {
    credentials_->ConnectionSucceeded();
    return PushResult{true, ""};
  }
  if (rc < 0) return Failure(rc, "push to " + display_url_);
  credentials_->ConnectionSucceeded();
  for (const auto& [refname, message] : rejections_) {
    if (refname != ref) continue;
    if (IsStaleRejection(message)) return PushResult{true, message};
    return Status::IoError(Scrub("cannot push to " + display_url_ + ": the remote rejected " + ref +
                                 " (" + message + ")"));
  }
  return PushResult{};
}

Result<std::optional<git_oid>> RemoteSession::Fetch(const std::string& branch,
                                                    const std::string& into) {
  const HeldFile own_refs = HoldOwnRefs(repo_);  // `into` may be one of them
  Result<OwnedRemote> remote = Connect(GIT_DIRECTION_FETCH);
  if (!remote.ok()) return remote.status();
  const std::string ref = "refs/heads/" + branch;
  const git_remote_head** heads = nullptr;
  std::size_t count = 0;
  if (git_remote_ls(&heads, &count, remote->get()) < 0) {
    return Failure(-1, "list the branches of " + display_url_);
  }
  std::optional<git_oid> tip;
  for (std::size_t i = 0; i < count; ++i) {
    if (ref == heads[i]->name) tip = heads[i]->oid;
  }
  if (!tip) return tip;

  std::string refspec = ref;
  char* specs[] = {refspec.data()};
  git_strarray refspecs = {specs, 1};
  git_fetch_options options = GIT_FETCH_OPTIONS_INIT;
  options.callbacks = Callbacks();
  options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
  options.update_fetchhead = 0;
  int rc = git_remote_download(remote->get(), &refspecs, &options);
  if (rc < 0) return Failure(rc, "fetch " + branch + " from " + display_url_);
  credentials_->ConnectionSucceeded();

  git_reference* raw = nullptr;
  std::string log = "capstan: fetch " + branch + " from " + display_url_;
  if (git_reference_create(&raw, repo_, into.c_str(), &*tip, 1, log.c_str()) < 0) {
    return GitError("update " + into);
  }
  OwnedReference updated(raw);
  return tip;
}

std::vector<std::string> RemoteSession::RemoteMessages() const {
  std::vector<std::string> lines;
  std::string text = Scrub(sideband_);
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find_first_of("\r\n", start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    if (!line.empty()) lines.push_back(std::move(line));
    start = end + 1;
  }
  return lines;
}

}  // namespace capstan::git::internal
