#include <catch2/catch.hpp>

#include "policy/sources.h"

namespace capstan::policy {
namespace {

constexpr std::string_view kConfig = R"(images:
  - image: ghcr.io/acme/api
    flux-policies: [flux-system:api]
)";

constexpr std::string_view kApplication = R"(apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: web
  annotations:
    argocd-image-updater.argoproj.io/image-list: web=ghcr.io/acme/web:~2.0
spec:
  source:
    path: apps/web
)";

constexpr std::string_view kFlux = R"(apiVersion: image.toolkit.fluxcd.io/v1beta2
kind: ImagePolicy
metadata: {name: api, namespace: flux-system}
spec:
  imageRepositoryRef: {name: api}
  policy: {semver: {range: 1.x}}
---
apiVersion: image.toolkit.fluxcd.io/v1beta2
kind: ImagePolicy
metadata: {name: docs, namespace: flux-system}
spec:
  imageRepositoryRef: {name: docs}
  policy: {alphabetical: {}}
---
apiVersion: image.toolkit.fluxcd.io/v1beta2
kind: ImageRepository
metadata: {name: docs, namespace: flux-system}
spec: {image: ghcr.io/acme/docs}
)";

TEST_CASE("policies are read from .capstan.yaml, then annotations, then Flux objects", "[policy]") {
  std::vector<image::FileText> files = {{"apps/flux.yaml", std::string(kFlux), ""},
                                        {"apps/web/app.yaml", std::string(kApplication), ""},
                                        {".capstan.yaml", std::string(kConfig), ""}};
  std::vector<SourceProblem> problems;
  Result<ProjectConfig> config = ReadPolicies(files, problems);
  REQUIRE(config.ok());
  CHECK(problems.empty());
  REQUIRE(config->images.size() == 3);
  CHECK(config->images[0].source.label == ".capstan.yaml images[0]");
  CHECK(config->images[1].source.label == "Application web (alias web)");
  // flux-system:api is claimed by the .capstan.yaml entry, so only docs is read from its object.
  CHECK(config->images[2].source.label == "ImagePolicy flux-system/docs");
  CHECK(config->images[2].image.Name() == "ghcr.io/acme/docs");
}

TEST_CASE("a .capstan.yaml below the root is not the project config", "[policy]") {
  std::vector<image::FileText> files = {{"sub/.capstan.yaml", "images: 3\n", ""}};
  std::vector<SourceProblem> problems;
  Result<ProjectConfig> config = ReadPolicies(files, problems);
  REQUIRE(config.ok());
  CHECK(config->images.empty());
}

TEST_CASE("a broken .capstan.yaml fails the reading, a broken annotation is a problem",
          "[policy]") {
  std::vector<SourceProblem> problems;
  std::vector<image::FileText> broken = {{".capstan.yaml", "images:\n  - name: x\n", ""}};
  Result<ProjectConfig> config = ReadPolicies(broken, problems);
  REQUIRE_FALSE(config.ok());
  CHECK(config.status().message() == ".capstan.yaml:2:5: missing key 'images[0].image'");

  std::string bad_app(kApplication);
  bad_app.replace(bad_app.find("~2.0"), 4, "~2.0, web=nginx");
  config = ReadPolicies({{"app.yaml", bad_app, ""}}, problems);
  REQUIRE(config.ok());
  CHECK(config->images.size() == 1);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].message == "alias 'web' is listed twice in image-list");
}

}  // namespace
}  // namespace capstan::policy
