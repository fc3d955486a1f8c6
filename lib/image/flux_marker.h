// Flux image-automation setter markers: a line comment `# {"$imagepolicy": "NS:POLICY"}` that
// names the image policy whose latest image the value on that line should hold, optionally
// narrowed with a suffix: `:tag` (the tag only), `:name` (the image name without tag) or
// `:digest`. The line carrying the marker is the one to edit.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace capstan::image {

enum class MarkerField { kImage, kTag, kName, kDigest };

struct FluxMarker {
  std::string ns;      // the ImagePolicy's namespace
  std::string policy;  // its name
  MarkerField field = MarkerField::kImage;
  std::size_t offset = 0;  // byte offset of the '#' within the line
};

// Finds a setter marker in one line of YAML (without its line break). nullopt when the line has
// no `$imagepolicy` comment; kInvalidArgument with a one-line reason when it has one that is
// malformed (not JSON, no namespace, an unknown suffix).
Result<std::optional<FluxMarker>> FindFluxMarker(std::string_view line);

}  // namespace capstan::image
