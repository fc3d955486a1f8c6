#include "support/argocd_wire.h"

#include <catch2/catch.hpp>

namespace capstan::testing {
namespace {

using nlohmann::json;

json App() {
  return {{"metadata",
           {{"name", "web"},
            {"namespace", "argocd"},
            {"labels", {{"team", "a"}}},
            {"resourceVersion", "7"}}},
          {"spec", {{"project", "default"}, {"source", {{"repoURL", "https://x/y.git"}}}}},
          {"status",
           {{"sync", {{"status", "Synced"}, {"revision", "abc"}}},
            {"health", {{"status", "Healthy"}}},
            {"operationState",
             {{"phase", "Succeeded"},
              {"startedAt", "2024-01-01T00:00:00Z"},
              {"syncResult", {{"revision", "abc"}}}}},
            {"resources", json::array()}}}};
}

TEST_CASE("list fields keep only Argo CD's allow-listed paths", "[argocd_fake]") {
  const json list = {{"metadata", {{"resourceVersion", "9"}}}, {"items", {App()}}};
  const json trimmed =
      TrimListFields(list,
                     "items.metadata.name,items.status.sync.status,items.status.sync.revision,"
                     "items.status.health");
  CHECK(trimmed ==
        json{{"metadata", {{"resourceVersion", "9"}}},
             {"items",
              {{{"metadata", {{"name", "web"}}},
                {"status",
                 {{"sync", {{"status", "Synced"}}}, {"health", {{"status", "Healthy"}}}}}}}}});
}

TEST_CASE("list fields reproduce Go's zero values and Argo CD's quirks", "[argocd_fake]") {
  const json list = {{"metadata", json::object()}, {"items", {App()}}};
  const json item =
      TrimListFields(list,
                     "items.metadata.annotations,items.operation.sync,items.status.resources,"
                     "items.status.operationState.operation.sync,"
                     "items.status.operationState.finishedAt")["items"][0];
  // A nil map is null, an absent operation and empty resources are left out, and
  // operationState.operation.sync holds the sync RESULT.
  CHECK(item ==
        json{{"metadata", {{"annotations", nullptr}}},
             {"status",
              {{"operationState",
                {{"operation", {{"sync", {{"revision", "abc"}}}}}, {"finishedAt", nullptr}}}}}});
}

TEST_CASE("list fields with a leading minus exclude paths", "[argocd_fake]") {
  const json list = {{"metadata", json::object()}, {"items", {App()}}};
  const json item = TrimListFields(list, "-items.spec,items.status.health")["items"][0];
  CHECK_FALSE(item.contains("spec"));
  CHECK_FALSE(item["status"].contains("health"));
  CHECK(item["metadata"]["name"] == "web");
  CHECK(item["status"]["sync"] == json{{"status", "Synced"}});
}

TEST_CASE("stream fields keep listed paths and their parents", "[argocd_fake]") {
  const json message = {{"result", {{"type", "MODIFIED"}, {"application", App()}}}};
  CHECK(TrimStreamFields(message,
                         "result.type,result.application.metadata.name,"
                         "result.application.status.sync") ==
        json{{"result",
              {{"type", "MODIFIED"},
               {"application",
                {{"metadata", {{"name", "web"}}},
                 {"status", {{"sync", {{"status", "Synced"}, {"revision", "abc"}}}}}}}}}});
  // Argo CD's test is a plain string prefix: asking for metadata.namespace also keeps
  // metadata.name, a prefix of it.
  CHECK(TrimStreamFields(message, "result.application.metadata.namespace") ==
        json{{"result",
              {{"application", {{"metadata", {{"name", "web"}, {"namespace", "argocd"}}}}}}}});
  const json excluded = TrimStreamFields(message, "-result.application.spec");
  CHECK_FALSE(excluded["result"]["application"].contains("spec"));
  CHECK(excluded["result"]["type"] == "MODIFIED");
  CHECK(TrimStreamFields(message, "") == message);
}

TEST_CASE("label selectors match as Kubernetes parses them", "[argocd_fake]") {
  const std::map<std::string, std::string> labels = {{"team", "a"}, {"tier", "web"}};
  std::string error;
  CHECK(MatchLabelSelector("", labels, &error) == true);
  CHECK(MatchLabelSelector("team=a", labels, &error) == true);
  CHECK(MatchLabelSelector("team==a,tier=web", labels, &error) == true);
  CHECK(MatchLabelSelector("team!=a", labels, &error) == false);
  CHECK(MatchLabelSelector("team in (b, a)", labels, &error) == true);
  CHECK(MatchLabelSelector("tier notin (web)", labels, &error) == false);
  CHECK(MatchLabelSelector("owner", labels, &error) == false);
  CHECK(MatchLabelSelector("!owner", labels, &error) == true);
  CHECK_FALSE(MatchLabelSelector("team in a", labels, &error));
  CHECK(error == "unable to parse requirement: found 'a', expected: '('");
}

TEST_CASE("grpc timeouts parse as the gateway reads them", "[argocd_fake]") {
  CHECK(ParseGrpcTimeout("30S") == std::chrono::milliseconds(30000));
  CHECK(ParseGrpcTimeout("2M") == std::chrono::milliseconds(120000));
  CHECK(ParseGrpcTimeout("1H") == std::chrono::milliseconds(3600000));
  CHECK(ParseGrpcTimeout("250m") == std::chrono::milliseconds(250));
  CHECK_FALSE(ParseGrpcTimeout("30s"));
  CHECK_FALSE(ParseGrpcTimeout("30"));
  CHECK_FALSE(ParseGrpcTimeout("123456789S"));
}

TEST_CASE("gateway errors and stream frames have Argo CD's bytes", "[argocd_fake]") {
  CHECK(GatewayErrorBody(kGrpcFailedPrecondition, "another operation is already in progress") ==
        R"({"error":"another operation is already in progress","code":9,)"
        R"("message":"another operation is already in progress"})");
  CHECK(HttpStatusForGrpcCode(kGrpcFailedPrecondition) == 400);
  CHECK(HttpStatusForGrpcCode(kGrpcPermissionDenied) == 403);
  CHECK(HttpStatusForGrpcCode(kGrpcUnauthenticated) == 401);
  CHECK(HttpStatusForGrpcCode(kGrpcUnknown) == 500);
  CHECK(SseFrame(R"({"result":{}})") == "data: {\"result\":{}} \n\n");
  CHECK(StreamErrorJson(kGrpcUnavailable, "gone") ==
        R"({"error":{"grpc_code":14,"http_code":503,"message":"gone",)"
        R"("http_status":"Service Unavailable"}})");
}

}  // namespace
}  // namespace capstan::testing
