#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "argocd/application.h"

namespace capstan::argocd {
namespace {

using Json = nlohmann::json;

// One item of GET /api/v1/applications as Argo CD 2.x/3.x returns it (no kind/apiVersion).
constexpr std::string_view kListItem = R"({
  "metadata": {
    "name": "web", "namespace": "argocd",
    "labels": {"team": "payments"},
    "annotations": {"argocd.argoproj.io/manifest-generate-paths": ".;/shared"}
  },
  "spec": {
    "project": "shop",
    "sources": [
      {"repoURL": "https://charts.example.com", "chart": "web", "targetRevision": "1.2.0",
       "helm": {"valueFiles": ["$values/charts/web/values.yaml"]}},
      {"repoURL": "git@github.com:acme/config.git", "targetRevision": "main", "ref": "values"}
    ],
    "destination": {"server": "https://kubernetes.default.svc", "namespace": "web"},
    "syncPolicy": {
      "automated": {"prune": true},
      "syncOptions": ["CreateNamespace=true"],
      "retry": {"limit": "3", "backoff": {"duration": "10s", "factor": 2}}
    }
  },
  "status": {
    "sync": {"status": "Synced", "revisions": ["1.2.0", "2222222222222222222222222222222222222222"]},
    "health": {"status": "Degraded", "message": "Deployment web exceeded its progress deadline"},
    "reconciledAt": "2024-05-01T10:00:07Z",
    "operationState": {
      "phase": "Failed",
      "message": "one or more objects failed to apply",
      "startedAt": "2024-05-01T10:00:00Z",
      "finishedAt": "2024-05-01T10:00:05Z",
      "operation": {"sync": {"revisions": ["1.2.0", "2222222"]}},
      "syncResult": {
        "revisions": ["1.2.0", "2222222222222222222222222222222222222222"],
        "resources": [
          {"group": "apps", "kind": "Deployment", "namespace": "web", "name": "web",
           "status": "SyncFailed", "message": "admission webhook denied the request",
           "syncPhase": "Sync"},
          {"kind": "Job", "namespace": "web", "name": "migrate", "status": "Synced",
           "hookPhase": "Failed", "hookType": "PreSync", "message": "Job has reached the specified backoff limit"}
        ]
      }
    },
    "conditions": [{"type": "SyncError", "message": "Failed last sync attempt to [1.2.0, 2222222]"}]
  }
})";

TEST_CASE("an API list item gives metadata, multi-source spec, sync policy and status",
          "[argocd]") {
  std::optional<Application> app = ReadApplicationJson(Json::parse(kListItem));
  REQUIRE(app);
  CHECK(app->api_version.empty());
  CHECK(app->root == yaml::kNoNode);
  CHECK(app->QualifiedName() == "argocd/web");
  CHECK(app->labels.at("team") == "payments");
  REQUIRE(app->annotations.size() == 1);
  CHECK(app->annotations[0].value == ".;/shared");
  CHECK(app->annotations[0].key_node == yaml::kNoNode);
  CHECK(app->project == "shop");
  CHECK(app->multi_source);
  REQUIRE(app->sources.size() == 2);
  CHECK(app->sources[0].position == 1);
  CHECK(app->sources[0].chart == "web");
  CHECK(app->sources[0].helm);
  CHECK(app->sources[0].value_files == std::vector<std::string>{"$values/charts/web/values.yaml"});
  CHECK(app->sources[1].position == 2);
  CHECK(app->sources[1].ref == "values");
  CHECK_FALSE(app->sources[1].path);
  CHECK(app->ArgoSources().size() == 2);
  REQUIRE(app->destination);
  CHECK(app->destination->namespace_ == "web");

  CHECK(app->sync_policy.automated);
  CHECK(app->sync_policy.prune);
  CHECK_FALSE(app->sync_policy.self_heal);
  CHECK(app->sync_policy.sync_options == std::vector<std::string>{"CreateNamespace=true"});
  REQUIRE(app->sync_policy.retry);
  CHECK(app->sync_policy.retry->limit == 3);  // int64 as a string, protobuf's JSON form
  REQUIRE(app->sync_policy.retry->backoff);
  CHECK(app->sync_policy.retry->backoff->factor == 2);
  CHECK_FALSE(app->sync_policy.retry->backoff->max_duration);

  const ApplicationStatus& st = app->status;
  CHECK(st.sync_status == "Synced");
  CHECK(st.sync_revision.empty());
  CHECK(st.sync_revisions ==
        std::vector<std::string>{"1.2.0", "2222222222222222222222222222222222222222"});
  CHECK(st.health_status == "Degraded");
  CHECK(st.health_message == "Deployment web exceeded its progress deadline");
  REQUIRE(st.reconciled_at.time);
  REQUIRE(st.operation_state);
  const OperationState& op = *st.operation_state;
  CHECK(op.phase == "Failed");
  REQUIRE(op.finished_at.time);
  CHECK(*st.reconciled_at.time - *op.finished_at.time == std::chrono::seconds(2));
  CHECK(op.requested_revisions == std::vector<std::string>{"1.2.0", "2222222"});
  CHECK(op.revisions.size() == 2);
  REQUIRE(op.resources.size() == 2);
  CHECK(op.resources[0].group == "apps");
  CHECK(op.resources[0].status == "SyncFailed");
  CHECK(op.resources[0].sync_phase == "Sync");
  CHECK(op.resources[1].group.empty());
  CHECK(op.resources[1].hook_phase == "Failed");
  CHECK(op.resources[1].hook_type == "PreSync");
  REQUIRE(st.conditions.size() == 1);
  CHECK(st.conditions[0].type == "SyncError");
}

TEST_CASE("an item trimmed by fields= reads with the rest left empty", "[argocd]") {
  std::optional<Application> app = ReadApplicationJson(Json::parse(
      R"({"metadata": {"name": "web"},
          "spec": {"source": {"repoURL": "https://github.com/acme/config", "path": "apps/web"}}})"));
  REQUIRE(app);
  CHECK(app->name == "web");
  CHECK(app->namespace_.empty());
  CHECK(app->QualifiedName() == "web");
  REQUIRE(app->sources.size() == 1);
  CHECK(app->sources[0].position == 0);
  CHECK(app->sources[0].target_revision.empty());
  CHECK_FALSE(app->destination);
  CHECK_FALSE(app->sync_policy.automated);
  CHECK_FALSE(app->sync_policy.retry);
  CHECK(app->status.health_status.empty());
  CHECK_FALSE(app->status.reconciled_at.time);
}

TEST_CASE("ill-typed JSON fields are left empty, never an error", "[argocd]") {
  std::optional<Application> app = ReadApplicationJson(Json::parse(R"({
    "metadata": {"name": 7, "labels": {"a": 1, "b": "x"}, "annotations": {"k": true}},
    "spec": {
      "project": ["p"],
      "source": "https://github.com/acme/config",
      "sources": [{"repoURL": 3, "path": null, "helm": {"valueFiles": "v.yaml"}}, 5],
      "destination": [],
      "syncPolicy": {"automated": {"prune": "true", "enabled": "no"},
                     "syncOptions": [1, "Validate=false"],
                     "retry": {"limit": 1.5, "backoff": {"factor": "x2"}}}
    },
    "status": {"sync": "Synced", "operationState": [], "conditions": {"type": "x"},
               "reconciledAt": "yesterday"},
    "operation": null
  })"));
  REQUIRE(app);
  CHECK(app->name.empty());
  CHECK(app->labels == std::map<std::string, std::string>{{"b", "x"}});
  REQUIRE(app->annotations.size() == 1);
  CHECK(app->annotations[0].value.empty());
  CHECK(app->project.empty());
  REQUIRE(app->sources.size() == 1);  // spec.source is not an object; item 2 is not either
  CHECK(app->sources[0].position == 1);
  CHECK(app->sources[0].repo_url.empty());
  CHECK_FALSE(app->sources[0].path);
  CHECK(app->sources[0].value_files.empty());
  CHECK_FALSE(app->destination);
  CHECK(app->sync_policy.automated);  // an ill-typed `enabled` counts as absent
  CHECK_FALSE(app->sync_policy.prune);
  CHECK(app->sync_policy.sync_options == std::vector<std::string>{"Validate=false"});
  REQUIRE(app->sync_policy.retry);
  CHECK_FALSE(app->sync_policy.retry->limit);
  CHECK_FALSE(app->sync_policy.retry->backoff->factor);
  CHECK(app->status.sync_status.empty());
  CHECK_FALSE(app->status.operation_state);
  CHECK(app->status.conditions.empty());
  CHECK(app->status.reconciled_at.text == "yesterday");
  CHECK_FALSE(app->status.reconciled_at.time);
  CHECK_FALSE(app->operation_requested);
}

TEST_CASE("JSON that is not an Application is not read as one", "[argocd]") {
  CHECK_FALSE(ReadApplicationJson(Json::parse("[]")));
  CHECK_FALSE(ReadApplicationJson(Json::parse("\"web\"")));
  CHECK_FALSE(ReadApplicationJson(Json::parse(R"({"kind": "ApplicationSet"})")));
  CHECK(ReadApplicationJson(Json::parse(R"({"kind": "Application"})")));
  CHECK(ReadApplicationJson(Json::parse("{}")));
}

TEST_CASE("an application list body gives its items in order", "[argocd]") {
  Result<std::vector<Application>> apps = ReadApplicationList(
      R"({"metadata": {"resourceVersion": "12"},
          "items": [{"metadata": {"name": "a"}}, 42, {"metadata": {"name": "b"}}]})");
  REQUIRE(apps.ok());
  REQUIRE(apps->size() == 2);
  CHECK((*apps)[0].name == "a");
  CHECK((*apps)[1].name == "b");
  // Argo CD writes "items": null for no applications.
  Result<std::vector<Application>> none = ReadApplicationList(R"({"metadata": {}, "items": null})");
  REQUIRE(none.ok());
  CHECK(none->empty());
  CHECK(ReadApplicationList(R"({"metadata": {}})")->empty());
}

TEST_CASE("an application list body that is not a list is a parse error", "[argocd]") {
  auto error = [](std::string_view body) {
    Result<std::vector<Application>> r = ReadApplicationList(body);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == StatusCode::kParseError);
    return r.status().message();
  };
  CHECK(error("<html>502 Bad Gateway</html>") == "application list: the response is not JSON");
  CHECK(error("[]") == "application list: the response is not an object");
  CHECK(error(R"({"items": {}})") == "application list: 'items' is not an array");
}

TEST_CASE("an ApplicationSet from the API gives its template", "[argocd]") {
  std::optional<ApplicationSet> set = ReadApplicationSetJson(Json::parse(R"({
    "metadata": {"name": "apps"},
    "spec": {"generators": [{"matrix": {}}],
             "template": {"metadata": {"name": "{{name}}"},
                          "spec": {"sources": [{"repoURL": "https://github.com/acme/config",
                                                "path": "apps/{{name}}"}]}}}})"));
  REQUIRE(set);
  CHECK(set->generators == std::vector<std::string>{"matrix"});
  CHECK_FALSE(set->go_template);
  REQUIRE(set->app_template.sources.size() == 1);
  CHECK(set->app_template.sources[0].path == std::optional<std::string>("apps/{{name}}"));
  CHECK_FALSE(ReadApplicationSetJson(Json::parse(R"({"kind": "Application"})")));
}

}  // namespace
}  // namespace capstan::argocd
