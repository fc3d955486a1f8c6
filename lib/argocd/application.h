// The Argo CD Application model (argoproj.io, kind Application), one model for capstan-watch,
// capstan-sync and the validator, read from a YAML document (a manifest in a repository) or from
// the JSON the Argo CD API returns (GET /api/v1/applications items, possibly trimmed by
// `fields=`): metadata, sources (single `spec.source` and multi-source `spec.sources`),
// destination, syncPolicy, and the status parts a sync waits on. It only reads: what a field
// means to a tool (an Image Updater annotation, which changed file touches which source) is
// decided by the callers (lib/policy, argocd/affected.h).
//
// Both readers share one field walk, so a field means the same from YAML and from JSON. Node
// ids (positions for messages) exist only for YAML; they are kNoNode in an Application read from
// JSON. For YAML, keep the document alive while using them.
//
// Text fields hold the value as written: from YAML any scalar's text (`targetRevision: 1.10`
// is "1.10", as Argo CD reads a string field), from JSON strings only. A missing or ill-typed
// field is left empty (""/nullopt/false/empty list): the readers never fail on a field.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "yaml/document.h"

namespace capstan::argocd {

// One entry of spec.source or spec.sources.
struct Source {
  yaml::NodeId node = yaml::kNoNode;  // the source mapping (YAML only)
  // 1-based position in spec.sources, as Argo CD's `sourcePositions` count (items that are not
  // mappings count too); 0 for spec.source.
  int position = 0;
  std::string repo_url;         // repoURL
  std::string target_revision;  // targetRevision
  std::string chart;            // chart (Helm repository sources)
  std::string ref;              // ref (a multi-source values source)
  // path as written (not normalised, see ResolveRepositoryPath); nullopt when there is no
  // scalar `path`.
  std::optional<std::string> path;
  bool helm = false;       // has a `helm` key
  bool kustomize = false;  // has a `kustomize` key
  // helm.valueFiles as written, string items only: "values-prod.yaml" (relative to the source
  // path), "$values/charts/web/values.yaml" (from the source whose ref is "values").
  std::vector<std::string> value_files;
  // kustomize.components as written (Argo CD 2.8+), relative to the source path.
  std::vector<std::string> kustomize_components;
};

// One metadata.annotations entry with a scalar (YAML) or string-keyed (JSON) key.
struct Annotation {
  std::string key;
  std::string value;                      // "" when the value is not a scalar / string
  yaml::NodeId key_node = yaml::kNoNode;  // for positions in messages (YAML only)
  yaml::NodeId value_node = yaml::kNoNode;
};

// spec.destination.
struct Destination {
  yaml::NodeId node = yaml::kNoNode;  // YAML only
  std::string server;                 // "https://kubernetes.default.svc"; "" when absent
  std::string name;                   // cluster name; "" when absent
  std::string namespace_;             // "" when absent
};

// spec.syncPolicy.retry.backoff. Absent fields stay nullopt so that a caller re-sending the
// app's own retry strategy (a sync request replaces it) sends exactly what the app has.
struct Backoff {
  std::optional<std::string> duration;      // "5s"
  std::optional<std::int64_t> factor;       // 2
  std::optional<std::string> max_duration;  // "3m"
};

// spec.syncPolicy.retry.
struct Retry {
  std::optional<std::int64_t> limit;  // retries; Argo CD reads a negative limit as unlimited
  std::optional<Backoff> backoff;
  std::optional<bool> refresh;  // refresh the app when a new revision arrives during a retry
};

// spec.syncPolicy; all false/empty when the app has none.
struct SyncPolicy {
  // spec.syncPolicy.automated is a mapping whose `enabled` is not false (`automated: {}` is on;
  // Argo CD 3 added `enabled`, absent meaning true).
  bool automated = false;
  bool prune = false;                     // automated.prune
  bool self_heal = false;                 // automated.selfHeal
  bool allow_empty = false;               // automated.allowEmpty
  std::vector<std::string> sync_options;  // "CreateNamespace=true", string items only
  std::optional<Retry> retry;
};

// An RFC 3339 time as written, and parsed when it parses (core/rfc3339.h).
struct Timestamp {
  std::string text;  // "2024-05-01T10:00:00Z"; "" when absent
  std::optional<std::chrono::system_clock::time_point> time;
};

// One status.operationState.syncResult.resources item.
struct ResourceResult {
  std::string group, kind, namespace_, name;
  std::string status;      // "Synced", "SyncFailed", "Pruned", "PruneSkipped"
  std::string message;     // "deployment.apps/web configured", or why it failed
  std::string hook_phase;  // "Running", "Succeeded", "Failed"... for hooks; "" otherwise
  std::string hook_type;   // "PreSync", "PostSync"...; "" for a plain resource
  std::string sync_phase;  // "PreSync", "Sync", "PostSync"
};

// status.operationState: the last (or running) operation.
struct OperationState {
  std::string phase;    // "Running", "Terminating", "Failed", "Error", "Succeeded"
  std::string message;  // "successfully synced (all tasks run)"
  Timestamp started_at;
  Timestamp finished_at;
  // operation.sync.revision / revisions: what the operation was asked to deploy.
  std::string requested_revision;
  std::vector<std::string> requested_revisions;
  // syncResult.revision / revisions: what it deployed (or is deploying).
  std::string revision;
  std::vector<std::string> revisions;
  std::vector<ResourceResult> resources;  // syncResult.resources
};

// One status.conditions item.
struct Condition {
  std::string type;  // "SyncError", "ComparisonError", "OrphanedResourceWarning"...
  std::string message;
};

// status: what the controller last saw. Empty in a manifest read from a repository.
struct ApplicationStatus {
  std::string sync_status;                  // sync.status: "Synced", "OutOfSync", "Unknown"
  std::string sync_revision;                // sync.revision (single source)
  std::vector<std::string> sync_revisions;  // sync.revisions (multi-source, in source order)
  std::string health_status;   // health.status: "Healthy", "Progressing", "Degraded"...
  std::string health_message;  // health.message (Argo CD 2.x; gone in 3)
  std::optional<OperationState> operation_state;
  Timestamp reconciled_at;  // reconciledAt: when the controller last compared
  std::vector<Condition> conditions;
};

struct Application {
  yaml::NodeId root = yaml::kNoNode;          // the document's root mapping (YAML only)
  yaml::NodeId metadata = yaml::kNoNode;      // kNoNode when metadata is missing or not a mapping
  std::string api_version;                    // "argoproj.io/v1alpha1"; "" in API list items
  std::string name;                           // metadata.name; "" when missing
  std::string namespace_;                     // metadata.namespace; "" when missing
  std::map<std::string, std::string> labels;  // metadata.labels with string values
  // metadata.annotations in document order (YAML, merge keys resolved as yaml::ForEachEntry
  // does) or key order (JSON); entries whose key is not a scalar are left out.
  std::vector<Annotation> annotations;
  std::string project;  // spec.project
  // spec.source first (when present), then every spec.sources item, in order; entries that
  // are not mappings are left out. See ArgoSources for the ones Argo CD uses.
  std::vector<Source> sources;
  bool multi_source = false;               // spec.sources is a sequence
  std::optional<Destination> destination;  // nullopt when spec.destination is not a mapping
  SyncPolicy sync_policy;
  ApplicationStatus status;
  // A top-level `operation` is set: an operation was requested and the controller has not
  // taken it yet (a new sync now is refused as "another operation is already in progress").
  bool operation_requested = false;

  // The annotation with exactly this key, or nullptr.
  const Annotation* FindAnnotation(std::string_view key) const;
  // The first source with a path (the one Argo CD Image Updater writes next to), or nullptr.
  const Source* FirstSourceWithPath() const;
  // The sources Argo CD deploys from (its GetSources): the spec.sources items when there is at
  // least one, else spec.source. A view into `sources`.
  std::span<const Source> ArgoSources() const;
  // "namespace/name", or just the name when the namespace is unknown; for messages.
  std::string QualifiedName() const;
};

// Reads doc as an Application. nullopt when its root (aliases resolved) is not a mapping whose
// apiVersion starts with "argoproj.io/" and whose kind is "Application" (ApplicationSets and
// other kinds are not Applications). Never fails otherwise: missing or ill-typed fields are
// left empty.
std::optional<Application> ReadApplication(const yaml::Document& doc);

// Reads an Application from Argo CD API JSON (one item of GET /api/v1/applications, or GET
// /api/v1/applications/{name}, or one `result.application` of the stream). nullopt when j is
// not an object, or names a `kind` other than "Application" (list items name none). Never
// fails otherwise: missing or ill-typed fields are left empty.
std::optional<Application> ReadApplicationJson(const nlohmann::json& j);

// The Applications of a GET /api/v1/applications response body, in its order (`items` null or
// absent is an empty list; items that are not objects are left out). kParseError
// "application list: <why>" when body is not JSON or `items` is neither an array nor null.
Result<std::vector<Application>> ReadApplicationList(std::string_view body);

// An ApplicationSet as far as capstan-sync reports it: the Applications it generates will have
// its template's sources, so `--plan` can say which ApplicationSets a change reaches.
struct ApplicationSet {
  yaml::NodeId root = yaml::kNoNode;  // YAML only
  std::string api_version;
  std::string name;        // metadata.name
  std::string namespace_;  // metadata.namespace
  // The first key of each spec.generators item, in order: "git", "list", "matrix"...
  std::vector<std::string> generators;
  bool go_template = false;  // spec.goTemplate
  // spec.template read as an Application (template.metadata, template.spec): name, labels,
  // annotations, sources, destination, syncPolicy, placeholders ("{{path.basename}}") left as
  // written. Its status is empty.
  Application app_template;
};

// Reads doc as an ApplicationSet: nullopt unless apiVersion starts with "argoproj.io/" and kind
// is "ApplicationSet". Never fails otherwise.
std::optional<ApplicationSet> ReadApplicationSet(const yaml::Document& doc);
// The same from API JSON (GET /api/v1/applicationsets items): nullopt when j is not an object
// or names a kind other than "ApplicationSet".
std::optional<ApplicationSet> ReadApplicationSetJson(const nlohmann::json& j);

// A repository-relative path as Argo CD resolves source paths: `rel` joined to the directory
// `dir` (itself repository-relative and normalised, "" for the root), "." and ".." resolved,
// and a `rel` starting with '/' taken from the repository root. nullopt when the result would
// leave the repository ("../x", "a/../../x"); "" for the root itself.
std::optional<std::string> ResolveRepositoryPath(std::string_view dir, std::string_view rel);

}  // namespace capstan::argocd
