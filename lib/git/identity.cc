#include "git/identity.h"

#include <string>

#include "core/strings.h"

namespace capstan::git::internal {
namespace {

using OwnedConfig = Owned<git_config, git_config_free>;

Result<std::string> ConfigString(git_config* config, const char* key) {
  git_buf buf = GIT_BUF_INIT;
  int rc = git_config_get_string_buf(&buf, config, key);
  std::string value = rc == 0 && buf.ptr != nullptr ? std::string(buf.ptr, buf.size) : "";
  git_buf_dispose(&buf);
  if (rc < 0 && rc != GIT_ENOTFOUND) return GitError(std::string("read ") + key);
  git_error_clear();
  return value;
}

}  // namespace

Result<OwnedSignature> ResolveIdentity(git_repository* repo, const Identity& requested) {
  std::string name = requested.name;
  std::string email = requested.email;
  if (name.empty() || email.empty()) {
    git_config* raw = nullptr;
    if (git_repository_config_snapshot(&raw, repo) < 0) {
      return GitError("read the git configuration");
    }
    OwnedConfig config(raw);
    if (name.empty()) {
      Result<std::string> v = ConfigString(config.get(), "user.name");
      if (!v.ok()) return v.status();
      name = *v;
    }
    if (email.empty()) {
      Result<std::string> v = ConfigString(config.get(), "user.email");
      if (!v.ok()) return v.status();
      email = *v;
    }
  }
  if (name.empty() || email.empty()) {
    return Status::InvalidArgument(
        "no committer identity: set user.name and user.email or pass --author");
  }
  git_signature* sig = nullptr;
  if (git_signature_now(&sig, name.c_str(), email.c_str()) < 0) {
    git_error_clear();
    return Status::InvalidArgument("invalid committer identity " + QuoteForMessage(name + " <" + email + ">"));
  }
  return OwnedSignature(sig);
}

}  // namespace capstan::git::internal
