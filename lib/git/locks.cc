#include "git/locks.h"

#include <git2.h>
#include <sys/stat.h>

#include <filesystem>
#include <string_view>
#include <system_error>
#include <vector>

#include "core/strings.h"
#include "git/libgit2_util.h"
#include "git/publish.h"
#include "git/tree_edit.h"

namespace capstan::git {
namespace {

using namespace internal;  // lib/git's libgit2 helpers (libgit2_util.h)

bool Exists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

Status StaleLock(const std::string& lock) { return Status::IoError(StaleLockMessage(lock)); }

// What libgit2 and git leave in a repository when killed while writing: lock files, and
// libgit2's temporary loose objects (tmp_object_git2_*) and packs (pack_git2_*).
bool IsLeftover(const std::string& name) {
  return name.ends_with(".lock") || name.starts_with("tmp_object") ||
         name.find("_git2_") != std::string::npos;
}

}  // namespace

std::string StaleLockMessage(const std::string& lock) {
  return "cannot create " + QuoteForMessage(lock, kQuotePathLimit) +
         ": file exists: another git process seems to be running in this repository; if none "
         "is, one was killed or crashed earlier: remove the file to continue";
}

std::string internal::ExplainLockFailure(std::string why) {
  constexpr std::string_view kPrefix = "failed to lock file '";
  if (!why.starts_with(kPrefix)) return why;
  std::size_t end = why.find("' for writing", kPrefix.size());
  if (end == std::string::npos) return why;
  return StaleLockMessage(why.substr(kPrefix.size(), end - kPrefix.size()));
}

HeldFile internal::HoldOwnRefs(git_repository* repo) {
  const std::string common = git_repository_commondir(repo);
  Result<HeldFile> held = LockFile(common);
  if (!held.ok()) return HeldFile();
  std::error_code ec;
  std::vector<std::filesystem::path> dead;
  for (auto it = std::filesystem::recursive_directory_iterator(common + "refs/capstan", ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (std::filesystem::is_regular_file(it->symlink_status(ec)) &&
        it->path().filename().string().ends_with(".lock"))
      dead.push_back(it->path());
  }
  for (const std::filesystem::path& p : dead) std::filesystem::remove(p, ec);
  return std::move(held).value();
}

Status CheckNoStaleLocks(const std::string& repo_path) {
  Result<OwnedRepository> opened = internal::OpenRepository(repo_path);
  if (!opened.ok()) return opened.status();
  git_repository* repo = opened->get();
  const std::string gitdir = git_repository_path(repo);  // ends with '/'
  const std::string common = git_repository_commondir(repo);
  if (git_repository_is_bare(repo) == 0 && Exists(gitdir + "index.lock"))
    return StaleLock(gitdir + "index.lock");
  if (Exists(gitdir + "HEAD.lock")) return StaleLock(gitdir + "HEAD.lock");
  git_reference* raw = nullptr;
  if (git_reference_lookup(&raw, repo, "HEAD") < 0) {
    git_error_clear();
    return Status::Ok();
  }
  OwnedReference head(raw);
  const char* target = git_reference_symbolic_target(head.get());
  if (target != nullptr) {
    std::string lock = common + target + ".lock";
    if (Exists(lock)) return StaleLock(lock);
  }
  return Status::Ok();
}

Result<HeldFile> HoldCache(const std::string& path,
                           const std::function<void(const std::string&)>& log) {
  namespace fs = std::filesystem;
  if (path.empty()) return Status::InvalidArgument("cannot create a repository: no path given");
  std::string base = path;
  while (base.size() > 1 && base.back() == '/') base.pop_back();
  std::error_code ec;
  fs::path parent = fs::path(base).parent_path();
  if (!parent.empty() && !fs::create_directories(parent, ec) && ec) {
    return Status::IoError("cannot create a repository at " +
                           QuoteForMessage(path, kQuotePathLimit) + ": " + ec.message());
  }
  std::function<void()> on_wait;
  if (log) {
    on_wait = [&] {
      log("waiting for another capstan run to release its cache of the remote at " +
          QuoteForMessage(base, kQuotePathLimit));
    };
  }
  Result<HeldFile> held = LockFile(base + ".capstan-lock", on_wait);
  if (!held.ok()) return held.status();
  RemoveDeadTemps(base);
  CAPSTAN_RETURN_IF_ERROR(EnsureBareRepository(base));
  // Held: no other capstan run is in the cache, and nothing else writes there.
  std::vector<fs::path> dead;
  for (auto it = fs::recursive_directory_iterator(base, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (fs::is_regular_file(it->symlink_status(ec)) && IsLeftover(it->path().filename().string()))
      dead.push_back(it->path());
  }
  for (const fs::path& p : dead) fs::remove(p, ec);
  return held;
}

}  // namespace capstan::git
