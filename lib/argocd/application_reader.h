// Internal to lib/argocd (application.cc, application_json.cc): the one field walk behind
// ReadApplication and ReadApplicationJson, written once over a View of the input tree.
//
// A View is a cheap handle on one node, possibly missing, with:
//   View Get(std::string_view key) const          the value at key of a mapping; missing else
//   bool Exists() const                            the node is there (null included)
//   bool IsMapping() const, IsSequence() const
//   std::optional<std::string> Text() const       a scalar's text (YAML) / a string (JSON)
//   std::optional<bool> Bool() const
//   std::optional<std::int64_t> Int() const        also from a decimal string ("2")
//   void ForEachItem(fn(const View&)) const        sequence items, in order
//   void ForEachEntry(fn(const std::string& key, const View& value, yaml::NodeId key_node,
//                        yaml::NodeId value_node))   mapping entries; nodes as written (YAML)
//   yaml::NodeId node() const                      kNoNode for JSON
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "argocd/application.h"
#include "core/rfc3339.h"

namespace capstan::argocd::internal {

// A decimal integer written as text ("-1", "2"), or nullopt.
inline std::optional<std::int64_t> ParseInt64(std::string_view text) {
  std::int64_t v = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return v;
}

template <typename View>
std::string TextAt(const View& v, std::string_view key) {
  return v.Get(key).Text().value_or("");
}

template <typename View>
std::vector<std::string> Strings(const View& list) {
  std::vector<std::string> out;
  list.ForEachItem([&](const View& item) {
    if (std::optional<std::string> s = item.Text()) out.push_back(std::move(*s));
  });
  return out;
}

template <typename View>
Timestamp TimeAt(const View& v, std::string_view key) {
  Timestamp t;
  t.text = TextAt(v, key);
  if (!t.text.empty()) t.time = ParseRfc3339(t.text);
  return t;
}

template <typename View>
void ReadMetadata(const View& metadata, Application& app) {
  if (!metadata.IsMapping()) return;
  app.metadata = metadata.node();
  app.name = TextAt(metadata, "name");
  app.namespace_ = TextAt(metadata, "namespace");
  metadata.Get("labels").ForEachEntry(
      [&](const std::string& key, const View& v, yaml::NodeId, yaml::NodeId) {
        if (std::optional<std::string> s = v.Text()) app.labels[key] = std::move(*s);
      });
  metadata.Get("annotations")
      .ForEachEntry([&](const std::string& key, const View& v, yaml::NodeId key_node,
                        yaml::NodeId value_node) {
        app.annotations.push_back(Annotation{key, v.Text().value_or(""), key_node, value_node});
      });
}

template <typename View>
Source ReadSource(const View& s, int position) {
  Source out;
  out.node = s.node();
  out.position = position;
  out.repo_url = TextAt(s, "repoURL");
  out.target_revision = TextAt(s, "targetRevision");
  out.chart = TextAt(s, "chart");
  out.ref = TextAt(s, "ref");
  out.path = s.Get("path").Text();
  View helm = s.Get("helm");
  out.helm = helm.Exists();
  out.kustomize = s.Get("kustomize").Exists();
  out.value_files = Strings(helm.Get("valueFiles"));
  out.kustomize_components = Strings(s.Get("kustomize").Get("components"));
  return out;
}

template <typename View>
SyncPolicy ReadSyncPolicy(const View& policy) {
  SyncPolicy out;
  View automated = policy.Get("automated");
  if (automated.IsMapping()) {
    out.automated = automated.Get("enabled").Bool().value_or(true);
    out.prune = automated.Get("prune").Bool().value_or(false);
    out.self_heal = automated.Get("selfHeal").Bool().value_or(false);
    out.allow_empty = automated.Get("allowEmpty").Bool().value_or(false);
  }
  out.sync_options = Strings(policy.Get("syncOptions"));
  if (View retry = policy.Get("retry"); retry.IsMapping()) {
    Retry r;
    r.limit = retry.Get("limit").Int();
    r.refresh = retry.Get("refresh").Bool();
    if (View backoff = retry.Get("backoff"); backoff.IsMapping()) {
      r.backoff = Backoff{backoff.Get("duration").Text(), backoff.Get("factor").Int(),
                          backoff.Get("maxDuration").Text()};
    }
    out.retry = std::move(r);
  }
  return out;
}

template <typename View>
void ReadSpec(const View& spec, Application& app) {
  app.project = TextAt(spec, "project");
  if (View s = spec.Get("source"); s.IsMapping()) app.sources.push_back(ReadSource(s, 0));
  if (View list = spec.Get("sources"); list.IsSequence()) {
    app.multi_source = true;
    int position = 0;
    list.ForEachItem([&](const View& item) {
      ++position;
      if (item.IsMapping()) app.sources.push_back(ReadSource(item, position));
    });
  }
  if (View d = spec.Get("destination"); d.IsMapping())
    app.destination =
        Destination{d.node(), TextAt(d, "server"), TextAt(d, "name"), TextAt(d, "namespace")};
  app.sync_policy = ReadSyncPolicy(spec.Get("syncPolicy"));
}

template <typename View>
OperationState ReadOperationState(const View& op) {
  OperationState out;
  out.phase = TextAt(op, "phase");
  out.message = TextAt(op, "message");
  out.started_at = TimeAt(op, "startedAt");
  out.finished_at = TimeAt(op, "finishedAt");
  View requested = op.Get("operation").Get("sync");
  out.requested_revision = TextAt(requested, "revision");
  out.requested_revisions = Strings(requested.Get("revisions"));
  View result = op.Get("syncResult");
  out.revision = TextAt(result, "revision");
  out.revisions = Strings(result.Get("revisions"));
  result.Get("resources").ForEachItem([&](const View& r) {
    if (!r.IsMapping()) return;
    out.resources.push_back(
        ResourceResult{TextAt(r, "group"), TextAt(r, "kind"), TextAt(r, "namespace"),
                       TextAt(r, "name"), TextAt(r, "status"), TextAt(r, "message"),
                       TextAt(r, "hookPhase"), TextAt(r, "hookType"), TextAt(r, "syncPhase")});
  });
  return out;
}

template <typename View>
ApplicationStatus ReadStatus(const View& status) {
  ApplicationStatus out;
  View sync = status.Get("sync");
  out.sync_status = TextAt(sync, "status");
  out.sync_revision = TextAt(sync, "revision");
  out.sync_revisions = Strings(sync.Get("revisions"));
  View health = status.Get("health");
  out.health_status = TextAt(health, "status");
  out.health_message = TextAt(health, "message");
  if (View op = status.Get("operationState"); op.IsMapping())
    out.operation_state = ReadOperationState(op);
  out.reconciled_at = TimeAt(status, "reconciledAt");
  status.Get("conditions").ForEachItem([&](const View& c) {
    if (c.IsMapping()) out.conditions.push_back(Condition{TextAt(c, "type"), TextAt(c, "message")});
  });
  return out;
}

// Everything but root and api_version, which the callers set.
template <typename View>
void ReadApplicationFields(const View& root, Application& app) {
  ReadMetadata(root.Get("metadata"), app);
  ReadSpec(root.Get("spec"), app);
  app.status = ReadStatus(root.Get("status"));
  app.operation_requested = root.Get("operation").IsMapping();
}

template <typename View>
void ReadApplicationSetFields(const View& root, ApplicationSet& set) {
  View metadata = root.Get("metadata");
  set.name = TextAt(metadata, "name");
  set.namespace_ = TextAt(metadata, "namespace");
  View spec = root.Get("spec");
  set.go_template = spec.Get("goTemplate").Bool().value_or(false);
  spec.Get("generators").ForEachItem([&](const View& g) {
    std::string kind;
    g.ForEachEntry([&](const std::string& key, const View&, yaml::NodeId, yaml::NodeId) {
      if (kind.empty() && key != "selector") kind = key;
    });
    if (!kind.empty()) set.generators.push_back(std::move(kind));
  });
  View tmpl = spec.Get("template");
  ReadMetadata(tmpl.Get("metadata"), set.app_template);
  ReadSpec(tmpl.Get("spec"), set.app_template);
}

}  // namespace capstan::argocd::internal
