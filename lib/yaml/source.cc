#include "yaml/source.h"

#include <algorithm>

#include "core/utf8.h"

namespace capstan::yaml {
namespace {

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

}  // namespace

LineIndex::LineIndex(std::string_view text) : text_(text) {
  starts_.push_back(0);
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') starts_.push_back(i + 1);
}

Position LineIndex::At(std::size_t offset) const {
  offset = std::min(offset, text_.size());
  // Asked in text order, the line is nearly always the last one or a few after it: step on from
  // there rather than search the whole table (the search was a seventh of capstan-validate's
  // time, most of it mispredicted branches).
  std::size_t line = 0;  // 1-based
  if (cache_.line > 0 && cache_.offset <= offset) {
    line = static_cast<std::size_t>(cache_.line);
    for (int step = 0; line < starts_.size() && starts_[line] <= offset; ++step, ++line)
      if (step == 8) {
        line = static_cast<std::size_t>(
            std::upper_bound(starts_.begin() + static_cast<std::ptrdiff_t>(line), starts_.end(),
                             offset) -
            starts_.begin());
        break;
      }
  } else {
    line = static_cast<std::size_t>(std::upper_bound(starts_.begin(), starts_.end(), offset) -
                                    starts_.begin());
  }
  std::size_t start = starts_[line - 1];
  if (line == 1) start += BomLength(text_);
  int column = 1;
  // Positions are asked for in text order, so counting on from the last one keeps a long line
  // (minified JSON) linear instead of quadratic.
  if (cache_.line == static_cast<int>(line) && cache_.offset <= offset && cache_.offset >= start) {
    start = cache_.offset;
    column = cache_.column;
  }
  for (std::size_t i = start; i < offset; ++i)
    if (!IsContinuation(static_cast<unsigned char>(text_[i]))) ++column;
  cache_ = Position{static_cast<int>(line), column, offset};
  return cache_;
}

Position LineIndex::AtLineByte(int line, int byte_column) const {
  if (line < 1) line = 1;
  if (line > line_count()) return At(text_.size());
  std::size_t start = starts_[static_cast<std::size_t>(line - 1)];
  if (line == 1) start += BomLength(text_);
  std::size_t end = line < line_count() ? starts_[static_cast<std::size_t>(line)] : text_.size();
  return At(std::min(start + static_cast<std::size_t>(std::max(byte_column, 1) - 1), end));
}

Position LineIndex::AtCharacter(std::size_t index) const {
  if (index < char_index_ || char_cursor_.line == 0) {
    char_index_ = 0;
    char_cursor_ = Position{1, 1, BomLength(text_)};
  }
  // One pass counts characters, lines and columns together: marks come in text order, so the
  // whole parse walks the text once more, not once per node.
  Position p = char_cursor_;
  std::size_t seen = char_index_;
  for (; p.offset < text_.size(); ++p.offset) {
    auto c = static_cast<unsigned char>(text_[p.offset]);
    if (IsContinuation(c)) continue;
    if (seen == index) break;
    ++seen;
    if (c == '\n') {
      ++p.line;
      p.column = 1;
    } else {
      ++p.column;
    }
  }
  char_index_ = seen;
  char_cursor_ = p;
  cache_ = p;
  return p;
}

std::string_view LineIndex::Line(int line) const {
  if (line < 1 || line > line_count()) return {};
  std::size_t start = starts_[static_cast<std::size_t>(line - 1)];
  std::size_t end = line < line_count() ? starts_[static_cast<std::size_t>(line)] : text_.size();
  std::string_view s = text_.substr(start, end - start);
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::size_t BomLength(std::string_view text) {
  return text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
}

std::optional<TextProblem> CheckText(std::string_view text) {
  if (text.size() >= 2 &&
      ((text[0] == '\xFF' && text[1] == '\xFE') || (text[0] == '\xFE' && text[1] == '\xFF'))) {
    return TextProblem{0, "UTF-16 encoded text is not supported: save the file as UTF-8"};
  }
  for (std::size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == 0) return TextProblem{i, "binary file: it contains a NUL byte"};
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = Utf8SequenceLength(text, i);
    if (len == 0) return TextProblem{i, "invalid UTF-8 byte sequence"};
    i += len;
  }
  return std::nullopt;
}

}  // namespace capstan::yaml
