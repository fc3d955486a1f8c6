#include "argocd/sync_request.h"

#include <nlohmann/json.hpp>

#include "core/strings.h"

namespace capstan::argocd {
namespace {

std::string_view KeyOf(std::string_view option) { return option.substr(0, option.find('=')); }

}  // namespace

Result<SyncResource> ParseSyncResource(std::string_view text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    const std::size_t colon = text.find(':', start);
    parts.emplace_back(text.substr(start, colon - start));
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  SyncResource r;
  if (parts.size() == 3 || parts.size() == 4) {
    r.group = parts[0];
    r.kind = parts[1];
    r.name = parts[2];
    if (parts.size() == 4) {
      r.namespace_ = parts[3];
    } else if (const std::size_t slash = r.name.find('/'); slash != std::string::npos) {
      r.namespace_ = r.name.substr(0, slash);
      r.name = r.name.substr(slash + 1);
    }
  }
  if (r.kind.empty() || r.name.empty() || r.name.find('/') != std::string::npos ||
      (parts.size() == 4 && r.namespace_.empty())) {
    return Status::InvalidArgument("invalid --resource " + QuoteForMessage(text) +
                                   ": want GROUP:KIND:NAME, GROUP:KIND:NAMESPACE/NAME or "
                                   "GROUP:KIND:NAME:NAMESPACE");
  }
  return r;
}

std::string SyncRequestBody(const SyncRequest& request) {
  using nlohmann::ordered_json;
  ordered_json body = {{"name", request.name}};
  if (!request.app_namespace.empty()) body["appNamespace"] = request.app_namespace;
  if (!request.project.empty()) body["project"] = request.project;
  if (!request.revisions.empty()) {
    body["revisions"] = request.revisions;
    body["sourcePositions"] = request.source_positions;
  } else if (!request.revision.empty()) {
    body["revision"] = request.revision;
  }
  if (request.prune) body["prune"] = true;
  if (request.dry_run) body["dryRun"] = true;
  if (request.strategy != SyncStrategy::kDefault) {
    const char* kind = request.strategy == SyncStrategy::kApply ? "apply" : "hook";
    body["strategy"] = {{kind, {{"force", request.force}}}};
  }
  if (!request.resources.empty()) {
    ordered_json resources = ordered_json::array();
    for (const SyncResource& r : request.resources) {
      ordered_json one = {{"group", r.group}, {"kind", r.kind}, {"name", r.name}};
      if (!r.namespace_.empty()) one["namespace"] = r.namespace_;
      resources.push_back(std::move(one));
    }
    body["resources"] = std::move(resources);
  }
  if (request.retry) {
    body["retryStrategy"] = {{"limit", request.retry->limit},
                             {"backoff",
                              {{"duration", request.retry->backoff_duration},
                               {"factor", request.retry->backoff_factor},
                               {"maxDuration", request.retry->backoff_max_duration}}}};
  }
  if (request.sync_options) body["syncOptions"] = {{"items", *request.sync_options}};
  if (!request.infos.empty()) {
    ordered_json infos = ordered_json::array();
    for (const auto& [name, value] : request.infos)
      infos.push_back({{"name", name}, {"value", value}});
    body["infos"] = std::move(infos);
  }
  return body.dump();
}

std::vector<std::string> MergeSyncOptions(const std::vector<std::string>& app,
                                          const std::vector<std::string>& flags) {
  std::vector<std::string> merged = app;
  for (const std::string& flag : flags) {
    bool replaced = false;
    for (std::string& option : merged) {
      if (KeyOf(option) == KeyOf(flag)) {
        option = flag;
        replaced = true;
      }
    }
    if (!replaced) merged.push_back(flag);
  }
  return merged;
}

}  // namespace capstan::argocd
