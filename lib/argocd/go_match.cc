// The algorithm of Go's path/filepath.Match (scan a chunk: stars then literal text; match the
// chunk here, else after skipping non-'/' characters for a star), written from its documented
// behaviour so the edge cases agree: a malformed pattern is reported even after a mismatch.
#include "argocd/go_match.h"

#include <optional>

#include "core/utf8.h"

namespace capstan::argocd {
namespace {

constexpr char32_t kRuneError = 0xFFFD;

struct Rune {
  char32_t value = 0;
  std::size_t size = 0;  // bytes; 1 for a byte that starts no valid sequence
  bool valid = true;
};

Rune Decode(std::string_view s) {
  std::size_t n = Utf8SequenceLength(s, 0);
  if (n == 0) return {kRuneError, 1, false};
  auto b = [&](std::size_t i) { return static_cast<char32_t>(static_cast<unsigned char>(s[i])); };
  char32_t v = n == 1 ? b(0) : n == 2 ? b(0) & 0x1F : n == 3 ? b(0) & 0x0F : b(0) & 0x07;
  for (std::size_t i = 1; i < n; ++i) v = (v << 6) | (b(i) & 0x3F);
  return {v, n, true};
}

struct Chunk {
  bool star = false;
  std::string_view text;
  std::string_view rest;
};

Chunk ScanChunk(std::string_view pattern) {
  Chunk c;
  while (!pattern.empty() && pattern[0] == '*') {
    pattern.remove_prefix(1);
    c.star = true;
  }
  bool in_range = false;
  std::size_t i = 0;
  for (; i < pattern.size(); ++i) {
    char ch = pattern[i];
    if (ch == '\\') {
      if (i + 1 < pattern.size()) ++i;
    } else if (ch == '[') {
      in_range = true;
    } else if (ch == ']') {
      in_range = false;
    } else if (ch == '*' && !in_range) {
      break;
    }
  }
  c.text = pattern.substr(0, i);
  c.rest = pattern.substr(i);
  return c;
}

// One character of a class: itself, or after '\'. nullopt for a malformed one; advances chunk.
std::optional<char32_t> ClassChar(std::string_view& chunk) {
  if (chunk.empty() || chunk[0] == '-' || chunk[0] == ']') return std::nullopt;
  if (chunk[0] == '\\') {
    chunk.remove_prefix(1);
    if (chunk.empty()) return std::nullopt;
  }
  Rune r = Decode(chunk);
  if (!r.valid) return std::nullopt;
  chunk.remove_prefix(r.size);
  if (chunk.empty()) return std::nullopt;  // the class never closes
  return r.value;
}

enum class ChunkResult { kMatch, kNoMatch, kBad };

// Matches chunk at the start of s; on kMatch, s is what is left. After a mismatch the rest of
// the chunk is still parsed, so a malformed class is reported either way.
ChunkResult MatchChunk(std::string_view chunk, std::string_view& s) {
  bool failed = false;
  while (!chunk.empty()) {
    if (!failed && s.empty()) failed = true;
    char c = chunk[0];
    if (c == '[') {
      char32_t r = 0;
      if (!failed) {
        Rune rune = Decode(s);
        r = rune.value;
        s.remove_prefix(rune.size);
      }
      chunk.remove_prefix(1);
      bool negated = false;
      if (!chunk.empty() && chunk[0] == '^') {
        negated = true;
        chunk.remove_prefix(1);
      }
      bool match = false;
      int ranges = 0;
      for (;;) {
        if (!chunk.empty() && chunk[0] == ']' && ranges > 0) {
          chunk.remove_prefix(1);
          break;
        }
        std::optional<char32_t> lo = ClassChar(chunk);
        if (!lo) return ChunkResult::kBad;
        char32_t hi = *lo;
        if (chunk[0] == '-') {
          chunk.remove_prefix(1);
          std::optional<char32_t> h = ClassChar(chunk);
          if (!h) return ChunkResult::kBad;
          hi = *h;
        }
        if (*lo <= r && r <= hi) match = true;
        ++ranges;
      }
      if (match == negated) failed = true;
    } else if (c == '?') {
      if (!failed) {
        if (s[0] == '/') failed = true;
        s.remove_prefix(Decode(s).size);
      }
      chunk.remove_prefix(1);
    } else {
      if (c == '\\') {
        chunk.remove_prefix(1);
        if (chunk.empty()) return ChunkResult::kBad;
      }
      if (!failed) {
        if (chunk[0] != s[0]) failed = true;
        s.remove_prefix(1);
      }
      chunk.remove_prefix(1);
    }
  }
  return failed ? ChunkResult::kNoMatch : ChunkResult::kMatch;
}

}  // namespace

GoMatch GoPathMatch(std::string_view pattern, std::string_view name) {
  while (!pattern.empty()) {
    Chunk chunk = ScanChunk(pattern);
    pattern = chunk.rest;
    if (chunk.star && chunk.text.empty())
      return name.find('/') == std::string_view::npos ? GoMatch::kMatch : GoMatch::kNoMatch;
    std::string_view t = name;
    ChunkResult r = MatchChunk(chunk.text, t);
    if (r == ChunkResult::kMatch && (t.empty() || !pattern.empty())) {
      name = t;
      continue;
    }
    if (r == ChunkResult::kBad) return GoMatch::kBadPattern;
    bool advanced = false;
    if (chunk.star) {
      for (std::size_t i = 0; i < name.size() && name[i] != '/'; ++i) {
        t = name.substr(i + 1);
        r = MatchChunk(chunk.text, t);
        if (r == ChunkResult::kMatch) {
          if (pattern.empty() && !t.empty()) continue;
          name = t;
          advanced = true;
          break;
        }
        if (r == ChunkResult::kBad) return GoMatch::kBadPattern;
      }
    }
    if (advanced) continue;
    while (!pattern.empty()) {
      Chunk rest = ScanChunk(pattern);
      pattern = rest.rest;
      std::string_view empty;
      if (MatchChunk(rest.text, empty) == ChunkResult::kBad) return GoMatch::kBadPattern;
    }
    return GoMatch::kNoMatch;
  }
  return name.empty() ? GoMatch::kMatch : GoMatch::kNoMatch;
}

}  // namespace capstan::argocd
