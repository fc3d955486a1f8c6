#include "git/tree_edit.h"

#include <map>
#include <string_view>

#include "core/strings.h"

namespace capstan::git::internal {
namespace {

bool IsPlainRelativePath(std::string_view path) {
  if (path.empty() || path.front() == '/' || path.back() == '/') return false;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view part = path.substr(start, end - start);
    if (part.empty() || part == "." || part == ".." || part == ".git") return false;
    start = end + 1;
  }
  return path.find('\0') == std::string_view::npos;
}

}  // namespace

Result<OwnedRepository> OpenRepository(const std::string& path) {
  EnsureLibgit2();
  git_repository* raw = nullptr;
  int rc = git_repository_open_ext(&raw, path.c_str(), 0, nullptr);
  if (rc == GIT_ENOTFOUND)
    return Status::NotFound(QuoteForMessage(path, kQuotePathLimit) +
                            " is not inside a git repository");
  if (rc < 0)
    return GitError("open the git repository containing " + QuoteForMessage(path, kQuotePathLimit));
  return OwnedRepository(raw);
}

Result<OwnedCommit> LookupCommit(git_repository* repo, const git_oid& oid) {
  git_commit* raw = nullptr;
  if (git_commit_lookup(&raw, repo, &oid) < 0) return GitError("read commit " + OidHex(oid));
  return OwnedCommit(raw);
}

Result<OwnedTree> CommitTree(const git_commit* commit) {
  git_tree* raw = nullptr;
  if (git_commit_tree(&raw, commit) < 0) {
    return GitError("read the tree of commit " + OidHex(*git_commit_id(commit)));
  }
  return OwnedTree(raw);
}

Result<git_oid> UpdatedTree(git_repository* repo, const git_tree* base,
                            const std::vector<FileUpdate>& updates,
                            std::vector<WrittenEntry>* written) {
  std::map<std::string, const std::string*> last;  // path -> content; sorted, last one wins
  for (const FileUpdate& u : updates) {
    if (!IsPlainRelativePath(u.path)) {
      return Status::InvalidArgument(QuoteForMessage(u.path, kQuotePathLimit) +
                                     " is not a path inside the repository");
    }
    last[u.path] = &u.content;
  }

  std::vector<WrittenEntry> entries;
  for (const auto& [path, content] : last) {
    WrittenEntry e{path, {}, GIT_FILEMODE_BLOB};
    git_tree_entry* raw = nullptr;
    int rc = git_tree_entry_bypath(&raw, base, path.c_str());
    if (rc < 0 && rc != GIT_ENOTFOUND)
      return GitError("look up " + QuoteForMessage(path, kQuotePathLimit));
    if (rc == 0) {
      OwnedTreeEntry existing(raw);
      git_filemode_t mode = git_tree_entry_filemode(existing.get());
      if (mode == GIT_FILEMODE_TREE) {
        return Status::InvalidArgument("cannot write " + QuoteForMessage(path, kQuotePathLimit) +
                                       ": it is a directory");
      }
      if (mode == GIT_FILEMODE_COMMIT) {
        return Status::InvalidArgument("cannot write " + QuoteForMessage(path, kQuotePathLimit) +
                                       ": it is a submodule");
      }
      e.mode = mode;
    }
    if (git_blob_create_from_buffer(&e.blob, repo, content->data(), content->size()) < 0) {
      return GitError("store the new content of " + QuoteForMessage(path, kQuotePathLimit));
    }
    entries.push_back(std::move(e));
  }

  std::vector<git_tree_update> ops;
  ops.reserve(entries.size());
  for (const WrittenEntry& e : entries) {
    git_tree_update op{};
    op.action = GIT_TREE_UPDATE_UPSERT;
    op.id = e.blob;
    op.filemode = e.mode;
    op.path = e.path.c_str();
    ops.push_back(op);
  }
  git_oid tree;
  if (git_tree_create_updated(&tree, repo, const_cast<git_tree*>(base), ops.size(), ops.data()) <
      0) {
    return GitError("build the new tree");
  }
  if (written != nullptr) *written = std::move(entries);
  return tree;
}

Result<std::optional<std::string>> ReadFileAt(git_repository* repo, const git_tree* tree,
                                              const std::string& path) {
  git_tree_entry* raw = nullptr;
  int rc = git_tree_entry_bypath(&raw, tree, path.c_str());
  if (rc == GIT_ENOTFOUND || rc == GIT_EINVALIDSPEC) return std::optional<std::string>();
  if (rc < 0) return GitError("look up " + QuoteForMessage(path, kQuotePathLimit));
  OwnedTreeEntry entry(raw);
  if (git_tree_entry_type(entry.get()) != GIT_OBJECT_BLOB) return std::optional<std::string>();
  git_blob* raw_blob = nullptr;
  if (git_blob_lookup(&raw_blob, repo, git_tree_entry_id(entry.get())) < 0) {
    return GitError("read " + QuoteForMessage(path, kQuotePathLimit));
  }
  OwnedBlob blob(raw_blob);
  return std::optional<std::string>(
      std::string(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                  static_cast<std::size_t>(git_blob_rawsize(blob.get()))));
}

std::string ShortHex(const git_oid& oid) { return OidHex(oid).substr(0, 7); }

}  // namespace capstan::git::internal
