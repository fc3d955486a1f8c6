// Which of a fixed set of literal keywords occur in a text, case-insensitively, in one pass: an
// Aho-Corasick automaton over byte classes, built in microseconds (a credential scanner builds one
// per run and a pre-commit hook scans one small file), matched at one table lookup per byte: every
// state has a full row of transitions.
//
// Case-insensitive means what RE2's (?i) means for ASCII keywords: 'A'-'Z' match 'a'-'z', and
// also U+212A KELVIN SIGN matches 'k' and U+017F LATIN SMALL LETTER LONG S matches 's' (their
// simple case folds), so the filter lets through exactly the texts an RE2 keyword set would.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace capstan::secrets {

class KeywordFilter {
 public:
  // REQUIRES: every keyword is non-empty, lowercase and ASCII (KeywordFilter::Accepts).
  // Duplicates are allowed; each keeps its own index.
  explicit KeywordFilter(const std::vector<std::string>& keywords);

  // True when a keyword can be matched by this filter: non-empty, ASCII, no uppercase letter.
  static bool Accepts(std::string_view keyword);

  // The indexes (into the constructor's list) of the keywords that occur in text, ascending.
  std::vector<std::size_t> Find(std::string_view text) const;

 private:
  // Runs the automaton over p[i, n) from state until it enters a state where keywords end;
  // returns that byte's index (n when none), state updated.
  std::size_t Run(const unsigned char* p, std::size_t i, std::size_t n, std::uint32_t& state) const;

  std::uint8_t class_of_[256] = {};  // byte -> symbol class; 0 = in no keyword
  std::uint8_t classes_ = 1;         // number of classes, 0 included
  std::uint8_t long_s_ = 0;          // class of 's' (0 when no keyword has one)
  std::uint8_t kelvin_ = 0;          // class of 'k' (0 when no keyword has one)
  // The dense automaton: rows_[state * classes_ + class] is the next state's row start
  // (next * classes_), its top bit set when keywords end at the next state.
  std::vector<std::uint32_t> rows_;
  // state -> [first, last) in out_: the keywords that end at the state, suffixes included.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> out_span_;
  std::vector<std::uint32_t> out_;
  std::size_t keyword_count_ = 0;
};

}  // namespace capstan::secrets
