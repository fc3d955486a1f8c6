#include "argocd/webhook.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace capstan::argocd {
namespace {

TEST_CASE("a push payload carries what Argo CD's and Flux's receivers read", "[argocd]") {
  PushEvent event;
  event.ref = "refs/heads/main";
  event.before = std::string(40, 'a');
  event.after = std::string(40, 'b');
  event.repository_url = "https://github.com/acme/deploy";
  event.default_branch = "main";
  event.added = {"apps/new/kustomization.yaml"};
  event.modified = {"apps/web/deployment.yaml"};
  event.removed = {"apps/old/service.yaml", "apps/web/renamed-from.yaml"};
  const std::string text = GithubPushPayload(event);
  const nlohmann::json body = nlohmann::json::parse(text);
  CHECK(body["ref"] == "refs/heads/main");
  CHECK(body["before"] == event.before);
  CHECK(body["after"] == event.after);
  CHECK(body["repository"]["html_url"] == "https://github.com/acme/deploy");
  CHECK(body["repository"]["default_branch"] == "main");
  REQUIRE(body["commits"].size() == 1);
  CHECK(body["commits"][0]["id"] == event.after);
  CHECK(body["commits"][0]["added"] == nlohmann::json::array({"apps/new/kustomization.yaml"}));
  CHECK(body["commits"][0]["modified"] == nlohmann::json::array({"apps/web/deployment.yaml"}));
  CHECK(body["commits"][0]["removed"].size() == 2);
  CHECK(body["head_commit"] == body["commits"][0]);
  // Deterministic: a signature over these bytes can be recomputed.
  CHECK(GithubPushPayload(event) == text);
  CHECK(text.find('\n') == std::string::npos);
}

}  // namespace
}  // namespace capstan::argocd
