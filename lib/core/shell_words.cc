#include "core/shell_words.h"

namespace capstan {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\n'; }

}  // namespace

Result<std::vector<std::string>> SplitShellWords(std::string_view line) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (IsBlank(c)) {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
      continue;
    }
    if (c == '\\') {
      if (i + 1 == line.size()) return Status::InvalidArgument("unterminated backslash");
      if (line[++i] == '\n') continue;  // a line continuation, even between words
      word += line[i];
      in_word = true;
      continue;
    }
    in_word = true;
    if (c == '\'') {
      const std::size_t end = line.find('\'', i + 1);
      if (end == std::string_view::npos)
        return Status::InvalidArgument("unterminated single quote");
      word.append(line.substr(i + 1, end - i - 1));
      i = end;
      continue;
    }
    if (c == '"') {
      for (++i;; ++i) {
        if (i >= line.size()) return Status::InvalidArgument("unterminated double quote");
        if (line[i] == '"') break;
        if (line[i] == '\\' && i + 1 < line.size()) {
          const char next = line[i + 1];
          if (next == '\n') {
            ++i;
            continue;
          }
          if (next == '$' || next == '`' || next == '"' || next == '\\') {
            word += next;
            ++i;
            continue;
          }
        }
        word += line[i];
      }
      continue;
    }
    word += c;
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

}  // namespace capstan
