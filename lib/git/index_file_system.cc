#include "git/index_file_system.h"

#include <sys/stat.h>

#include <algorithm>

#include "core/path.h"
#include "core/sha256.h"
#include "core/strings.h"

namespace capstan::git {
namespace {

constexpr std::uint32_t kTypeMask = 0170000;
constexpr std::uint32_t kRegular = 0100000;
constexpr std::uint32_t kSymlink = 0120000;

Status NotInIndex(const std::string& path) {
  return Status::NotFound("cannot read " + QuoteForMessage(path, kQuotePathLimit) +
                          ": not in the git index");
}

Status ReadOnly(const std::string& path) {
  return Status::InvalidArgument("cannot write " + QuoteForMessage(path, kQuotePathLimit) +
                                 ": the git index is read-only here");
}

// An entry's object id as hex: capstan's reader keeps the 20 raw bytes, libgit2's the hex.
std::string OidHex(std::string_view oid) {
  return oid.size() == 20 ? HexLower({reinterpret_cast<const std::uint8_t*>(oid.data()), 20})
                          : std::string(oid);
}

}  // namespace

Result<std::unique_ptr<IndexFileSystem>> IndexFileSystem::Open(Repository& repo,
                                                               const std::string& index_file,
                                                               FileSystem* work_tree) {
  if (repo.bare()) return Status::InvalidArgument("a bare repository has no index to read");
  std::unique_ptr<IndexFileSystem> fs(new IndexFileSystem(repo));
  fs->work_tree_ = work_tree;
  if (auto index = repo.ReadIndex(index_file); index.ok()) {
    fs->index_ = std::move(*index);
    fs->entries_.reserve(fs->index_.entries.size());
    for (const IndexFileEntry& e : fs->index_.entries)
      if (e.stage == 0) fs->entries_.push_back({e.path, e.oid, e.mode, &e});
    return fs;
  }
  auto entries = repo.IndexEntries(index_file);
  if (!entries.ok()) return entries.status();
  fs->owned_ = std::move(*entries);
  for (const Repository::IndexEntry& e : fs->owned_)
    fs->entries_.push_back({e.path, e.oid, e.mode});
  return fs;
}

std::optional<std::string> IndexFileSystem::Relative(const std::string& path) const {
  std::string normal = NormalizePath(path);
  if (normal == root_) return std::string();
  if (!AtOrUnder(normal, root_)) return std::nullopt;
  return normal.substr(root_.size() + 1);
}

std::vector<IndexFileSystem::Entry>::const_iterator IndexFileSystem::LowerBound(
    std::string_view path) const {
  return std::lower_bound(entries_.begin(), entries_.end(), path,
                          [](const Entry& e, std::string_view p) { return e.path < p; });
}

Result<std::string> IndexFileSystem::ReadBlob(const Entry& e, std::uint64_t max_bytes) const {
  return repo_.ReadBlob(OidHex(e.oid), max_bytes);
}

std::optional<std::string> IndexFileSystem::WorkTreeCopy(const Entry& e,
                                                         std::uint64_t max_bytes) const {
  if (work_tree_ == nullptr || e.stat == nullptr || e.stat->worktree_unreliable)
    return std::nullopt;
  std::string path = root_ + "/" + std::string(e.path);
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  // git's ie_match_stat: the index keeps the low 32 bits of each.
  auto low = [](auto v) { return static_cast<std::uint32_t>(v); };
  const IndexFileEntry& was = *e.stat;
  if (low(st.st_mtim.tv_sec) != was.mtime_sec || low(st.st_mtim.tv_nsec) != was.mtime_nsec ||
      low(st.st_ctim.tv_sec) != was.ctime_sec || low(st.st_ctim.tv_nsec) != was.ctime_nsec ||
      low(st.st_ino) != was.ino || low(st.st_size) != was.size)
    return std::nullopt;
  // Modified at or after the index was written, the file may have changed again within the
  // same timestamp: only the blob is certain.
  if (st.st_mtim.tv_sec > index_.mtime_sec ||
      (st.st_mtim.tv_sec == index_.mtime_sec && st.st_mtim.tv_nsec >= index_.mtime_nsec))
    return std::nullopt;
  auto text = work_tree_->ReadFile(path, max_bytes);
  if (!text.ok() || text->size() != static_cast<std::uint64_t>(st.st_size)) return std::nullopt;
  return std::move(*text);
}

const IndexFileSystem::Entry* IndexFileSystem::Find(std::string rel, bool follow) const {
  for (int links = 0; links <= 8; ++links) {
    auto it = LowerBound(rel);
    if (it == entries_.end() || it->path != rel) return nullptr;
    if (!follow || (it->mode & kTypeMask) != kSymlink) return &*it;
    auto target = ReadBlob(*it, 4096);
    if (!target.ok() || target->starts_with('/')) return nullptr;
    rel = JoinPath(DirName(rel), *target);
    if (rel == ".." || rel.starts_with("../")) return nullptr;
  }
  return nullptr;
}

bool IndexFileSystem::IsDirectory(std::string_view rel) const {
  if (rel.empty()) return true;
  std::string prefix = std::string(rel) + "/";
  auto it = LowerBound(prefix);
  return it != entries_.end() && it->path.starts_with(prefix);
}

Result<std::string> IndexFileSystem::ReadFile(const std::string& path, std::uint64_t max_bytes) {
  std::optional<std::string> rel = Relative(path);
  const Entry* e = rel ? Find(*rel, true) : nullptr;
  if (e == nullptr || (e->mode & kTypeMask) != kRegular) return NotInIndex(path);
  if (std::optional<std::string> copy = WorkTreeCopy(*e, max_bytes)) return std::move(*copy);
  return ReadBlob(*e, max_bytes);
}

Status IndexFileSystem::ReadChunks(const std::string& path, std::size_t chunk_bytes,
                                   const std::function<Status(std::string_view)>& sink) {
  auto text = ReadFile(path, ~std::uint64_t{0});
  if (!text.ok()) return text.status();
  std::string_view rest = *text;
  while (!rest.empty()) {
    std::string_view piece = rest.substr(0, chunk_bytes);
    if (Status s = sink(piece); !s.ok()) return s;
    rest.remove_prefix(piece.size());
  }
  return Status();
}

Result<FileInfo> IndexFileSystem::Stat(const std::string& path, bool follow_symlinks) {
  std::optional<std::string> rel = Relative(path);
  if (!rel) return NotInIndex(path);
  FileInfo info;
  if (const Entry* e = Find(*rel, follow_symlinks)) {
    std::uint32_t type = e->mode & kTypeMask;
    info.type = type == kRegular   ? FileType::kRegular
                : type == kSymlink ? FileType::kSymlink
                                   : FileType::kOther;
    info.mode = e->mode & 0777;
    return info;
  }
  if (!IsDirectory(*rel)) return NotInIndex(path);
  info.type = FileType::kDirectory;
  info.mode = 0755;
  return info;
}

Result<std::vector<DirEntry>> IndexFileSystem::ListDir(const std::string& path) {
  std::optional<std::string> rel = Relative(path);
  if (!rel || !IsDirectory(*rel)) return NotInIndex(path);
  std::string prefix = rel->empty() ? "" : *rel + "/";
  std::vector<DirEntry> out;
  for (auto it = LowerBound(prefix); it != entries_.end() && it->path.starts_with(prefix); ++it) {
    std::string_view below = it->path.substr(prefix.size());
    std::size_t slash = below.find('/');
    DirEntry entry;
    entry.name = std::string(below.substr(0, slash));
    if (slash != std::string_view::npos) {
      entry.type = FileType::kDirectory;
    } else {
      std::uint32_t type = it->mode & kTypeMask;
      entry.type = type == kRegular   ? FileType::kRegular
                   : type == kSymlink ? FileType::kSymlink
                                      : FileType::kOther;
    }
    if (out.empty() || out.back().name != entry.name) out.push_back(std::move(entry));
  }
  std::sort(out.begin(), out.end(),
            [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
  return out;
}

Result<std::string> IndexFileSystem::RealPath(const std::string& path) {
  std::optional<std::string> rel = Relative(path);
  if (!rel || (Find(*rel, false) == nullptr && !IsDirectory(*rel))) return NotInIndex(path);
  return NormalizePath(path);
}

Status IndexFileSystem::WriteFileAtomic(const std::string& path, std::string_view) {
  return ReadOnly(path);
}
Status IndexFileSystem::Rename(const std::string& from, const std::string&) {
  return ReadOnly(from);
}
Status IndexFileSystem::Remove(const std::string& path) { return ReadOnly(path); }
Status IndexFileSystem::SetMode(const std::string& path, std::uint32_t) { return ReadOnly(path); }
Status IndexFileSystem::CreateDirectories(const std::string& path) { return ReadOnly(path); }

}  // namespace capstan::git
