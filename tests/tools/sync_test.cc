// capstan-sync's Run() in-process against the fake Argo CD server (support/fake_argocd.h), on a
// ManualClock shared by both: each of issue 16's pain points is a scenario asserting the exit
// code, the output and the exact requests sent.

#include "sync/sync.h"

#include <httplib.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/strings.h"
#include "support/fake_argocd.h"
#include "support/run_tool.h"
#include "support/shared_data.h"
#include "support/temp_repo.h"
#include "support/test_certs.h"
#include "support/token_samples.h"

namespace capstan::testing {
namespace {

using nlohmann::json;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr const char* kSwagger = "data/argocd/swagger.json";
const std::string kOld(40, '1');
const std::string kNew(40, '2');
const std::string kToken = "t0ken-s3cret-value";

struct Sync {
  ManualClock clock;
  FakeArgoCd argo{clock, {.token = kToken}};
  std::map<std::string, std::string> environment;

  Sync() { environment = {{"ARGOCD_AUTH_TOKEN", kToken}}; }

  ToolResult Run(std::vector<std::string> args) {
    ToolRun run;
    args.insert(args.begin(), {"--server", argo.host(), "--plaintext"});
    run.args = std::move(args);
    run.clock = &clock;
    run.environment = environment;
    ToolResult r = RunTool(tools::RunSync, run);
    CHECK(r.out.find(kToken) == std::string::npos);
    CHECK(r.err.find(kToken) == std::string::npos);
    return r;
  }
  json Body(const std::string& route) {
    for (const RecordedRequest& r : argo.Requests()) {
      if (r.route == route) return json::parse(r.body);
    }
    FAIL("no " << route << " request");
    return json();
  }
  // "get" requests made while a stream for app was open: polling the stream should make needless.
  int PollsDuringStream(const std::string& app) {
    int n = 0;
    for (const RecordedRequest& r : argo.Requests()) {
      if (r.route != "get") continue;
      for (const std::string& open : r.streams_open) n += open == app ? 1 : 0;
    }
    return n;
  }
};

TEST_CASE("sync deploys the commit and waits until it is Synced and Healthy there", "[sync]") {
  if (!RequireSharedData(kSwagger)) return;
  Sync s;
  s.argo.AddApp(AppSpec{.name = "web", .revision = kOld}, {.heads = {kNew}});
  ToolResult r = s.Run({"web", "--revision", kNew});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(s.argo.ViolationsText() == "");
  CHECK(s.argo.Count("sync", "web") == 1);
  CHECK(s.argo.Count("stream") == 1);
  CHECK(s.PollsDuringStream("web") == 0);
  json body = s.Body("sync");
  CHECK(body["revision"] == kNew);
  CHECK(body["project"] == "default");
  CHECK(s.argo.App("web")["status"]["sync"]["revision"] == kNew);
  CHECK(r.out.find("deployed  web  2222222  Synced/Healthy") == 0);
  CHECK(r.err.find("web: sync requested (2222222)") != std::string::npos);
}

TEST_CASE("Synced and Healthy at the old revision while the controller is slow is not success",
          "[sync]") {
  if (!RequireSharedData(kSwagger)) return;
  Sync s;
  // argo-cd #542, #5592: for three minutes after the sync the app still reads Synced + Healthy
  // at the old commit, with no operation state.
  s.argo.AddApp(AppSpec{.name = "web", .revision = kOld},
                {.heads = {kNew}, .pickup_delay = minutes(3)});
  const FakeTime start = s.clock.Now();
  ToolResult r = s.Run({"web", "--revision", kNew, "-o", "json"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(s.clock.Now() - start >= minutes(3));
  json report = json::parse(r.out);
  CHECK(report["deployments"][0]["durationMs"].get<long long>() >= 180000);
  CHECK(s.argo.App("web")["status"]["sync"]["revision"] == kNew);
}

TEST_CASE("a token that expires while polling ends the wait with exit 3, not a timeout", "[sync]") {
  if (!RequireSharedData(kSwagger)) return;
  Sync s;
  s.argo.AddApp(AppSpec{.name = "web", .revision = kOld},
                {.heads = {kNew}, .health_end = HealthEnd::kProgressing});
  s.argo.InjectFault({.route = "stream", .status = 501, .times = 100});
  s.argo.ExpireTokenAt(s.clock.Now() + seconds(30));
  ToolResult r = s.Run({"web", "--revision", kNew});
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("Argo CD rejected the token (invalid session: token has invalid claims: token "
                   "is expired)") != std::string::npos);
  CHECK(r.out.find("error  web") == 0);
}

TEST_CASE("an app already deployed at the commit returns at once without a sync", "[sync]") {
  if (!RequireSharedData(kSwagger)) return;
  Sync s;
  s.argo.AddApp(AppSpec{.name = "web", .revision = kNew});
  ToolResult r = s.Run({"web", "--revision", kNew});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(s.argo.Count("sync") == 0);
  CHECK(s.argo.Count("stream") == 0);
  CHECK(r.err.find("web: already deployed: Synced at 2222222, Healthy") != std::string::npos);
}

TEST_CASE("a failed sync exits 1 with the failed resource and the app's state", "[sync]") {
  if (!RequireSharedData(kSwagger)) return;
  Sync s;
  s.argo.AddApp(AppSpec{.name = "web", .revision = kOld},
                {.heads = {kNew}, .operation_end = OperationEnd::kFailed});
  ToolResult r = s.Run({"web", "--revision", kNew});
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK(s.argo.ViolationsText() == "");
  CHECK(r.out.find("failed  web") == 0);
  CHECK(r.out.find("error sync-failed: application web: failed: sync failed") != std::string::npos);
}

TEST_CASE("an app that stays Progressing times out with exit 4 and its last state", "[sync]") {
  if (!RequireSharedData(kSwagger)) return;
  Sync s;
  s.argo.AddApp(AppSpec{.name = "web", .revision = kOld},
                {.heads = {kNew}, .health_end = HealthEnd::kProgressing});
  ToolResult r = s.Run({"web", "--revision", kNew, "--timeout", "2m"});
  INFO(r.err);
  CHECK(r.exit_code == 4);
  CHECK(r.out.find("timeout  web  2222222  Synced/Progressing") == 0);
  CHECK(r.out.find("timed out after 2m: Synced at 2222222, Progressing") != std::string::npos);
  CHECK(r.err.find("still waiting") != std::string::npos);
}

TEST_CASE("an auto-sync app gets a sync without revision and the wait is pinned to the commit",
          "[sync]") {
  if (!RequireSharedData(kSwagger)) return;
  Sync s;
  s.argo.AddApp(AppSpec{.name = "web", .revision = kOld, .automated = true},
                {.heads = {kNew}, .notice_delay = minutes(3)});
  ToolResult r = s.Run({"web", "--revision", kNew});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(s.argo.ViolationsText() == "");
  REQUIRE(s.argo.Count("sync") == 1);
  CHECK_FALSE(s.Body("sync").contains("revision"));
  CHECK(r.err.find("sync requested (its targetRevision, waiting for 2222222)") !=
        std::string::npos);
  CHECK(s.argo.App("web")["status"]["sync"]["revision"] == kNew);
}

TEST_CASE("a sync that fails keeps the resource-level report, degraded is its own outcome",
          "[sync]") {
  if (!RequireSharedData(kSwagger)) return;
  Sync s;
  s.argo.AddApp(AppSpec{.name = "web", .revision = kOld},
                {.heads = {kNew}, .health_end = HealthEnd::kDegraded});
  ToolResult r = s.Run({"web", "--revision", kNew, "--format", "json"});
  INFO(r.err);
  CHECK(r.exit_code == 1);
  json report = json::parse(r.out);
  REQUIRE(report["deployments"].size() == 1);
  CHECK(report["deployments"][0]["outcome"] == "degraded");
  CHECK(report["deployments"][0]["health"] == "Degraded");
  CHECK(report["deployments"][0]["revision"] == kNew);
  bool unhealthy_deployment = false;
  for (const json& f : report["findings"]) {
    unhealthy_deployment =
        unhealthy_deployment || (f["rule"] == "unhealthy" && f["resource"]["kind"] == "Deployment");
  }
  CHECK(unhealthy_deployment);
  CHECK(s.argo.Count("resource-tree") == 1);
}

TEST_CASE("healthy for a moment, then degraded within --settle, is a failure", "[sync]") {
  if (!RequireSharedData(kSwagger)) return;
  Sync s;
  s.argo.AddApp(AppSpec{.name = "web", .revision = kOld},
                {.heads = {kNew},
                 .health_end = HealthEnd::kHealthyThenDegraded,
                 .degraded_after = seconds(3)});
  ToolResult r = s.Run({"web", "--revision", kNew, "--settle", "10s"});
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("Healthy") != std::string::npos);
  CHECK(r.out.find("degraded  web") == 0);
}

TEST_CASE("capstan-sync --degraded-grace waits out a degraded spell", "[sync]") {
  if (!RequireSharedData(kSwagger)) return;
  Sync s;
  s.argo.AddApp(AppSpec{.name = "web", .revision = kOld},
                {.heads = {kNew}, .health_end = HealthEnd::kDegraded});
  s.argo.Schedule("web", seconds(20), {{"status", {{"health", {{"status", "Healthy"}}}}}});
  ToolResult r = s.Run({"web", "--revision", kNew, "--degraded-grace", "60"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
}

TEST_CASE("suspended is reported as such and exits 1", "[sync]") {
  if (!RequireSharedData(kSwagger)) return;
  Sync s;
  s.argo.AddApp(AppSpec{.name = "web", .revision = kOld},
                {.heads = {kNew}, .health_end = HealthEnd::kSuspended});
  ToolResult r = s.Run({"web", "--revision", kNew});
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("suspended  web") == 0);
}

TEST_CASE("capstan-sync --on-conflict fail exits 1 having sent nothing that changes state",
          "[sync]") {
  if (!RequireSharedData(kSwagger)) return;
  Sync s;
  s.argo.AddApp(AppSpec{.name = "web", .revision = kOld},
                {.heads = {kNew}, .operation_duration = minutes(5)});
  s.argo.StartOperation("web", kOld);
  ToolResult r = s.Run({"web", "--revision", kNew, "--on-conflict", "fail"});
  CHECK(r.exit_code == 1);
  CHECK(s.argo.Count("sync") == 0);
  CHECK(s.argo.Count("terminate") == 0);
  CHECK(r.out.find("conflict  web") == 0);
}

TEST_CASE("capstan-sync --on-conflict wait lets another revision's operation end, then syncs",
          "[sync]") {
  if (!RequireSharedData(kSwagger)) return;
  Sync s;
  s.argo.AddApp(AppSpec{.name = "web", .revision = kOld},
                {.heads = {kNew}, .operation_duration = seconds(40)});
  s.argo.StartOperation("web", kOld);
  ToolResult r = s.Run({"web", "--revision", kNew});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(s.argo.ViolationsText() == "");
  CHECK(s.argo.Count("sync") == 1);
  CHECK(r.err.find("waiting for it to end, then syncing") != std::string::npos);
  CHECK(s.argo.App("web")["status"]["sync"]["revision"] == kNew);
}

TEST_CASE("capstan-sync --on-conflict wait joins an operation that already deploys the commit",
          "[sync]") {
  if (!RequireSharedData(kSwagger)) return;
  Sync s;
  s.argo.AddApp(AppSpec{.name = "web", .revision = kOld},
                {.heads = {kNew}, .pickup_delay = seconds(0), .operation_duration = seconds(20)});
  s.argo.StartOperation("web", kNew);
  s.clock.Advance(seconds(1));
  ToolResult r = s.Run({"web", "--revision", kNew});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(s.argo.Count("sync") == 0);
  CHECK(r.err.find("deploys the commit: waiting for it") != std::string::npos);
}

TEST_CASE(
    "capstan-sync --on-conflict terminate stops the running operation, retrying while it is picked "
    "up",
    "[sync]") {
  if (!RequireSharedData(kSwagger)) return;
  Sync s;
  s.argo.AddApp(AppSpec{.name = "web", .revision = kOld},
                {.heads = {kNew}, .pickup_delay = seconds(3), .operation_duration = minutes(5)});
  s.argo.StartOperation("web", kOld);
  ToolResult r = s.Run({"web", "--revision", kNew, "--on-conflict", "terminate"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(s.argo.ViolationsText() == "");
  CHECK(s.argo.Count("terminate") >= 2);  // "No operation is in progress" first (#17155)
  CHECK(s.argo.Count("sync") == 1);
  CHECK(s.argo.App("web")["status"]["sync"]["revision"] == kNew);
}

TEST_CASE("a refused stream falls back to polling at most once per two seconds", "[sync]") {
  if (!RequireSharedData(kSwagger)) return;
  Sync s;
  s.argo.AddApp(AppSpec{.name = "web", .revision = kOld}, {.heads = {kNew}});
  s.argo.InjectFault({.route = "stream", .status = 501, .times = 100});
  ToolResult r = s.Run({"web", "--revision", kNew});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("no event stream (HTTP 501); polling") != std::string::npos);
  CHECK(s.argo.Count("stream") == 1);
  const std::vector<RecordedRequest> requests = s.argo.Requests();
  std::optional<FakeTime> previous;
  for (const RecordedRequest& q : requests) {
    if (q.route != "get") continue;
    if (previous) CHECK(q.at - *previous >= seconds(2));
    previous = q.at;
  }
}

TEST_CASE("a dropped stream falls back to polling and still sees the commit", "[sync]") {
  if (!RequireSharedData(kSwagger)) return;
  Sync s;
  s.argo.AddApp(AppSpec{.name = "web", .revision = kOld}, {.heads = {kNew}});
  s.argo.PlanStreams({StreamPlan{.drop_after_frames = 1}});
  ToolResult r = s.Run({"web", "--revision", kNew});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("polling") != std::string::npos);
}

TEST_CASE("a token the server rejects exits 3 without showing it", "[sync]") {
  if (!RequireSharedData(kSwagger)) return;
  Sync s;
  s.argo.AddApp(AppSpec{.name = "web", .revision = kOld}, {.heads = {kNew}});
  s.environment["ARGOCD_AUTH_TOKEN"] = "another-t0ken";
  ToolResult r = s.Run({"web", "--revision", kNew});
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("Argo CD rejected the token") != std::string::npos);
  CHECK(r.err.find("another-t0ken") == std::string::npos);
  CHECK(s.argo.Count("sync") == 0);
}

TEST_CASE("an expired token is refused before anything is sent", "[sync]") {
  if (!RequireSharedData(kSwagger)) return;
  Sync s;
  // exp 2023-12-31T00:00:00Z; the clock starts 2024-01-01.
  const std::string jwt = Base64Url(R"({"alg":"HS256"})") + "." +
                          Base64Url(R"({"sub":"ci","exp":1703980800})") + ".c2ln";
  s.environment["ARGOCD_AUTH_TOKEN"] = jwt;
  ToolResult r = s.Run({"web", "--revision", kNew});
  CHECK(r.exit_code == 3);
  CHECK(r.err ==
        "capstan-sync: error: the Argo CD token expired at 2023-12-31T00:00:00Z; "
        "generate a new one (argocd account generate-token)\n");
  CHECK(s.argo.Requests().empty());
  CHECK(r.err.find(jwt) == std::string::npos);
}

TEST_CASE("a token expiring before --timeout ends is a warning up front", "[sync]") {
  if (!RequireSharedData(kSwagger)) return;
  // exp 2024-01-01T00:05:00Z, five minutes after the clock's start.
  const std::string jwt = Base64Url(R"({"alg":"HS256"})") + "." +
                          Base64Url(R"({"sub":"ci","exp":1704067500})") + ".c2ln";
  ManualClock clock;
  FakeArgoCd argo(clock, {.token = jwt});
  argo.AddApp(AppSpec{.name = "web", .revision = kNew});
  ToolRun run;
  run.args = {"web", "--server", argo.host(), "--plaintext", "--revision", kNew};
  run.clock = &clock;
  run.environment = {{"ARGOCD_AUTH_TOKEN", jwt}};
  ToolResult r = RunTool(tools::RunSync, run);
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("warning: the Argo CD token expires at 2024-01-01T00:05:00Z, before --timeout "
                   "(10m) ends") != std::string::npos);
}

TEST_CASE("a missing app is 403 without a project (ambiguous, said so) and 404 with one",
          "[sync]") {
  if (!RequireSharedData(kSwagger)) return;
  Sync s;
  ToolResult without = s.Run({"nope", "--revision", kNew});
  CHECK(without.exit_code == 3);
  CHECK(without.out.find("error  nope") == 0);
  CHECK(without.err.find("permission denied for application 'nope' (it may not exist") !=
        std::string::npos);
  ToolResult with = s.Run({"nope", "--revision", kNew, "--project", "default"});
  CHECK(with.exit_code == 2);
  CHECK(with.err.find("application 'nope' not found in project 'default'") != std::string::npos);
}

TEST_CASE("a sync window blocks with exit 1 and names the window", "[sync]") {
  if (!RequireSharedData(kSwagger)) return;
  Sync s;
  s.argo.AddApp(AppSpec{.name = "web", .revision = kOld},
                {.heads = {kNew}, .sync_window = SyncWindow{}});
  ToolResult r = s.Run({"web", "--revision", kNew});
  CHECK(r.exit_code == 1);
  CHECK(s.argo.ViolationsText() == "");
  CHECK(r.err.find("blocked by a sync window (deny window '0 22 * * *' for 8h)") !=
        std::string::npos);
}

TEST_CASE("5xx answers to the sync are retried, a 415 from a proxy is one clear line", "[sync]") {
  if (!RequireSharedData(kSwagger)) return;
  SECTION("503 twice") {
    Sync s;
    s.argo.AddApp(AppSpec{.name = "web", .revision = kOld}, {.heads = {kNew}});
    s.argo.InjectFault({.route = "sync", .status = 503, .times = 2});
    ToolResult r = s.Run({"web", "--revision", kNew});
    CHECK(r.exit_code == 0);
    CHECK(s.argo.Count("sync") == 3);
  }
  SECTION("415") {
    Sync s;
    s.argo.AddApp(AppSpec{.name = "web", .revision = kOld}, {.heads = {kNew}});
    s.argo.InjectFault({.route = "sync",
                        .status = 415,
                        .body = "Invalid content type\n",
                        .content_type = "text/plain; charset=utf-8"});
    ToolResult r = s.Run({"web", "--revision", kNew});
    CHECK(r.exit_code == 3);
    CHECK(r.err.find("Argo CD answered HTTP 415 for application 'web': Invalid content type") !=
          std::string::npos);
  }
}

TEST_CASE("capstan-sync --async returns once the sync is requested", "[sync]") {
  if (!RequireSharedData(kSwagger)) return;
  Sync s;
  s.argo.AddApp(AppSpec{.name = "web", .revision = kOld}, {.heads = {kNew}});
  ToolResult r = s.Run({"web", "--revision", kNew, "--async"});
  CHECK(r.exit_code == 0);
  CHECK(s.argo.Count("sync") == 1);
  CHECK(s.argo.Count("stream") == 0);
  CHECK(r.out.find("requested  web") == 0);
}

TEST_CASE("the request merges the app's sync options and retry with the flags", "[sync]") {
  if (!RequireSharedData(kSwagger)) return;
  Sync s;
  s.argo.AddApp(AppSpec{.name = "web",
                        .revision = kOld,
                        .sync_options = {"CreateNamespace=true", "ServerSideApply=false"}},
                {.heads = {kNew}});
  ToolResult r = s.Run({"web", "--revision", kNew, "--server-side", "--prune", "--retry-limit", "3",
                        "--retry-backoff-duration", "10", "--info", "ci=https://ci/1", "--resource",
                        "apps:Deployment:web", "--strategy", "apply", "--force"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(s.argo.ViolationsText() == "");
  json body = s.Body("sync");
  CHECK(body["syncOptions"]["items"] == json{"CreateNamespace=true", "ServerSideApply=true"});
  CHECK(body["prune"] == true);
  CHECK(body["retryStrategy"]["limit"] == 3);
  CHECK(body["retryStrategy"]["backoff"]["duration"] == "10s");
  CHECK(body["infos"] == json{{{"name", "ci"}, {"value", "https://ci/1"}}});
  CHECK(body["resources"][0]["kind"] == "Deployment");
  CHECK(body["strategy"] == json{{"apply", {{"force", true}}}});
}

TEST_CASE(
    "capstan-sync -l selects with one List call, --waves deploys wave by wave and stops on failure",
    "[sync]") {
  if (!RequireSharedData(kSwagger)) return;
  Sync s;
  s.argo.AddApp(AppSpec{.name = "db",
                        .revision = kOld,
                        .annotations = {{"argocd.argoproj.io/sync-wave", "-1"}},
                        .labels = {{"team", "a"}}},
                {.heads = {kNew}, .operation_end = OperationEnd::kFailed});
  s.argo.AddApp(AppSpec{.name = "web", .revision = kOld, .labels = {{"team", "a"}}},
                {.heads = {kNew}});
  s.argo.AddApp(AppSpec{.name = "other", .revision = kOld, .labels = {{"team", "b"}}},
                {.heads = {kNew}});
  ToolResult r = s.Run({"-l", "team=a", "--revision", kNew, "--waves"});
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK(s.argo.Count("list") == 1);
  CHECK(s.argo.Count("sync", "db") == 1);
  CHECK(s.argo.Count("sync", "web") == 0);
  CHECK(s.argo.Count("sync", "other") == 0);
  CHECK(r.out.find("skipped  argocd/web") != std::string::npos);
}

TEST_CASE("ARGOCD_OPTS is read as the argocd CLI reads it, flags win", "[sync]") {
  if (!RequireSharedData(kSwagger)) return;
  ManualClock clock;
  FakeArgoCd argo(clock, {.token = kToken});
  argo.AddApp(AppSpec{.name = "web", .revision = kNew});
  ToolRun run;
  run.clock = &clock;
  run.args = {"web", "--revision", kNew};
  run.environment = {
      {"ARGOCD_AUTH_TOKEN", kToken},
      {"ARGOCD_SERVER", "argocd.invalid:443"},
      {"ARGOCD_OPTS", "--grpc-web --plaintext --server " + argo.host() + " --header 'X-Team: a'"}};
  ToolResult r = RunTool(tools::RunSync, run);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  REQUIRE_FALSE(argo.Requests().empty());
  CHECK(argo.Requests()[0].Header("X-Team") == "a");

  run.environment["ARGOCD_OPTS"] = "--port-forward --plaintext";
  r = RunTool(tools::RunSync, run);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("ARGOCD_OPTS invalid at '--port-forward': capstan-sync cannot use this "
                   "option") != std::string::npos);
}

TEST_CASE("TLS spoken to a plain-HTTP server says --plaintext may be missing", "[sync]") {
  if (!RequireSharedData(kSwagger)) return;
  ManualClock clock;
  FakeArgoCd argo(clock, {.token = kToken});
  ToolRun run;
  run.args = {"web", "--server", argo.host()};
  run.clock = &clock;
  run.environment = {{"ARGOCD_AUTH_TOKEN", kToken}};
  ToolResult r = RunTool(tools::RunSync, run);
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("(the server may speak plain HTTP: --plaintext)") != std::string::npos);
}

TEST_CASE("the token from --auth-token-file, an app by namespace/name, and the request flags",
          "[sync]") {
  if (!RequireSharedData(kSwagger)) return;
  Sync s;
  s.environment.clear();
  TempDir dir;
  WriteFile(dir / "token", kToken + "\n");
  s.argo.AddApp(AppSpec{.name = "web", .namespace_ = "team-a", .revision = kOld},
                {.heads = {kNew}});
  ToolResult r = s.Run({"team-a/web", "--revision", kNew, "--auth-token-file", dir / "token",
                        "--dry-run", "--replace", "--apply-out-of-sync-only", "--sync-option",
                        "PruneLast=true", "-j", "2"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(s.argo.ViolationsText() == "");
  json body = s.Body("sync");
  CHECK(body["appNamespace"] == "team-a");
  CHECK(body["dryRun"] == true);
  CHECK(body["syncOptions"]["items"] ==
        json{"ApplyOutOfSyncOnly=true", "Replace=true", "PruneLast=true"});
  // A dry run deploys nothing: its outcome is the operation's, the app stays where it was.
  CHECK(r.out.find("dry-run  team-a/web") == 0);
  CHECK(s.argo.App("web", "team-a")["status"]["sync"]["revision"] == kOld);

  ToolResult missing = s.Run({"web", "--auth-token-file", dir / "nope"});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("cannot read --auth-token-file") != std::string::npos);
}

TEST_CASE(
    "capstan-sync --ca-file trusts a private CA, without it TLS fails, --insecure skips the check",
    "[sync]") {
  TempDir dir;
  TestCerts certs = MakeTestCerts(dir.path());
  httplib::SSLServer server(certs.server_crt.c_str(), certs.server_key.c_str());
  server.Get(".*", [](const httplib::Request&, httplib::Response& res) {
    res.status = 401;
    res.set_content(
        R"({"error":"no session information","code":16,"message":"no session information"})",
        "application/json");
  });
  const int port = server.bind_to_any_port("127.0.0.1");
  std::thread serving([&] { server.listen_after_bind(); });
  while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  auto run = [&](std::vector<std::string> extra) {
    ToolRun t;
    t.args = {"web", "--server", "127.0.0.1:" + std::to_string(port)};
    t.args.insert(t.args.end(), extra.begin(), extra.end());
    t.environment = {{"ARGOCD_AUTH_TOKEN", kToken}};
    return RunTool(tools::RunSync, t);
  };
  ToolResult trusted = run({"--ca-file", certs.ca_crt});
  ToolResult untrusted = run({});
  ToolResult insecure = run({"--insecure"});
  server.stop();
  serving.join();
  CHECK(trusted.exit_code == 3);
  CHECK(trusted.err.find("Argo CD rejected the token") != std::string::npos);
  CHECK(untrusted.exit_code == 3);
  CHECK(untrusted.err.find("cannot reach https://127.0.0.1:") != std::string::npos);
  CHECK(insecure.exit_code == 3);
  CHECK(insecure.err.find("Argo CD rejected the token") != std::string::npos);
}

TEST_CASE("usage errors are one line and exit 2", "[sync]") {
  for (const auto& [args, message] : std::vector<std::pair<std::vector<std::string>, std::string>>{
           {{"web"}, "no Argo CD server"},
           {{"--server", "a:1", "--changed", "a..b"}, "--changed needs --repo PATH"},
           {{"--server", "https://a"}, "without a scheme"},
           {{"--server", "a:1", "web", "--timeout", "soon"}, "option '--timeout' needs a duration"},
           {{"--server", "a:1", "web", "--on-conflict", "skip"}, "--on-conflict must be wait"},
           {{"--server", "a:1"}, "nothing selected"},
           {{"--server", "a:1", "web", "--kubeconfig", "k"}, "go with --flux-receiver URL"},
           {{"--flux-receiver", "http://127.0.0.1:1/hook/x", "--flux-kustomization", "a/b"},
            "--flux-kustomization needs --kubeconfig"},
       }) {
    ToolRun run;
    run.args = args;
    run.environment = {{"ARGOCD_AUTH_TOKEN", kToken}};
    ToolResult r = RunTool(tools::RunSync, run);
    INFO(Join(args, " "));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(message) != std::string::npos);
    CHECK(r.out.empty());
  }
}

}  // namespace
}  // namespace capstan::testing
