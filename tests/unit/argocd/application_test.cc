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

TEST_CASE("a YAML Application gives its project, labels, value files and sync policy", "[argocd]") {
  yaml::ParsedFile f = yaml::Parse(R"(apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: web
  labels: {team: payments, tier: 1}
spec:
  project: shop
  source:
    repoURL: https://github.com/acme/config.git
    targetRevision: 1.10
    path: apps/web
    helm:
      valueFiles: [values-prod.yaml, {not: a string}, ../shared/values.yaml]
    kustomize:
      components: [../../components/tls]
  syncPolicy:
    automated: {prune: yes, selfHeal: true}
    syncOptions: [CreateNamespace=true, ServerSideApply=true]
    retry:
      limit: 5
      backoff: {duration: 5s, factor: 2, maxDuration: 3m}
)");
  std::optional<Application> app = Read(f);
  REQUIRE(app);
  CHECK(app->project == "shop");
  CHECK(app->labels == std::map<std::string, std::string>{{"team", "payments"}, {"tier", "1"}});
  REQUIRE(app->sources.size() == 1);
  CHECK(app->sources[0].target_revision == "1.10");  // the text, not the float 1.1
  CHECK(app->sources[0].value_files ==
        std::vector<std::string>{"values-prod.yaml", "../shared/values.yaml"});
  CHECK(app->sources[0].kustomize_components == std::vector<std::string>{"../../components/tls"});
  const SyncPolicy& p = app->sync_policy;
  CHECK(p.automated);
  CHECK(p.prune);  // go-yaml v2 reads `yes` as true, as Argo CD does
  CHECK(p.self_heal);
  CHECK_FALSE(p.allow_empty);
  CHECK(p.sync_options == std::vector<std::string>{"CreateNamespace=true", "ServerSideApply=true"});
  REQUIRE(p.retry);
  CHECK(p.retry->limit == 5);
  CHECK_FALSE(p.retry->refresh);
  REQUIRE(p.retry->backoff);
  CHECK(p.retry->backoff->duration == std::optional<std::string>("5s"));
  CHECK(p.retry->backoff->factor == 2);
  CHECK(p.retry->backoff->max_duration == std::optional<std::string>("3m"));
  CHECK(app->status.sync_status.empty());
  CHECK_FALSE(app->status.operation_state);
  CHECK_FALSE(app->operation_requested);
}

TEST_CASE("automated sync is off when absent, null or disabled by enabled: false", "[argocd]") {
  auto automated = [](std::string_view policy) {
    std::string text =
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nspec:\n  syncPolicy:\n" +
        std::string(policy);
    std::optional<Application> app = Read(yaml::Parse(text));
    REQUIRE(app);
    return app->sync_policy.automated;
  };
  CHECK(automated("    automated: {}\n"));
  CHECK(automated("    automated: {enabled: true}\n"));
  CHECK_FALSE(automated("    automated: {enabled: false, prune: true}\n"));
  CHECK_FALSE(automated("    automated:\n"));
  CHECK_FALSE(automated("    automated: true\n"));
  CHECK_FALSE(automated("    syncOptions: [Validate=false]\n"));
}

TEST_CASE("Argo CD deploys from spec.sources when there is any, else from spec.source",
          "[argocd]") {
  auto argo_sources = [](std::string_view spec) {
    std::string text =
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nspec:\n" + std::string(spec);
    std::optional<Application> app = Read(yaml::Parse(text));
    REQUIRE(app);
    std::vector<int> positions;
    for (const Source& s : app->ArgoSources()) positions.push_back(s.position);
    return positions;
  };
  CHECK(argo_sources("  source: {path: a}\n") == std::vector<int>{0});
  CHECK(argo_sources("  source: {path: a}\n  sources: []\n") == std::vector<int>{0});
  CHECK(argo_sources("  source: {path: a}\n  sources: [{path: b}, {path: c}]\n") ==
        std::vector<int>{1, 2});
  // Positions count every item, as sourcePositions do.
  CHECK(argo_sources("  sources: [oops, {path: b}]\n") == std::vector<int>{2});
  CHECK(argo_sources("  project: x\n").empty());
}

TEST_CASE("status read from YAML (kubectl get -o yaml) is the same as from the API", "[argocd]") {
  yaml::ParsedFile f = yaml::Parse(R"(apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: web, namespace: argocd}
operation: {sync: {revision: abc}}
status:
  sync: {status: OutOfSync, revision: 1111111111111111111111111111111111111111}
  health: {status: Progressing}
  reconciledAt: "2024-05-01T10:00:05Z"
  operationState:
    phase: Running
    startedAt: "2024-05-01T10:00:00Z"
  conditions:
    - {type: SyncError, message: "Failed last sync attempt to abc"}
)");
  std::optional<Application> app = Read(f);
  REQUIRE(app);
  CHECK(app->QualifiedName() == "argocd/web");
  CHECK(app->operation_requested);
  CHECK(app->status.sync_status == "OutOfSync");
  CHECK(app->status.sync_revision == "1111111111111111111111111111111111111111");
  CHECK(app->status.health_status == "Progressing");
  CHECK(app->status.reconciled_at.time);
  REQUIRE(app->status.operation_state);
  CHECK(app->status.operation_state->phase == "Running");
  CHECK(app->status.operation_state->started_at.text == "2024-05-01T10:00:00Z");
  CHECK_FALSE(app->status.operation_state->finished_at.time);
  REQUIRE(app->status.conditions.size() == 1);
  CHECK(app->status.conditions[0].type == "SyncError");
}

TEST_CASE("an ApplicationSet gives its generators and its template as an Application", "[argocd]") {
  yaml::ParsedFile f = yaml::Parse(R"(apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: apps, namespace: argocd}
spec:
  goTemplate: true
  generators:
    - git:
        repoURL: https://github.com/acme/config.git
        revision: HEAD
        directories: [{path: apps/*}]
    - {selector: {}, list: {elements: []}}
  template:
    metadata:
      name: '{{.path.basename}}'
      annotations: {argocd.argoproj.io/manifest-generate-paths: .}
    spec:
      project: default
      source:
        repoURL: https://github.com/acme/config.git
        targetRevision: HEAD
        path: '{{.path.path}}'
      destination: {server: https://kubernetes.default.svc, namespace: '{{.path.basename}}'}
)");
  REQUIRE(f.documents.size() == 1);
  CHECK_FALSE(ReadApplication(f.documents[0]));
  std::optional<ApplicationSet> set = ReadApplicationSet(f.documents[0]);
  REQUIRE(set);
  CHECK(set->name == "apps");
  CHECK(set->namespace_ == "argocd");
  CHECK(set->go_template);
  CHECK(set->generators == std::vector<std::string>{"git", "list"});
  const Application& t = set->app_template;
  CHECK(t.name == "{{.path.basename}}");
  REQUIRE(t.FindAnnotation("argocd.argoproj.io/manifest-generate-paths") != nullptr);
  REQUIRE(t.sources.size() == 1);
  CHECK(t.sources[0].path == std::optional<std::string>("{{.path.path}}"));
  REQUIRE(t.destination);
  CHECK(t.destination->namespace_ == "{{.path.basename}}");
  CHECK_FALSE(ReadApplicationSet(yaml::Parse("apiVersion: argoproj.io/v1alpha1\nkind: "
                                             "Application\n")
                                     .documents[0]));
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
