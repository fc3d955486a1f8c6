#include "git/revisions.h"

#include <git2.h>

#include <algorithm>
#include <tuple>
#include <utility>

#include "core/strings.h"
#include "git/libgit2_util.h"
#include "git/renames.h"
#include "git/revision_walk.h"
#include "git/tree_edit.h"

namespace capstan::git {
namespace {

using namespace internal;  // lib/git's libgit2 helpers (libgit2_util.h)

constexpr std::string_view kFetchMore =
    " (fetch more history: git fetch --deepen=<n> or git fetch --unshallow; with "
    "actions/checkout, fetch-depth: 0)";

Status Missing(git_repository* repo, const std::string& rev) {
  if (git_repository_is_shallow(repo) == 1) {
    std::string m = "revision " + QuoteForMessage(rev) + " is not in this shallow clone";
    m += kFetchMore;
    return Status::NotFound(std::move(m));
  }
  return Status::NotFound("unknown revision " + QuoteForMessage(rev));
}

}  // namespace

Result<git_oid> ResolveCommitId(git_repository* repo, const std::string& rev) {
  if (rev.empty()) return Status::InvalidArgument("empty revision");
  git_object* raw = nullptr;
  int rc = git_revparse_single(&raw, repo, rev.c_str());
  if (rc == GIT_EAMBIGUOUS) {
    git_error_clear();
    return Status::InvalidArgument("revision " + QuoteForMessage(rev) +
                                   " is ambiguous: more than one object id starts with it");
  }
  if (rc == GIT_ENOTFOUND || rc == GIT_EINVALIDSPEC || rc == GIT_EUNBORNBRANCH) {
    git_error_clear();
    return Missing(repo, rev);
  }
  if (rc < 0) return GitError("resolve revision " + QuoteForMessage(rev));
  OwnedObject target(raw);
  rc = git_object_peel(&raw, target.get(), GIT_OBJECT_COMMIT);
  if (rc == GIT_ENOTFOUND) {  // a tag of a commit that was not fetched
    git_error_clear();
    return Missing(repo, rev);
  }
  if (rc == GIT_EPEEL || rc == GIT_EINVALIDSPEC) {
    git_error_clear();
    return Status::InvalidArgument("revision " + QuoteForMessage(rev) + " is not a commit");
  }
  if (rc < 0) return GitError("read the commit of revision " + QuoteForMessage(rev));
  OwnedObject commit(raw);
  return *git_object_id(commit.get());
}

namespace {

Result<OwnedTree> TreeOf(git_repository* repo, const git_oid& id) {
  Result<OwnedCommit> commit = LookupCommit(repo, id);
  if (!commit.ok()) return commit.status();
  return CommitTree(commit->get());
}

}  // namespace

Result<RevisionRange> ParseRevisionRange(std::string_view spec) {
  auto invalid = [spec](std::string_view why) {
    std::string m = "invalid range ";
    m += QuoteForMessage(spec, kQuotePathLimit);
    m += ": ";
    m += why;
    return Status::InvalidArgument(std::move(m));
  };
  if (spec.find("...") != std::string_view::npos) {
    return invalid("'...' (symmetric difference) is not supported, use <from>..<to>");
  }
  const size_t dots = spec.find("..");
  if (dots == std::string_view::npos) return invalid("expected <from>..<to>");
  RevisionRange range{std::string(spec.substr(0, dots)), std::string(spec.substr(dots + 2))};
  if (range.to.find("..") != std::string::npos) return invalid("more than one '..'");
  if (range.from.empty() || range.to.empty()) return invalid("both sides of '..' must be given");
  return range;
}

Result<std::string> ResolveCommit(Repository& repo, const std::string& rev) {
  Result<git_oid> id = ResolveCommitId(repo.repo_, rev);
  if (!id.ok()) return id.status();
  return OidHex(*id);
}

Result<bool> IsAncestor(Repository& repo, const std::string& ancestor,
                        const std::string& descendant) {
  const std::string what = "cannot tell whether " + QuoteForMessage(ancestor) +
                           " is an ancestor of " + QuoteForMessage(descendant);
  Result<git_oid> a = ResolveCommitId(repo.repo_, ancestor);
  if (!a.ok()) return a.status().WithPrefix(what);
  Result<git_oid> d = ResolveCommitId(repo.repo_, descendant);
  if (!d.ok()) return d.status().WithPrefix(what);
  if (git_oid_equal(&*a, &*d)) return true;

  // `git rev-list D..A` is empty exactly when A is reachable from D.
  bool cut = false;
  Result<std::vector<git_oid>> not_below = SelectCommits(repo.repo_, {*a}, {*d}, &cut);
  if (!not_below.ok()) return not_below.status().WithPrefix(what);
  if (not_below->empty()) return true;
  if (!cut) return false;
  // D's history ends at a shallow boundary, and A may lie beyond it: unless A descends from D,
  // which rules out the other way round.
  Result<std::vector<git_oid>> reverse = SelectCommits(repo.repo_, {*d}, {*a});
  if (!reverse.ok()) return reverse.status().WithPrefix(what);
  if (reverse->empty()) return false;
  std::string m = what + ": the history of " + QuoteForMessage(descendant) +
                  " is cut short by this shallow clone";
  m += kFetchMore;
  return Status::NotFound(std::move(m));
}

std::string_view ChangeKindName(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::kAdded:
      return "added";
    case ChangeKind::kModified:
      return "modified";
    case ChangeKind::kDeleted:
      return "deleted";
    case ChangeKind::kRenamed:
      return "renamed";
    case ChangeKind::kTypeChanged:
      return "typechanged";
  }
  return "modified";
}

Result<std::vector<PathChange>> ChangedPaths(Repository& repo, const std::string& from,
                                             const std::string& to) {
  git_repository* r = repo.repo_;
  const std::string what = "diff " + QuoteForMessage(from + ".." + to, kQuotePathLimit);
  const std::string prefix = "cannot " + what;
  Result<git_oid> from_id = ResolveCommitId(r, from);
  if (!from_id.ok()) return from_id.status().WithPrefix(prefix);
  Result<git_oid> to_id = ResolveCommitId(r, to);
  if (!to_id.ok()) return to_id.status().WithPrefix(prefix);
  if (git_oid_equal(&*from_id, &*to_id)) return std::vector<PathChange>{};
  Result<OwnedTree> from_tree = TreeOf(r, *from_id);
  if (!from_tree.ok()) return from_tree.status().WithPrefix(prefix);
  Result<OwnedTree> to_tree = TreeOf(r, *to_id);
  if (!to_tree.ok()) return to_tree.status().WithPrefix(prefix);

  git_diff_options options = GIT_DIFF_OPTIONS_INIT;
  options.flags = GIT_DIFF_INCLUDE_TYPECHANGE;
  git_diff* raw = nullptr;
  if (git_diff_tree_to_tree(&raw, r, from_tree->get(), to_tree->get(), &options) < 0) {
    return GitError(what);
  }
  OwnedDiff diff(raw);
  std::vector<PathChange> changes;
  std::vector<RenameSide> deleted;
  std::vector<RenameSide> added;
  const size_t n = git_diff_num_deltas(diff.get());
  changes.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const git_diff_delta* d = git_diff_get_delta(diff.get(), i);
    if (d->status == GIT_DELTA_DELETED) {
      deleted.push_back({d->old_file.path, d->old_file.id, d->old_file.mode});
    } else if (d->status == GIT_DELTA_ADDED) {
      added.push_back({d->new_file.path, d->new_file.id, d->new_file.mode});
    } else if (d->status != GIT_DELTA_UNMODIFIED) {
      const bool typechange = d->status == GIT_DELTA_TYPECHANGE;
      changes.push_back(
          {d->new_file.path, typechange ? ChangeKind::kTypeChanged : ChangeKind::kModified, ""});
    }
  }
  Result<std::vector<RenamePair>> renames = PairRenames(r, deleted, added, what);
  if (!renames.ok()) return renames.status();
  std::vector<bool> paired_deleted(deleted.size());
  std::vector<bool> paired_added(added.size());
  for (const RenamePair& p : *renames) {
    changes.push_back({added[p.added].path, ChangeKind::kRenamed, deleted[p.deleted].path});
    paired_deleted[p.deleted] = true;
    paired_added[p.added] = true;
  }
  for (size_t i = 0; i < deleted.size(); ++i) {
    if (!paired_deleted[i]) changes.push_back({deleted[i].path, ChangeKind::kDeleted, ""});
  }
  for (size_t i = 0; i < added.size(); ++i) {
    if (!paired_added[i]) changes.push_back({added[i].path, ChangeKind::kAdded, ""});
  }
  std::sort(changes.begin(), changes.end(), [](const PathChange& x, const PathChange& y) {
    return std::tie(x.path, x.old_path) < std::tie(y.path, y.old_path);
  });
  return changes;
}

std::vector<std::string> TouchedPaths(const std::vector<PathChange>& changes) {
  std::vector<std::string> paths;
  paths.reserve(changes.size());
  for (const PathChange& c : changes) {
    paths.push_back(c.path);
    if (!c.old_path.empty()) paths.push_back(c.old_path);
  }
  std::sort(paths.begin(), paths.end());
  paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
  return paths;
}

}  // namespace capstan::git
