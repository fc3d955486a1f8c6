#include <catch2/catch.hpp>

#include "policy/sources.h"

namespace capstan::policy {
namespace {

constexpr std::string_view kPolicies = R"(apiVersion: image.toolkit.fluxcd.io/v1beta2
kind: ImagePolicy
metadata:
  name: api
  namespace: flux-system
spec:
  imageRepositoryRef:
    name: api
  policy:
    semver:
      range: ">=1.4.0 <2"
---
apiVersion: image.toolkit.fluxcd.io/v1beta2
kind: ImagePolicy
metadata:
  name: web
  namespace: flux-system
spec:
  imageRepositoryRef:
    name: web
    namespace: images
  filterTags:
    pattern: '^main-[a-f0-9]+-(?P<ts>[0-9]+)$'
    extract: '$ts'
  policy:
    numerical:
      order: asc
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata:
  name: docs
  namespace: flux-system
spec:
  imageRepositoryRef:
    name: docs
  policy:
    alphabetical: {}
)";

constexpr std::string_view kRepositories = R"(apiVersion: image.toolkit.fluxcd.io/v1beta2
kind: ImageRepository
metadata:
  name: api
  namespace: flux-system
spec:
  image: ghcr.io/acme/api
  interval: 5m
---
apiVersion: image.toolkit.fluxcd.io/v1beta2
kind: ImageRepository
metadata:
  name: web
  namespace: images
spec:
  image: registry.local:5000/acme/web
---
apiVersion: image.toolkit.fluxcd.io/v1beta2
kind: ImageRepository
metadata:
  name: docs
  namespace: flux-system
spec:
  image: nginx
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: api
  namespace: flux-system
)";

struct Found {
  std::vector<ImagePolicy> policies;
  std::vector<SourceProblem> problems;
};

Found Resolve(const image::FluxObjects& d, const std::vector<std::string>& claimed = {}) {
  Found f;
  FluxPolicies(d, claimed, f.policies, f.problems);
  return f;
}

TEST_CASE("flux image policies across two files resolve to their repositories' images",
          "[watch][policy]") {
  image::FluxObjects d;
  image::CollectFluxObjects("clusters/prod/policies.yaml", kPolicies, d);
  image::CollectFluxObjects("clusters/prod/repositories.yaml", kRepositories, d);
  CHECK(d.policies.size() == 3);
  CHECK(d.repository_image.size() == 3);
  CHECK(d.repository_image.at("images:web") == "registry.local:5000/acme/web");

  Found f = Resolve(d);
  CHECK(f.problems.empty());
  REQUIRE(f.policies.size() == 3);
  // In key order ("namespace:name").
  const ImagePolicy& api = f.policies[0];
  CHECK(api.flux_policies == std::vector<std::string>{"flux-system:api"});
  CHECK(api.image.Name() == "ghcr.io/acme/api");
  CHECK(api.tags.strategy == image::Strategy::kSemver);
  CHECK(api.tags.constraint == ">=1.4.0 <2");
  CHECK(api.source.file == "clusters/prod/policies.yaml");
  CHECK(api.source.line == 1);
  CHECK(api.source.label == "ImagePolicy flux-system/api");
  CHECK(api.write.files.empty());
  CHECK(api.alias.empty());

  const ImagePolicy& docs = f.policies[1];
  CHECK(docs.flux_policies == std::vector<std::string>{"flux-system:docs"});
  CHECK(docs.image.Name() == "docker.io/library/nginx");
  CHECK(docs.tags.strategy == image::Strategy::kAlphabetical);
  CHECK(docs.source.line == 29);

  const ImagePolicy& web = f.policies[2];
  CHECK(web.flux_policies == std::vector<std::string>{"flux-system:web"});
  CHECK(web.image.Name() == "registry.local:5000/acme/web");
  CHECK(web.tags.strategy == image::Strategy::kNumerical);
  CHECK(web.tags.allow_regex == "^main-[a-f0-9]+-(?P<ts>[0-9]+)$");
  CHECK(web.tags.extract == "$ts");
  CHECK(web.source.line == 13);
}

TEST_CASE("a flux policy listed in a .capstan.yaml entry is not read from its object",
          "[watch][policy]") {
  image::FluxObjects d;
  image::CollectFluxObjects("policies.yaml", kPolicies, d);
  image::CollectFluxObjects("repositories.yaml", kRepositories, d);
  Found f = Resolve(d, {"flux-system:api", "flux-system:web"});
  CHECK(f.problems.empty());
  REQUIRE(f.policies.size() == 1);
  CHECK(f.policies[0].flux_policies == std::vector<std::string>{"flux-system:docs"});
}

TEST_CASE("a flux policy whose ImageRepository is missing is a problem", "[watch][policy]") {
  image::FluxObjects d;
  image::CollectFluxObjects("policies.yaml", kPolicies, d);
  Found f = Resolve(d);
  CHECK(f.policies.empty());
  REQUIRE(f.problems.size() == 3);
  CHECK(f.problems[0].message == "ImageRepository flux-system/api not found in the repository");
  CHECK(f.problems[0].where.label == "ImagePolicy flux-system/api");
  CHECK(f.problems[2].message == "ImageRepository images/web not found in the repository");

  image::CollectFluxObjects(
      "bad.yaml",
      "apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageRepository\nmetadata:\n"
      "  name: api\n  namespace: flux-system\nspec:\n  image: ghcr.io/Acme/API\n",
      d);
  f = Resolve(d, {"flux-system:docs", "flux-system:web"});
  REQUIRE(f.problems.size() == 1);
  CHECK(f.problems[0].message.starts_with("invalid image reference 'ghcr.io/Acme/API'"));
}

TEST_CASE("flux policies that cannot be followed as written are problems", "[watch][policy]") {
  auto policy = [](std::string_view spec) {
    return "apiVersion: image.toolkit.fluxcd.io/v1beta2\nkind: ImagePolicy\nmetadata:\n  name: p\n"
           "  namespace: ns\nspec:\n  imageRepositoryRef:\n    name: r\n" +
           std::string(spec);
  };
  const std::string repository =
      "apiVersion: image.toolkit.fluxcd.io/v1beta2\nkind: ImageRepository\nmetadata:\n  name: r\n  "
      "namespace: ns\n"
      "spec:\n  image: nginx\n";
  auto problem = [&](std::string_view spec) {
    image::FluxObjects d;
    image::CollectFluxObjects("p.yaml", policy(spec), d);
    image::CollectFluxObjects("r.yaml", repository, d);
    Found f = Resolve(d);
    CHECK(f.policies.empty());
    REQUIRE(f.problems.size() == 1);
    CHECK(f.problems[0].where.file == "p.yaml");
    CHECK(f.problems[0].where.label == "ImagePolicy ns/p");
    return f.problems[0].message;
  };
  CHECK(problem("  policy:\n    alphabetical:\n      order: desc\n") ==
        "spec.policy.alphabetical.order desc is not supported: capstan-watch only moves to tags "
        "that sort later");
  CHECK(problem("  policy:\n    numerical:\n      order: desc\n")
            .starts_with("spec.policy.numerical.order desc"));
  CHECK(problem("  policy:\n    numerical:\n      order: up\n") ==
        "spec.policy.numerical.order must be asc or desc, not 'up'");
  CHECK(problem("  policy: {}\n") ==
        "spec.policy must set exactly one of semver, alphabetical or numerical");
  CHECK(problem("") == "spec.policy must set exactly one of semver, alphabetical or numerical");
  CHECK(problem("  policy:\n    semver: {}\n") == "spec.policy.semver.range is required");
  CHECK(problem("  policy:\n    semver:\n      range: '~>>1'\n").find("~>>1") != std::string::npos);
  CHECK(problem("  filterTags:\n    pattern: '('\n  policy:\n    alphabetical: {}\n").find("'('") !=
        std::string::npos);

  image::FluxObjects d;
  image::CollectFluxObjects("p.yaml", policy("").substr(0, policy("").find("  imageRepositoryRef")),
                            d);
  Found f = Resolve(d);
  REQUIRE(f.problems.size() == 1);
  CHECK(f.problems[0].message == "spec.imageRepositoryRef.name is required");
  // A claimed policy is not read at all, so its problems do not count either.
  f = Resolve(d, {"ns:p"});
  CHECK(f.problems.empty());
}

TEST_CASE("flux objects without a namespace match by name", "[watch][policy]") {
  image::FluxObjects d;
  image::CollectFluxObjects(
      "p.yaml",
      "apiVersion: image.toolkit.fluxcd.io/v1beta2\nkind: ImagePolicy\nmetadata:\n  name: p\n"
      "spec:\n  imageRepositoryRef:\n    name: r\n  policy:\n    semver:\n      range: 1.x\n",
      d);
  image::CollectFluxObjects(
      "r.yaml",
      "apiVersion: image.toolkit.fluxcd.io/v1beta2\nkind: ImageRepository\nmetadata:\n  name: r\n"
      "spec:\n  image: ghcr.io/acme/r\n",
      d);
  Found f = Resolve(d);
  CHECK(f.problems.empty());
  REQUIRE(f.policies.size() == 1);
  CHECK(f.policies[0].flux_policies == std::vector<std::string>{":p"});
  CHECK(f.policies[0].source.label == "ImagePolicy p");
  CHECK(f.policies[0].image.Name() == "ghcr.io/acme/r");
  CHECK(Resolve(d, {"apps:p"}).policies.empty());
}

TEST_CASE("files that are not YAML hold no flux declarations", "[watch][policy]") {
  image::FluxObjects d;
  image::CollectFluxObjects("x", std::string_view("\x00\x01 binary", 9), d);
  image::CollectFluxObjects("y", "key: [unclosed\n", d);
  image::CollectFluxObjects("z", "- a\n- b\n", d);
  CHECK(d.policies.empty());
  CHECK(d.repository_image.empty());
}

}  // namespace
}  // namespace capstan::policy
