#include "argocd/webhook.h"

#include <nlohmann/json.hpp>

namespace capstan::argocd {

std::string GithubPushPayload(const PushEvent& event) {
  using nlohmann::ordered_json;
  ordered_json commit = {{"id", event.after},
                         {"message", "pushed by capstan-sync"},
                         {"added", event.added},
                         {"removed", event.removed},
                         {"modified", event.modified}};
  ordered_json body = {
      {"ref", event.ref},
      {"before", event.before},
      {"after", event.after},
      {"repository",
       {{"html_url", event.repository_url},
        {"url", event.repository_url},
        {"clone_url", event.repository_url},
        {"default_branch", event.default_branch}}},
      {"commits", ordered_json::array({commit})},
      {"head_commit", commit},
  };
  return body.dump();
}

}  // namespace capstan::argocd
