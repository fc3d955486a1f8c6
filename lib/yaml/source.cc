#include "yaml/source.h"

#include <algorithm>

namespace capstan::yaml {
namespace {

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Length of the valid UTF-8 sequence at text[i], or 0 when it is not valid (overlong forms,
// surrogates and code points past U+10FFFF are invalid, as in RFC 3629).
std::size_t Utf8SequenceLength(std::string_view text, std::size_t i) {
  auto c = static_cast<unsigned char>(text[i]);
  if (c < 0x80) return 1;
  std::size_t len = 0;
  std::uint32_t cp = 0;
  if ((c & 0xE0) == 0xC0) {
    len = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + len > text.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    auto d = static_cast<unsigned char>(text[i + k]);
    if (!IsContinuation(d)) return 0;
    cp = (cp << 6) | (d & 0x3F);
  }
  static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

}  // namespace

LineIndex::LineIndex(std::string_view text) : text_(text) {
  starts_.push_back(0);
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') starts_.push_back(i + 1);
}

Position LineIndex::At(std::size_t offset) const {
  offset = std::min(offset, text_.size());
  auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  std::size_t line = static_cast<std::size_t>(it - starts_.begin());  // 1-based
  std::size_t start = starts_[line - 1];
  if (line == 1) start += BomLength(text_);
  int column = 1;
  for (std::size_t i = start; i < offset; ++i)
    if (!IsContinuation(static_cast<unsigned char>(text_[i]))) ++column;
  return Position{static_cast<int>(line), column, offset};
}

Position LineIndex::AtLineByte(int line, int byte_column) const {
  if (line < 1) line = 1;
  if (line > line_count()) return At(text_.size());
  std::size_t start = starts_[static_cast<std::size_t>(line - 1)];
  if (line == 1) start += BomLength(text_);
  std::size_t end = line < line_count() ? starts_[static_cast<std::size_t>(line)] : text_.size();
  return At(std::min(start + static_cast<std::size_t>(std::max(byte_column, 1) - 1), end));
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
  if (text.size() >= 2 && ((text[0] == '\xFF' && text[1] == '\xFE') ||
                           (text[0] == '\xFE' && text[1] == '\xFF'))) {
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
