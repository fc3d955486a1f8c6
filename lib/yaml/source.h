// Maps byte offsets in a file's text to 1-based line and code-point column, and checks that the
// text is something a YAML parser should see at all (UTF-8, not binary).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "yaml/document.h"

namespace capstan::yaml {

// Remembers the last position it computed, so positions asked for in text order cost time
// linear in the text even on one very long line. Not safe for concurrent use; one per file.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);
  // Position of the byte at offset (clamped to the text's end).
  Position At(std::size_t offset) const;
  // Position of a 1-based line and 1-based byte column.
  Position AtLineByte(int line, int byte_column) const;
  // Position of a libyaml mark's index: the index-th character (code point) of the text, not
  // counting a byte order mark. libyaml's line and column do not fit this index's lines, since
  // libyaml also breaks lines at a lone CR, NEL, LS and PS; its index is exact whatever the
  // breaks. Counts on from the last index asked for when it is not smaller.
  Position AtCharacter(std::size_t index) const;
  // The text of a 1-based line without its line break; empty when out of range.
  std::string_view Line(int line) const;
  int line_count() const { return static_cast<int>(starts_.size()); }

 private:
  std::string_view text_;
  std::vector<std::size_t> starts_;
  mutable Position cache_;              // the last position returned (line 0: none)
  mutable std::size_t char_index_ = 0;  // AtCharacter's cursor: a character index
  mutable Position char_cursor_;        // and its position (line 0: not started)
};

// Length of a UTF-8 byte order mark at the start of text (0 or 3).
std::size_t BomLength(std::string_view text);

struct TextProblem {
  std::size_t offset = 0;
  std::string message;  // e.g. "binary file (NUL byte)", "invalid UTF-8"
};

// Returns the first reason text cannot be read as YAML/JSON, or nullopt when it is fine.
std::optional<TextProblem> CheckText(std::string_view text);

}  // namespace capstan::yaml
