// The fake Argo CD's waiting endpoints: the event stream and ?refresh=, with the fake moving the
// clock while the client waits on it.
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

std::string Health(const json& frame) {
  return frame["result"]["application"]["status"]["health"]["status"];
}

TEST_CASE("the stream sends the app, then each scripted change, then keepalives", "[argocd_fake]") {
  if (!RequireSharedData(kSwagger)) return;
  ManualClock clock;
  const FakeTime t0 = clock.Now();
  FakeArgoCd argo(clock);
  argo.AddApp(AppSpec{.name = "web", .revision = kOld}, {.heads = {kNew}});
  ArgoClient api(argo.port(), "test-token");
  REQUIRE(api.Post("/api/v1/applications/web/sync", "{}").status == 200);

  bool polled = false;
  ArgoStreamRead read =
      api.Stream("/api/v1/stream/applications?name=web", [&](const std::string& text) {
        if (!polled) {
          polled = true;
          api.Get("/api/v1/applications/web");  // while the stream is open
        }
        std::vector<json> frames = SseData(text);
        return !frames.empty() && Health(frames.back()) == "Healthy" &&
               frames.back()["result"]["application"]["status"]["sync"]["revision"] == kNew &&
               text.size() >= 2 && text.compare(text.size() - 2, 2, ":\n") == 0;
      });
  CHECK(read.status == 200);
  CHECK(read.content_type == "text/event-stream");
  const std::vector<json> frames = SseData(read.text);
  REQUIRE(frames.size() == 5);
  std::vector<std::string> seen;
  for (const json& f : frames) {
    const json& app = f["result"]["application"];
    const json& status = app["status"];
    seen.push_back(f["result"]["type"].get<std::string>() + " " +
                   (status.contains("operationState")
                        ? status["operationState"]["phase"].get<std::string>()
                        : "-") +
                   " " + status["sync"]["status"].get<std::string>() + " " +
                   status["health"]["status"].get<std::string>());
  }
  CHECK(seen == std::vector<std::string>{
                    "ADDED - Synced Healthy", "MODIFIED Running OutOfSync Healthy",
                    "MODIFIED Succeeded OutOfSync Progressing",
                    "MODIFIED Succeeded Synced Progressing", "MODIFIED Succeeded Synced Healthy"});
  CHECK(read.text.rfind("data: {\"result\":{\"application\":", 0) == 0);
  CHECK(read.text.find("} \n\ndata: ") != std::string::npos);
  CHECK(frames[4]["result"]["application"]["status"]["reconciledAt"] ==
        FormatRfc3339(t0 + seconds(4)));
  CHECK(clock.Now() >= t0 + seconds(15));  // the keepalive came 15 fake seconds in

  const std::vector<RecordedRequest> requests = argo.Requests();
  REQUIRE(requests.size() == 3);
  CHECK(requests[1].route == "stream");
  CHECK(requests[1].app == "web");
  CHECK(requests[2].route == "get");
  CHECK(requests[2].streams_open == std::vector<std::string>{"web"});
  CHECK(argo.ViolationsText() == "");
}

TEST_CASE("stream fields trim frames and an unchanged frame is not sent again", "[argocd_fake]") {
  if (!RequireSharedData(kSwagger)) return;
  ManualClock clock;
  FakeArgoCd argo(clock);
  argo.AddApp(AppSpec{.name = "web", .revision = kOld}, {.heads = {kNew}});
  ArgoClient api(argo.port(), "test-token");
  REQUIRE(api.Post("/api/v1/applications/web/sync", "{}").status == 200);
  ArgoStreamRead read =
      api.Stream("/api/v1/stream/applications?name=web&fields=result.application.status.health",
                 [](const std::string& text) { return text.find(":\n") != std::string::npos; });
  const std::vector<json> frames = SseData(read.text);
  REQUIRE(frames.size() == 3);
  CHECK(frames[0] ==
        json{{"result", {{"application", {{"status", {{"health", {{"status", "Healthy"}}}}}}}}}});
  CHECK(Health(frames[1]) == "Progressing");
  CHECK(Health(frames[2]) == "Healthy");
}

TEST_CASE("streams can be dropped, ended by an error frame, or refused", "[argocd_fake]") {
  if (!RequireSharedData(kSwagger)) return;
  ManualClock clock;
  FakeArgoCd argo(clock);
  argo.AddApp(AppSpec{.name = "web", .revision = kOld});
  argo.PlanStreams({{.drop_after_frames = 1}, {.error_after_frames = 1}});
  ArgoClient api(argo.port(), "test-token");
  auto never = [](const std::string&) { return false; };

  ArgoStreamRead dropped = api.Stream("/api/v1/stream/applications?name=web", never);
  CHECK(dropped.broken);
  CHECK(SseData(dropped.text).size() == 1);

  ArgoStreamRead errored = api.Stream("/api/v1/stream/applications?name=web", never);
  CHECK(errored.ended);
  const std::vector<json> frames = SseData(errored.text);
  REQUIRE(frames.size() == 2);
  CHECK(frames[1] == json{{"error",
                           {{"grpc_code", 14},
                            {"http_code", 503},
                            {"message", "application controller is unavailable"},
                            {"http_status", "Service Unavailable"}}}});

  argo.InjectFault({.route = "stream", .status = 501});
  CHECK(api.Stream("/api/v1/stream/applications?name=web", never).status == 501);
  CHECK(argo.Count("stream", "web") == 3);
  CHECK(argo.ViolationsText() == "");
}

TEST_CASE("a stream for an unknown app sends keepalives only", "[argocd_fake]") {
  if (!RequireSharedData(kSwagger)) return;
  ManualClock clock;
  FakeArgoCd argo(clock);
  ArgoClient api(argo.port(), "test-token");
  ArgoStreamRead read = api.Stream("/api/v1/stream/applications?name=nope",
                                   [](const std::string& text) { return text == ":\n:\n"; });
  CHECK(read.text == ":\n:\n");
}

TEST_CASE("a stream without Accept: text/event-stream gets JSON lines and a violation",
          "[argocd_fake]") {
  if (!RequireSharedData(kSwagger)) return;
  ManualClock clock;
  FakeArgoCd argo(clock);
  argo.AddApp(AppSpec{.name = "web", .revision = kOld});
  ArgoClient api(argo.port(), "test-token");
  ArgoStreamRead read = api.Stream(
      "/api/v1/stream/applications?name=web",
      [](const std::string& text) { return text.find('\n') != std::string::npos; },
      "application/json");
  CHECK(read.text.rfind("{\"result\":{\"application\":", 0) == 0);
  CHECK(argo.ViolationsText() ==
        "#1 GET /api/v1/stream/applications: stream request without \"Accept: "
        "text/event-stream\": Argo CD answers newline-delimited JSON, not server-sent events\n");
}

TEST_CASE("a refresh answers when the controller has reconciled, in fake time", "[argocd_fake]") {
  if (!RequireSharedData(kSwagger)) return;
  ManualClock clock;
  const FakeTime t0 = clock.Now();
  FakeArgoCd argo(clock);
  argo.AddApp(AppSpec{.name = "web", .revision = kOld},
              {.heads = {kNew}, .notice_delay = seconds(180), .refresh_duration = seconds(5)});
  ArgoClient api(argo.port(), "test-token");
  ArgoReply reply = api.Get("/api/v1/applications/web?refresh=normal", {{"Grpc-Timeout", "30S"}});
  REQUIRE(reply.status == 200);
  CHECK(clock.Now() == t0 + seconds(5));
  // The refresh made the controller notice the new head at once.
  CHECK(reply.Json()["status"]["reconciledAt"] == FormatRfc3339(t0 + seconds(5)));
  CHECK(reply.Json()["status"]["sync"] ==
        json{{"status", "OutOfSync"},
             {"revision", kNew},
             {"comparedTo", argo.App("web")["status"]["sync"]["comparedTo"]}});
  CHECK(argo.ViolationsText() == "");
}

TEST_CASE("a refresh that never completes fails at its Grpc-Timeout deadline", "[argocd_fake]") {
  if (!RequireSharedData(kSwagger)) return;
  ManualClock clock;
  const FakeTime t0 = clock.Now();
  FakeArgoCd argo(clock, {.real_time_cap = std::chrono::milliseconds(50)});
  argo.AddApp(AppSpec{.name = "web", .revision = kOld}, {.refresh_duration = std::nullopt});
  ArgoClient api(argo.port(), "test-token");
  ArgoReply reply = api.Get("/api/v1/applications/web?refresh=hard", {{"Grpc-Timeout", "30S"}});
  CHECK(reply.status == 500);
  CHECK(reply.Json() == json{{"error", "application refresh deadline exceeded"},
                             {"code", kGrpcUnknown},
                             {"message", "application refresh deadline exceeded"}});
  CHECK(clock.Now() == t0 + seconds(30));
  CHECK(argo.ViolationsText() == "");

  ArgoReply unbounded = api.Get("/api/v1/applications/web?refresh=normal");
  CHECK(unbounded.status == 500);
  CHECK(clock.Now() == t0 + seconds(30));
  CHECK(argo.ViolationsText() ==
        "#2 GET /api/v1/applications/web: ?refresh= without a Grpc-Timeout header: Argo CD waits "
        "for the controller with no deadline (argo-cd #21613)\n");
}

}  // namespace
}  // namespace capstan::testing
