// How far apart two words are, for "did you mean" hints on misspelled field names, options and
// annotation keys.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace capstan {

// How many one-character insertions, deletions and substitutions turn a into b (Levenshtein),
// ASCII letters compared without case: EditDistance("replcas", "Replicas") == 1.
std::size_t EditDistance(std::string_view a, std::string_view b);

// The candidate a typo of `text` most likely meant: the first one at the smallest edit
// distance, when that distance is at most max(1, min(3, text.size() / 3)), so a short word is
// matched only by a one-letter slip. "" when none is that close. A candidate that differs from
// text only in letter case counts (distance 0).
std::string ClosestMatch(std::string_view text, std::span<const std::string_view> candidates);

}  // namespace capstan
