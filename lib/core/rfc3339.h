// RFC 3339 timestamps, as registries write them (token `issued_at`, image config `created`) and
// as capstan's JSON logs print them.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace capstan {

// YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM), 't' and 'z' accepted too; the fraction is kept
// to the clock's precision. nullopt for anything else, an impossible date or time, or a year
// the clock cannot hold (before 1678 or after 2261).
std::optional<std::chrono::system_clock::time_point> ParseRfc3339(std::string_view text);

// "YYYY-MM-DDTHH:MM:SSZ" in UTC, whole seconds.
std::string FormatRfc3339(std::chrono::system_clock::time_point t);

}  // namespace capstan
