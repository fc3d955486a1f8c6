// The scripted controller of the fake Argo CD, driven by explicit clock steps.
#include <catch2/catch.hpp>

#include "core/rfc3339.h"
#include "support/argocd_client.h"
#include "support/fake_argocd.h"
#include "support/shared_data.h"

namespace capstan::testing {
namespace {

using nlohmann::json;
using std::chrono::seconds;

constexpr const char* kSwagger = "data/argocd/swagger.json";
const std::string kOld(40, '1');
const std::string kNew(40, '2');

// phase (or "-" without operationState), sync status, sync revision's first char, health.
std::string Summary(const json& app) {
  const json& status = app["status"];
  const std::string phase = status.contains("operationState")
                                ? status["operationState"]["phase"].get<std::string>()
                                : "-";
  const std::string revision = status["sync"].value("revision", "?");
  return phase + " " + status["sync"]["status"].get<std::string>() + "@" + revision.substr(0, 1) +
         " " + status["health"]["status"].get<std::string>() +
         (app.contains("operation") ? " op" : "");
}

TEST_CASE("a sync moves through the scripted states in fake time", "[argocd_fake]") {
  if (!RequireSharedData(kSwagger)) return;
  ManualClock clock;
  const FakeTime t0 = clock.Now();
  FakeArgoCd argo(clock);
  argo.AddApp(AppSpec{.name = "web", .revision = kOld}, {.heads = {kNew}});
  ArgoClient api(argo.port(), "test-token");
  auto get = [&] { return api.Get("/api/v1/applications/web?project=default").Json(); };

  ArgoReply sync =
      api.Post("/api/v1/applications/web/sync", json{{"name", "web"}, {"revision", kNew}}.dump());
  REQUIRE(sync.status == 200);
  CHECK(sync.Json()["operation"]["sync"]["revision"] == kNew);
  CHECK(sync.Json()["operation"]["initiatedBy"]["username"] == "admin");
  // The false green: Synced and Healthy at the old revision, no operationState yet.
  CHECK(Summary(get()) == "- Synced@1 Healthy op");
  clock.Advance(seconds(1));
  CHECK(Summary(get()) == "Running OutOfSync@1 Healthy op");
  CHECK(get()["status"]["operationState"]["startedAt"] == FormatRfc3339(t0 + seconds(1)));
  clock.Advance(seconds(2));
  json finished = get();
  CHECK(Summary(finished) == "Succeeded OutOfSync@1 Progressing");
  CHECK(finished["status"]["operationState"]["finishedAt"] == FormatRfc3339(t0 + seconds(3)));
  CHECK(finished["status"]["operationState"]["syncResult"]["revision"] == kNew);
  CHECK(finished["status"]["reconciledAt"] == FormatRfc3339(t0 - seconds(30)));
  clock.Advance(seconds(1));
  CHECK(Summary(get()) == "Succeeded Synced@2 Progressing");
  CHECK(get()["status"]["reconciledAt"] == FormatRfc3339(t0 + seconds(4)));
  clock.Advance(seconds(3));
  CHECK(Summary(get()) == "Succeeded Synced@2 Healthy");
  CHECK(argo.Count("sync", "web") == 1);
  CHECK(argo.Count("get", "web") == 7);
  CHECK(argo.ViolationsText() == "");
}

TEST_CASE("health can end Degraded, or flip to Degraded after Healthy", "[argocd_fake]") {
  if (!RequireSharedData(kSwagger)) return;
  ManualClock clock;
  FakeArgoCd argo(clock);
  argo.AddApp(AppSpec{.name = "down", .revision = kOld},
              {.heads = {kNew}, .health_end = HealthEnd::kDegraded});
  argo.AddApp(AppSpec{.name = "flip", .revision = kOld},
              {.heads = {kNew},
               .health_end = HealthEnd::kHealthyThenDegraded,
               .degraded_after = seconds(10)});
  ArgoClient api(argo.port(), "test-token");
  for (const char* name : {"down", "flip"}) {
    REQUIRE(api.Post(std::string("/api/v1/applications/") + name + "/sync", "{}").status == 200);
  }
  clock.Advance(seconds(7));
  const json down = argo.App("down");
  CHECK(Summary(down) == "Succeeded Synced@2 Degraded");
  CHECK(down["status"]["health"]["message"] ==
        "Deployment \"down\" exceeded its progress deadline");
  CHECK(down["status"]["resources"][1]["health"]["status"] == "Degraded");
  CHECK(Summary(argo.App("flip")) == "Succeeded Synced@2 Healthy");
  const json tree = api.Get("/api/v1/applications/down/resource-tree?project=default").Json();
  REQUIRE(tree["nodes"].size() == 2);
  CHECK(tree["nodes"][1]["kind"] == "Deployment");
  CHECK(tree["nodes"][1]["health"]["status"] == "Degraded");
  clock.Advance(seconds(9));
  CHECK(Summary(argo.App("flip")) == "Succeeded Synced@2 Healthy");
  clock.Advance(seconds(1));
  CHECK(Summary(argo.App("flip")) == "Succeeded Synced@2 Degraded");
}

TEST_CASE("a failed operation leaves the app OutOfSync and marks an automated app",
          "[argocd_fake]") {
  if (!RequireSharedData(kSwagger)) return;
  ManualClock clock;
  FakeArgoCd argo(clock);
  argo.AddApp(
      AppSpec{.name = "web", .revision = kOld, .automated = true},
      {.heads = {kNew}, .notice_delay = seconds(5), .operation_end = OperationEnd::kFailed});
  clock.Advance(seconds(4));
  CHECK(Summary(argo.App("web")) == "Succeeded Synced@1 Healthy");
  clock.Advance(seconds(1));
  // Noticed: the controller moves the revision and auto-syncs by itself.
  const json noticed = argo.App("web");
  CHECK(Summary(noticed) == "- OutOfSync@2 Healthy op");
  CHECK(noticed["operation"]["initiatedBy"] == json{{"automated", true}});
  clock.Advance(seconds(4));
  const json failed = argo.App("web");
  CHECK(Summary(failed) == "Failed OutOfSync@2 Healthy");
  CHECK(failed["status"]["operationState"]["syncResult"]["resources"][1]["status"] == "SyncFailed");
  REQUIRE(failed["status"]["conditions"].size() == 1);
  CHECK(failed["status"]["conditions"][0]["type"] == "SyncError");
  CHECK(failed["status"]["conditions"][0]["message"] ==
        "Failed last sync attempt to " + kNew +
            ": one or more objects failed to apply, reason: Deployment.apps \"web\" is invalid");
}

TEST_CASE("an automated app whose change does not touch it moves without an operation",
          "[argocd_fake]") {
  if (!RequireSharedData(kSwagger)) return;
  ManualClock clock;
  FakeArgoCd argo(clock);
  argo.AddApp(AppSpec{.name = "web", .revision = kOld, .automated = true},
              {.heads = {kNew}, .notice_delay = seconds(5), .auto_sync_skips = true});
  clock.Advance(seconds(5));
  const json moved = argo.App("web");
  CHECK(Summary(moved) == "Succeeded Synced@2 Healthy");
  CHECK(moved["status"]["operationState"]["syncResult"]["revision"] == kOld);
  clock.Advance(seconds(60));
  CHECK(argo.App("web")["metadata"]["resourceVersion"] == moved["metadata"]["resourceVersion"]);
}

TEST_CASE("an auto-sync app refuses a revision other than its target revision", "[argocd_fake]") {
  if (!RequireSharedData(kSwagger)) return;
  ManualClock clock;
  FakeArgoCd argo(clock);
  argo.AddApp(
      AppSpec{.name = "web", .target_revision = "main", .revision = kOld, .automated = true},
      {.heads = {kNew}});
  ArgoClient api(argo.port(), "test-token");
  ArgoReply refused = api.Post("/api/v1/applications/web/sync", json{{"revision", kNew}}.dump());
  CHECK(refused.status == 400);
  CHECK(refused.Json() ==
        json{{"error", "Cannot sync to " + kNew + ": auto-sync currently set to main"},
             {"code", kGrpcFailedPrecondition},
             {"message", "Cannot sync to " + kNew + ": auto-sync currently set to main"}});
  CHECK(api.Post("/api/v1/applications/web/sync", json{{"revision", kNew}, {"dryRun", true}}.dump())
            .status == 200);
  clock.Advance(seconds(10));
  ArgoReply plain = api.Post("/api/v1/applications/web/sync", json{{"name", "web"}}.dump());
  REQUIRE(plain.status == 200);
  CHECK(plain.Json()["operation"]["sync"]["revision"] == kNew);
  CHECK(argo.ViolationsText() == "");
}

TEST_CASE("a running operation conflicts, and terminating it needs it picked up first",
          "[argocd_fake]") {
  if (!RequireSharedData(kSwagger)) return;
  ManualClock clock;
  FakeArgoCd argo(clock);
  argo.AddApp(AppSpec{.name = "web", .revision = kOld},
              {.heads = {kNew}, .pickup_delay = seconds(2), .operation_duration = seconds(60)});
  argo.StartOperation("web", kOld);
  ArgoClient api(argo.port(), "test-token");
  ArgoReply conflict = api.Post("/api/v1/applications/web/sync", "{}");
  CHECK(conflict.status == 400);
  CHECK(conflict.Json()["message"] == "another operation is already in progress");
  CHECK(conflict.Json()["code"] == kGrpcFailedPrecondition);
  ArgoReply early = api.Delete("/api/v1/applications/web/operation?project=default");
  CHECK(early.status == 400);
  CHECK(early.Json()["message"] == "Unable to terminate operation. No operation is in progress");
  clock.Advance(seconds(2));
  ArgoReply terminated = api.Delete("/api/v1/applications/web/operation");
  CHECK(terminated.status == 200);
  CHECK(terminated.Json() == json::object());
  CHECK(Summary(argo.App("web")) == "Terminating Synced@1 Healthy op");
  clock.Advance(seconds(1));
  const json after = argo.App("web");
  CHECK(Summary(after) == "Failed Synced@1 Healthy");
  CHECK(after["status"]["operationState"]["message"] == "Operation terminated");
  CHECK(api.Post("/api/v1/applications/web/sync", "{}").status == 200);
  CHECK(argo.Count("terminate", "web") == 2);
  CHECK(argo.ViolationsText() == "");
}

TEST_CASE("a sync window refuses syncs with 403 code 7 and is listed", "[argocd_fake]") {
  if (!RequireSharedData(kSwagger)) return;
  ManualClock clock;
  FakeArgoCd argo(clock);
  argo.AddApp(AppSpec{.name = "web", .revision = kOld},
              {.heads = {kNew}, .sync_window = SyncWindow{}});
  ArgoClient api(argo.port(), "test-token");
  ArgoReply refused = api.Post("/api/v1/applications/web/sync", "{}");
  CHECK(refused.status == 403);
  CHECK(refused.Json()["code"] == kGrpcPermissionDenied);
  CHECK(refused.Json()["message"] == "cannot sync: blocked by sync window");
  const json windows = api.Get("/api/v1/applications/web/syncwindows").Json();
  CHECK(windows["canSync"] == false);
  CHECK(windows["activeWindows"][0] == json{{"kind", "deny"},
                                            {"schedule", "0 22 * * *"},
                                            {"duration", "8h"},
                                            {"manualSync", false}});
}

TEST_CASE("a multi-source sync takes revisions by source position", "[argocd_fake]") {
  if (!RequireSharedData(kSwagger)) return;
  ManualClock clock;
  FakeArgoCd argo(clock);
  AppSpec spec{.name = "web", .revision = kOld};
  spec.extra_sources = {json{{"repoURL", "https://github.com/acme/values.git"},
                             {"targetRevision", "main"},
                             {"ref", "values"}}};
  argo.AddApp(spec, {.refs = {{"v2", kNew}}});
  ArgoClient api(argo.port(), "test-token");
  ArgoReply sync = api.Post("/api/v1/applications/web/sync",
                            json{{"revisions", {"v2"}}, {"sourcePositions", {2}}}.dump());
  REQUIRE(sync.status == 200);
  CHECK(sync.Json()["operation"]["sync"]["revisions"] == json{kOld, kNew});
  clock.Advance(seconds(4));
  CHECK(argo.App("web")["status"]["sync"]["revisions"] == json{kOld, kNew});
  clock.Advance(seconds(10));
  CHECK(api.Post("/api/v1/applications/web/sync",
                 json{{"revisions", {"nope"}}, {"sourcePositions", {1}}}.dump())
            .status == 400);
  CHECK(api.Post("/api/v1/applications/web/sync",
                 json{{"revisions", {kNew}}, {"sourcePositions", {3}}}.dump())
            .status == 400);
  CHECK(argo.ViolationsText() == "");
}

TEST_CASE("a scheduled patch changes the app at its fake time", "[argocd_fake]") {
  if (!RequireSharedData(kSwagger)) return;
  ManualClock clock;
  FakeArgoCd argo(clock);
  argo.AddApp(AppSpec{.name = "web", .revision = kOld});
  argo.Schedule("web", seconds(3),
                {{"status",
                  {{"conditions",
                    {{{"type", "ComparisonError"}, {"message", "rpc error: repo not found"}}}}}}});
  clock.Advance(seconds(2));
  CHECK_FALSE(argo.App("web")["status"].contains("conditions"));
  clock.Advance(seconds(1));
  CHECK(argo.App("web")["status"]["conditions"][0]["type"] == "ComparisonError");
}

}  // namespace
}  // namespace capstan::testing
