// UTF-8 facts shared by the YAML reader and the report writers.
#pragma once

#include <cstddef>
#include <string_view>

namespace capstan {

// Length (1-4) of the well-formed UTF-8 sequence that starts at s[i], or 0 when the bytes there
// are not one (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF).
// REQUIRES: i < s.size().
std::size_t Utf8SequenceLength(std::string_view s, std::size_t i);

}  // namespace capstan
