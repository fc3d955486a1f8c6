#include <catch2/catch.hpp>

#include "policy/sources.h"

namespace capstan::policy {
namespace {

struct Collected {
  std::vector<ImagePolicy> policies;
  std::vector<SourceProblem> problems;
};

Collected Collect(std::string_view text, std::string_view file = "apps/guestbook.yaml") {
  Collected c;
  CollectArgoCdPolicies(file, text, c.policies, c.problems);
  return c;
}

// An Application named guestbook with the given annotation lines (without the prefix) and
// spec.source body.
std::string App(std::string_view annotations,
                std::string_view source =
                    "    repoURL: https://github.com/acme/gitops\n    path: apps/guestbook\n") {
  std::string text =
      "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: guestbook\n  "
      "annotations:\n";
  std::size_t start = 0;
  while (start < annotations.size()) {
    std::size_t end = annotations.find('\n', start);
    if (end == std::string_view::npos) end = annotations.size();
    text += "    argocd-image-updater.argoproj.io/" +
            std::string(annotations.substr(start, end - start)) + "\n";
    start = end + 1;
  }
  return text + "spec:\n  source:\n" + std::string(source);
}

std::vector<std::string> Messages(const Collected& c) {
  std::vector<std::string> out;
  for (const SourceProblem& p : c.problems) out.push_back(p.message);
  return out;
}

TEST_CASE("an image-list of two aliases with per-alias options gives two policies",
          "[watch][policy]") {
  Collected c = Collect(App(R"(image-list: api=ghcr.io/acme/api:~1.4, web=nginx
api.update-strategy: semver
api.allow-tags: regexp:^v?[0-9.]+$
api.ignore-tags: "*-rc*, latest"
api.platforms: linux/amd64,linux/arm64
web.update-strategy: latest
web.kustomize.image-name: nginx-original)",
                            "    repoURL: https://github.com/acme/gitops\n    path: "
                            "apps/guestbook\n    kustomize: {}\n"));
  CHECK(c.problems.empty());
  REQUIRE(c.policies.size() == 2);
  const ImagePolicy& api = c.policies[0];
  CHECK(api.source.file == "apps/guestbook.yaml");
  CHECK(api.source.line == 6);
  CHECK(api.source.column == 50);
  CHECK(api.source.label == "Application guestbook (alias api)");
  CHECK(api.alias == "api");
  CHECK(api.image.Name() == "ghcr.io/acme/api");
  CHECK(api.tags.strategy == image::Strategy::kSemver);
  CHECK(api.tags.constraint == "~1.4");
  CHECK(api.tags.allow_regex == "^v?[0-9.]+$");
  CHECK(api.tags.ignore_tags == std::vector<std::string>{"*-rc*", "latest"});
  CHECK(api.platforms == std::vector<std::string>{"linux/amd64", "linux/arm64"});
  CHECK(api.write.files ==
        std::vector<std::string>{"apps/guestbook/.argocd-source-guestbook.yaml"});
  CHECK(api.write.override_file == "apps/guestbook/.argocd-source-guestbook.yaml");
  CHECK(api.write.override_kind == "kustomize");
  CHECK(api.write.helm_keys.empty());
  CHECK(api.write.kustomize_name.empty());

  const ImagePolicy& web = c.policies[1];
  CHECK(web.alias == "web");
  CHECK(web.source.line == 6);
  CHECK(web.source.label == "Application guestbook (alias web)");
  CHECK(web.image.Name() == "docker.io/library/nginx");
  CHECK(web.tags.strategy == image::Strategy::kNewestBuild);
  CHECK(web.tags.constraint.empty());
  CHECK(web.write.kustomize_name == "nginx-original");
}

TEST_CASE("an image-list entry without alias is named by its image as written", "[watch][policy]") {
  Collected c = Collect(App("image-list: nginx:~1.26, ghcr.io/acme/web"));
  CHECK(c.problems.empty());
  REQUIRE(c.policies.size() == 2);
  CHECK(c.policies[0].alias == "nginx");
  CHECK(c.policies[0].tags.constraint == "~1.26");
  CHECK(c.policies[1].alias == "ghcr.io/acme/web");
  CHECK(c.policies[1].tags.constraint.empty());
}

TEST_CASE("a registry port is not read as a version constraint", "[watch][policy]") {
  Collected c =
      Collect(App("image-list: a=localhost:5000/team/x:1.x, b=localhost:5000/team/y, "
                  "c=registry.local:5000/z:>=1.2 <2"));
  CHECK(Messages(c).empty());
  REQUIRE(c.policies.size() == 3);
  CHECK(c.policies[0].image.registry == "localhost:5000");
  CHECK(c.policies[0].image.repository == "team/x");
  CHECK(c.policies[0].tags.constraint == "1.x");
  CHECK(c.policies[1].image.Name() == "localhost:5000/team/y");
  CHECK(c.policies[1].tags.constraint.empty());
  CHECK(c.policies[2].image.Name() == "registry.local:5000/z");
  CHECK(c.policies[2].tags.constraint == ">=1.2 <2");
}

TEST_CASE("the digest strategy follows the tag written as the constraint", "[watch][policy]") {
  Collected c = Collect(App("image-list: api=ghcr.io/acme/api:main\napi.update-strategy: digest"));
  CHECK(c.problems.empty());
  REQUIRE(c.policies.size() == 1);
  CHECK(c.policies[0].tags.strategy == image::Strategy::kDigest);
  CHECK(c.policies[0].tags.constraint == "main");
  CHECK(c.policies[0].image.tag == "main");
}

TEST_CASE("write-back-target kustomization writes the kustomization of the source path",
          "[watch][policy]") {
  Collected c = Collect(App("image-list: api=ghcr.io/acme/api\nwrite-back-target: kustomization"));
  CHECK(c.problems.empty());
  REQUIRE(c.policies.size() == 1);
  CHECK(c.policies[0].write.files == std::vector<std::string>{"apps/guestbook/kustomization.yaml"});
  CHECK(c.policies[0].write.override_file.empty());
  CHECK(c.policies[0].write.helm_keys.empty());

  c = Collect(App("image-list: api=ghcr.io/acme/api\nwrite-back-target: kustomization:../../base"));
  REQUIRE(c.policies.size() == 1);
  CHECK(c.policies[0].write.files == std::vector<std::string>{"base/kustomization.yaml"});
}

TEST_CASE("write-back-target helmvalues resolves absolute and relative paths", "[watch][policy]") {
  Collected c = Collect(
      App("image-list: api=ghcr.io/acme/api\nwrite-back-target: helmvalues:/env/prod/values.yaml"));
  CHECK(c.problems.empty());
  REQUIRE(c.policies.size() == 1);
  CHECK(c.policies[0].write.files == std::vector<std::string>{"env/prod/values.yaml"});
  CHECK(c.policies[0].write.helm_keys == std::vector<std::string>{"image.tag"});
  CHECK(c.policies[0].write.override_file.empty());

  c =
      Collect(App("image-list: api=ghcr.io/acme/api\napi.helm.image-tag: api.image.version\n"
                  "write-back-target: helmvalues:./values-prod.yaml"));
  CHECK(c.problems.empty());
  REQUIRE(c.policies.size() == 1);
  CHECK(c.policies[0].write.files == std::vector<std::string>{"apps/guestbook/values-prod.yaml"});
  CHECK(c.policies[0].write.helm_keys == std::vector<std::string>{"api.image.version"});

  c = Collect(App("image-list: api=ghcr.io/acme/api\nwrite-back-target: helmvalues"));
  REQUIRE(c.policies.size() == 1);
  CHECK(c.policies[0].write.files == std::vector<std::string>{"apps/guestbook/values.yaml"});

  c = Collect(
      App("image-list: api=ghcr.io/acme/api\nwrite-back-target: helmvalues:../../../x.yaml"));
  CHECK(c.policies.empty());
  CHECK(Messages(c) ==
        std::vector<std::string>{"write-back-target path '../../../x.yaml' leaves the repository"});
}

TEST_CASE("without write-back-target a helm app writes helm parameters to its override file",
          "[watch][policy]") {
  Collected c =
      Collect(App("image-list: api=ghcr.io/acme/api:1.x",
                  "    repoURL: https://github.com/acme/gitops\n    path: charts/api\n    helm:\n"
                  "      valueFiles: [values.yaml]\n"));
  CHECK(c.problems.empty());
  REQUIRE(c.policies.size() == 1);
  const WriteBack& w = c.policies[0].write;
  CHECK(w.files == std::vector<std::string>{"charts/api/.argocd-source-guestbook.yaml"});
  CHECK(w.override_file == "charts/api/.argocd-source-guestbook.yaml");
  CHECK(w.override_kind == "helm");
  CHECK(w.helm_keys == std::vector<std::string>{"image.tag"});
  CHECK(w.override_name_key == "image.name");

  c =
      Collect(App("image-list: api=ghcr.io/acme/api\napi.helm.image-name: "
                  "api.repository\napi.helm.image-tag: api.tag"));
  REQUIRE(c.policies.size() == 1);
  CHECK(c.policies[0].write.override_kind == "helm");
  CHECK(c.policies[0].write.helm_keys == std::vector<std::string>{"api.tag"});
  CHECK(c.policies[0].write.override_name_key == "api.repository");
}

TEST_CASE("a multi-source Application writes next to its first source with a path",
          "[watch][policy]") {
  std::string text = R"(apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: shop
  annotations:
    argocd-image-updater.argoproj.io/image-list: web=nginx
spec:
  sources:
    - repoURL: https://charts.example.com
      chart: web
    - repoURL: https://github.com/acme/gitops
      path: ./envs/prod/
)";
  Collected c = Collect(text);
  CHECK(c.problems.empty());
  REQUIRE(c.policies.size() == 1);
  CHECK(c.policies[0].write.override_file == "envs/prod/.argocd-source-shop.yaml");
  CHECK(c.policies[0].write.override_kind == "kustomize");

  text = text.substr(0, text.find("    - repoURL: https://github.com"));
  c = Collect(text);
  CHECK(c.policies.empty());
  CHECK(Messages(c) ==
        std::vector<std::string>{"the Application has no spec.source.path to write back to"});
  CHECK(c.problems[0].where.line == 1);
  CHECK(c.problems[0].where.label == "Application shop");
}

TEST_CASE("unsupported Image Updater annotations are problems, not ignored", "[watch][policy]") {
  Collected c = Collect(App(
      "image-list: api=ghcr.io/acme/api, web=nginx\napi.pull-secret: pullsecret:argocd/regcred\n"
      "web.update-strategy: semver\nforce-update: \"true\""));
  REQUIRE(c.policies.size() == 1);
  CHECK(c.policies[0].alias == "web");
  CHECK(Messages(c) ==
        std::vector<std::string>{"annotation 'argocd-image-updater.argoproj.io/api.pull-secret' is "
                                 "not supported by capstan-watch",
                                 "annotation 'argocd-image-updater.argoproj.io/force-update' is "
                                 "not supported by capstan-watch"});
  CHECK(c.problems[0].where.label == "Application guestbook (alias api)");
  CHECK(c.problems[0].where.line == 7);
  CHECK(c.problems[0].where.column == 5);

  c = Collect(App("image-list: api=ghcr.io/acme/api\nwrite-back-method: argocd"));
  CHECK(c.policies.empty());
  CHECK(Messages(c) ==
        std::vector<std::string>{
            "write-back-method argocd writes to the cluster, not Git; capstan-watch needs git"});

  c = Collect(
      App("image-list: api=ghcr.io/acme/api\nwrite-back-method: git:secret:argocd/git-creds"));
  CHECK(c.problems.empty());
  CHECK(c.policies.size() == 1);

  c = Collect(App("image-list: api=ghcr.io/acme/api\ngit-branch: main:image-updates"));
  CHECK(c.policies.empty());
  CHECK(Messages(c) == std::vector<std::string>{"git-branch is not supported: use --push-branch"});

  c = Collect(App("image-list: api=ghcr.io/acme/api\nweb.update-strategy: semver"));
  CHECK(c.policies.size() == 1);
  CHECK(Messages(c) == std::vector<std::string>{
                           "annotation 'argocd-image-updater.argoproj.io/web.update-strategy' "
                           "names alias 'web', which image-list does not list"});

  c = Collect(App("api.update-strategy: semver"));
  CHECK(c.policies.empty());
  CHECK(Messages(c) == std::vector<std::string>{"Image Updater annotations without an image-list"});
}

TEST_CASE("bad annotation values cost only their alias", "[watch][policy]") {
  Collected c = Collect(
      App("image-list: a=ghcr.io/acme/a, b=ghcr.io/acme/b, c=ghcr.io/acme/c, d=ghcr.io/acme/d, "
          "e=ghcr.io/acme/e:~>>1, f=Bad/Name, g=ghcr.io/acme/g\n"
          "a.update-strategy: newest\nb.allow-tags: '^v'\nc.allow-tags: regexp:(\n"
          "d.platforms: linux\ng.update-strategy: digest\nok.x: y"));
  CHECK(c.policies.empty());
  std::vector<std::string> m = Messages(c);
  REQUIRE(m.size() == 8);
  CHECK(m[0] ==
        "annotation 'argocd-image-updater.argoproj.io/ok.x' names alias 'ok', which image-list "
        "does not list");
  CHECK(m[1].starts_with("unknown update strategy 'newest'"));
  CHECK(m[2] == "allow-tags '^v' must be regexp:<pattern> or any");
  CHECK(m[3].find("'('") != std::string::npos);
  CHECK(m[4] == "invalid platform 'linux': expected os/arch[/variant]");
  CHECK(m[5].find("~>>1") != std::string::npos);
  CHECK(m[6].starts_with("invalid image reference 'Bad/Name'"));
  CHECK(m[7].find("digest") != std::string::npos);
  CHECK(c.problems[1].where.label == "Application guestbook (alias a)");

  c = Collect(
      App("image-list: api=ghcr.io/acme/api:1.x, api=ghcr.io/acme/other, =nginx, x=nginx@sha256:" +
          std::string(64, 'a') + "\napi.update-strategy: alphabetical"));
  CHECK(c.policies.empty());
  CHECK(Messages(c) == std::vector<std::string>{"alias 'api' is listed twice in image-list",
                                                "image-list entry '=nginx' has an empty alias",
                                                "image-list entry 'x=nginx@sha256:" +
                                                    std::string(64, 'a') + "' pins a digest",
                                                "version constraint '1.x' is used by the semver "
                                                "and digest strategies only, not alphabetical"});
}

TEST_CASE("documents other than Applications and files that are not YAML are ignored",
          "[watch][policy]") {
  std::string app = App("image-list: api=ghcr.io/acme/api");
  std::string text =
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  annotations:\n"
      "    argocd-image-updater.argoproj.io/image-list: a=nginx\n---\n"
      "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: set\n  "
      "annotations:\n"
      "    argocd-image-updater.argoproj.io/image-list: b=nginx\n---\n" +
      app;
  Collected c = Collect(text);
  CHECK(c.problems.empty());
  REQUIRE(c.policies.size() == 1);
  CHECK(c.policies[0].alias == "api");
  CHECK(c.policies[0].source.line == 14 + 6);

  for (std::string_view junk :
       {std::string_view("\x00\x01\x02 binary", 10), std::string_view("{{ .Values }}: [\n"),
        std::string_view("# just a comment\n"), std::string_view("plain text\n")}) {
    c = Collect(junk);
    CHECK(c.policies.empty());
    CHECK(c.problems.empty());
  }
  c = Collect(App("image-list: api=ghcr.io/acme/api", "    path: x\n") + "  other: [\n");
  CHECK(c.problems.empty());
}

}  // namespace
}  // namespace capstan::policy
