// Small string helpers every domain shares: trimming, joining, quoting for a shell, and
// echoing user input in error messages.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace capstan {

// `text` without leading and trailing ASCII white space (space, \t, \n, \v, \f, \r). The
// result views text's storage.
std::string_view Trim(std::string_view text);

// `text` with ASCII letters lowered (A-Z to a-z); other bytes, UTF-8 included, are kept.
std::string AsciiLower(std::string_view text);

// `text` in single quotes for a POSIX shell command line, each ' written as '\'': the shell
// reads it back as exactly text, whatever bytes it holds.
std::string ShellQuote(std::string_view text);

// items joined with sep ("a, b, c"), for messages and commit texts; "" for no items.
std::string Join(const std::vector<std::string>& items, std::string_view sep);

// Levenshtein distance between a and b, ASCII letters compared without case.
std::size_t EditDistance(std::string_view a, std::string_view b);

// The "did you mean" candidate for a misspelt word: the candidate nearest to word by
// EditDistance, if it is near enough to be a typo (at most a third of word's length, capped at 3
// edits, at least 1); the first of equally near ones; "" when none is.
std::string Closest(std::string_view word, const std::vector<std::string_view>& candidates);

// How much of an echoed value a message shows by default: enough for a tag, a constraint or a
// flag value, short enough that a 10,000-byte mistake stays a one-line error.
inline constexpr std::size_t kQuoteLimit = 64;
// For a part of a value the same message already quotes ("invalid constraint '...': expected
// an operator and a version at '...'").
inline constexpr std::size_t kQuotePartLimit = 24;
// For file paths, YAML paths and image references (a digest alone is 71 bytes), which are
// legitimately longer.
inline constexpr std::size_t kQuotePathLimit = 128;

// `text` in single quotes, ready to put in an error message: 'ghcr.io/acme/api:1.2'.
// Control characters, DEL and bytes that are not well-formed UTF-8 are escaped (\n, \r, \t,
// \x1b), so the message stays one line of valid UTF-8 and cannot drive a terminal. When the
// escaped text is longer than max_bytes it is cut at a character boundary (never inside a UTF-8
// sequence or an escape) and marked with its length: 'abcdef…' (10000 bytes).
// Never call it on a secret value: it shows a prefix of whatever it is given.
std::string QuoteForMessage(std::string_view text, std::size_t max_bytes = kQuoteLimit);

}  // namespace capstan
