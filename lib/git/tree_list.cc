#include <git2.h>

#include <algorithm>

#include "core/strings.h"
#include "git/publish.h"
#include "git/tree_edit.h"

namespace capstan::git {
namespace {

using namespace internal;  // lib/git's libgit2 helpers (libgit2_util.h)

struct Walk {
  git_odb* odb = nullptr;
  std::vector<TreeFile>* files = nullptr;
  Status error;
};

int OnEntry(const char* root, const git_tree_entry* entry, void* payload) {
  auto* walk = static_cast<Walk*>(payload);
  git_filemode_t mode = git_tree_entry_filemode(entry);
  if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE) return 0;
  TreeFile file;
  file.path = std::string(root) + git_tree_entry_name(entry);
  file.oid = internal::OidHex(*git_tree_entry_id(entry));
  file.mode = static_cast<std::uint32_t>(mode);
  std::size_t size = 0;
  git_object_t type = GIT_OBJECT_INVALID;
  if (git_odb_read_header(&size, &type, walk->odb, git_tree_entry_id(entry)) < 0) {
    walk->error = GitError("read the size of " + QuoteForMessage(file.path, kQuotePathLimit));
    return -1;
  }
  file.size = size;
  walk->files->push_back(std::move(file));
  return 0;
}

}  // namespace

Result<std::vector<TreeFile>> ListTree(const std::string& repo_path, const std::string& commit) {
  Result<OwnedRepository> opened = internal::OpenRepository(repo_path);
  if (!opened.ok()) return opened.status();
  git_repository* repo = opened->get();
  git_object* raw_commit = nullptr;
  if (commit.empty() ||
      git_revparse_single(&raw_commit, repo, (commit + "^{commit}").c_str()) < 0) {
    git_error_clear();
    return Status::InvalidArgument(QuoteForMessage(commit) + " is not a commit");
  }
  OwnedCommit resolved(reinterpret_cast<git_commit*>(raw_commit));
  Result<OwnedTree> tree = internal::CommitTree(resolved.get());
  if (!tree.ok()) return tree.status();
  git_odb* raw_odb = nullptr;
  if (git_repository_odb(&raw_odb, repo) < 0) return GitError("open the object database");
  internal::Owned<git_odb, git_odb_free> odb(raw_odb);

  std::vector<TreeFile> files;
  Walk walk{odb.get(), &files, Status::Ok()};
  if (git_tree_walk(tree->get(), GIT_TREEWALK_PRE, &OnEntry, &walk) < 0) {
    if (!walk.error.ok()) return walk.error;
    return GitError("list the tree of " + QuoteForMessage(commit));
  }
  // git's tree order already gives sorted paths, but libgit2 does not check trees made by other
  // tools.
  std::sort(files.begin(), files.end(),
            [](const TreeFile& a, const TreeFile& b) { return a.path < b.path; });
  return files;
}

}  // namespace capstan::git
