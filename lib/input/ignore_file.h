// Path patterns in the style of .gitignore, for files such as .capstanignore that exclude paths
// from a tool. Paths are '/'-separated and relative to the directory holding the pattern file.
//
// Supported, as in gitignore: blank lines and `#` comments; `!pattern` re-includes; a trailing
// `/` matches directories only (so everything below them); a pattern with no `/` except a
// trailing one matches a file or directory name at any depth; any other pattern is anchored at
// the root (a leading `/` is dropped); `*` and `?` do not cross `/`; `**` matches any number of
// directories (`**/x`, `a/**`, `a/**/b`); `[abc]`, `[a-z]` and `[!a]` classes; `\` escapes
// (core/glob.h GlobMatch).
// The last matching pattern decides. Not supported: trailing-space escapes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace capstan::input {

class IgnoreList {
 public:
  IgnoreList() = default;
  static IgnoreList Parse(std::string_view text);

  // Whether relpath (a file, '/'-separated, relative to the list's directory) is excluded: by a
  // pattern naming it, or one of the directories above it.
  bool Ignored(std::string_view relpath) const;

  bool empty() const { return patterns_.empty(); }

 private:
  struct Pattern {
    std::string glob;  // without leading '/', trailing '/' or '!'
    bool negate = false;
    bool dir_only = false;
    bool anchored = false;  // contains a '/' (other than trailing): matched from the root
  };
  bool Matches(const Pattern& p, std::string_view path, bool is_dir) const;

  std::vector<Pattern> patterns_;
};

}  // namespace capstan::input
