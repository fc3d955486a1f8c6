#include "image/flux_marker.h"

#include <nlohmann/json.hpp>

#include "core/strings.h"

namespace capstan::image {

Result<std::optional<FluxMarker>> FindFluxMarker(std::string_view line) {
  std::size_t key = line.find("\"$imagepolicy\"");
  if (key == std::string_view::npos) return std::optional<FluxMarker>();
  std::size_t hash = line.rfind('#', key);
  std::size_t open = line.rfind('{', key);
  if (hash == std::string_view::npos || open == std::string_view::npos || open < hash)
    return Status::InvalidArgument("$imagepolicy marker is not in a '# {...}' comment");
  std::size_t close = line.find('}', key);
  if (close == std::string_view::npos)
    return Status::InvalidArgument("$imagepolicy marker has no closing '}'");
  nlohmann::json j = nlohmann::json::parse(line.substr(open, close - open + 1), nullptr, false);
  if (!j.is_object() || !j.contains("$imagepolicy") || !j["$imagepolicy"].is_string())
    return Status::InvalidArgument("$imagepolicy marker is not a JSON object with a string value");
  std::string ref = j["$imagepolicy"].get<std::string>();
  FluxMarker m;
  m.offset = hash;
  std::size_t first = ref.find(':');
  if (first == std::string::npos || first == 0)
    return Status::InvalidArgument("$imagepolicy " + QuoteForMessage(ref) +
                                   " must be NAMESPACE:POLICY[:tag|:name|:digest]");
  m.ns = ref.substr(0, first);
  std::string rest = ref.substr(first + 1);
  std::size_t second = rest.find(':');
  m.policy = rest.substr(0, second);
  if (m.policy.empty())
    return Status::InvalidArgument("$imagepolicy " + QuoteForMessage(ref) +
                                   " must be NAMESPACE:POLICY[:tag|:name|:digest]");
  if (second != std::string::npos) {
    std::string field = rest.substr(second + 1);
    if (field == "tag") {
      m.field = MarkerField::kTag;
    } else if (field == "name") {
      m.field = MarkerField::kName;
    } else if (field == "digest") {
      m.field = MarkerField::kDigest;
    } else {
      return Status::InvalidArgument("$imagepolicy " + QuoteForMessage(ref) + ": unknown suffix " +
                                     QuoteForMessage(field, kQuotePartLimit) +
                                     " (expected tag, name or digest)");
    }
  }
  return std::optional<FluxMarker>(m);
}

}  // namespace capstan::image
