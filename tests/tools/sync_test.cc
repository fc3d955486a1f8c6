// capstan-sync's Run() in-process against the fake Argo CD server (support/fake_argocd.h), on a
// ManualClock shared by both: each of issue 16's pain points is a scenario asserting the exit
// code, the output and the exact requests sent.

#include "sync/sync.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/fake_argocd.h"
#include "support/run_tool.h"
#include "support/shared_data.h"

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

}  // namespace
}  // namespace capstan::testing
