#include "image/platform.h"

#include <cctype>
#include <vector>

#include "core/strings.h"

namespace capstan::image {

std::string Platform::ToString() const {
  std::string out = os + "/" + architecture;
  if (!variant.empty()) out += "/" + variant;
  return out;
}

Result<Platform> ParsePlatform(std::string_view text) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t slash = text.find('/', start);
    parts.emplace_back(text.substr(start, slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  bool ok = parts.size() == 2 || parts.size() == 3;
  for (const std::string& part : parts) {
    for (char c : part) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.') {
        ok = false;
      }
    }
    if (part.empty()) ok = false;
  }
  if (!ok) {
    return Status::InvalidArgument("invalid platform " + QuoteForMessage(text) +
                                   ": expected os/arch[/variant]");
  }
  Platform p;
  p.os = parts[0];
  p.architecture = parts[1];
  if (parts.size() == 3) p.variant = parts[2];
  return p;
}

}  // namespace capstan::image
