#include "git/identity.h"

#include <string>

#include "core/strings.h"

namespace capstan::git::internal {
namespace {

Result<std::string> ConfigString(git_config* config, const char* key) {
  git_buf buf = GIT_BUF_INIT;
  int rc = git_config_get_string_buf(&buf, config, key);
  std::string value = rc == 0 && buf.ptr != nullptr ? std::string(buf.ptr, buf.size) : "";
  git_buf_dispose(&buf);
  if (rc < 0 && rc != GIT_ENOTFOUND) return GitError(std::string("read ") + key);
  git_error_clear();
  return value;
}

Result<OwnedSignature> Sign(const Identity& requested, const Identity& configured) {
  auto pick = [](const std::string& a, const std::string& b, const std::string& c) {
    return !a.empty() ? a : !b.empty() ? b : c;
  };
  std::string name = pick(requested.name, configured.name, kDefaultIdentity.name);
  std::string email = pick(requested.email, configured.email, kDefaultIdentity.email);
  git_signature* sig = nullptr;
  if (git_signature_now(&sig, name.c_str(), email.c_str()) < 0) {
    git_error_clear();
    return Status::InvalidArgument("invalid git identity " +
                                   QuoteForMessage(name + " <" + email + ">"));
  }
  return OwnedSignature(sig);
}

}  // namespace

Result<Signatures> ResolveSignatures(git_repository* repo, const CommitRequest& request) {
  Identity configured;
  const Identity& a = request.author;
  const Identity& c = request.committer;
  if (a.name.empty() || a.email.empty() || c.name.empty() || c.email.empty()) {
    git_config* raw = nullptr;
    if (git_repository_config_snapshot(&raw, repo) < 0)
      return GitError("read the git configuration");
    OwnedConfig config(raw);
    Result<std::string> name = ConfigString(config.get(), "user.name");
    if (!name.ok()) return name.status();
    Result<std::string> email = ConfigString(config.get(), "user.email");
    if (!email.ok()) return email.status();
    configured = {*name, *email};
  }
  Result<OwnedSignature> author = Sign(a, configured);
  if (!author.ok()) return author.status();
  Result<OwnedSignature> committer = Sign(c, configured);
  if (!committer.ok()) return committer.status();
  return Signatures{std::move(author).value(), std::move(committer).value()};
}

}  // namespace capstan::git::internal
