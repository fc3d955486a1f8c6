#include "git/index_file.h"

#include <algorithm>
#include <charconv>
#include <cstring>

namespace capstan::git {
namespace {

constexpr std::size_t kOidSize = 20;
constexpr std::size_t kFixedEntrySize = 62;  // stat data (40) + oid (20) + flags (2)

Status Malformed(const std::string& why) {
  return Status(StatusCode::kParseError, "git index: " + why);
}

std::uint32_t Be32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return std::uint32_t{u[0]} << 24 | std::uint32_t{u[1]} << 16 | std::uint32_t{u[2]} << 8 | u[3];
}

std::uint16_t Be16(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return static_cast<std::uint16_t>(u[0] << 8 | u[1]);
}

// git's offset encoding for version 4 path prefixes (varint.c).
bool ReadVarint(std::string_view data, std::size_t* pos, std::uint64_t* out) {
  if (*pos >= data.size()) return false;
  auto c = static_cast<unsigned char>(data[(*pos)++]);
  std::uint64_t v = c & 127;
  while (c & 128) {
    if (*pos >= data.size() || v > (std::uint64_t{1} << 56)) return false;
    c = static_cast<unsigned char>(data[(*pos)++]);
    v = ((v + 1) << 7) | (c & 127);
  }
  *out = v;
  return true;
}

// "ENTRIES SUBTREES" as git writes them ("-1 0" for an invalidated tree). sscanf did this at
// a few thousand instructions a line, a third of a one-file --staged run in a large repository.
bool ReadCounts(std::string_view text, long* entries, long* subtrees) {
  const char* end = text.data() + text.size();
  auto first = std::from_chars(text.data(), end, *entries);
  if (first.ec != std::errc() || first.ptr == end || *first.ptr != ' ') return false;
  auto second = std::from_chars(first.ptr + 1, end, *subtrees);
  return second.ec == std::errc() && second.ptr == end;
}

// TREE extension: entries of "path\0count subtrees\n[oid]", depth first; a path is relative
// to its parent, so the full path is rebuilt with a stack of remaining subtree counts.
Status ParseCacheTree(std::string_view ext, IndexFile* index) {
  struct Frame {
    std::string path;
    long remaining;
  };
  std::vector<Frame> stack;
  std::size_t pos = 0;
  while (pos < ext.size()) {
    std::size_t nul = ext.find('\0', pos);
    if (nul == std::string_view::npos) return Malformed("truncated cache tree");
    std::string name(ext.substr(pos, nul - pos));
    pos = nul + 1;
    std::size_t nl = ext.find('\n', pos);
    if (nl == std::string_view::npos) return Malformed("truncated cache tree");
    std::string_view counts = ext.substr(pos, nl - pos);
    pos = nl + 1;
    long entries = 0, subtrees = 0;
    if (!ReadCounts(counts, &entries, &subtrees) || subtrees < 0)
      return Malformed("bad cache tree counts");
    CacheTreeEntry e;
    e.entry_count = static_cast<int>(entries);
    if (entries >= 0) {
      if (pos + kOidSize > ext.size()) return Malformed("truncated cache tree");
      e.oid = std::string(ext.substr(pos, kOidSize));
      pos += kOidSize;
    }
    while (!stack.empty() && stack.back().remaining == 0) stack.pop_back();
    std::string path;
    if (!stack.empty()) {
      --stack.back().remaining;
      path = stack.back().path.empty() ? name : stack.back().path + "/" + name;
    } else if (!name.empty()) {
      return Malformed("cache tree does not start at the root");
    }
    index->cache_tree[path] = e;
    stack.push_back({path, subtrees});
  }
  return Status();
}

}  // namespace

Result<IndexFile> ParseIndexFile(std::string bytes, bool cache_tree) {
  IndexFile index;
  index.data = std::move(bytes);
  const std::string_view data = index.data;
  if (data.size() < 12 + kOidSize || data.substr(0, 4) != "DIRC")
    return Malformed("not an index file");
  std::uint32_t version = Be32(data.data() + 4);
  if (version < 2 || version > 4)
    return Malformed("unsupported version " + std::to_string(version));
  std::uint32_t count = Be32(data.data() + 8);
  const std::size_t end = data.size() - kOidSize;  // the trailing checksum
  // The header's count is untrusted: no more entries than the bytes could hold.
  index.entries.reserve(std::min<std::size_t>(count, data.size() / kFixedEntrySize));
  std::size_t pos = 12;
  std::string_view previous;
  for (std::uint32_t i = 0; i < count; ++i) {
    std::size_t start = pos;
    if (pos + kFixedEntrySize > end) return Malformed("truncated entry");
    IndexFileEntry e;
    const char* stat = data.data() + pos;
    e.ctime_sec = Be32(stat);
    e.ctime_nsec = Be32(stat + 4);
    e.mtime_sec = Be32(stat + 8);
    e.mtime_nsec = Be32(stat + 12);
    e.ino = Be32(stat + 20);
    e.mode = Be32(stat + 24);
    e.size = Be32(stat + 36);
    e.oid = data.substr(pos + 40, kOidSize);
    std::uint16_t flags = Be16(data.data() + pos + 60);
    e.stage = (flags >> 12) & 3;
    e.worktree_unreliable = (flags & 0x8000) != 0;  // assume-valid
    pos += kFixedEntrySize;
    if (flags & 0x4000) {  // extended flags (version 3+)
      if (version < 3 || pos + 2 > end) return Malformed("extended flags in a version 2 index");
      // skip-worktree (0x4000) or intent-to-add (0x2000)
      if (Be16(data.data() + pos) & 0x6000) e.worktree_unreliable = true;
      pos += 2;
    }
    if (version == 4) {
      std::uint64_t strip = 0;
      if (!ReadVarint(data.substr(0, end), &pos, &strip) || strip > previous.size())
        return Malformed("bad path prefix");
      std::size_t nul = data.find('\0', pos);
      if (nul == std::string_view::npos || nul >= end) return Malformed("truncated path");
      std::string path(previous.substr(0, previous.size() - strip));
      path.append(data.substr(pos, nul - pos));
      index.paths.push_back(std::move(path));
      e.path = index.paths.back();
      pos = nul + 1;
    } else {
      std::size_t nul = data.find('\0', pos);
      if (nul == std::string_view::npos || nul >= end) return Malformed("truncated path");
      e.path = data.substr(pos, nul - pos);
      // Entries are padded with 1-8 NULs to a multiple of 8 bytes.
      pos = start + ((nul - start + 8) & ~std::size_t{7});
      if (pos > end) return Malformed("truncated entry padding");
    }
    previous = e.path;
    index.entries.push_back(e);
  }
  while (pos + 8 <= end) {
    std::string_view sig = data.substr(pos, 4);
    std::uint32_t size = Be32(data.data() + pos + 4);
    pos += 8;
    if (size > end - pos) return Malformed("truncated extension");
    if (sig == "link" || sig == "sdir") return Malformed("split or sparse index");
    if (sig == "TREE" && cache_tree) {
      if (Status s = ParseCacheTree(data.substr(pos, size), &index); !s.ok()) return s;
    }
    pos += size;
  }
  return index;
}

}  // namespace capstan::git
