#include "image/targets.h"

#include <catch2/catch.hpp>

#include "image/flux_objects.h"

namespace capstan::image {
namespace {

const std::string kDigest = "sha256:" + std::string(64, 'a');
const std::string kOldDigest = "sha256:" + std::string(64, 'b');

BumpRequest Request(const std::string& image, const std::string& tag,
                    const std::string& digest = "") {
  BumpRequest r;
  auto ref = ParseReference(image);
  REQUIRE(ref.ok());
  r.image = *ref;
  r.tag = tag;
  r.digest = digest;
  return r;
}

FilePlan Plan(const std::string& text, const BumpRequest& request,
              const std::string& path = "file.yaml") {
  auto plan = PlanBump(path, text, request);
  REQUIRE(plan.ok());
  return *plan;
}

// text with the one occurrence of `from` replaced by `to`.
std::string Replaced(const std::string& text, const std::string& from, const std::string& to) {
  std::size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  REQUIRE(text.find(from, at + 1) == std::string::npos);
  return text.substr(0, at) + to + text.substr(at + from.size());
}

TEST_CASE("target kinds have stable names", "[targets]") {
  CHECK(std::string(TargetKindName(TargetKind::kKustomizeImage)) == "kustomize-image");
  CHECK(std::string(TargetKindName(TargetKind::kImageValue)) == "image");
  CHECK(std::string(TargetKindName(TargetKind::kHelmValues)) == "helm-values");
  CHECK(std::string(TargetKindName(TargetKind::kHelmKey)) == "helm-key");
  CHECK(std::string(TargetKindName(TargetKind::kArgoKustomizeImage)) == "argocd-kustomize-image");
  CHECK(std::string(TargetKindName(TargetKind::kArgoHelmParameter)) == "argocd-helm-parameter");
  CHECK(std::string(TargetKindName(TargetKind::kFluxMarker)) == "flux-marker");
}

TEST_CASE("image values keep the name as written and change only the tag", "[targets]") {
  struct Row {
    std::string image, value, expected;
  };
  auto row = GENERATE(values<Row>({
      {"docker.io/library/nginx", "nginx:1.2", "nginx:1.3"},
      {"nginx", "docker.io/library/nginx:1.2", "docker.io/library/nginx:1.3"},
      {"nginx", "nginx", "nginx:1.3"},
      {"ghcr.io/acme/api", "ghcr.io/acme/api:1.2", "ghcr.io/acme/api:1.3"},
      {"localhost:5000/api", "localhost:5000/api:1.2", "localhost:5000/api:1.3"},
  }));
  std::string text = "spec:\n  containers:\n    - name: c\n      image: " + row.value + " # keep\n";
  FilePlan plan = Plan(text, Request(row.image, "1.3"));
  REQUIRE(plan.changes.size() == 1);
  const Change& c = plan.changes[0];
  CHECK(c.kind == TargetKind::kImageValue);
  CHECK(c.old_value == row.value);
  CHECK(c.new_value == row.expected);
  CHECK(c.path == "/spec/containers/0/image");
  CHECK(c.line == 4);
  CHECK(c.column == 14);
  CHECK(c.new_tag == "1.3");
  CHECK(plan.new_text == Replaced(text, row.value, row.expected));
}

TEST_CASE(
    "images that are not the requested one, and values that are not references, are left alone",
    "[targets]") {
  std::string text =
      "containers:\n"
      "  - image: nginx-unprivileged:1.2\n"
      "  - image: ghcr.io/library/nginx:1.2\n"
      "  - image: \"{{ .Values.image }}\"\n"
      "  - image: NGINX:1.2\n"
      "image: {repository: quay.io/nginx, tag: 1.2}\n";
  FilePlan plan = Plan(text, Request("nginx", "1.3"));
  CHECK(plan.changes.empty());
  CHECK(plan.up_to_date.empty());
  CHECK(plan.refused.empty());
  CHECK(plan.new_text == text);
}

TEST_CASE("digests: set when asked, kept when the tag stays, refused when only the tag would move",
          "[targets]") {
  std::string pinned = "api:1.2@" + kOldDigest;
  std::string text = "image: " + pinned + "\n";
  SECTION("tag and digest") {
    FilePlan plan = Plan(text, Request("api", "1.3", kDigest));
    REQUIRE(plan.changes.size() == 1);
    CHECK(plan.new_text == "image: api:1.3@" + kDigest + "\n");
  }
  SECTION("digest only keeps the tag") {
    FilePlan plan = Plan(text, Request("api", "", kDigest));
    CHECK(plan.new_text == "image: api:1.2@" + kDigest + "\n");
    CHECK(plan.changes[0].old_tag == "1.2");
    CHECK(plan.changes[0].new_tag == "1.2");
  }
  SECTION("only a new tag is refused") {
    FilePlan plan = Plan(text, Request("api", "1.3"));
    CHECK(plan.changes.empty());
    REQUIRE(plan.refused.size() == 1);
    CHECK(plan.refused[0].line == 1);
    CHECK(plan.refused[0].column == 8);
    CHECK(plan.refused[0].message ==
          "'" + pinned +
              "' pins a digest; bumping only the tag would not change the image it "
              "runs: pass --digest too");
    CHECK(plan.new_text == text);
  }
  SECTION("the same tag is up to date, digest kept") {
    FilePlan plan = Plan(text, Request("api", "1.2"));
    CHECK(plan.changes.empty());
    REQUIRE(plan.up_to_date.size() == 1);
    CHECK(plan.up_to_date[0].edit.length == 0);
    CHECK(plan.up_to_date[0].edit.replacement.empty());
  }
}

TEST_CASE("a value already at the requested tag is up to date, not a change", "[targets]") {
  std::string text = "image: nginx:1.3\n";
  FilePlan plan = Plan(text, Request("nginx", "1.3"));
  CHECK(plan.changes.empty());
  REQUIRE(plan.up_to_date.size() == 1);
  CHECK(plan.up_to_date[0].old_value == "nginx:1.3");
  CHECK(plan.up_to_date[0].new_value == "nginx:1.3");
  CHECK(plan.new_text == text);
}

TEST_CASE("kustomization images entries get newTag, digest and newName", "[targets]") {
  std::string text =
      "apiVersion: kustomize.config.k8s.io/v1beta1\n"
      "kind: Kustomization\n"
      "images:\n"
      "  - name: nginx\n"
      "    newTag: \"1.0\"  # quoted stays quoted\n"
      "  - name: ghcr.io/acme/api\n"
      "    newTag: v1.0\n"
      "  - name: redis\n"
      "    newName: docker.io/library/nginx\n"
      "    newTag: 1.4\n";
  FilePlan plan = Plan(text, Request("docker.io/library/nginx", "1.1"));
  REQUIRE(plan.changes.size() == 2);
  CHECK(plan.changes[0].kind == TargetKind::kKustomizeImage);
  CHECK(plan.changes[0].path == "/images/0/newTag");
  CHECK(plan.changes[0].old_tag == "1.0");
  CHECK(plan.changes[0].new_tag == "1.1");
  CHECK(plan.changes[1].path == "/images/2/newTag");
  std::string expected =
      Replaced(Replaced(text, "\"1.0\"", "\"1.1\""), "newTag: 1.4", "newTag: 1.1");
  CHECK(plan.new_text == expected);
}

TEST_CASE("an images list of a kind-less document is a kustomization only when it looks like one",
          "[targets]") {
  BumpRequest r = Request("api", "1.1");
  std::string values = "images:\n  - name: api\n    tag: 1.0.0\n";
  CHECK(Plan(values, r).changes.empty());
  std::string overlay = "resources: [../base]\nimages:\n  - name: api\n";
  CHECK(Plan(overlay, r).new_text == overlay + "    newTag: \"1.1\"\n");
  std::string bare = "images:\n  - name: api\n    newTag: 1.0.0\n";
  CHECK(Plan(bare, r).new_text == "images:\n  - name: api\n    newTag: \"1.1\"\n");
}

TEST_CASE("a plain tag that would turn into a number is quoted", "[targets]") {
  std::string text = "images:\n- name: api\n  newTag: v1.4\n";
  CHECK(Plan(text, Request("api", "1.5")).new_text == "images:\n- name: api\n  newTag: \"1.5\"\n");
}

TEST_CASE("missing kustomize keys are inserted, newTag before digest, in one edit", "[targets]") {
  std::string text =
      "kind: Component\n"
      "images:\n"
      "  - name: api # the api\n"
      "  - name: web\n";
  FilePlan plan = Plan(text, Request("api", "1.1", kDigest));
  REQUIRE(plan.changes.size() == 2);
  CHECK(plan.changes[0].path == "/images/0/newTag");
  CHECK(plan.changes[0].old_value.empty());
  CHECK(plan.changes[1].path == "/images/0/digest");
  CHECK(plan.changes[0].edit.replacement == "\n    newTag: \"1.1\"\n    digest: " + kDigest);
  CHECK(plan.changes[1].edit.replacement.empty());
  CHECK(plan.changes[1].edit.offset == plan.changes[0].edit.offset);
  CHECK(plan.new_text ==
        "kind: Component\n"
        "images:\n"
        "  - name: api # the api\n"
        "    newTag: \"1.1\"\n"
        "    digest: " +
            kDigest +
            "\n"
            "  - name: web\n");
}

TEST_CASE("new_name sets or adds newName and rewrites names in references", "[targets]") {
  BumpRequest r = Request("nginx", "1.1");
  r.new_name = "ghcr.io/acme/nginx";
  SECTION("kustomize") {
    std::string text = "images:\n  - name: nginx\n    newTag: 1.0.0\n";
    FilePlan plan = Plan(text, r);
    CHECK(plan.new_text ==
          "images:\n  - name: nginx\n    newTag: \"1.1\"\n    newName: ghcr.io/acme/nginx\n");
    text = "images:\n  - name: nginx\n    newName: nginx\n    newTag: v1\n";
    CHECK(Plan(text, r).new_text ==
          "images:\n  - name: nginx\n    newName: ghcr.io/acme/nginx\n    newTag: \"1.1\"\n");
  }
  SECTION("image value") {
    CHECK(Plan("image: nginx:1.0\n", r).new_text == "image: ghcr.io/acme/nginx:1.1\n");
  }
  SECTION("helm values with a registry") {
    std::string text = "image:\n  registry: docker.io\n  repository: nginx\n  tag: 1.0.0\n";
    CHECK(Plan(text, r).new_text ==
          "image:\n  registry: ghcr.io\n  repository: acme/nginx\n  tag: \"1.1\"\n");
  }
}

TEST_CASE("a kustomize entry that pins a digest is refused when only the tag is given",
          "[targets]") {
  std::string text = "images:\n  - name: api\n    newTag: v1\n    digest: " + kOldDigest +
                     "\n  - name: api\n    newTag: v1\n";
  FilePlan plan = Plan(text, Request("api", "v2"));
  REQUIRE(plan.refused.size() == 1);
  CHECK(plan.refused[0].line == 3);
  CHECK(plan.refused[0].message.find("'api:v1@" + kOldDigest + "' pins a digest") == 0);
  REQUIRE(plan.changes.size() == 1);  // the other entry is still planned
  CHECK(plan.changes[0].line == 6);
  CHECK(plan.new_text == text.substr(0, text.rfind("v1")) + "v2\n");
}

TEST_CASE("values behind aliases and block scalars are refused, nothing else is stopped",
          "[targets]") {
  std::string text =
      "base: &img nginx:1.0\n"
      "a:\n"
      "  image: *img\n"
      "b:\n"
      "  image: |-\n"
      "    nginx:1.0\n"
      "c:\n"
      "  image: nginx:1.0\n";
  FilePlan plan = Plan(text, Request("nginx", "1.1"));
  REQUIRE(plan.refused.size() == 2);
  CHECK(plan.refused[0].line == 3);
  CHECK(plan.refused[0].message.find("alias") != std::string::npos);
  CHECK(plan.refused[1].line == 5);
  CHECK(plan.refused[1].message.find("block scalar") != std::string::npos);
  REQUIRE(plan.changes.size() == 1);
  CHECK(plan.new_text == text.substr(0, text.rfind("nginx:1.0")) + "nginx:1.1\n");
}

TEST_CASE("helm values mappings: tag set, missing tag inserted, registry joined", "[targets]") {
  std::string text =
      "app:\n"
      "  image:\n"
      "    registry: ghcr.io\n"
      "    repository: acme/api\n"
      "    tag: 1.0.0\n"
      "    pullPolicy: IfNotPresent\n"
      "sidecar:\n"
      "  image:\n"
      "    repository: ghcr.io/acme/api\n"
      "other:\n"
      "  repository: ghcr.io/acme/other\n"
      "  tag: 1.0.0\n";
  FilePlan plan = Plan(text, Request("ghcr.io/acme/api", "1.2.0"));
  REQUIRE(plan.changes.size() == 2);
  CHECK(plan.changes[0].kind == TargetKind::kHelmValues);
  CHECK(plan.changes[0].path == "/app/image/tag");
  CHECK(plan.changes[1].path == "/sidecar/image/tag");
  CHECK(plan.new_text == Replaced(Replaced(text, "tag: 1.0.0\n    pull", "tag: 1.2.0\n    pull"),
                                  "acme/api\nother", "acme/api\n    tag: 1.2.0\nother"));
}

TEST_CASE("a helm tag carrying a digest is bumped whole or refused", "[targets]") {
  std::string text = "image:\n  repository: ghcr.io/acme/api\n  tag: 1.0@" + kOldDigest + "\n";
  CHECK(Plan(text, Request("ghcr.io/acme/api", "1.1", kDigest)).new_text ==
        "image:\n  repository: ghcr.io/acme/api\n  tag: 1.1@" + kDigest + "\n");
  FilePlan refused = Plan(text, Request("ghcr.io/acme/api", "1.1"));
  CHECK(refused.changes.empty());
  REQUIRE(refused.refused.size() == 1);
  CHECK(refused.refused[0].message.find("pins a digest") != std::string::npos);
}

TEST_CASE("Flux HelmRelease values are searched like values files", "[targets]") {
  std::string text =
      "apiVersion: helm.toolkit.fluxcd.io/v2\n"
      "kind: HelmRelease\n"
      "spec:\n"
      "  values:\n"
      "    image:\n"
      "      repository: ghcr.io/koenkk/zigbee2mqtt\n"
      "      tag: 1.28.2\n";
  FilePlan plan = Plan(text, Request("ghcr.io/koenkk/zigbee2mqtt", "1.29.0"));
  REQUIRE(plan.changes.size() == 1);
  CHECK(plan.changes[0].path == "/spec/values/image/tag");
  CHECK(plan.new_text == Replaced(text, "1.28.2", "1.29.0"));
}

TEST_CASE("explicit helm keys: dotted paths with indexes", "[targets]") {
  std::string text =
      "images:\n"
      "  - name: ghcr.io/acme/api\n"
      "    tag: 1.0.0\n"
      "app:\n"
      "  worker:\n"
      "    version: 1.0.0\n"
      "  full: ghcr.io/acme/api:1.0.0\n";
  BumpRequest r = Request("ghcr.io/acme/api", "2.0.0");
  r.helm_keys = {"images[0].tag", "app.worker.version", "app.full", "not.there[3].x"};
  SECTION("a key is a target when its mapping names the image") {
    FilePlan plan = Plan(text, r);
    REQUIRE(plan.changes.size() == 2);
    CHECK(plan.changes[0].kind == TargetKind::kHelmKey);
    CHECK(plan.changes[0].path == "/images/0/tag");
    CHECK(plan.changes[1].path == "/app/full");
    CHECK(plan.changes[1].new_value == "ghcr.io/acme/api:2.0.0");
  }
  SECTION("or when the user named the file") {
    r.explicit_file = true;
    FilePlan plan = Plan(text, r);
    REQUIRE(plan.changes.size() == 3);
    CHECK(plan.changes[1].path == "/app/worker/version");
    CHECK(
        plan.new_text ==
        "images:\n  - name: ghcr.io/acme/api\n    tag: 2.0.0\napp:\n  worker:\n    version: 2.0.0\n"
        "  full: ghcr.io/acme/api:2.0.0\n");
  }
  SECTION("not in documents that have a kind") {
    r.explicit_file = true;
    FilePlan plan = Plan("kind: ConfigMap\n" + text, r);
    CHECK(plan.changes.empty());
  }
}

TEST_CASE("Argo CD Applications: kustomize images, helm parameters and valuesObject", "[targets]") {
  std::string text =
      "apiVersion: argoproj.io/v1alpha1\n"
      "kind: Application\n"
      "spec:\n"
      "  sources:\n"
      "    - kustomize:\n"
      "        images:\n"
      "          - ghcr.io/acme/api:1.0\n"
      "          - api=ghcr.io/acme/api\n"
      "          - other:1.0\n"
      "    - helm:\n"
      "        parameters:\n"
      "          - name: image.repository\n"
      "            value: ghcr.io/acme/api\n"
      "          - name: image.tag\n"
      "            value: \"1.0\"\n"
      "          - name: sidecar\n"
      "            value: ghcr.io/acme/api:1.0\n"
      "        valuesObject:\n"
      "          api:\n"
      "            repository: ghcr.io/acme/api\n"
      "            tag: '1.0'\n"
      "          imageTag: 1.0\n";
  BumpRequest r = Request("ghcr.io/acme/api", "1.1");
  r.helm_keys = {"imageTag"};
  r.explicit_file = true;
  FilePlan plan = Plan(text, r);
  REQUIRE(plan.changes.size() == 6);
  CHECK(plan.changes[0].kind == TargetKind::kArgoKustomizeImage);
  CHECK(plan.changes[0].new_value == "ghcr.io/acme/api:1.1");
  CHECK(plan.changes[1].new_value == "api=ghcr.io/acme/api:1.1");
  CHECK(plan.changes[2].kind == TargetKind::kArgoHelmParameter);
  CHECK(plan.changes[2].path == "/spec/sources/1/helm/parameters/1/value");
  CHECK(plan.changes[3].kind == TargetKind::kArgoHelmParameter);
  CHECK(plan.changes[4].kind == TargetKind::kHelmValues);
  CHECK(plan.changes[5].kind == TargetKind::kHelmKey);
  std::string expected = text;
  for (auto [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"api:1.0\n          - api=", "api:1.1\n          - api="},
           {"acme/api\n          - other", "acme/api:1.1\n          - other"},
           {"\"1.0\"", "\"1.1\""},
           {"api:1.0\n        values", "api:1.1\n        values"},
           {"'1.0'", "'1.1'"},
           {"imageTag: 1.0", "imageTag: 1.1"}})
    expected = Replaced(expected, from, to);
  CHECK(plan.new_text == expected);
}

TEST_CASE(".argocd-source files are read as an Application source", "[targets]") {
  std::string text =
      "helm:\n"
      "  parameters:\n"
      "  - name: image.name\n"
      "    value: ghcr.io/acme/api\n"
      "    forcestring: true\n"
      "  - name: image.tag\n"
      "    value: v1.0.0\n"
      "    forcestring: true\n";
  BumpRequest r = Request("ghcr.io/acme/api", "v1.1.0");
  FilePlan plan = Plan(text, r, "apps/web/.argocd-source-web.yaml");
  REQUIRE(plan.changes.size() == 1);
  CHECK(plan.changes[0].kind == TargetKind::kArgoHelmParameter);
  CHECK(plan.new_text == Replaced(text, "v1.0.0", "v1.1.0"));
  CHECK(Plan(text, r, "apps/web/values.yaml").changes.empty());
  std::string kustomize = "kustomize:\n  images:\n  - nginx=ghcr.io/acme/api:v1.0.0\n";
  CHECK(Plan(kustomize, r, ".argocd-source.yml").new_text ==
        Replaced(kustomize, "v1.0.0", "v1.1.0"));
}

TEST_CASE("Flux markers: the value on the marker's line", "[targets]") {
  std::string text =
      "spec:\n"
      "  image: ghcr.io/acme/api:1.0 # {\"$imagepolicy\": \"flux-system:api\"}\n"
      "  values:\n"
      "    image:\n"
      "      name: ghcr.io/acme/api # {\"$imagepolicy\": \"flux-system:api:name\"}\n"
      "      version: \"1.0\" # {\"$imagepolicy\": \"flux-system:api:tag\"}\n"
      "    other: 1.0 # {\"$imagepolicy\": \"flux-system:web:tag\"}\n"
      "    list: [a, 1.0] # {\"$imagepolicy\": \"apps:api:tag\"}\n";
  BumpRequest r = Request("ghcr.io/acme/api", "1.1");
  SECTION("policies unknown: tied by the values") {
    FilePlan plan = Plan(text, r);
    REQUIRE(plan.changes.size() == 2);
    CHECK(plan.changes[0].line == 2);
    CHECK(plan.changes[1].kind == TargetKind::kFluxMarker);
    CHECK(plan.changes[1].path == "/spec/values/image/version");
    REQUIRE(plan.up_to_date.size() == 1);  // the :name marker without new_name
    CHECK(plan.up_to_date[0].line == 5);
    CHECK(plan.new_text == Replaced(Replaced(text, "api:1.0", "api:1.1"), "\"1.0\"", "\"1.1\""));
  }
  SECTION("known policies decide") {
    r.flux_policies["apps:api"] = r.image;
    r.flux_policies["flux-system:web"] = *ParseReference("ghcr.io/acme/web");
    FilePlan plan = Plan(text, r);
    REQUIRE(plan.changes.size() == 3);
    CHECK(plan.changes[2].path == "/spec/values/list/1");
    CHECK(plan.new_text.find("other: 1.0 #") != std::string::npos);
    CHECK(plan.new_text.find("list: [a, 1.1] #") != std::string::npos);
  }
}

TEST_CASE("a policy known without namespace matches markers of any namespace", "[targets]") {
  std::string text = "tag: 1.0 # {\"$imagepolicy\": \"apps:api:tag\"}\n";
  BumpRequest r = Request("ghcr.io/acme/api", "1.1");
  r.flux_policies[":api"] = r.image;
  CHECK(Plan(text, r).new_text == Replaced(text, "1.0", "1.1"));
}

TEST_CASE("a malformed Flux marker is refused with its reason", "[targets]") {
  std::string text = "a: 1\nimage: ghcr.io/acme/api:1.0 # {\"$imagepolicy\": \"api\"}\n";
  FilePlan plan = Plan(text, Request("ghcr.io/acme/api", "1.1"));
  REQUIRE(plan.refused.size() == 1);
  CHECK(plan.refused[0].line == 2);
  CHECK(plan.refused[0].column == 29);
  CHECK(plan.refused[0].message ==
        "$imagepolicy 'api' must be NAMESPACE:POLICY[:tag|:name|:digest]");
  CHECK(plan.changes.size() == 1);  // the `image:` rule still finds the value
}

TEST_CASE("a kustomize newTag carrying a Flux marker is changed once", "[targets]") {
  std::string text =
      "images:\n"
      "  - name: ghcr.io/acme/api\n"
      "    newTag: 1.0 # {\"$imagepolicy\": \"flux-system:api:tag\"}\n";
  BumpRequest r = Request("ghcr.io/acme/api", "1.1");
  r.flux_policies["flux-system:api"] = r.image;
  FilePlan plan = Plan(text, r);
  REQUIRE(plan.changes.size() == 1);
  CHECK(plan.changes[0].kind == TargetKind::kKustomizeImage);
  CHECK(plan.new_text == Replaced(text, "1.0", "1.1"));
}

TEST_CASE("Flux markers set digests", "[targets]") {
  std::string text =
      "image:\n"
      "  repository: ghcr.io/acme/api\n"
      "  digest: " +
      kOldDigest + " # {\"$imagepolicy\": \"ns:api:digest\"}\n";
  FilePlan plan = Plan(text, Request("ghcr.io/acme/api", "", kDigest));
  REQUIRE(plan.changes.size() == 1);
  CHECK(plan.new_text == Replaced(text, kOldDigest, kDigest));
}

TEST_CASE("Flux policies resolve through their ImageRepository", "[targets]") {
  FluxObjects objects;
  CollectFluxObjects("policies.yaml",
                     "apiVersion: image.toolkit.fluxcd.io/v1beta2\n"
                     "kind: ImagePolicy\n"
                     "metadata: {name: api, namespace: flux-system}\n"
                     "spec:\n"
                     "  imageRepositoryRef: {name: api}\n"
                     "---\n"
                     "apiVersion: image.toolkit.fluxcd.io/v1beta2\n"
                     "kind: ImagePolicy\n"
                     "metadata: {name: web, namespace: apps}\n"
                     "spec:\n"
                     "  imageRepositoryRef: {name: web, namespace: flux-system}\n"
                     "---\n"
                     "apiVersion: image.toolkit.fluxcd.io/v1beta2\n"
                     "kind: ImagePolicy\n"
                     "metadata: {name: lost, namespace: apps}\n"
                     "spec:\n"
                     "  imageRepositoryRef: {name: nowhere}\n",
                     objects);
  CollectFluxObjects("repositories.yaml",
                     "apiVersion: image.toolkit.fluxcd.io/v1beta2\n"
                     "kind: ImageRepository\n"
                     "metadata: {name: api, namespace: flux-system}\n"
                     "spec: {image: ghcr.io/acme/api}\n"
                     "---\n"
                     "apiVersion: image.toolkit.fluxcd.io/v1beta2\n"
                     "kind: ImageRepository\n"
                     "metadata: {name: web}\n"
                     "spec: {image: nginx}\n",
                     objects);
  CHECK(objects.policies.at("flux-system:api").repository == "flux-system:api");
  CHECK(objects.policies.at("apps:web").repository == "flux-system:web");
  CHECK(objects.repository_image.at(":web") == "nginx");
  auto policies = ResolveFluxPolicies(objects);
  REQUIRE(policies.size() == 2);
  CHECK(policies.at("flux-system:api").Name() == "ghcr.io/acme/api");
  CHECK(policies.at("apps:web").Name() == "docker.io/library/nginx");
}

TEST_CASE("an ImageRepository's spec.image is a name, never given a tag", "[targets]") {
  std::string text =
      "apiVersion: image.toolkit.fluxcd.io/v1beta2\nkind: ImageRepository\nspec:\n  image: "
      "ghcr.io/acme/api\n";
  CHECK(Plan(text, Request("ghcr.io/acme/api", "1.1")).changes.empty());
}

TEST_CASE("multi-document files, CRLF and a BOM survive byte for byte", "[targets]") {
  std::string text =
      "\xEF\xBB\xBF# header\r\n"
      "apiVersion: v1\r\n"
      "kind: Pod\r\n"
      "spec:\r\n"
      "  containers: [{name: a, image: 'nginx:1.0'}]\r\n"
      "---\r\n"
      "resources: [pod.yaml]\r\n"
      "images:\r\n"
      "  - name: nginx\r\n"
      "---\r\n"
      "image:\r\n"
      "  repository: nginx   # hub\r\n"
      "  tag: \"1.0\"\r\n";
  FilePlan plan = Plan(text, Request("docker.io/library/nginx", "1.1"));
  REQUIRE(plan.changes.size() == 3);
  CHECK(plan.changes[0].line == 5);
  CHECK(plan.changes[0].path == "/spec/containers/0/image");
  CHECK(plan.changes[1].path == "/images/0/newTag");
  CHECK(plan.changes[2].path == "/image/tag");
  std::string expected = Replaced(text, "'nginx:1.0'", "'nginx:1.1'");
  expected = Replaced(expected, "name: nginx\r\n", "name: nginx\r\n    newTag: \"1.1\"\r\n");
  expected = Replaced(expected, "\"1.0\"", "\"1.1\"");
  CHECK(plan.new_text == expected);
}

TEST_CASE("odd YAML does not trip the walk", "[targets]") {
  std::string text =
      "? [complex, key]\n"
      ": {image: nginx:1.0}\n"
      "empty:\n"
      "  image:\n"
      "nil:\n"
      "  image: ~\n"
      "  repository: ~\n"
      "nested: {a: [[[[{image: nginx:1.0}]]]]}\n"
      "images: [~, 3, {name: [x]}]\n"
      "tag: null\n";
  auto plan = PlanBump("x.yaml", text, Request("nginx", "1.1"));
  REQUIRE(plan.ok());
  CHECK(plan->changes.size() == 2);
  CHECK(PlanBump("x.yaml", "", Request("nginx", "1.1")).ok());
  CHECK(PlanBump("x.yaml", "---\n---\n# only comments\n", Request("nginx", "1.1")).ok());
}

TEST_CASE("a syntax error fails with its position", "[targets]") {
  auto plan = PlanBump("x.yaml", "a: 1\nb: [2\n", Request("nginx", "1.1"));
  REQUIRE_FALSE(plan.ok());
  CHECK(plan.status().code() == StatusCode::kInvalidArgument);
  const std::string& m = plan.status().message();
  CHECK(m.find(':') != std::string::npos);
  CHECK(std::isdigit(static_cast<unsigned char>(m[0])));
  CHECK(m.find("flow sequence") != std::string::npos);
}

}  // namespace
}  // namespace capstan::image
