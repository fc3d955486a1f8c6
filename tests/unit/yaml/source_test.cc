#include "yaml/source.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <random>

namespace capstan::yaml {
namespace {

// Line and code-point column of every byte, counted the slow way.
std::vector<Position> Reference(std::string_view text) {
  std::vector<Position> out;
  int line = 1, column = 1;
  std::size_t bom = BomLength(text);
  for (std::size_t i = 0; i <= text.size(); ++i) {
    out.push_back(Position{line, column, i});
    if (i == text.size()) break;
    auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++line;
      column = 1;
    } else if ((c & 0xC0) != 0x80 && i >= bom) {
      ++column;
    }
  }
  return out;
}

TEST_CASE("LineIndex gives the same positions in any order of questions", "[yaml]") {
  std::string text =
      "\xEF\xBB\xBF{\"k\": \"h\xC3\xA9llo\", \"a\": [1, 2, 3], \"\xE2\x82\xAC\": true}\nsecond: "
      "line\n\nlast";
  std::vector<Position> ref = Reference(text);
  std::vector<std::size_t> order(text.size() + 1);
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::mt19937 rng(7);
  for (int round = 0; round < 3; ++round) {
    LineIndex lines(text);
    if (round > 0) std::shuffle(order.begin(), order.end(), rng);
    for (std::size_t off : order) {
      // Offsets inside a multi-byte character or the BOM have no column of their own.
      if (off < text.size() && (static_cast<unsigned char>(text[off]) & 0xC0) == 0x80) continue;
      if (off > 0 && off < 3) continue;
      Position p = lines.At(off);
      INFO("offset " << off << " round " << round);
      CHECK(p.line == ref[off].line);
      CHECK(p.column == ref[off].column);
      // The character index libyaml would give this offset: code points after the BOM.
      std::size_t index = 0;
      for (std::size_t i = 3; i < std::max<std::size_t>(off, 3); ++i)
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++index;
      Position q = lines.AtCharacter(index);
      CHECK(q.offset == (off == 0 ? 3u : off));
    }
  }
}

}  // namespace
}  // namespace capstan::yaml
