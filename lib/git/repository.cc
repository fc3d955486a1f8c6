#include "git/repository.h"

#include <git2.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <string_view>

#include "core/strings.h"
#include "git/index_file.h"
#include "git/libgit2_util.h"
#include "git/tree_edit.h"

namespace capstan::git {
namespace {

using namespace internal;  // lib/git's libgit2 helpers (libgit2_util.h)

bool IsNewSideChange(git_delta_t status) {
  switch (status) {
    case GIT_DELTA_ADDED:
    case GIT_DELTA_MODIFIED:
    case GIT_DELTA_RENAMED:
    case GIT_DELTA_COPIED:
    case GIT_DELTA_TYPECHANGE:
    case GIT_DELTA_UNTRACKED:
      return true;
    default:
      return false;
  }
}

std::string HexOf(std::string_view raw) {
  git_oid oid;
  git_oid_fromraw(&oid, reinterpret_cast<const unsigned char*>(raw.data()));
  return OidHex(oid);
}

// StagedChanges from the index file itself: directories whose cache-tree entry equals HEAD's
// subtree are skipped whole, so a one-file change costs a few tree reads whatever the size of
// the repository. Returns nullopt when the index cannot be read this way (libgit2 then does it).
class CacheTreeDiff {
 public:
  CacheTreeDiff(git_repository* repo, const IndexFile& index) : repo_(repo), index_(index) {}

  // Compares the index entries [lo, hi), all below `dir`, with `tree`. False on a libgit2 error.
  bool Compare(const std::string& dir, const git_tree* tree, std::size_t lo, std::size_t hi) {
    if (auto ct = index_.cache_tree.find(dir);
        ct != index_.cache_tree.end() && ct->second.entry_count >= 0 &&
        std::memcmp(ct->second.oid.data(), git_tree_id(tree)->id, 20) == 0)
      return true;
    const std::size_t prefix = dir.empty() ? 0 : dir.size() + 1;
    for (std::size_t i = lo; i < hi;) {
      const IndexFileEntry& e = index_.entries[i];
      std::string_view rel = std::string_view(e.path).substr(prefix);
      std::size_t slash = rel.find('/');
      if (slash == std::string_view::npos) {
        if (e.stage == 0) {
          const git_tree_entry* te = git_tree_entry_byname(tree, std::string(rel).c_str());
          if (te == nullptr || std::memcmp(git_tree_entry_id(te)->id, e.oid.data(), 20) != 0 ||
              static_cast<std::uint32_t>(git_tree_entry_filemode(te)) != e.mode)
            Add(e);
        }
        ++i;
        continue;
      }
      std::string name(rel.substr(0, slash));
      std::string sub(e.path.substr(0, prefix + slash));  // "dir/name"
      std::size_t j = i;
      while (j < hi && index_.entries[j].path.size() > sub.size() &&
             index_.entries[j].path.compare(0, sub.size(), sub) == 0 &&
             index_.entries[j].path[sub.size()] == '/')
        ++j;
      const git_tree_entry* te = git_tree_entry_byname(tree, name.c_str());
      if (te != nullptr && git_tree_entry_type(te) == GIT_OBJECT_TREE) {
        git_tree* raw = nullptr;
        if (git_tree_lookup(&raw, repo_, git_tree_entry_id(te)) < 0) return false;
        OwnedTree subtree(raw);
        if (!Compare(sub, subtree.get(), i, j)) return false;
      } else {
        for (std::size_t k = i; k < j; ++k)
          if (index_.entries[k].stage == 0) Add(index_.entries[k]);
      }
      i = j;
    }
    return true;
  }

  void Add(const IndexFileEntry& e) { out.push_back({std::string(e.path), HexOf(e.oid), e.mode}); }

  std::vector<Repository::IndexEntry> out;

 private:
  git_repository* repo_;
  const IndexFile& index_;
};

// The index file of repo (or index_file), parsed by git/index_file.h (with its cache tree or
// not).
Result<IndexFile> ReadIndexFile(git_repository* repo, const std::string& index_file,
                                bool cache_tree) {
  if (git_repository_is_bare(repo)) return Status::IoError("a bare repository has no index");
  std::string path =
      index_file.empty() ? std::string(git_repository_path(repo)) + "index" : index_file;
  // Stat before reading: an index written in between is newer than the time kept, so at
  // worst more of its entries count as racily clean.
  struct stat st {};
  bool timed = ::stat(path.c_str(), &st) == 0;
  std::string data;
  {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in)
      return Status::IoError("cannot read the git index " + QuoteForMessage(path, kQuotePathLimit));
    data.resize(static_cast<std::size_t>(in.tellg()));
    in.seekg(0);
    if (!in.read(data.data(), static_cast<std::streamsize>(data.size())))
      return Status::IoError("cannot read the git index " + QuoteForMessage(path, kQuotePathLimit));
  }
  auto index = ParseIndexFile(std::move(data), cache_tree);
  if (index.ok() && timed) {
    index->mtime_sec = st.st_mtim.tv_sec;
    index->mtime_nsec = st.st_mtim.tv_nsec;
  }
  return index;
}

std::optional<std::vector<Repository::IndexEntry>> StagedFromIndexFile(
    git_repository* repo, const git_tree* head_tree, const std::string& index_file) {
  auto index = ReadIndexFile(repo, index_file, /*cache_tree=*/true);
  if (!index.ok()) return std::nullopt;
  CacheTreeDiff diff(repo, *index);
  if (head_tree == nullptr) {
    for (const auto& e : index->entries)
      if (e.stage == 0) diff.Add(e);
  } else if (!diff.Compare("", head_tree, 0, index->entries.size())) {
    return std::nullopt;
  }
  return std::move(diff.out);
}

}  // namespace

Result<std::unique_ptr<Repository>> Repository::Discover(const std::string& path) {
  EnsureLibgit2();
  git_repository* raw = nullptr;
  int rc = git_repository_open_ext(&raw, path.c_str(), 0, nullptr);
  if (rc == GIT_ENOTFOUND) {
    return Status::NotFound(QuoteForMessage(path, kQuotePathLimit) +
                            " is not inside a git repository");
  }
  if (rc < 0)
    return GitError("open the git repository containing " + QuoteForMessage(path, kQuotePathLimit));
  return std::unique_ptr<Repository>(new Repository(raw));
}

Repository::~Repository() { git_repository_free(repo_); }

Result<std::string> Repository::HeadBranch() const {
  if (git_repository_head_detached(repo_) == 1) return Status::InvalidArgument("HEAD is detached");
  git_reference* raw = nullptr;
  if (git_reference_lookup(&raw, repo_, "HEAD") < 0) return GitError("read HEAD");
  Owned<git_reference, git_reference_free> head(raw);
  const char* target = git_reference_symbolic_target(head.get());
  constexpr std::string_view kHeads = "refs/heads/";
  if (target == nullptr || std::string_view(target).rfind(kHeads, 0) != 0) {
    return Status::InvalidArgument("HEAD is detached");
  }
  return std::string(target + kHeads.size());
}

Result<std::string> Repository::RemoteUrl(const std::string& remote) const {
  // Read from the configuration, not through git_remote_lookup: that applies insteadOf rules
  // (which this promises not to) and, in libgit2 1.5, leaks its regex match data for every
  // configuration entry (libgit2 PR #6382).
  git_config* raw = nullptr;
  if (git_repository_config_snapshot(&raw, repo_) < 0)
    return GitError("read the git configuration");
  OwnedConfig config(raw);
  const std::string key = "remote." + remote + ".url";
  git_buf buf = GIT_BUF_INIT;
  const int rc = git_config_get_string_buf(&buf, config.get(), key.c_str());
  std::string url = rc == 0 ? std::string(buf.ptr, buf.size) : "";
  git_buf_dispose(&buf);
  if (rc == GIT_ENOTFOUND || rc == GIT_EINVALIDSPEC) {
    git_error_clear();
    return Status::NotFound("no remote " + QuoteForMessage(remote) + " in this repository");
  }
  if (rc < 0) return GitError("read remote " + QuoteForMessage(remote));
  return url;
}

Result<std::string> Repository::RemoteHeadBranch(const std::string& remote) const {
  const std::string name = "refs/remotes/" + remote + "/HEAD";
  git_reference* raw = nullptr;
  if (int rc = git_reference_lookup(&raw, repo_, name.c_str()); rc < 0) {
    if (rc == GIT_ENOTFOUND || rc == GIT_EINVALIDSPEC) {
      return Status::NotFound(name + " is not set");
    }
    return GitError("read " + name);
  }
  Owned<git_reference, git_reference_free> ref(raw);
  const char* target = git_reference_symbolic_target(ref.get());
  const std::string prefix = "refs/remotes/" + remote + "/";
  if (target == nullptr || std::string_view(target).rfind(prefix, 0) != 0) {
    return Status::NotFound(name + " is not set");
  }
  return std::string(target + prefix.size());
}

std::string Repository::workdir() const {
  const char* dir = git_repository_workdir(repo_);
  if (dir == nullptr) return "";
  std::string s = dir;
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

bool Repository::bare() const { return git_repository_is_bare(repo_) != 0; }

bool Repository::shallow() const { return git_repository_is_shallow(repo_) == 1; }

Result<bool> Repository::IsIgnored(const std::string& relpath) {
  int ignored = 0;
  if (git_ignore_path_is_ignored(&ignored, repo_, relpath.c_str()) < 0) {
    return GitError("read the ignore rules for " + QuoteForMessage(relpath, kQuotePathLimit));
  }
  return ignored != 0;
}

Result<std::vector<Repository::IndexEntry>> Repository::StagedChanges(
    const std::string& index_file) {
  OwnedObject head_tree;
  int unborn = git_repository_head_unborn(repo_);
  if (unborn < 0) return GitError("resolve HEAD");
  if (unborn == 0) {
    git_object* raw = nullptr;
    if (git_revparse_single(&raw, repo_, "HEAD^{tree}") < 0) return GitError("read HEAD's tree");
    head_tree.reset(raw);
  }
  if (auto fast = StagedFromIndexFile(repo_, reinterpret_cast<const git_tree*>(head_tree.get()),
                                      index_file))
    return std::move(*fast);
  Owned<git_index, git_index_free> other_index;
  if (!index_file.empty()) {
    git_index* raw = nullptr;
    if (git_index_open(&raw, index_file.c_str()) < 0)
      return GitError("read the git index " + QuoteForMessage(index_file, kQuotePathLimit));
    other_index.reset(raw);
  }

  git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
  opts.flags = GIT_DIFF_INCLUDE_TYPECHANGE;
  git_diff* raw_diff = nullptr;
  // A null index makes libgit2 re-read the index file when it changed on disk.
  if (git_diff_tree_to_index(&raw_diff, repo_, reinterpret_cast<git_tree*>(head_tree.get()),
                             other_index.get(), &opts) < 0) {
    return GitError("read the git index");
  }
  OwnedDiff diff(raw_diff);

  std::vector<IndexEntry> entries;
  for (size_t i = 0, n = git_diff_num_deltas(diff.get()); i < n; ++i) {
    const git_diff_delta* d = git_diff_get_delta(diff.get(), i);
    if (!IsNewSideChange(d->status)) continue;
    entries.push_back({d->new_file.path, OidHex(d->new_file.id), d->new_file.mode});
  }
  std::sort(entries.begin(), entries.end(),
            [](const IndexEntry& a, const IndexEntry& b) { return a.path < b.path; });
  return entries;
}

Result<IndexFile> Repository::ReadIndex(const std::string& index_file) {
  return ReadIndexFile(repo_, index_file, /*cache_tree=*/false);
}

Result<std::vector<Repository::IndexEntry>> Repository::IndexEntries(
    const std::string& index_file) {
  std::vector<IndexEntry> out;
  if (auto index = ReadIndexFile(repo_, index_file, /*cache_tree=*/false); index.ok()) {
    for (const IndexFileEntry& e : index->entries)
      if (e.stage == 0) out.push_back({std::string(e.path), HexOf(e.oid), e.mode});
    return out;
  }
  // What the own reader does not take (a split or sparse index) libgit2 reads, or explains.
  git_index* raw = nullptr;
  int rc = index_file.empty() ? git_repository_index(&raw, repo_)
                              : git_index_open(&raw, index_file.c_str());
  if (rc < 0) return GitError("read the git index");
  Owned<git_index, git_index_free> index(raw);
  for (size_t i = 0, n = git_index_entrycount(index.get()); i < n; ++i) {
    const git_index_entry* e = git_index_get_byindex(index.get(), i);
    if (e != nullptr && GIT_INDEX_ENTRY_STAGE(e) == 0)
      out.push_back({e->path, OidHex(e->id), e->mode});
  }
  std::sort(out.begin(), out.end(),
            [](const IndexEntry& a, const IndexEntry& b) { return a.path < b.path; });
  return out;
}

Result<std::string> Repository::ReadBlob(const std::string& oid_hex, std::uint64_t max_bytes) {
  git_oid oid;
  if (oid_hex.size() != GIT_OID_HEXSZ || git_oid_fromstr(&oid, oid_hex.c_str()) < 0) {
    return Status::InvalidArgument(QuoteForMessage(oid_hex) + " is not a git object id");
  }
  git_odb* raw_odb = nullptr;
  if (git_repository_odb(&raw_odb, repo_) < 0) return GitError("open the git object database");
  OwnedOdb odb(raw_odb);

  size_t size = 0;
  git_object_t type = GIT_OBJECT_INVALID;
  int rc = git_odb_read_header(&size, &type, odb.get(), &oid);
  if (rc == GIT_ENOTFOUND) return Status::NotFound("blob " + oid_hex + " does not exist");
  if (rc < 0) return GitError("read blob " + oid_hex);
  if (type != GIT_OBJECT_BLOB) {
    return Status::InvalidArgument("object " + oid_hex + " is not a blob");
  }
  if (size > max_bytes) {
    return Status::LimitExceeded("blob " + oid_hex + " is larger than the " +
                                 std::to_string(max_bytes) + " byte limit");
  }

  git_blob* raw_blob = nullptr;
  if (git_blob_lookup(&raw_blob, repo_, &oid) < 0) return GitError("read blob " + oid_hex);
  OwnedBlob blob(raw_blob);
  return std::string(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                     static_cast<size_t>(git_blob_rawsize(blob.get())));
}

Result<std::optional<std::string>> Repository::ReadFileAt(const std::string& rev,
                                                          const std::string& path) {
  git_object* raw = nullptr;
  if (git_revparse_single(&raw, repo_, (rev + "^{tree}").c_str()) < 0) {
    git_error_clear();
    return Status::NotFound("unknown revision " + QuoteForMessage(rev));
  }
  OwnedObject tree(raw);
  return internal::ReadFileAt(repo_, reinterpret_cast<const git_tree*>(tree.get()), path);
}

Result<std::vector<std::string>> Repository::ChangedSince(const std::string& rev) {
  if (bare()) {
    return Status::IoError("cannot compare " + QuoteForMessage(rev) +
                           " with the working tree: the repository is bare");
  }
  git_object* raw = nullptr;
  int rc = git_revparse_single(&raw, repo_, rev.c_str());
  if (rc == GIT_ENOTFOUND || rc == GIT_EINVALIDSPEC || rc == GIT_EAMBIGUOUS) {
    return Status::InvalidArgument("unknown revision " + QuoteForMessage(rev));
  }
  if (rc < 0) return GitError("resolve revision " + QuoteForMessage(rev));
  OwnedObject target(raw);

  rc = git_object_peel(&raw, target.get(), GIT_OBJECT_TREE);
  if (rc == GIT_EPEEL || rc == GIT_EINVALIDSPEC || rc == GIT_ENOTFOUND) {
    return Status::InvalidArgument("revision " + QuoteForMessage(rev) +
                                   " is not a commit or a tree");
  }
  if (rc < 0) return GitError("read the tree of " + QuoteForMessage(rev));
  OwnedObject tree(raw);

  git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
  opts.flags =
      GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS | GIT_DIFF_INCLUDE_TYPECHANGE;
  git_diff* raw_diff = nullptr;
  if (git_diff_tree_to_workdir_with_index(&raw_diff, repo_, reinterpret_cast<git_tree*>(tree.get()),
                                          &opts) < 0) {
    return GitError("compare " + QuoteForMessage(rev) + " with the working tree");
  }
  OwnedDiff diff(raw_diff);

  std::vector<std::string> paths;
  const std::string root = workdir();
  for (size_t i = 0, n = git_diff_num_deltas(diff.get()); i < n; ++i) {
    const git_diff_delta* d = git_diff_get_delta(diff.get(), i);
    // Blending tree->index with index->workdir reports a file removed from the index but left
    // in the working tree (`git rm --cached`) as deleted, although it is there, untracked.
    if (d->status == GIT_DELTA_DELETED) {
      struct stat st;
      std::string full = root + "/" + d->old_file.path;
      if (::lstat(full.c_str(), &st) != 0 || S_ISDIR(st.st_mode)) continue;
      Result<bool> ignored = IsIgnored(d->old_file.path);
      if (!ignored.ok()) return ignored.status();
      if (!*ignored) paths.emplace_back(d->old_file.path);
      continue;
    }
    if (IsNewSideChange(d->status)) paths.emplace_back(d->new_file.path);
  }
  std::sort(paths.begin(), paths.end());
  paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
  return paths;
}

}  // namespace capstan::git
