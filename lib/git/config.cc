#include "git/config.h"

#include <git2.h>

#include <filesystem>

#include "core/strings.h"
#include "git/libgit2_util.h"

namespace capstan::git {
namespace {

using namespace internal;  // lib/git's libgit2 helpers (libgit2_util.h)

struct Buf {
  git_buf buf = GIT_BUF_INIT;
  ~Buf() { git_buf_dispose(&buf); }
  std::string str() const { return buf.ptr == nullptr ? "" : std::string(buf.ptr, buf.size); }
};

std::string Normalize(const std::string& path) {
  std::string s = std::filesystem::path(path).lexically_normal().string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

}  // namespace

Result<HooksDir> FindHooksDir(const std::string& path) {
  EnsureLibgit2();
  git_repository* raw_repo = nullptr;
  int rc = git_repository_open_ext(&raw_repo, path.c_str(), 0, nullptr);
  if (rc == GIT_ENOTFOUND)
    return Status::NotFound(QuoteForMessage(path, kQuotePathLimit) +
                            " is not inside a git repository");
  if (rc < 0)
    return GitError("open the git repository containing " + QuoteForMessage(path, kQuotePathLimit));
  Owned<git_repository, git_repository_free> repo(raw_repo);

  HooksDir out;
  if (const char* workdir = git_repository_workdir(repo.get())) out.workdir = Normalize(workdir);

  git_config* raw_config = nullptr;
  if (git_repository_config_snapshot(&raw_config, repo.get()) < 0) {
    return GitError("read the git configuration");
  }
  Owned<git_config, git_config_free> config(raw_config);
  Buf value;
  rc = git_config_get_string_buf(&value.buf, config.get(), "core.hooksPath");
  if (rc < 0 && rc != GIT_ENOTFOUND) return GitError("read core.hooksPath");
  if (rc == 0) out.configured = value.str();

  if (out.configured.empty()) {
    Buf hooks;
    if (git_repository_item_path(&hooks.buf, repo.get(), GIT_REPOSITORY_ITEM_HOOKS) < 0) {
      return GitError("find the hooks directory");
    }
    out.path = Normalize(hooks.str());
    return out;
  }

  Buf expanded;
  if (git_config_parse_path(&expanded.buf, out.configured.c_str()) < 0) {
    return GitError("expand core.hooksPath " + QuoteForMessage(out.configured));
  }
  std::string dir = expanded.str();
  if (dir.empty() || dir[0] != '/') {
    std::string base = out.workdir.empty() ? git_repository_path(repo.get()) : out.workdir;
    dir = base + "/" + dir;
  }
  out.path = Normalize(dir);
  return out;
}

}  // namespace capstan::git
