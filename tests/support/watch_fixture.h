// What the capstan-watch integration tests watch: a kustomization naming one image, and a real
// registry holding that image's releases.
#pragma once

#include <string>

#include "support/oci_registry.h"

namespace capstan::testing {

// A kustomization.yaml whose one `images:` entry sets `image` to `tag` (newTag).
std::string KustomizationWithImage(const std::string& image, const std::string& tag);

// Pushes acme/api 1.4.1 and 1.4.2 (created on 2026-01-01 and -02) to `registry`; returns the
// image's name, "<host>/acme/api".
std::string PushApiReleases(DockerRegistry& registry);

}  // namespace capstan::testing
