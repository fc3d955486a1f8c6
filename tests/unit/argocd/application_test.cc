#include "argocd/application.h"

#include <catch2/catch.hpp>

#include "yaml/parser.h"

namespace capstan::argocd {
namespace {

std::optional<Application> Read(const yaml::ParsedFile& parsed) {
  REQUIRE(parsed.documents.size() == 1);
  return ReadApplication(parsed.documents[0]);
}

TEST_CASE("a single-source Application gives its name, annotations, source and destination",
          "[argocd]") {
  yaml::ParsedFile f = yaml::Parse(R"(apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: guestbook
  namespace: argocd
  annotations:
    b.example/second: "2"
    a.example/first: one
spec:
  project: default
  source:
    repoURL: https://github.com/acme/config.git
    targetRevision: main
    path: apps/guestbook
    kustomize: {}
  destination:
    server: https://kubernetes.default.svc
    namespace: guestbook
)");
  std::optional<Application> app = Read(f);
  REQUIRE(app);
  CHECK(app->api_version == "argoproj.io/v1alpha1");
  CHECK(app->name == "guestbook");
  CHECK(app->namespace_ == "argocd");
  REQUIRE(app->annotations.size() == 2);
  CHECK(app->annotations[0].key == "b.example/second");  // document order, not sorted
  CHECK(app->annotations[0].value == "2");
  CHECK(f.documents[0].node(app->annotations[1].key_node).pos.line == 8);
  REQUIRE(app->FindAnnotation("a.example/first") != nullptr);
  CHECK(app->FindAnnotation("a.example/first")->value == "one");
  CHECK(app->FindAnnotation("c.example/none") == nullptr);
  CHECK_FALSE(app->multi_source);
  REQUIRE(app->sources.size() == 1);
  const Source& s = app->sources[0];
  CHECK(s.repo_url == "https://github.com/acme/config.git");
  CHECK(s.target_revision == "main");
  CHECK(s.path == std::optional<std::string>("apps/guestbook"));
  CHECK(s.kustomize);
  CHECK_FALSE(s.helm);
  CHECK(app->FirstSourceWithPath() == &app->sources[0]);
  REQUIRE(app->destination);
  CHECK(app->destination->server == "https://kubernetes.default.svc");
  CHECK(app->destination->namespace_ == "guestbook");
  CHECK(app->destination->name.empty());
}

TEST_CASE("a multi-source Application lists its sources in order, the first with a path first",
          "[argocd]") {
  yaml::ParsedFile f = yaml::Parse(R"(apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: api}
spec:
  sources:
    - repoURL: https://charts.example.com
      chart: api
      targetRevision: 1.2.0
      helm:
        valueFiles: [$values/apps/api/values.yaml]
    - not a mapping
    - repoURL: https://github.com/acme/config.git
      ref: values
    - repoURL: https://github.com/acme/config.git
      path: ./apps/api/extra
)");
  std::optional<Application> app = Read(f);
  REQUIRE(app);
  CHECK(app->multi_source);
  REQUIRE(app->sources.size() == 3);
  CHECK(app->sources[0].chart == "api");
  CHECK(app->sources[0].helm);
  CHECK_FALSE(app->sources[0].path);
  CHECK(app->sources[1].ref == "values");
  REQUIRE(app->FirstSourceWithPath() == &app->sources[2]);
  CHECK(*app->sources[2].path == "./apps/api/extra");
  CHECK_FALSE(app->destination);
  CHECK(app->annotations.empty());
}

TEST_CASE("documents that are not Applications are not read as one", "[argocd]") {
  auto read = [](std::string_view text) { return Read(yaml::Parse(text)); };
  CHECK_FALSE(
      read("apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name: a}\n"));
  CHECK_FALSE(read("apiVersion: apps/v1\nkind: Application\nmetadata: {name: a}\n"));
  CHECK_FALSE(read("- apiVersion: argoproj.io/v1alpha1\n- kind: Application\n"));
  CHECK_FALSE(read("just a scalar\n"));
  // An Application without metadata or spec is still one, with empty fields.
  std::optional<Application> bare = read("apiVersion: argoproj.io/v1alpha1\nkind: Application\n");
  REQUIRE(bare);
  CHECK(bare->metadata == yaml::kNoNode);
  CHECK(bare->name.empty());
  CHECK(bare->sources.empty());
  CHECK(bare->FirstSourceWithPath() == nullptr);
}

TEST_CASE("repository paths resolve dots and stay inside the repository", "[argocd]") {
  struct Case {
    std::string_view dir, rel;
    std::optional<std::string> want;
  };
  auto c = GENERATE(values<Case>({
      {"", "apps/api", "apps/api"},
      {"", "./apps//api/", "apps/api"},
      {"", ".", ""},
      {"", "", ""},
      {"apps/api", "values.yaml", "apps/api/values.yaml"},
      {"apps/api", "../web/values.yaml", "apps/web/values.yaml"},
      {"apps/api", "/base/kustomization.yaml", "base/kustomization.yaml"},
      {"apps/api", "//base", "base"},
      {"apps/api", "../..", ""},
      {"apps/api", "../../..", std::nullopt},
      {"", "../x", std::nullopt},
      {"apps", "/../x", std::nullopt},
  }));
  CAPTURE(c.dir, c.rel);
  CHECK(ResolveRepositoryPath(c.dir, c.rel) == c.want);
}

}  // namespace
}  // namespace capstan::argocd
