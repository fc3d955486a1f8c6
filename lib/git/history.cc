#include "git/history.h"

#include <git2.h>

#include <algorithm>
#include <memory>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/strings.h"
#include "git/libgit2_util.h"
#include "git/revision_walk.h"
#include "git/revisions.h"

namespace capstan::git {
namespace {

using namespace internal;  // lib/git's libgit2 helpers (libgit2_util.h)

bool IsRegularFile(git_filemode_t mode) {
  return mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE;
}

// capstan-scan's contract: a revision it cannot find is a usage error, like a malformed one.
Result<git_oid> ResolveCommit(git_repository* repo, const std::string& rev) {
  Result<git_oid> id = ResolveCommitId(repo, rev);
  if (!id.ok() && id.status().code() == StatusCode::kNotFound) {
    return Status::InvalidArgument(id.status().message());
  }
  return id;
}

// Appends the commit of every ref whose name starts with `prefix`, in name order. Like git,
// skips symbolic refs to missing refs and refs to trees or blobs.
Status AppendRefCommits(git_repository* repo, std::string_view prefix, std::vector<git_oid>* out) {
  git_reference_iterator* raw_it = nullptr;
  if (git_reference_iterator_new(&raw_it, repo) < 0) return GitError("list the refs");
  OwnedRefIterator it(raw_it);
  std::vector<std::pair<std::string, git_oid>> refs;
  for (;;) {
    git_reference* raw = nullptr;
    int rc = git_reference_next(&raw, it.get());
    if (rc == GIT_ITEROVER) break;
    if (rc < 0) return GitError("list the refs");
    OwnedReference ref(raw);
    const std::string_view name = git_reference_name(ref.get());
    if (name.substr(0, prefix.size()) != prefix) continue;

    rc = git_reference_resolve(&raw, ref.get());
    if (rc == GIT_ENOTFOUND) continue;
    if (rc < 0) return GitError("resolve ref " + QuoteForMessage(name));
    OwnedReference resolved(raw);
    git_object* raw_commit = nullptr;
    rc = git_reference_peel(&raw_commit, resolved.get(), GIT_OBJECT_COMMIT);
    if (rc == GIT_EPEEL || rc == GIT_EINVALIDSPEC) continue;
    if (rc < 0) return GitError("read ref " + QuoteForMessage(name));
    OwnedObject commit(raw_commit);
    refs.emplace_back(name, *git_object_id(commit.get()));
  }
  std::sort(refs.begin(), refs.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [name, id] : refs) out->push_back(id);
  return Status::Ok();
}

// Appends HEAD's commit, or nothing on an unborn branch.
Status AppendHeadCommit(git_repository* repo, std::vector<git_oid>* out) {
  git_reference* raw = nullptr;
  int rc = git_repository_head(&raw, repo);
  if (rc == GIT_EUNBORNBRANCH || rc == GIT_ENOTFOUND) return Status::Ok();
  if (rc < 0) return GitError("resolve HEAD");
  OwnedReference head(raw);
  git_object* raw_commit = nullptr;
  if (git_reference_peel(&raw_commit, head.get(), GIT_OBJECT_COMMIT) < 0) {
    return GitError("read HEAD's commit");
  }
  OwnedObject commit(raw_commit);
  out->push_back(*git_object_id(commit.get()));
  return Status::Ok();
}

using OidSet = std::unordered_set<git_oid, OidHash, OidEqual>;

// Compares each commit's tree with its first parent's and keeps the blobs not seen before.
class BlobCollector {
 public:
  explicit BlobCollector(git_repository* repo) : repo_(repo) {}

  Status AddCommit(const git_oid& id);
  BlobWalk Take() { return std::move(walk_); }

 private:
  // One tree being compared with the tree at the same path in the parent.
  struct Frame {
    OwnedTree old_tree;  // null: the path is new in this commit
    OwnedTree new_tree;
    size_t old_next = 0;
    size_t new_next = 0;
    size_t path_len = 0;  // path_ up to and including the '/' after this tree's name
  };
  struct Candidate {
    git_oid id;
    std::string path;
    git_filemode_t mode;
  };

  Status CompareTrees(OwnedTree old_tree, OwnedTree new_tree);
  void NoteRemoved(const git_tree_entry* old_entry);
  Status ExpandRemovedTrees();
  Result<bool> InAnyTree(const std::vector<OwnedTree>& trees, const Candidate& c);
  Status LookupTree(const git_oid& id, OwnedTree* out);

  git_repository* repo_;
  BlobWalk walk_;
  OidSet seen_;
  // Per commit.
  std::string commit_hex_;
  std::string path_;
  std::vector<Frame> stack_;
  std::vector<Candidate> candidates_;   // regular files at new or changed paths, not in seen_
  OidSet removed_;                      // regular-file blobs gone from some path
  std::vector<git_oid> removed_trees_;  // gone subtrees, read into removed_ only when needed
};

Status BlobCollector::AddCommit(const git_oid& id) {
  commit_hex_ = OidHex(id);
  git_commit* raw = nullptr;
  if (git_commit_lookup(&raw, repo_, &id) < 0) return GitError("read commit " + commit_hex_);
  OwnedCommit commit(raw);
  git_tree* raw_tree = nullptr;
  if (git_commit_tree(&raw_tree, commit.get()) < 0) {
    return GitError("read the tree of commit " + commit_hex_);
  }
  OwnedTree new_tree(raw_tree);

  OwnedTree old_tree;
  if (git_commit_parentcount(commit.get()) > 0) {
    int rc = git_commit_parent(&raw, commit.get(), 0);
    // A missing parent is the boundary of a shallow clone: compare with the empty tree.
    if (rc < 0 && rc != GIT_ENOTFOUND) {
      return GitError("read the parent of commit " + commit_hex_);
    }
    if (rc == 0) {
      OwnedCommit parent(raw);
      if (git_commit_tree(&raw_tree, parent.get()) < 0) {
        return GitError("read the tree of commit " + OidHex(*git_commit_id(parent.get())));
      }
      old_tree.reset(raw_tree);
    }
  }
  ++walk_.commits;

  candidates_.clear();
  removed_ = OidSet();  // clear() would keep the buckets of the largest commit so far
  removed_trees_.clear();
  CAPSTAN_RETURN_IF_ERROR(CompareTrees(std::move(old_tree), std::move(new_tree)));
  if (candidates_.empty()) return Status::Ok();
  // A blob that left one path for another (a rename or a move) is not new content.
  CAPSTAN_RETURN_IF_ERROR(ExpandRemovedTrees());
  std::vector<OwnedTree> other_parents;
  for (unsigned i = 1, n = git_commit_parentcount(commit.get()); i < n; ++i) {
    int rc = git_commit_parent(&raw, commit.get(), i);
    if (rc == GIT_ENOTFOUND) continue;
    if (rc < 0) return GitError("read a parent of commit " + commit_hex_);
    OwnedCommit parent(raw);
    if (git_commit_tree(&raw_tree, parent.get()) < 0) {
      return GitError("read the tree of commit " + OidHex(*git_commit_id(parent.get())));
    }
    other_parents.emplace_back(raw_tree);
  }
  for (Candidate& c : candidates_) {
    if (removed_.count(c.id) != 0 || seen_.count(c.id) != 0) continue;
    Result<bool> merged = InAnyTree(other_parents, c);
    if (!merged.ok()) return merged.status();
    if (*merged || !seen_.insert(c.id).second) continue;
    walk_.blobs.push_back(
        {OidHex(c.id), std::move(c.path), commit_hex_, static_cast<std::uint32_t>(c.mode)});
  }
  return Status::Ok();
}

// Whether one of `trees` has c's blob at c's path: a merge that takes a file from its second
// parent adds nothing (git's combined diff shows only paths that differ from every parent).
Result<bool> BlobCollector::InAnyTree(const std::vector<OwnedTree>& trees, const Candidate& c) {
  for (const OwnedTree& tree : trees) {
    git_tree_entry* raw = nullptr;
    int rc = git_tree_entry_bypath(&raw, tree.get(), c.path.c_str());
    if (rc == GIT_ENOTFOUND) continue;
    if (rc < 0)
      return GitError("read " + QuoteForMessage(c.path, kQuotePathLimit) +
                      " in a parent of commit " + commit_hex_);
    Owned<git_tree_entry, git_tree_entry_free> entry(raw);
    if (git_oid_equal(git_tree_entry_id(entry.get()), &c.id) &&
        IsRegularFile(git_tree_entry_filemode(entry.get()))) {
      return true;
    }
  }
  return false;
}

Status BlobCollector::LookupTree(const git_oid& id, OwnedTree* out) {
  git_tree* raw = nullptr;
  if (git_tree_lookup(&raw, repo_, &id) < 0) {
    return GitError("read tree " + OidHex(id) + " of commit " + commit_hex_);
  }
  out->reset(raw);
  return Status::Ok();
}

void BlobCollector::NoteRemoved(const git_tree_entry* old_entry) {
  const git_filemode_t mode = git_tree_entry_filemode(old_entry);
  if (IsRegularFile(mode)) {
    removed_.insert(*git_tree_entry_id(old_entry));
  } else if (mode == GIT_FILEMODE_TREE) {
    removed_trees_.push_back(*git_tree_entry_id(old_entry));
  }
}

Status BlobCollector::ExpandRemovedTrees() {
  while (!removed_trees_.empty()) {
    OwnedTree tree;
    CAPSTAN_RETURN_IF_ERROR(LookupTree(removed_trees_.back(), &tree));
    removed_trees_.pop_back();
    for (size_t i = 0, n = git_tree_entrycount(tree.get()); i < n; ++i) {
      NoteRemoved(git_tree_entry_byindex(tree.get(), i));
    }
  }
  return Status::Ok();
}

// Walks both trees' entries in git's tree order, with an explicit stack instead of recursion
// so that a maliciously deep tree cannot exhaust the call stack. Entries with the same id are
// skipped without reading them, so an unchanged subtree costs one comparison.
Status BlobCollector::CompareTrees(OwnedTree old_tree, OwnedTree new_tree) {
  path_.clear();
  stack_.clear();
  stack_.push_back(Frame{std::move(old_tree), std::move(new_tree)});
  while (!stack_.empty()) {
    Frame& f = stack_.back();
    const size_t old_count = f.old_tree ? git_tree_entrycount(f.old_tree.get()) : 0;
    if (f.new_next == git_tree_entrycount(f.new_tree.get())) {
      for (; f.old_next < old_count; ++f.old_next) {
        NoteRemoved(git_tree_entry_byindex(f.old_tree.get(), f.old_next));
      }
      stack_.pop_back();
      continue;
    }
    const git_tree_entry* entry = git_tree_entry_byindex(f.new_tree.get(), f.new_next++);
    const git_tree_entry* old_entry = nullptr;
    while (f.old_next < old_count) {
      const git_tree_entry* e = git_tree_entry_byindex(f.old_tree.get(), f.old_next);
      const int cmp = git_tree_entry_cmp(e, entry);
      if (cmp > 0) break;
      ++f.old_next;
      if (cmp == 0) {
        old_entry = e;
        break;
      }
      NoteRemoved(e);
    }

    const git_filemode_t mode = git_tree_entry_filemode(entry);
    const git_oid& id = *git_tree_entry_id(entry);
    const bool both_trees = old_entry != nullptr && mode == GIT_FILEMODE_TREE &&
                            git_tree_entry_filemode(old_entry) == GIT_FILEMODE_TREE;
    if (old_entry != nullptr) {
      const git_filemode_t old_mode = git_tree_entry_filemode(old_entry);
      // A symlink that became a regular file has content that was never a file before.
      if (git_oid_equal(git_tree_entry_id(old_entry), &id) &&
          (old_mode == mode || (IsRegularFile(old_mode) && IsRegularFile(mode)))) {
        continue;
      }
      if (!both_trees) NoteRemoved(old_entry);
    }

    if (mode == GIT_FILEMODE_TREE) {
      Frame sub;
      CAPSTAN_RETURN_IF_ERROR(LookupTree(id, &sub.new_tree));
      if (both_trees) {
        CAPSTAN_RETURN_IF_ERROR(LookupTree(*git_tree_entry_id(old_entry), &sub.old_tree));
      }
      path_.resize(f.path_len);
      path_ += git_tree_entry_name(entry);
      path_ += '/';
      sub.path_len = path_.size();
      stack_.push_back(std::move(sub));  // invalidates f
      continue;
    }
    if (!IsRegularFile(mode) || seen_.count(id) != 0) continue;
    path_.resize(f.path_len);
    path_ += git_tree_entry_name(entry);
    candidates_.push_back({id, path_, mode});
  }
  return Status::Ok();
}

}  // namespace

Result<CommitSelection> ParseRange(std::string_view spec) {
  if (spec.empty()) {
    return Status::InvalidArgument("invalid range '': expected <from>..<to> or <rev>");
  }
  CommitSelection selection;
  if (spec.find("..") == std::string_view::npos) {
    selection.include.emplace_back(spec);
    selection.exclude_remotes = true;
    return selection;
  }
  Result<RevisionRange> range = ParseRevisionRange(spec);
  if (!range.ok()) return range.status();
  selection.include.push_back(std::move(range->to));
  selection.exclude.push_back(std::move(range->from));
  return selection;
}

Result<BlobWalk> WalkAddedBlobs(Repository& repo, const CommitSelection& selection) {
  git_repository* r = repo.repo_;
  std::vector<git_oid> include;
  std::vector<git_oid> exclude;
  for (const std::string& rev : selection.include) {
    Result<git_oid> id = ResolveCommit(r, rev);
    if (!id.ok()) return id.status();
    include.push_back(*id);
  }
  if (selection.all_refs) {
    CAPSTAN_RETURN_IF_ERROR(AppendHeadCommit(r, &include));
    CAPSTAN_RETURN_IF_ERROR(AppendRefCommits(r, "refs/", &include));
  }
  for (const std::string& rev : selection.exclude) {
    Result<git_oid> id = ResolveCommit(r, rev);
    if (!id.ok()) return id.status();
    exclude.push_back(*id);
  }
  if (selection.exclude_remotes) {
    CAPSTAN_RETURN_IF_ERROR(AppendRefCommits(r, "refs/remotes/", &exclude));
  }

  Result<std::vector<git_oid>> commits = SelectCommits(r, include, exclude);
  if (!commits.ok()) return commits.status();
  BlobCollector collector(r);
  for (const git_oid& id : *commits) CAPSTAN_RETURN_IF_ERROR(collector.AddCommit(id));
  return collector.Take();
}

}  // namespace capstan::git
