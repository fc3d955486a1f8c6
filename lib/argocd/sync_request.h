// The body of POST /api/v1/applications/{name}/sync (applicationApplicationSyncRequest), built
// as the argocd CLI builds it, and the rules for merging what the user asked with what the
// Application already says. Argo CD takes `syncOptions` and `retryStrategy` from the request
// INSTEAD of the app's own when they are present, so a request that adds one option must carry
// the app's others too (MergeSyncOptions), or `--server-side` would silently drop the app's
// `CreateNamespace=true`.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace capstan::argocd {

// One --resource: only these resources are synced.
struct SyncResource {
  std::string group;  // "" for the core group ("apps", "networking.k8s.io")
  std::string kind;
  std::string name;
  std::string namespace_;  // "" when not given
};

// Parses --resource as the argocd CLI writes it, GROUP:KIND:NAME or GROUP:KIND:NAMESPACE/NAME,
// and also GROUP:KIND:NAME:NAMESPACE. GROUP may be empty (":Service:web"); KIND and NAME may not.
// kInvalidArgument "invalid --resource '<text>': want GROUP:KIND:NAME, GROUP:KIND:NAMESPACE/NAME
// or GROUP:KIND:NAME:NAMESPACE" otherwise.
Result<SyncResource> ParseSyncResource(std::string_view text);

struct SyncRetry {
  long limit = 0;                       // attempts after the first; 0 = none
  std::string backoff_duration = "5s";  // Argo CD duration text, as sent
  long backoff_factor = 2;
  std::string backoff_max_duration = "3m";
};

enum class SyncStrategy { kDefault, kApply, kHook };  // kDefault: the app's own

struct SyncRequest {
  std::string name;
  std::string app_namespace;  // "" = the server's default namespace
  std::string project;        // sent whenever known (a missing app is then 404, not 403)
  // Single source: the revision to deploy ("" = the app's targetRevision). Multi-source:
  // `revisions` with the 1-based `source_positions` they apply to (the same length).
  std::string revision;
  std::vector<std::string> revisions;
  std::vector<long> source_positions;
  bool prune = false;
  bool dry_run = false;
  SyncStrategy strategy = SyncStrategy::kDefault;
  bool force = false;  // only with kApply or kHook
  std::vector<SyncResource> resources;
  std::optional<SyncRetry> retry;  // nullopt: not sent (the app's own applies)
  std::optional<std::vector<std::string>> sync_options;    // nullopt: not sent
  std::vector<std::pair<std::string, std::string>> infos;  // --info name=value
};

// The JSON body, with the field names and JSON types Argo CD's gateway reads: `revision` or
// `revisions` + `sourcePositions` (numbers), `strategy` as {"apply":{"force":b}} or
// {"hook":{"force":b}}, `retryStrategy` {limit, backoff{duration, factor, maxDuration}},
// `syncOptions` {items}, `infos` [{name, value}]. Fields left at their defaults are omitted.
std::string SyncRequestBody(const SyncRequest& request);

// The sync options to send: the app's own (spec.syncPolicy.syncOptions) with each of `flags`
// applied over them: an option `K=V` replaces the app's option with the same key K (compared
// case-sensitively, as Argo CD does), others are appended in order. The app's order is kept.
std::vector<std::string> MergeSyncOptions(const std::vector<std::string>& app,
                                          const std::vector<std::string>& flags);

}  // namespace capstan::argocd
