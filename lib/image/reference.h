// Container image references as the distribution project (and so every registry, kubelet and
// kustomize) reads them: [registry[:port]/]path[:tag][@algorithm:hex]. Names are normalised the
// way Docker Hub is addressed, so `nginx`, `library/nginx`, `docker.io/library/nginx` and
// `index.docker.io/library/nginx` are one image.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace capstan::image {

struct Reference {
  std::string registry;    // "ghcr.io", "localhost:5000", "docker.io" (normalised)
  std::string repository;  // "acme/api", "library/nginx"
  std::string tag;         // "" when absent
  std::string digest;      // "sha256:<64 hex>", "" when absent

  // registry + "/" + repository: the identity used to match image references.
  std::string Name() const { return registry + "/" + repository; }
  // The full normalised reference: Name()[:tag][@digest].
  std::string ToString() const;
};

// Parses a reference. The first path component is the registry when it contains '.' or ':' or
// is "localhost" (Docker's rule); otherwise the registry is docker.io and a one-component path
// gets "library/". index.docker.io and registry-1.docker.io are docker.io. Path components are
// lowercase letters and digits joined by '.', '_', '__' or dashes; a tag is [A-Za-z0-9_] then
// up to 127 of [A-Za-z0-9_.-]; a digest is algorithm:hex with at least 32 hex digits (exactly
// 64 for sha256). The whole name is at most 255 characters.
// Fails with kInvalidArgument "invalid image reference '<ref>': <why>", e.g. "repository name
// must be lowercase", "tag 'a b' has invalid characters", "empty reference".
Result<Reference> ParseReference(std::string_view ref);

// Whether two references name the same image (registry and repository after normalisation),
// whatever their tags and digests.
bool SameImage(const Reference& a, const Reference& b);

// The registry host a Docker config key, a URL or a caller's registry names, spelled as
// Reference::registry is: a scheme ("https://") and any path ("/v1/") are dropped, so
// "https://ghcr.io/v2/" is "ghcr.io" and "localhost:5000" stays as it is. Docker Hub's
// "index.docker.io", "registry-1.docker.io" and "docker.io" (with or without scheme and path,
// e.g. "https://index.docker.io/v1/") are all "docker.io". Nothing is validated.
std::string NormalizeRegistryHost(std::string_view key);

}  // namespace capstan::image
