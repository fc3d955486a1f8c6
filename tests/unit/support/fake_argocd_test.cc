#include "support/fake_argocd.h"

#include <catch2/catch.hpp>

#include "support/argocd_client.h"
#include "support/shared_data.h"

namespace capstan::testing {
namespace {

using nlohmann::json;

constexpr const char* kSwagger = "data/argocd/swagger.json";
const std::string kOld(40, '1');

TEST_CASE("a non-GET request with a charset content type gets 415 and is a violation",
          "[argocd_fake]") {
  if (!RequireSharedData(kSwagger)) return;
  ManualClock clock;
  FakeArgoCd argo(clock);
  argo.AddApp(AppSpec{.name = "web", .revision = kOld});
  ArgoClient api(argo.port(), "test-token");

  ArgoReply charset = api.Post("/api/v1/applications/web/sync", R"({"name":"web"})",
                               "application/json; charset=utf-8");
  CHECK(charset.status == 415);
  CHECK(charset.body == "Invalid content type\n");
  ArgoReply bare_delete = api.Delete("/api/v1/applications/web/operation", "");
  CHECK(bare_delete.status == 415);
  CHECK(api.Delete("/api/v1/applications/web/operation", "Application/JSON").status == 400);

  REQUIRE(argo.Violations().size() == 2);
  CHECK(argo.ViolationsText() ==
        "#1 POST /api/v1/applications/web/sync: Content-Type 'application/json; charset=utf-8' "
        "is not exactly application/json: Argo CD answers 415\n"
        "#2 DELETE /api/v1/applications/web/operation: Content-Type '' is not exactly "
        "application/json: Argo CD answers 415\n");
  CHECK(argo.Count("sync") == 0);
}

TEST_CASE("a request the description does not allow gets 400 and is recorded as a violation",
          "[argocd_fake]") {
  if (!RequireSharedData(kSwagger)) return;
  ManualClock clock;
  FakeArgoCd argo(clock);
  argo.AddApp(AppSpec{.name = "web", .revision = kOld});
  ArgoClient api(argo.port(), "test-token");

  ArgoReply wrong_path = api.Get("/api/v1/aplications");
  CHECK(wrong_path.status == 400);
  CHECK(wrong_path.Json()["code"] == kGrpcInvalidArgument);
  CHECK(wrong_path.Json()["message"] ==
        "swagger violation: no path template matches '/api/v1/aplications'");
  CHECK(api.Get("/api/v1/applications/web/sync").status == 400);
  CHECK(api.Get("/api/v1/applications?limit=10").status == 400);
  CHECK(api.Post("/api/v1/applications/web/sync", R"({"revison":"abc"})").status == 400);
  CHECK(api.Post("/api/v1/applications/web/sync", R"({"prune":"yes"})").status == 400);
  CHECK(api.Get("/api/v1/applications/web", {{"Grpc-Timeout", "30s"}}).status == 400);

  const std::vector<Violation> violations = argo.Violations();
  REQUIRE(violations.size() == 6);
  CHECK(violations[1].message ==
        "method GET is not declared for /api/v1/applications/{name}/sync (declared: POST)");
  CHECK(violations[3].message ==
        "body field 'revison' is not declared in applicationApplicationSyncRequest");
  CHECK(violations[5].message ==
        "Grpc-Timeout '30s' is not 1 to 8 digits and a unit (H, M, S, m, u, n)");
  CHECK(argo.Requests()[3].status == 400);
  CHECK(argo.App("web").count("operation") == 0);
}

TEST_CASE("an operation the fake does not serve answers 501 and is a violation", "[argocd_fake]") {
  if (!RequireSharedData(kSwagger)) return;
  ManualClock clock;
  FakeArgoCd argo(clock);
  ArgoClient api(argo.port(), "test-token");
  CHECK(api.Get("/api/v1/applications/web/events").status == 501);
  CHECK(argo.ViolationsText() ==
        "#1 GET /api/v1/applications/web/events: the fake Argo CD does "
        "not implement ApplicationService_ListResourceEvents\n");
}

TEST_CASE("the token is checked on every request and never recorded", "[argocd_fake]") {
  if (!RequireSharedData(kSwagger)) return;
  ManualClock clock;
  FakeArgoCd argo(clock, {.token = "s3cret-t0ken"});
  argo.AddApp(AppSpec{.name = "web", .revision = kOld});

  ArgoReply none = ArgoClient(argo.port(), "").Get("/api/v1/applications");
  CHECK(none.status == 401);
  CHECK(none.Json() == json{{"error", "no session information"},
                            {"code", kGrpcUnauthenticated},
                            {"message", "no session information"}});
  CHECK(ArgoClient(argo.port(), "other").Get("/api/v1/applications").Json()["message"] ==
        "invalid session: token signature is invalid");
  ArgoClient api(argo.port(), "s3cret-t0ken");
  CHECK(api.Get("/api/v1/applications").status == 200);
  CHECK(ArgoClient(argo.port(), "").Get("/api/version").Json()["Version"] == "v2.14.2+fake");
  CHECK(ArgoClient(argo.port(), "").Get("/api/v1/session/userinfo").Json() ==
        json{{"loggedIn", false}});

  argo.ExpireTokenAt(clock.Now() + std::chrono::minutes(5));
  clock.Advance(std::chrono::minutes(5));
  ArgoReply expired = api.Get("/api/v1/applications/web");
  CHECK(expired.status == 401);
  CHECK(expired.Json()["message"] == "invalid session: token has invalid claims: token is expired");

  CHECK(argo.ViolationsText() == "");
  const std::vector<RecordedRequest> requests = argo.Requests();
  REQUIRE(requests.size() == 6);
  CHECK(requests[0].Header("Authorization") == "");
  CHECK_FALSE(requests[0].token_ok);
  CHECK(requests[2].Header("authorization") == "Bearer ***");
  CHECK(requests[2].token_ok);
  for (const RecordedRequest& r : requests) {
    for (const auto& [name, value] : r.headers) CHECK(value.find("s3cret") == std::string::npos);
  }
}

TEST_CASE("a missing app is 403 without a project and 404 with one", "[argocd_fake]") {
  if (!RequireSharedData(kSwagger)) return;
  ManualClock clock;
  FakeArgoCd argo(clock);
  argo.AddApp(AppSpec{.name = "web", .project = "team-a", .revision = kOld});
  argo.AddApp(AppSpec{.name = "secret", .revision = kOld}, {.forbidden = true});
  ArgoClient api(argo.port(), "test-token");

  ArgoReply denied = api.Get("/api/v1/applications/nope");
  CHECK(denied.status == 403);
  CHECK(denied.Json() == json{{"error", "permission denied"},
                              {"code", kGrpcPermissionDenied},
                              {"message", "permission denied"}});
  ArgoReply missing = api.Get("/api/v1/applications/nope?project=team-a");
  CHECK(missing.status == 404);
  CHECK(missing.Json()["message"] == "applications.argoproj.io \"nope\" not found");
  CHECK(api.Get("/api/v1/applications/web?project=default").status == 404);
  CHECK(api.Get("/api/v1/applications/web?project=team-a").status == 200);
  CHECK(api.Get("/api/v1/applications/secret").status == 403);
  CHECK(
      api.Post("/api/v1/applications/nope/sync", R"({"name":"nope","project":"team-a"})").status ==
      404);
  CHECK(api.Get("/api/v1/applications/web?appNamespace=other").status == 403);
  CHECK(argo.ViolationsText() == "");
}

TEST_CASE("the list filters by selector, project, namespace and repo, sorted by name",
          "[argocd_fake]") {
  if (!RequireSharedData(kSwagger)) return;
  ManualClock clock;
  FakeArgoCd argo(clock);
  argo.AddApp(
      AppSpec{.name = "web", .project = "team-a", .revision = kOld, .labels = {{"tier", "front"}}});
  argo.AddApp(
      AppSpec{.name = "api", .project = "team-b", .revision = kOld, .labels = {{"tier", "back"}}});
  argo.AddApp(AppSpec{.name = "db", .namespace_ = "data", .revision = kOld});
  ArgoClient api(argo.port(), "test-token");
  auto names = [&](const std::string& query) {
    std::vector<std::string> out;
    const json list = api.Get("/api/v1/applications" + query).Json();
    for (const json& item : list["items"]) {
      out.push_back(item["metadata"]["name"]);
    }
    return out;
  };
  CHECK(names("") == std::vector<std::string>{"api", "db", "web"});
  CHECK(names("?selector=tier%3Dfront") == std::vector<std::string>{"web"});
  CHECK(names("?projects=team-a&projects=team-b") == std::vector<std::string>{"api", "web"});
  CHECK(names("?appNamespace=data") == std::vector<std::string>{"db"});
  CHECK(names("?repo=https%3A%2F%2Fgithub.com%2Facme%2Fgitops.git").size() == 3);
  CHECK(api.Get("/api/v1/applications?selector=tier%20in%20front").status == 500);
  CHECK(argo.Count("list") == 6);
  CHECK(argo.ViolationsText() == "");
}

TEST_CASE("fields trimming keeps a list of 500 apps small", "[argocd_fake]") {
  if (!RequireSharedData(kSwagger)) return;
  ManualClock clock;
  FakeArgoCd argo(clock);
  for (int i = 0; i < 500; ++i) {
    argo.AddApp(AppSpec{.name = "app-" + std::to_string(1000 + i), .revision = kOld});
  }
  ArgoClient api(argo.port(), "test-token");
  ArgoReply full = api.Get("/api/v1/applications");
  ArgoReply trimmed = api.Get(
      "/api/v1/applications?fields=items.metadata.name,items.metadata.namespace,"
      "items.metadata.annotations,items.spec");
  REQUIRE(trimmed.status == 200);
  const json list = trimmed.Json();
  CHECK(list["items"].size() == 500);
  CHECK(
      list["items"][0] ==
      json{{"metadata", {{"name", "app-1000"}, {"namespace", "argocd"}, {"annotations", nullptr}}},
           {"spec", argo.App("app-1000")["spec"]}});
  CHECK(trimmed.body.size() * 4 < full.body.size());
  CHECK(trimmed.body.size() < 200 * 1000);  // 144 KB; the full list is 919 KB
  CHECK(argo.ViolationsText() == "");
}

TEST_CASE("faults answer matching requests instead of serving them", "[argocd_fake]") {
  if (!RequireSharedData(kSwagger)) return;
  ManualClock clock;
  FakeArgoCd argo(clock);
  argo.AddApp(AppSpec{.name = "web", .revision = kOld});
  argo.InjectFault({.route = "get", .app = "web", .status = 503, .skip = 1, .times = 2});
  argo.InjectFault({.route = "list",
                    .status = 502,
                    .body = "<html>bad gateway</html>",
                    .content_type = "text/html"});
  ArgoClient api(argo.port(), "test-token");
  CHECK(api.Get("/api/v1/applications/web").status == 200);
  ArgoReply unavailable = api.Get("/api/v1/applications/web");
  CHECK(unavailable.status == 503);
  CHECK(unavailable.Json() == json{{"error", "Service Unavailable"},
                                   {"code", kGrpcUnavailable},
                                   {"message", "Service Unavailable"}});
  CHECK(api.Get("/api/v1/applications/web").status == 503);
  CHECK(api.Get("/api/v1/applications/web").status == 200);
  ArgoReply html = api.Get("/api/v1/applications");
  CHECK(html.status == 502);
  CHECK(html.content_type == "text/html");
  CHECK(api.Get("/api/v1/applications").status == 200);
  CHECK(argo.Count("get", "web") == 4);
}

}  // namespace
}  // namespace capstan::testing
