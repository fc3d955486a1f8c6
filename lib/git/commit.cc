#include <git2.h>
#include <sys/stat.h>

#include <fstream>
#include <iterator>

#include "core/strings.h"
#include "git/identity.h"
#include "git/locks.h"
#include "git/publish.h"
#include "git/tree_edit.h"

namespace capstan::git {
namespace {

using namespace internal;  // lib/git's libgit2 helpers (libgit2_util.h)

// The stat data of the working-tree file when it holds exactly `content`, so that git status
// need not re-read it; zeros (git then compares content) otherwise.
void FillStat(git_index_entry* entry, const std::string& full_path, const std::string& content) {
  struct stat st;
  if (::lstat(full_path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) ||
      static_cast<std::size_t>(st.st_size) != content.size()) {
    return;
  }
  std::ifstream in(full_path, std::ios::binary);
  std::string actual((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) return;
  if (actual != content) return;
  entry->ctime.seconds = static_cast<int32_t>(st.st_ctim.tv_sec);
  entry->ctime.nanoseconds = static_cast<uint32_t>(st.st_ctim.tv_nsec);
  entry->mtime.seconds = static_cast<int32_t>(st.st_mtim.tv_sec);
  entry->mtime.nanoseconds = static_cast<uint32_t>(st.st_mtim.tv_nsec);
  entry->dev = static_cast<uint32_t>(st.st_dev);
  entry->ino = static_cast<uint32_t>(st.st_ino);
  entry->uid = static_cast<uint32_t>(st.st_uid);
  entry->gid = static_cast<uint32_t>(st.st_gid);
  entry->file_size = static_cast<uint32_t>(st.st_size);
}

// Stages the written blobs and writes the index, leaving every other entry as it was.
Status StagePaths(git_repository* repo, const std::vector<WrittenEntry>& written,
                  const std::vector<FileUpdate>& updates) {
  git_index* raw = nullptr;
  if (git_repository_index(&raw, repo) < 0) return GitError("open the git index");
  OwnedIndex index(raw);
  if (git_index_read(index.get(), 0) < 0) return GitError("read the git index");
  std::string workdir = git_repository_workdir(repo);
  for (const WrittenEntry& w : written) {
    git_index_entry entry{};
    entry.mode = static_cast<uint32_t>(w.mode);
    entry.id = w.blob;
    entry.path = w.path.c_str();
    for (auto it = updates.rbegin(); it != updates.rend(); ++it) {
      if (it->path == w.path) {
        if (w.mode != GIT_FILEMODE_LINK) FillStat(&entry, workdir + w.path, it->content);
        break;
      }
    }
    if (git_index_conflict_remove(index.get(), w.path.c_str()) < 0) git_error_clear();
    if (git_index_add(index.get(), &entry) < 0)
      return GitError("stage " + QuoteForMessage(w.path, kQuotePathLimit));
  }
  if (git_index_write(index.get()) < 0) return GitError("write the git index");
  return Status::Ok();
}

// Puts the index entries StagePaths changed back to the HEAD tree's (bump edits only files
// without uncommitted changes, so that is what they were). Best effort: a commit has already
// failed, and the caller reports that.
void UnstagePaths(git_repository* repo, const std::vector<WrittenEntry>& written,
                  const git_tree* head_tree) {
  git_index* raw = nullptr;
  if (git_repository_index(&raw, repo) < 0) return git_error_clear();
  OwnedIndex index(raw);
  if (git_index_read(index.get(), 0) < 0) return git_error_clear();
  for (const WrittenEntry& w : written) {
    git_tree_entry* raw_entry = nullptr;
    if (git_tree_entry_bypath(&raw_entry, head_tree, w.path.c_str()) < 0) {
      git_error_clear();
      if (git_index_remove_bypath(index.get(), w.path.c_str()) < 0) git_error_clear();
      continue;
    }
    OwnedTreeEntry tree_entry(raw_entry);
    git_index_entry entry{};
    entry.mode = static_cast<uint32_t>(git_tree_entry_filemode(tree_entry.get()));
    entry.id = *git_tree_entry_id(tree_entry.get());
    entry.path = w.path.c_str();
    if (git_index_add(index.get(), &entry) < 0) git_error_clear();
  }
  if (git_index_write(index.get()) < 0) git_error_clear();
}

// Whether HEAD is a commit of `tree` on top of `parent`: a commit libgit2 reported as failed
// after it had moved the branch. Its id, or "".
std::string LandedAnyway(git_repository* repo, const git_oid& parent, const git_oid& tree) {
  git_object* raw = nullptr;
  if (git_revparse_single(&raw, repo, "HEAD^{commit}") < 0) {
    git_error_clear();
    return "";
  }
  OwnedCommit now(reinterpret_cast<git_commit*>(raw));
  if (git_commit_parentcount(now.get()) != 1 ||
      !git_oid_equal(git_commit_parent_id(now.get(), 0), &parent) ||
      !git_oid_equal(git_commit_tree_id(now.get()), &tree))
    return "";
  return internal::OidHex(*git_commit_id(now.get()));
}

}  // namespace

Result<std::string> CommitFiles(const std::string& repo_path,
                                const std::vector<FileUpdate>& updates,
                                const CommitRequest& request) {
  Result<OwnedRepository> opened = internal::OpenRepository(repo_path);
  if (!opened.ok()) return opened.status();
  git_repository* repo = opened->get();
  if (git_repository_is_bare(repo)) {
    return Status::InvalidArgument("cannot commit in " +
                                   QuoteForMessage(repo_path, kQuotePathLimit) +
                                   ": the repository is bare");
  }
  int unborn = git_repository_head_unborn(repo);
  if (unborn < 0) return GitError("resolve HEAD");
  if (unborn == 1) {
    return Status::InvalidArgument("cannot commit in " +
                                   QuoteForMessage(repo_path, kQuotePathLimit) +
                                   ": the repository has no commits yet");
  }
  if (updates.empty()) return Status::InvalidArgument("no files to commit");
  // Before anything is written: libgit2 would find the same lock half-way, after the index.
  CAPSTAN_RETURN_IF_ERROR(CheckNoStaleLocks(repo_path));

  Result<internal::Signatures> signatures = internal::ResolveSignatures(repo, request);
  if (!signatures.ok()) return signatures.status();

  git_object* raw_head = nullptr;
  if (git_revparse_single(&raw_head, repo, "HEAD^{commit}") < 0) return GitError("resolve HEAD");
  OwnedCommit head(reinterpret_cast<git_commit*>(raw_head));
  Result<OwnedTree> head_tree = internal::CommitTree(head.get());
  if (!head_tree.ok()) return head_tree.status();

  std::vector<WrittenEntry> written;
  Result<git_oid> tree_id = internal::UpdatedTree(repo, head_tree->get(), updates, &written);
  if (!tree_id.ok()) return tree_id.status();
  git_tree* raw_tree = nullptr;
  if (git_tree_lookup(&raw_tree, repo, &*tree_id) < 0) return GitError("read the new tree");
  OwnedTree tree(raw_tree);

  // The index first: should the commit then fail, the new content is merely staged.
  CAPSTAN_RETURN_IF_ERROR(StagePaths(repo, written, updates));

  std::string message = request.message;
  if (!message.empty() && message.back() != '\n') message += '\n';
  const git_commit* parents[] = {head.get()};
  git_oid commit;
  // "HEAD" moves the branch HEAD names (or HEAD itself when detached), only if it still points
  // at the parent, and logs "commit: <subject>" as git does.
  if (git_commit_create(&commit, repo, "HEAD", signatures->author.get(),
                        signatures->committer.get(), nullptr, message.c_str(), tree.get(), 1,
                        parents) < 0) {
    Status failed = GitError("create the commit");
    std::string landed = LandedAnyway(repo, *git_commit_id(head.get()), *tree_id);
    if (!landed.empty()) return landed;
    UnstagePaths(repo, written, head_tree->get());
    return failed;
  }
  return internal::OidHex(commit);
}

}  // namespace capstan::git
