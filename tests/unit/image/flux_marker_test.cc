#include "image/flux_marker.h"

#include <catch2/catch.hpp>

namespace capstan::image {
namespace {

TEST_CASE("Flux setter markers name the policy and the part of the image", "[image]") {
  auto m = FindFluxMarker(
      R"(      image: ghcr.io/acme/api:1.4.2 # {"$imagepolicy": "flux-system:api"})");
  REQUIRE(m.ok());
  REQUIRE(m->has_value());
  CHECK((*m)->ns == "flux-system");
  CHECK((*m)->policy == "api");
  CHECK((*m)->field == MarkerField::kImage);
  CHECK((*m)->offset == 36);
  auto tag = FindFluxMarker(R"(    tag: 1.4.2 #{"$imagepolicy":"apps:web:tag"})");
  REQUIRE(tag.ok());
  CHECK((*tag)->field == MarkerField::kTag);
  CHECK((*FindFluxMarker(R"(name: x # {"$imagepolicy": "a:b:name"})"))->field ==
        MarkerField::kName);
  CHECK((*FindFluxMarker(R"(d: x # {"$imagepolicy": "a:b:digest"})"))->field ==
        MarkerField::kDigest);
  auto none = FindFluxMarker("image: nginx:1.27 # pinned");
  REQUIRE(none.ok());
  CHECK_FALSE(none->has_value());
}

TEST_CASE("malformed markers are errors, not silently skipped", "[image]") {
  auto error = [](std::string_view line) {
    auto m = FindFluxMarker(line);
    REQUIRE_FALSE(m.ok());
    return m.status().message();
  };
  CHECK(error(R"(x: 1 # {"$imagepolicy": "api"})") ==
        "$imagepolicy 'api' must be NAMESPACE:POLICY[:tag|:name|:digest]");
  CHECK(error(R"(x: 1 # {"$imagepolicy": "ns:api:version"})") ==
        "$imagepolicy 'ns:api:version': unknown suffix 'version' (expected tag, name or digest)");
  CHECK(error(R"(x: 1 # {"$imagepolicy": ns:api})") ==
        "$imagepolicy marker is not a JSON object with a string value");
  CHECK(error(R"(x: 1 # {"$imagepolicy": "ns:api")") == "$imagepolicy marker has no closing '}'");
}

}  // namespace
}  // namespace capstan::image
