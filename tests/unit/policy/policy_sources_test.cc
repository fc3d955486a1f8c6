#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "policy/sources.h"
#include "support/shared_data.h"

namespace capstan::policy {
namespace {

std::string ErrorOf(std::string_view text) {
  Result<ProjectConfig> r = ParseProjectConfig(".capstan.yaml", text);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kInvalidArgument);
  return r.status().message();
}

TEST_CASE("a .capstan.yaml with every images and registries key is read in full",
          "[watch][policy]") {
  constexpr std::string_view kText = R"(bump:
  author: CI <ci@acme.dev>
images:
  - name: api
    image: ghcr.io/acme/api
    strategy: semver
    constraint: "~1.4"
    allow-tags: '^v?(\d+\.\d+\.\d+)$'
    extract: '\1'
    ignore-tags: ["*-rc*", latest]
    platforms: [linux/amd64, linux/arm64]
    pin-digest: true
    files: [apps/api/kustomization.yaml]
    helm-keys: [image.tag]
    flux-policies: [flux-system:api]
  - image: nginx:stable
    strategy: digest
registries:
  - host: registry.internal:5000
    insecure: true
    credentials: env:REGISTRY_CREDS
  - host: https://index.docker.io/v1/
    credentials: file:/run/secrets/hub
)";
  Result<ProjectConfig> r = ParseProjectConfig(".capstan.yaml", kText);
  REQUIRE(r.ok());
  REQUIRE(r->images.size() == 2);
  const ImagePolicy& api = r->images[0];
  CHECK(api.source.file == ".capstan.yaml");
  CHECK(api.source.line == 4);
  CHECK(api.source.column == 5);
  CHECK(api.source.label == ".capstan.yaml images[0]");
  CHECK(api.alias == "api");
  CHECK(api.image.Name() == "ghcr.io/acme/api");
  CHECK(api.image.tag.empty());
  CHECK(api.tags.strategy == image::Strategy::kSemver);
  CHECK(api.tags.constraint == "~1.4");
  CHECK(api.tags.allow_regex == R"(^v?(\d+\.\d+\.\d+)$)");
  CHECK(api.tags.extract == R"(\1)");
  CHECK(api.tags.ignore_tags == std::vector<std::string>{"*-rc*", "latest"});
  CHECK(api.platforms == std::vector<std::string>{"linux/amd64", "linux/arm64"});
  CHECK(api.pin_digest);
  CHECK(api.write.files == std::vector<std::string>{"apps/api/kustomization.yaml"});
  CHECK(api.write.helm_keys == std::vector<std::string>{"image.tag"});
  CHECK(api.flux_policies == std::vector<std::string>{"flux-system:api"});
  CHECK(api.write.override_file.empty());

  const ImagePolicy& web = r->images[1];
  CHECK(web.alias.empty());
  CHECK(web.image.Name() == "docker.io/library/nginx");
  CHECK(web.tags.strategy == image::Strategy::kDigest);
  CHECK(web.tags.constraint == "stable");
  CHECK(web.image.tag == "stable");
  CHECK_FALSE(web.pin_digest);

  REQUIRE(r->registries.size() == 2);
  CHECK(r->registries[0].host == "registry.internal:5000");
  CHECK(r->registries[0].insecure);
  CHECK(r->registries[0].credentials == "env:REGISTRY_CREDS");
  CHECK(r->registries[0].source.line == 19);
  CHECK(r->registries[1].host == "docker.io");
  CHECK_FALSE(r->registries[1].insecure);
  CHECK(r->registries[1].credentials == "file:/run/secrets/hub");
}

TEST_CASE("a .capstan.yaml without images or registries gives an empty config", "[watch][policy]") {
  for (std::string_view text :
       {"", "# nothing\n", "bump:\n  author: x\n", "images:\nregistries: []\n"}) {
    Result<ProjectConfig> r = ParseProjectConfig(".capstan.yaml", text);
    REQUIRE(r.ok());
    CHECK(r->images.empty());
    CHECK(r->registries.empty());
  }
}

// Unknown keys are the schema's to refuse (tools/common/config_file.h, tested there).
TEST_CASE("keys the reader does not read are left to the schema check", "[watch][policy]") {
  Result<ProjectConfig> r =
      ParseProjectConfig(".capstan.yaml", "images:\n  - image: nginx\n    strategyy: digest\n");
  REQUIRE(r.ok());
  CHECK(r->images[0].tags.strategy == image::Strategy::kSemver);
}

TEST_CASE("an images entry without image is an error", "[watch][policy]") {
  CHECK(ErrorOf("images:\n  - image: nginx\n  - name: api\n    strategy: semver\n") ==
        ".capstan.yaml:3:5: missing key 'images[1].image'");
}

TEST_CASE("malformed images entries are errors that point at the key", "[watch][policy]") {
  CHECK(ErrorOf("images:\n  - image: nginx\n    strategy: newest\n") ==
        ".capstan.yaml:3:15: unknown update strategy 'newest': expected semver, newest-build, "
        "digest, "
        "alphabetical or numerical");
  CHECK(ErrorOf("images:\n  - image: Nginx\n")
            .starts_with(".capstan.yaml:2:12: invalid image reference 'Nginx'"));
  CHECK(ErrorOf("images:\n  - image: nginx\n    allow-tags: '('\n")
            .starts_with(".capstan.yaml:3:17: "));
  CHECK(ErrorOf("images:\n  - image: nginx\n    allow-tags: '('\n").find("'('") !=
        std::string::npos);
  CHECK(ErrorOf("images:\n  - image: nginx\n    constraint: '~>>1'\n")
            .starts_with(".capstan.yaml:3:17: "));
  CHECK(ErrorOf("images:\n  - image: nginx\n    strategy: digest\n")
            .starts_with(".capstan.yaml:2:5: images[0]: "));
  CHECK(ErrorOf("images:\n  - image: nginx\n    platforms: [linux]\n") ==
        ".capstan.yaml:3:16: invalid platform 'linux': expected os/arch[/variant]");
  CHECK(ErrorOf("images:\n  - image: nginx\n    pin-digest: maybe\n") ==
        ".capstan.yaml:3:17: 'images[0].pin-digest' must be true or false");
  CHECK(ErrorOf("images:\n  - image: nginx:1.25\n") ==
        ".capstan.yaml:2:12: 'images[0].image' has a tag, which only the digest strategy uses (the "
        "tag to follow)");
  CHECK(ErrorOf("images:\n  - image: nginx\n    strategy: alphabetical\n    constraint: '1.x'\n") ==
        ".capstan.yaml:4:17: 'images[0].constraint' applies to the semver and digest strategies "
        "only");
  CHECK(ErrorOf("images:\n  - image: nginx\n    files: [../other/x.yaml]\n") ==
        ".capstan.yaml:3:12: 'images[0].files' entry '../other/x.yaml' must be a path inside the "
        "repository");
  CHECK(ErrorOf("images:\n  - image: nginx\n    flux-policies: [api]\n") ==
        ".capstan.yaml:3:20: 'images[0].flux-policies' entry 'api' must be namespace:name");
  CHECK(ErrorOf("images:\n  - image: a/x\n    flux-policies: [ns:p]\n  - image: a/y\n    "
                "flux-policies: [ns:p]\n") ==
        ".capstan.yaml:5:20: flux policy 'ns:p' is listed by both images[0] and images[1]");
  CHECK(ErrorOf("images: nginx\n") == ".capstan.yaml:1:9: 'images' must be a list");
  CHECK(ErrorOf("images:\n  - nginx\n") == ".capstan.yaml:2:5: 'images' items must be mappings");
}

TEST_CASE("registry credentials must be env, file or ext and are not echoed", "[watch][policy]") {
  std::string e = ErrorOf("registries:\n  - host: ghcr.io\n    credentials: password123\n");
  CHECK(e ==
        ".capstan.yaml:3:18: 'registries[0].credentials' must be env:NAME, file:PATH or ext:PATH");
  CHECK(e.find("password123") == std::string::npos);
  CHECK(ErrorOf("registries:\n  - host: ghcr.io\n    credentials: 'env:'\n")
            .ends_with("file:PATH or ext:PATH"));
  CHECK(ErrorOf("registries:\n  - host: ghcr.io\n    credentials: 'env:1X'\n")
            .ends_with("file:PATH or ext:PATH"));
  CHECK(ErrorOf("registries:\n  - insecure: true\n") ==
        ".capstan.yaml:2:5: missing key 'registries[0].host'");
  CHECK(ErrorOf("registries:\n  - host: ghcr.io\n  - host: https://ghcr.io/\n") ==
        ".capstan.yaml:3:11: registry 'ghcr.io' is listed twice");
}

TEST_CASE("a .capstan.yaml that is not valid YAML is an error with its position",
          "[watch][policy]") {
  std::string e = ErrorOf("images:\n  - image: [nginx\n");
  CHECK(e.starts_with(".capstan.yaml:"));
  CHECK(ErrorOf("images:\n  - image: a\n    image: b\n").starts_with(".capstan.yaml:3:5: "));
}

std::string ReadCorpus(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Gives a real Application of the corpus an image-list right under its metadata.
std::string Annotate(std::string text, std::string_view image_list) {
  std::size_t at = text.find("metadata:\n");
  REQUIRE(at != std::string::npos);
  text.insert(at + 10, "  annotations:\n    argocd-image-updater.argoproj.io/image-list: " +
                           std::string(image_list) + "\n");
  return text;
}

TEST_CASE("the corpus declares no image policies and reading it raises no problems",
          "[watch][policy]") {
  if (!capstan::testing::RequireSharedData("corpus")) return;
  const std::filesystem::path corpus = std::filesystem::path(CAPSTAN_SHARED_DIR) / "corpus";
  std::vector<ImagePolicy> policies;
  std::vector<SourceProblem> problems;
  image::FluxObjects flux;
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(corpus)) {
    std::string ext = entry.path().extension().string();
    if (!entry.is_regular_file() || (ext != ".yaml" && ext != ".yml" && ext != ".json")) continue;
    std::string name = std::filesystem::relative(entry.path(), corpus).generic_string();
    std::string text = ReadCorpus(entry.path());
    CollectArgoCdPolicies(name, text, policies, problems);
    image::CollectFluxObjects(name, text, flux);
    ++files;
  }
  FluxPolicies(flux, {}, policies, problems);
  CHECK(files > 1000);
  // Its Applications carry no Image Updater annotations and it has no image automation objects.
  CHECK(policies.empty());
  CHECK(problems.empty());
  CHECK(flux.policies.empty());
}

TEST_CASE("real Applications of the corpus write back next to their source path",
          "[watch][policy]") {
  if (!capstan::testing::RequireSharedData("corpus")) return;
  const std::filesystem::path repo = std::filesystem::path(CAPSTAN_SHARED_DIR) / "corpus" /
                                     "codefresh-contrib__gitops-certification-examples";
  std::vector<ImagePolicy> policies;
  std::vector<SourceProblem> problems;

  // A directory app (spec.source.directory, path "./declarative/manifests").
  std::string text = ReadCorpus(repo / "declarative/single-app/my-application.yml");
  CollectArgoCdPolicies("declarative/single-app/my-application.yml", text, policies, problems);
  CHECK(policies.empty());
  CollectArgoCdPolicies("declarative/single-app/my-application.yml",
                        Annotate(text, "app=ghcr.io/acme/app:~1.0"), policies, problems);
  // A Helm app (spec.source.helm with valueFiles).
  text = ReadCorpus(repo / "helm-apps/app-with-many-values.yaml");
  CollectArgoCdPolicies("helm-apps/app-with-many-values.yaml",
                        Annotate(text, "web=nginx, db=postgres:16.x"), policies, problems);

  CHECK(problems.empty());
  REQUIRE(policies.size() == 3);
  CHECK(policies[0].source.label == "Application demo (alias app)");
  CHECK(policies[0].source.line == 5);
  CHECK(policies[0].tags.constraint == "~1.0");
  CHECK(policies[0].write.override_file == "declarative/manifests/.argocd-source-demo.yaml");
  CHECK(policies[0].write.override_kind == "kustomize");
  CHECK(policies[1].image.Name() == "docker.io/library/nginx");
  CHECK(policies[1].write.override_file ==
        "helm-apps/many-envs-chart/.argocd-source-demo-prod.yaml");
  CHECK(policies[1].write.override_kind == "helm");
  CHECK(policies[1].write.helm_keys == std::vector<std::string>{"image.tag"});
  CHECK(policies[2].alias == "db");
  CHECK(policies[2].image.Name() == "docker.io/library/postgres");
  CHECK(policies[2].tags.constraint == "16.x");
}

}  // namespace
}  // namespace capstan::policy
