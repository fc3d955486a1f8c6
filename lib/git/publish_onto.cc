#include <git2.h>
#include <stdlib.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <system_error>

#include "core/strings.h"
#include "core/temp_files.h"
#include "git/identity.h"
#include "git/publish.h"
#include "git/push_loop.h"
#include "git/tree_edit.h"

namespace capstan::git {
namespace {

using namespace internal;  // lib/git's libgit2 helpers (libgit2_util.h)

Result<OwnedCommit> ResolveCommit(git_repository* repo, const std::string& name) {
  git_object* raw = nullptr;
  if (name.empty() || git_revparse_single(&raw, repo, (name + "^{commit}").c_str()) < 0) {
    git_error_clear();
    return Status::InvalidArgument(QuoteForMessage(name) + " is not a commit");
  }
  return OwnedCommit(reinterpret_cast<git_commit*>(raw));
}

}  // namespace

Status EnsureBareRepository(const std::string& path) {
  internal::EnsureLibgit2();
  if (path.empty()) return Status::InvalidArgument("cannot create a repository: no path given");
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::file_status st = fs::status(path, ec);
  if (fs::exists(st)) {
    if (!fs::is_directory(st)) {
      return Status::IoError("cannot create a repository at " +
                             QuoteForMessage(path, kQuotePathLimit) +
                             ": it exists and is not a directory");
    }
    git_repository* raw = nullptr;
    int rc = git_repository_open_ext(&raw, path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr);
    if (rc == 0) {
      OwnedRepository existing(raw);
      if (git_repository_is_bare(existing.get()) != 0) return Status::Ok();
      return Status::IoError("cannot use " + QuoteForMessage(path, kQuotePathLimit) +
                             " as a cache: it is not a bare repository");
    }
    if (rc != GIT_ENOTFOUND)
      return GitError("open the repository at " + QuoteForMessage(path, kQuotePathLimit));
    git_error_clear();
    if (!fs::is_empty(path, ec) || ec) {
      return Status::IoError("cannot create a repository at " +
                             QuoteForMessage(path, kQuotePathLimit) +
                             ": the directory is not empty and not a git repository");
    }
  } else if (ec && ec != std::errc::no_such_file_or_directory) {
    return Status::IoError("cannot create a repository at " +
                           QuoteForMessage(path, kQuotePathLimit) + ": " + ec.message());
  }
  // Made beside its place and renamed into it: a failure half-way (a full disk) must not leave
  // a directory that is neither empty nor a repository, which would stop every later run.
  fs::path parent = fs::path(path).parent_path();
  if (!parent.empty() && !fs::create_directories(parent, ec) && ec) {
    return Status::IoError("cannot create a repository at " +
                           QuoteForMessage(path, kQuotePathLimit) + ": " + ec.message());
  }
  std::string target = path;
  while (target.size() > 1 && target.back() == '/') target.pop_back();
  // Held until renamed into place (core/temp_files.h): one a killed run left is removed by the
  // next call.
  std::string tmp;
  Result<HeldFile> held = CreateTempDirectory(target, &tmp);
  if (!held.ok()) return held.status();
  git_repository* raw = nullptr;
  if (git_repository_init(&raw, tmp.c_str(), 1) < 0) {
    Status failed = GitError("create a repository at " + QuoteForMessage(path, kQuotePathLimit));
    fs::remove_all(tmp, ec);
    return failed;
  }
  git_repository_free(raw);
  // rename(2) replaces an empty directory at path.
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    std::string why = std::error_code(errno, std::generic_category()).message();
    fs::remove_all(tmp, ec);
    return Status::IoError("cannot create a repository at " +
                           QuoteForMessage(path, kQuotePathLimit) + ": " + why);
  }
  return Status::Ok();
}

Result<std::optional<std::string>> FetchBranch(const std::string& repo_path,
                                               const std::string& remote, const std::string& branch,
                                               const Credentials& credentials) {
  CAPSTAN_RETURN_IF_ERROR(internal::CheckBranchName(branch));
  Result<OwnedRepository> opened = internal::OpenRepository(repo_path);
  if (!opened.ok()) return opened.status();
  git_repository* repo = opened->get();
  Result<internal::Target> target =
      internal::ResolveTarget(repo, remote, branch, internal::Direction::kFetch);
  if (!target.ok()) return target.status();
  internal::RemoteConnection connection(repo, target->url, credentials);
  Result<std::optional<git_oid>> tip = connection.session().Fetch(branch, target->tracking_ref);
  if (!tip.ok()) return tip.status();
  if (!*tip) return std::optional<std::string>();
  return std::optional<std::string>(OidHex(**tip));
}

Result<PublishOutcome> PublishOnto(const std::string& repo_path, const CommitRequest& request,
                                   const PublishOntoOptions& options) {
  const PublishOptions& publish = options.publish;
  if (!publish.reapply) return Status::InvalidArgument("publish needs a reapply function");
  if (publish.max_attempts < 1) return Status::InvalidArgument("max_attempts must be at least 1");
  if (publish.branch.empty()) return Status::InvalidArgument("name the branch to push");
  CAPSTAN_RETURN_IF_ERROR(internal::CheckBranchName(publish.branch));
  if (request.message.empty()) return Status::InvalidArgument("the commit message is empty");
  Result<OwnedRepository> opened = internal::OpenRepository(repo_path);
  if (!opened.ok()) return opened.status();
  git_repository* repo = opened->get();

  std::optional<internal::LocalBranch> local;
  if (options.follow_local) {
    if (git_repository_is_bare(repo) != 0) {
      return Status::InvalidArgument("cannot follow the pushed commit in bare repository " +
                                     QuoteForMessage(repo_path, kQuotePathLimit));
    }
    Result<internal::LocalBranch> resolved = internal::ResolveLocal(repo, publish.branch);
    if (!resolved.ok()) return resolved.status();
    local = *resolved;
  }
  Result<internal::Target> target =
      internal::ResolveTarget(repo, publish.remote, publish.branch, internal::Direction::kPush);
  if (!target.ok()) return target.status();
  Result<internal::Signatures> signatures = internal::ResolveSignatures(repo, request);
  if (!signatures.ok()) return signatures.status();

  internal::RemoteConnection connection(repo, target->url, publish.credentials);
  std::string base_name = options.base;
  if (base_name.empty()) {
    Result<std::optional<git_oid>> fetched =
        connection.session().Fetch(publish.branch, target->tracking_ref);
    if (!fetched.ok()) return fetched.status();
    if (!*fetched) {
      return Status::NotFound("cannot publish onto " + target->where +
                              ": the remote has no such branch");
    }
    base_name = OidHex(**fetched);
  }
  Result<OwnedCommit> base = ResolveCommit(repo, base_name);
  if (!base.ok()) return base.status();

  std::string message = request.message;
  if (message.back() != '\n') message += '\n';
  Result<std::optional<git_oid>> first = internal::CommitOnTip(
      repo, *git_commit_id(base->get()), publish.reapply, signatures->author.get(),
      signatures->committer.get(), nullptr, message.c_str());
  if (!first.ok()) return first.status();

  const internal::Logger log(publish.log);
  PublishOutcome outcome;
  git_oid final_tip = *git_commit_id(base->get());
  OwnedCommit original;
  if (!*first) {
    log(target->where + ": nothing to change on " + internal::ShortHex(final_tip));
    outcome.pushed = false;
    outcome.commit = OidHex(final_tip);
    outcome.attempts = 0;
  } else {
    Result<OwnedCommit> made = internal::LookupCommit(repo, **first);
    if (!made.ok()) return made.status();
    original = std::move(*made);
    Result<PublishOutcome> pushed = internal::PushWithReapply(
        repo, connection.session(), *target, publish.branch, original.get(), publish);
    if (!pushed.ok()) return pushed.status();
    outcome = *pushed;
    if (git_oid_fromstr(&final_tip, outcome.commit.c_str()) < 0) {
      return GitError("read the pushed commit id");
    }
  }
  outcome.local_updated =
      local && internal::FollowRemote(repo, *local, original ? original.get() : base->get(),
                                      final_tip, target->where, log);
  return outcome;
}

}  // namespace capstan::git
