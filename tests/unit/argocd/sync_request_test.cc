#include "argocd/sync_request.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace capstan::argocd {
namespace {

using nlohmann::json;

TEST_CASE("a --resource is read as the argocd CLI writes it, namespace either way", "[argocd]") {
  auto r = ParseSyncResource("apps:Deployment:web");
  REQUIRE(r.ok());
  CHECK(r->group == "apps");
  CHECK(r->kind == "Deployment");
  CHECK(r->name == "web");
  CHECK(r->namespace_.empty());
  r = ParseSyncResource(":Service:shop/web");
  REQUIRE(r.ok());
  CHECK(r->group.empty());
  CHECK(r->namespace_ == "shop");
  CHECK(r->name == "web");
  r = ParseSyncResource("networking.k8s.io:Ingress:web:shop");
  REQUIRE(r.ok());
  CHECK(r->namespace_ == "shop");
  CHECK(r->name == "web");
}

TEST_CASE("a malformed --resource says what forms are accepted", "[argocd]") {
  for (const char* bad : {"", "Deployment", "apps:Deployment", "apps::web", "apps:Deployment:",
                          "apps:Deployment:a:b:c", "apps:Deployment:web:", "a:K:ns/x/y"}) {
    INFO(bad);
    auto r = ParseSyncResource(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().message().find("want GROUP:KIND:NAME") != std::string::npos);
  }
}

TEST_CASE("a minimal sync body names the app and nothing else", "[argocd]") {
  SyncRequest request;
  request.name = "web";
  CHECK(SyncRequestBody(request) == R"({"name":"web"})");
}

TEST_CASE("a sync body carries every field in the gateway's wire form", "[argocd]") {
  SyncRequest request;
  request.name = "web";
  request.app_namespace = "team-a";
  request.project = "shop";
  request.revision = "0123456789abcdef0123456789abcdef01234567";
  request.prune = true;
  request.dry_run = true;
  request.strategy = SyncStrategy::kHook;
  request.force = true;
  request.resources = {{"apps", "Deployment", "web", "shop"}, {"", "Service", "web", ""}};
  request.retry = SyncRetry{3, "10s", 2, "2m"};
  request.sync_options = std::vector<std::string>{"CreateNamespace=true", "ServerSideApply=true"};
  request.infos = {{"ci-run", "https://ci.example.com/runs/42"}};
  const json body = json::parse(SyncRequestBody(request));
  CHECK(body["appNamespace"] == "team-a");
  CHECK(body["project"] == "shop");
  CHECK(body["revision"] == request.revision);
  CHECK_FALSE(body.contains("revisions"));
  CHECK(body["prune"] == true);
  CHECK(body["dryRun"] == true);
  CHECK(body["strategy"] == json{{"hook", {{"force", true}}}});
  CHECK(body["resources"][0] ==
        json{{"group", "apps"}, {"kind", "Deployment"}, {"name", "web"}, {"namespace", "shop"}});
  CHECK_FALSE(body["resources"][1].contains("namespace"));
  CHECK(body["retryStrategy"]["limit"] == 3);
  CHECK(body["retryStrategy"]["limit"].is_number());
  CHECK(body["retryStrategy"]["backoff"] ==
        json{{"duration", "10s"}, {"factor", 2}, {"maxDuration", "2m"}});
  CHECK(body["syncOptions"] == json{{"items", {"CreateNamespace=true", "ServerSideApply=true"}}});
  CHECK(body["infos"] ==
        json::array({{{"name", "ci-run"}, {"value", "https://ci.example.com/runs/42"}}}));
}

TEST_CASE("a multi-source sync sends revisions with numeric source positions", "[argocd]") {
  SyncRequest request;
  request.name = "web";
  request.revision = "ignored-when-revisions-are-given";
  request.revisions = {"abc", "def"};
  request.source_positions = {1, 3};
  request.strategy = SyncStrategy::kApply;
  const json body = json::parse(SyncRequestBody(request));
  CHECK(body["revisions"] == json::array({"abc", "def"}));
  CHECK(body["sourcePositions"] == json::array({1, 3}));
  CHECK(body["sourcePositions"][0].is_number());
  CHECK_FALSE(body.contains("revision"));
  CHECK(body["strategy"] == json{{"apply", {{"force", false}}}});
}

TEST_CASE("flag sync options are merged into the app's own, replacing by key", "[argocd]") {
  const std::vector<std::string> app = {"CreateNamespace=true", "PruneLast=true",
                                        "ServerSideApply=false"};
  CHECK(MergeSyncOptions(app, {"ServerSideApply=true", "ApplyOutOfSyncOnly=true"}) ==
        std::vector<std::string>{"CreateNamespace=true", "PruneLast=true", "ServerSideApply=true",
                                 "ApplyOutOfSyncOnly=true"});
  CHECK(MergeSyncOptions({}, {"Replace=true"}) == std::vector<std::string>{"Replace=true"});
  CHECK(MergeSyncOptions(app, {}) == app);
  CHECK(MergeSyncOptions({"createnamespace=true"}, {"CreateNamespace=false"}) ==
        std::vector<std::string>{"createnamespace=true", "CreateNamespace=false"});
}

}  // namespace
}  // namespace capstan::argocd
