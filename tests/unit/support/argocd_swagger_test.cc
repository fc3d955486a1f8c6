#include "support/argocd_swagger.h"

#include <catch2/catch.hpp>

#include "support/fake_argocd_apps.h"
#include "support/manual_clock.h"
#include "support/shared_data.h"

namespace capstan::testing {
namespace {

using nlohmann::json;

constexpr const char* kSwagger = "data/argocd/swagger.json";

std::string Problems(const std::vector<std::string>& problems) {
  std::string text;
  for (const std::string& p : problems) text += p + "\n";
  return text;
}

SwaggerOperation MustMatch(const std::string& method, const std::string& path) {
  std::string problem;
  std::optional<SwaggerOperation> op = ArgoSwagger::Shared().Match(method, path, &problem);
  INFO(problem);
  REQUIRE(op);
  return *op;
}

TEST_CASE("the checker matches a concrete path to its template and operation", "[argocd_fake]") {
  if (!RequireSharedData(kSwagger)) return;
  SwaggerOperation sync = MustMatch("POST", "/api/v1/applications/web/sync");
  CHECK(sync.path_template == "/api/v1/applications/{name}/sync");
  CHECK(sync.operation_id == "ApplicationService_Sync");
  CHECK(sync.path_params.at("name") == "web");
  CHECK(MustMatch("get", "/api/v1/applications").operation_id == "ApplicationService_List");
  CHECK(MustMatch("GET", "/api/v1/applications/web/resource-tree")
            .path_params.at("applicationName") == "web");
}

TEST_CASE("literal path segments win over parameters, per method", "[argocd_fake]") {
  if (!RequireSharedData(kSwagger)) return;
  CHECK(MustMatch("POST", "/api/v1/applications/manifestsWithFiles").path_template ==
        "/api/v1/applications/manifestsWithFiles");
  // Only POST is declared on the literal path, so a GET is the Get of an app of that name.
  CHECK(MustMatch("GET", "/api/v1/applications/manifestsWithFiles").path_template ==
        "/api/v1/applications/{name}");
}

TEST_CASE("the checker rejects a path no template matches", "[argocd_fake]") {
  if (!RequireSharedData(kSwagger)) return;
  std::string problem;
  CHECK_FALSE(ArgoSwagger::Shared().Match("GET", "/api/v1/aplications", &problem));
  CHECK(problem == "no path template matches '/api/v1/aplications'");
  CHECK_FALSE(ArgoSwagger::Shared().Match("GET", "/api/v1/applications/web/sync/now", &problem));
  CHECK_FALSE(ArgoSwagger::Shared().Match("GET", "/api/v1/applications//sync", &problem));
}

TEST_CASE("the checker rejects a method the path does not declare", "[argocd_fake]") {
  if (!RequireSharedData(kSwagger)) return;
  std::string problem;
  CHECK_FALSE(ArgoSwagger::Shared().Match("PUT", "/api/v1/applications/web/sync", &problem));
  CHECK(problem ==
        "method PUT is not declared for /api/v1/applications/{name}/sync (declared: POST)");
}

TEST_CASE("undeclared query names are rejected, fields is accepted where Argo CD reads it",
          "[argocd_fake]") {
  if (!RequireSharedData(kSwagger)) return;
  const ArgoSwagger& s = ArgoSwagger::Shared();
  SwaggerOperation list = MustMatch("GET", "/api/v1/applications");
  CHECK(s.CheckQuery(list, {{"fields", "items.metadata.name"},
                            {"selector", "team=a"},
                            {"projects", "a"},
                            {"projects", "b"},
                            {"appNamespace", "argocd"}})
            .empty());
  CHECK(Problems(s.CheckQuery(list, {{"limit", "10"}})) ==
        "query parameter 'limit' is not declared for ApplicationService_List (declared: "
        "appNamespace, fields, name, project, projects, refresh, repo, resourceVersion, "
        "selector)\n");
  // Sync takes everything in its body: a query there is ignored by the gateway.
  SwaggerOperation sync = MustMatch("POST", "/api/v1/applications/web/sync");
  CHECK(s.CheckQuery(sync, {{"project", "default"}}).size() == 1);
  CHECK(s.CheckQuery(MustMatch("DELETE", "/api/v1/applications/web/operation"),
                     {{"project", "default"}, {"appNamespace", "argocd"}})
            .empty());
  CHECK(s.CheckQuery(MustMatch("GET", "/api/v1/stream/applications"),
                     {{"name", "web"}, {"fields", "result.application.status"}})
            .empty());
}

TEST_CASE("a repeated scalar query parameter and ill-typed values are rejected", "[argocd_fake]") {
  if (!RequireSharedData(kSwagger)) return;
  const ArgoSwagger& s = ArgoSwagger::Shared();
  SwaggerOperation get = MustMatch("GET", "/api/v1/applications/web");
  CHECK(Problems(s.CheckQuery(get, {{"refresh", "hard"}, {"refresh", "normal"}})) ==
        "query parameter 'refresh' is repeated but is not an array in ApplicationService_Get\n");
  SwaggerOperation managed = MustMatch("GET", "/api/v1/applications/web/managed-resources");
  (void)managed;
  SwaggerOperation logs = MustMatch("GET", "/api/v1/applications/web/logs");
  CHECK(Problems(s.CheckQuery(logs, {{"follow", "yes"}, {"tailLines", "ten"}})) ==
        "query parameter 'follow' must be a boolean, got 'yes'\n"
        "query parameter 'tailLines' must be an integer, got 'ten'\n");
  CHECK(s.CheckQuery(logs, {{"follow", "True"}, {"tailLines", "10"}}).empty());
}

TEST_CASE("a sync body as the argocd CLI builds it conforms", "[argocd_fake]") {
  if (!RequireSharedData(kSwagger)) return;
  SwaggerOperation sync = MustMatch("POST", "/api/v1/applications/web/sync");
  const json body = {
      {"name", "web"},
      {"appNamespace", "argocd"},
      {"project", "default"},
      {"revisions", {"abc", "def"}},
      {"sourcePositions", {1, 2}},
      {"prune", true},
      {"dryRun", false},
      {"strategy", {{"hook", {{"force", true}}}}},
      {"resources", {{{"group", "apps"}, {"kind", "Deployment"}, {"name", "web"}}}},
      {"retryStrategy",
       {{"limit", 3}, {"backoff", {{"duration", "5s"}, {"factor", 2}, {"maxDuration", "3m"}}}}},
      {"syncOptions", {{"items", {"ServerSideApply=true", "CreateNamespace=true"}}}},
      {"infos", {{{"name", "ci"}, {"value", "run 42"}}}},
      {"manifests", nullptr}};
  CHECK(Problems(ArgoSwagger::Shared().CheckBody(sync, body.dump())) == "");
  CHECK(ArgoSwagger::Shared().CheckBody(sync, "").empty());
}

TEST_CASE("unknown body fields are rejected at any depth", "[argocd_fake]") {
  if (!RequireSharedData(kSwagger)) return;
  SwaggerOperation sync = MustMatch("POST", "/api/v1/applications/web/sync");
  const ArgoSwagger& s = ArgoSwagger::Shared();
  CHECK(Problems(s.CheckBody(sync, R"({"name":"web","revison":"abc"})")) ==
        "body field 'revison' is not declared in applicationApplicationSyncRequest\n");
  CHECK(Problems(s.CheckBody(sync, R"({"syncOptions":{"item":["A=b"]}})")) ==
        "body field 'syncOptions.item' is not declared in applicationSyncOptions\n");
  CHECK(Problems(s.CheckBody(sync, R"({"resources":[{"kind":"Pod","names":"x"}]})")) ==
        "body field 'resources[0].names' is not declared in v1alpha1SyncOperationResource\n");
}

TEST_CASE("wrongly typed body fields are rejected", "[argocd_fake]") {
  if (!RequireSharedData(kSwagger)) return;
  SwaggerOperation sync = MustMatch("POST", "/api/v1/applications/web/sync");
  const ArgoSwagger& s = ArgoSwagger::Shared();
  CHECK(Problems(s.CheckBody(sync, R"({"prune":"true"})")) ==
        "body field 'prune' must be a boolean, got string\n");
  CHECK(Problems(s.CheckBody(sync, R"({"revision":42})")) ==
        "body field 'revision' must be a string, got integer\n");
  CHECK(Problems(s.CheckBody(sync, R"({"infos":{"name":"a"}})")) ==
        "body field 'infos' must be an array, got object\n");
  CHECK(Problems(s.CheckBody(sync, R"({"strategy":"apply"})")) ==
        "body field 'strategy' must be an object (v1alpha1SyncStrategy), got string\n");
  CHECK(Problems(s.CheckBody(sync, "[1]")) ==
        "body must be an object (applicationApplicationSyncRequest), got array\n");
  CHECK(Problems(s.CheckBody(sync, "{")) == "body is not JSON\n");
}

TEST_CASE("int64 body fields must be JSON integers, as Go's encoding/json decodes them",
          "[argocd_fake]") {
  if (!RequireSharedData(kSwagger)) return;
  SwaggerOperation sync = MustMatch("POST", "/api/v1/applications/web/sync");
  const ArgoSwagger& s = ArgoSwagger::Shared();
  // swagger.json says "type": "string", "format": "int64" for sourcePositions' items.
  CHECK(Problems(s.CheckBody(sync, R"({"sourcePositions":["1"]})")) ==
        "body field 'sourcePositions[0]' must be a JSON integer (int64; Argo CD decodes bodies "
        "with Go's encoding/json), got string\n");
  CHECK(s.CheckBody(sync, R"({"retryStrategy":{"limit":1.5}})").size() == 1);
  CHECK(s.CheckBody(sync, R"({"retryStrategy":{"limit":-1}})").empty());
}

TEST_CASE("the hook strategy takes force inline, unlike the description", "[argocd_fake]") {
  if (!RequireSharedData(kSwagger)) return;
  SwaggerOperation sync = MustMatch("POST", "/api/v1/applications/web/sync");
  const ArgoSwagger& s = ArgoSwagger::Shared();
  CHECK(s.CheckBody(sync, R"({"strategy":{"hook":{"force":false}}})").empty());
  CHECK(Problems(s.CheckBody(sync, R"({"strategy":{"hook":{"syncStrategyApply":{}}}})")) ==
        "body field 'strategy.hook.syncStrategyApply' is not declared in "
        "v1alpha1SyncStrategyHook\n");
}

TEST_CASE("a body sent to an operation without one is reported", "[argocd_fake]") {
  if (!RequireSharedData(kSwagger)) return;
  SwaggerOperation terminate = MustMatch("DELETE", "/api/v1/applications/web/operation");
  CHECK(ArgoSwagger::Shared().CheckBody(terminate, "").empty());
  CHECK(Problems(ArgoSwagger::Shared().CheckBody(terminate, "{}")) ==
        "body sent to ApplicationService_TerminateOperation, which declares none (the server "
        "ignores it)\n");
}

TEST_CASE("the fake's applications and trees have the shapes the description gives",
          "[argocd_fake]") {
  if (!RequireSharedData(kSwagger)) return;
  const ArgoSwagger& s = ArgoSwagger::Shared();
  const FakeTime now = ManualClock::DefaultStart();
  AppSpec spec{.name = "web", .revision = std::string(40, 'a'), .automated = true};
  spec.sync_options = {"CreateNamespace=true"};
  spec.annotations = {{"argocd.argoproj.io/sync-wave", "1"}};
  spec.extra_sources = {json{{"repoURL", "https://github.com/acme/values.git"},
                             {"targetRevision", "main"},
                             {"ref", "values"}}};
  const json app = MakeApplication(spec, now);
  CHECK(Problems(s.CheckValue(app, "v1alpha1Application", "response")) == "");

  ScriptedApps apps;
  apps.Add(app, AppBehavior{}, now);
  ApiOutcome tree = apps.ResourceTree("", "web", "", now);
  CHECK(Problems(s.CheckValue(tree.body, "v1alpha1ApplicationTree", "response")) == "");
  apps.Sync("", "web", json::object(), now);
  apps.Settle(now + std::chrono::seconds(60));
  CHECK(Problems(s.CheckValue(apps.Find("", "web")->doc, "v1alpha1Application", "response")) == "");
}

}  // namespace
}  // namespace capstan::testing
