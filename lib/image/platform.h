// Image platforms ("os/architecture[/variant]") as policies name them and registries offer them.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace capstan::image {

// "os/architecture[/variant]", e.g. "linux/amd64", "linux/arm64/v8".
struct Platform {
  std::string os;
  std::string architecture;
  std::string variant;  // "" matches any variant
  std::string ToString() const;
};

// Parses two or three '/'-separated non-empty parts of [A-Za-z0-9_.-]. Fails with
// kInvalidArgument "invalid platform '<text>': expected os/arch[/variant]".
Result<Platform> ParsePlatform(std::string_view text);

}  // namespace capstan::image
