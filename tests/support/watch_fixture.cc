#include "support/watch_fixture.h"

#include <string>

namespace capstan::testing {

std::string KustomizationWithImage(const std::string& image, const std::string& tag) {
  return "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
         "images:\n  - name: " +
         image + "\n    newTag: " + tag + "\n";
}

std::string PushApiReleases(DockerRegistry& registry) {
  int n = 0;
  for (const char* tag : {"1.4.1", "1.4.2"}) {
    TestImage image;
    image.salt = tag;
    image.created = "2026-01-0" + std::to_string(++n) + "T00:00:00Z";
    PushImage(registry.host(), "acme/api", tag, image);
  }
  return registry.host() + "/acme/api";
}

}  // namespace capstan::testing
