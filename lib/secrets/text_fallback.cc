#include "secrets/text_fallback.h"

#include <re2/re2.h>

#include <optional>

namespace capstan::secrets {
namespace {

struct Line {
  std::string_view text;  // without the line break (and a trailing '\r')
  std::size_t offset = 0;
};

std::vector<Line> Lines(std::string_view text) {
  std::vector<Line> lines;
  for (std::size_t start = 0; start < text.size();) {
    std::size_t nl = text.find('\n', start);
    std::size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view line = text.substr(start, end - start);
    if (line.ends_with('\r')) line.remove_suffix(1);
    lines.push_back({line, start});
    start = end + 1;
  }
  return lines;
}

std::size_t Indent(std::string_view line) {
  std::size_t n = 0;
  while (n < line.size() && (line[n] == ' ' || line[n] == '\t')) ++n;
  return n;
}

bool Blank(std::string_view line) {
  std::size_t i = Indent(line);
  return i == line.size() || line[i] == '#';
}

std::string_view Unquote(std::string_view v) {
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front())
    return v.substr(1, v.size() - 2);
  return v;
}

// "key: value" or "\"key\": \"value\"," as (key, value, value's column); nullopt otherwise.
struct Entry {
  std::string key;
  std::string_view value;
  std::size_t column = 0;  // byte index of the value in the line
};

std::optional<Entry> ParseEntry(std::string_view line) {
  static const RE2 kEntry(R"(^(\s*)("[^"]*"|'[^']*'|[^\s:#"'{}\[\],][^:#]*?)\s*:(\s+|$))");
  re2::StringPiece input(line.data(), line.size());
  re2::StringPiece indent, key, gap;
  if (!RE2::Consume(&input, kEntry, &indent, &key, &gap)) return std::nullopt;
  Entry e;
  e.key = std::string(Unquote(std::string_view(key.data(), key.size())));
  std::size_t at = static_cast<std::size_t>(input.data() - line.data());
  std::string_view value = line.substr(at);
  // A trailing comment (after whitespace) or a JSON comma is not part of the value.
  if (std::size_t hash = value.find(" #");
      hash != std::string_view::npos && value[0] != '"' && value[0] != '\'')
    value = value.substr(0, hash);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value.ends_with(',')) value.remove_suffix(1);
  e.value = value;
  e.column = at;
  return e;
}

}  // namespace

std::vector<TextSecretValue> FindSecretValuesByText(std::string_view text) {
  static const RE2 kSecretKind(R"(^\s*["']?kind["']?\s*:\s*["']?Secret["']?\s*,?\s*$)");
  static const RE2 kHeader(R"(^(\s*)["']?(data|stringData)["']?\s*:\s*(\{?)\s*(.*)$)");
  std::vector<Line> lines = Lines(text);
  std::vector<TextSecretValue> out;
  std::size_t doc_start = 0;
  while (doc_start < lines.size()) {
    std::size_t doc_end = doc_start + 1;
    while (doc_end < lines.size() && !lines[doc_end].text.starts_with("---")) ++doc_end;
    bool secret = false;
    for (std::size_t i = doc_start; i < doc_end && !secret; ++i)
      secret = RE2::FullMatch(lines[i].text, kSecretKind);
    for (std::size_t i = doc_start; secret && i < doc_end; ++i) {
      std::string indent, field, brace, inline_rest;
      if (!RE2::FullMatch(lines[i].text, kHeader, &indent, &field, &brace, &inline_rest)) continue;
      std::size_t header_indent = indent.size();
      if (!inline_rest.empty() && !brace.empty()) {
        // data: {a: b, c: d}: entries on the header's own line.
        std::string_view line = lines[i].text;
        std::size_t pos = line.find('{') + 1;
        while (pos < line.size()) {
          std::size_t comma = line.find_first_of(",}", pos);
          std::string_view item = line.substr(
              pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
          if (auto e = ParseEntry(item); e && !Unquote(e->value).empty()) {
            std::string_view v = Unquote(e->value);
            out.push_back({field, e->key, std::string(v), lines[i].offset + pos + e->column,
                           e->value.size()});
          }
          if (comma == std::string_view::npos || line[comma] == '}') break;
          pos = comma + 1;
        }
        continue;
      }
      if (!inline_rest.empty()) continue;  // `data: something` on one line is not a mapping
      for (std::size_t j = i + 1; j < doc_end; ++j) {
        std::string_view line = lines[j].text;
        if (Blank(line)) continue;
        std::size_t ind = Indent(line);
        if (ind <= header_indent) break;
        std::optional<Entry> e = ParseEntry(line);
        if (!e) continue;
        std::string_view v = e->value;
        if (v == "|" || v == ">" || v.starts_with("|") || v.starts_with(">")) {
          std::string joined;
          std::size_t first = 0, last_end = 0;
          std::size_t k = j + 1;
          for (; k < doc_end; ++k) {
            std::string_view body = lines[k].text;
            if (!Blank(body) && Indent(body) <= ind) break;
            if (Blank(body)) continue;
            if (first == 0) first = lines[k].offset + Indent(body);
            last_end = lines[k].offset + body.size();
            if (!joined.empty()) joined += '\n';
            joined += std::string(body.substr(Indent(body)));
          }
          if (!joined.empty()) out.push_back({field, e->key, joined, first, last_end - first});
          j = k - 1;
          continue;
        }
        std::string_view unq = Unquote(v);
        if (unq.empty()) continue;
        out.push_back({field, e->key, std::string(unq), lines[j].offset + e->column, v.size()});
      }
    }
    doc_start = doc_end;
  }
  return out;
}

}  // namespace capstan::secrets
