#include "support/fake_argocd_apps.h"

#include <algorithm>

#include "support/argocd_wire.h"
#include "support/fake_argocd_json.h"

namespace capstan::testing {
namespace {

using nlohmann::json;
using std::chrono::seconds;
using namespace fake_argocd_json;

std::string TargetRevision(const json& source) { return StringOr(source, "targetRevision"); }

bool IsFullSha(const std::string& s) {
  return s.size() == 40 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

}  // namespace

nlohmann::json MakeApplication(const AppSpec& spec, FakeTime now) {
  const std::string path = spec.path.empty() ? "apps/" + spec.name : spec.path;
  json source = {
      {"repoURL", spec.repo_url}, {"path", path}, {"targetRevision", spec.target_revision}};
  json destination = {{"server", "https://kubernetes.default.svc"}, {"namespace", spec.name}};
  json app = {{"metadata",
               {{"name", spec.name},
                {"namespace", spec.namespace_},
                {"uid", "uid-" + spec.name},
                {"generation", 1},
                {"creationTimestamp", Stamp(now - seconds(3600))}}},
              {"spec", {{"project", spec.project}, {"destination", destination}}}};
  if (!spec.annotations.empty()) app["metadata"]["annotations"] = spec.annotations;
  if (!spec.labels.empty()) app["metadata"]["labels"] = spec.labels;
  const bool multi = !spec.extra_sources.empty();
  json sources = json::array({source});
  for (const json& extra : spec.extra_sources) sources.push_back(extra);
  if (multi) {
    app["spec"]["sources"] = sources;
  } else {
    app["spec"]["source"] = source;
  }
  if (spec.automated)
    app["spec"]["syncPolicy"]["automated"] = {{"prune", true}, {"selfHeal", true}};
  if (!spec.sync_options.empty()) app["spec"]["syncPolicy"]["syncOptions"] = spec.sync_options;

  const std::vector<std::string> revisions(multi ? sources.size() : 1, spec.revision);
  json resources = json::array();
  for (const auto& [group, kind] : {std::pair<std::string, std::string>{"", "Service"},
                                    std::pair<std::string, std::string>{"apps", "Deployment"}}) {
    json r = {{"version", "v1"},   {"kind", kind},       {"namespace", spec.name},
              {"name", spec.name}, {"status", "Synced"}, {"health", {{"status", "Healthy"}}}};
    if (!group.empty()) r["group"] = group;
    resources.push_back(r);
  }
  json results = json::array();
  for (const json& r : resources) {
    json result = {{"version", "v1"},        {"kind", r["kind"]},     {"namespace", spec.name},
                   {"name", spec.name},      {"status", "Synced"},    {"syncPhase", "Sync"},
                   {"hookPhase", "Running"}, {"message", "unchanged"}};
    if (r.contains("group")) result["group"] = r["group"];
    results.push_back(result);
  }
  json sync = {{"status", "Synced"}, {"comparedTo", {{"destination", destination}}}};
  SetRevisions(sync, revisions, multi);
  json op_sync = json::object();
  SetRevisions(op_sync, revisions, multi);
  json sync_result = {{"resources", results}};
  SetRevisions(sync_result, revisions, multi);
  if (multi) {
    sync["comparedTo"]["sources"] = sources;
    sync_result["sources"] = sources;
  } else {
    sync["comparedTo"]["source"] = source;
    sync_result["source"] = source;
  }
  app["status"] = {{"sync", sync},
                   {"health", {{"status", "Healthy"}}},
                   {"operationState",
                    {{"operation", {{"sync", op_sync}, {"initiatedBy", {{"username", "admin"}}}}},
                     {"phase", "Succeeded"},
                     {"message", "successfully synced (all tasks run)"},
                     {"startedAt", Stamp(now - seconds(65))},
                     {"finishedAt", Stamp(now - seconds(60))},
                     {"syncResult", sync_result}}},
                   {"reconciledAt", Stamp(now - seconds(30))},
                   {"resources", resources},
                   {"sourceType", "Kustomize"},
                   {"summary", json::object()}};
  return app;
}

std::string ScriptedApps::App::Key() const {
  return doc["metadata"].value("namespace", "") + "/" + doc["metadata"].value("name", "");
}

void ScriptedApps::Add(nlohmann::json app, AppBehavior behavior, FakeTime now) {
  Settle(now);
  if (!app["metadata"].contains("namespace")) app["metadata"]["namespace"] = "argocd";
  if (!app.contains("status")) app["status"] = json::object();
  json& status = app["status"];
  if (!status.contains("sync")) status["sync"] = {{"status", "Synced"}};
  if (!status.contains("health")) status["health"] = {{"status", "Healthy"}};
  const bool multi = IsMultiSource(app);
  const size_t n = multi ? app["spec"]["sources"].size() : 1;
  std::vector<std::string> deployed(n);
  for (size_t i = 0; i < n; ++i) {
    if (multi) {
      const json& revs = status["sync"].value("revisions", json::array());
      deployed[i] = i < revs.size() && revs[i].is_string() ? revs[i].get<std::string>() : "";
    } else {
      deployed[i] = StringOr(status["sync"], "revision");
    }
  }
  behavior.heads.resize(n);
  for (size_t i = 0; i < n; ++i) {
    if (behavior.heads[i].empty()) behavior.heads[i] = deployed[i];
  }
  App entry;
  entry.doc = std::move(app);
  entry.behavior = std::move(behavior);
  entry.deployed = deployed;
  const std::string key = entry.Key();
  for (auto it = events_.begin(); it != events_.end();) {
    it = it->second.app == key ? events_.erase(it) : std::next(it);
  }
  App& stored = apps_[key] = std::move(entry);
  Commit(stored);
  if (stored.behavior.heads != deployed) PushRevision(stored, stored.behavior.heads, now);
}

void ScriptedApps::Settle(FakeTime now) {
  while (!events_.empty() && events_.begin()->first.first <= now) {
    auto node = events_.extract(events_.begin());
    auto found = apps_.find(node.mapped().app);
    if (found != apps_.end()) node.mapped().fire(found->second, node.key().first);
  }
}

FakeTime ScriptedApps::NextEvent(const std::function<bool(const App&)>& only) const {
  for (const auto& [when, event] : events_) {
    auto found = apps_.find(event.app);
    if (found != apps_.end() && (!only || only(found->second))) return when.first;
  }
  return FakeTime::max();
}

ScriptedApps::App* ScriptedApps::Find(const std::string& app_namespace, const std::string& name) {
  auto found = apps_.find((app_namespace.empty() ? "argocd" : app_namespace) + "/" + name);
  return found == apps_.end() ? nullptr : &found->second;
}

std::vector<const ScriptedApps::App*> ScriptedApps::All() const {
  std::vector<const App*> out;
  for (const auto& [key, app] : apps_) out.push_back(&app);
  std::sort(out.begin(), out.end(), [](const App* a, const App* b) {
    return std::pair(a->doc["metadata"].value("name", ""), a->Key()) <
           std::pair(b->doc["metadata"].value("name", ""), b->Key());
  });
  return out;
}

ApiOutcome ScriptedApps::Lookup(const std::string& app_namespace, const std::string& name,
                                const std::string& project, FakeTime now) {
  Settle(now);
  const App* app = Find(app_namespace, name);
  const std::string not_found = "applications.argoproj.io \"" + name + "\" not found";
  if (app == nullptr) {
    return project.empty() ? Error(kGrpcPermissionDenied, "permission denied")
                           : Error(kGrpcNotFound, not_found);
  }
  if (app->behavior.forbidden) return Error(kGrpcPermissionDenied, "permission denied");
  const std::string effective = StringOr(app->doc["spec"], "project", "default");
  if (!project.empty() && project != effective) return Error(kGrpcNotFound, not_found);
  return {200, app->doc};
}

ApiOutcome ScriptedApps::Sync(const std::string& app_namespace, const std::string& name,
                              const nlohmann::json& request, FakeTime now) {
  ApiOutcome found = Lookup(app_namespace, name, StringOr(request, "project"), now);
  if (found.status != 200) return found;
  App& app = *Find(app_namespace, name);
  const AppBehavior& b = app.behavior;
  if (b.sync_window) return Error(kGrpcPermissionDenied, b.sync_window_message);
  const json source = FirstSource(app.doc);
  const std::string target_revision = TargetRevision(source);
  const std::string revision = StringOr(request, "revision");
  const bool dry_run = request.contains("dryRun") && request["dryRun"] == true;
  if (IsAutomated(app.doc) && !dry_run && !revision.empty() &&
      revision != (target_revision.empty() ? "HEAD" : target_revision)) {
    return Error(kGrpcFailedPrecondition,
                 "Cannot sync to " + revision + ": auto-sync currently set to " + target_revision);
  }
  const bool multi = IsMultiSource(app.doc);
  auto resolve = [&](const std::string& rev, const std::string& target,
                     const std::string& head) -> std::optional<std::string> {
    if (rev.empty() || rev == "HEAD" || rev == target) return head;
    if (IsFullSha(rev)) return rev;
    auto ref = b.refs.find(rev);
    if (ref != b.refs.end()) return ref->second;
    return std::nullopt;
  };
  auto unresolved = [](const std::string& rev) {
    return Error(kGrpcFailedPrecondition,
                 "error resolving repo revision: unable to resolve '" + rev + "' to a commit SHA");
  };
  std::vector<std::string> targets = b.heads;
  if (multi) {
    const json revisions = request.value("revisions", json::array());
    const json positions = request.value("sourcePositions", json::array());
    if (revisions.size() != positions.size()) {
      return Error(kGrpcInvalidArgument,
                   "the number of revisions and source positions must be the same");
    }
    const json& sources = app.doc["spec"]["sources"];
    for (size_t i = 0; i < revisions.size(); ++i) {
      const long long pos = positions[i].is_number_integer() ? positions[i].get<long long>() : 0;
      if (pos < 1 || pos > static_cast<long long>(sources.size())) {
        return Error(kGrpcInvalidArgument, "source position is out of range");
      }
      const std::string rev = revisions[i].is_string() ? revisions[i].get<std::string>() : "";
      auto resolved = resolve(rev, TargetRevision(sources[pos - 1]), b.heads[pos - 1]);
      if (!resolved) return unresolved(rev);
      targets[pos - 1] = *resolved;
    }
  } else {
    auto resolved = resolve(revision, target_revision, b.heads[0]);
    if (!resolved) return unresolved(revision);
    targets = {*resolved};
  }
  if (app.doc.contains("operation")) {
    return Error(kGrpcFailedPrecondition, "another operation is already in progress");
  }
  json sync = json::object();
  SetRevisions(sync, targets, multi);
  if (request.contains("prune") && request["prune"] == true) sync["prune"] = true;
  if (dry_run) sync["dryRun"] = true;
  const json::json_pointer app_options("/spec/syncPolicy/syncOptions");
  if (request.contains("syncOptions") && request["syncOptions"].is_object()) {
    const json items = request["syncOptions"].value("items", json::array());
    if (!items.is_null() && !items.empty()) sync["syncOptions"] = items;
  } else if (app.doc.contains(app_options)) {
    sync["syncOptions"] = app.doc[app_options];
  }
  if (request.contains("strategy") && !request["strategy"].is_null()) {
    sync["syncStrategy"] = request["strategy"];
  }
  if (request.contains("resources") && request["resources"].is_array() &&
      !request["resources"].empty()) {
    sync["resources"] = request["resources"];
  }
  json operation = {{"sync", sync}, {"initiatedBy", {{"username", "admin"}}}};
  if (request.contains("infos") && request["infos"].is_array() && !request["infos"].empty()) {
    operation["info"] = request["infos"];
  }
  const json::json_pointer app_retry("/spec/syncPolicy/retry");
  if (request.contains("retryStrategy") && !request["retryStrategy"].is_null()) {
    operation["retry"] = request["retryStrategy"];
  } else if (app.doc.contains(app_retry)) {
    operation["retry"] = app.doc[app_retry];
  }
  BeginOperation(app, std::move(operation), targets, now);
  return {200, app.doc};
}

}  // namespace capstan::testing
