// UTF-8 facts shared by the YAML reader and the report writers.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace capstan {

// Length (1-4) of the well-formed UTF-8 sequence that starts at s[i], or 0 when the bytes there
// are not one (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF).
// REQUIRES: i < s.size().
std::size_t Utf8SequenceLength(std::string_view s, std::size_t i);

// text decoded from UTF-16 to UTF-8, when it starts with a UTF-16 byte order mark (FF FE:
// little-endian, FE FF: big-endian); the mark itself is dropped. An unpaired surrogate or a
// trailing odd byte becomes U+FFFD. nullopt when text has no UTF-16 byte order mark.
std::optional<std::string> Utf16ToUtf8(std::string_view text);

}  // namespace capstan
