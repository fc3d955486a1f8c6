// The scripted application controller of ScriptedApps (fake_argocd_apps.h): operations, health,
// head changes, refreshes, terminations, and the read-only views built from an app's state.
#include <algorithm>

#include "core/strings.h"
#include "support/argocd_wire.h"
#include "support/fake_argocd_apps.h"
#include "support/fake_argocd_json.h"

namespace capstan::testing {
namespace {

using nlohmann::json;
using namespace fake_argocd_json;

std::string AppName(const ScriptedApps::App& app) { return app.doc["metadata"].value("name", ""); }

std::string FailureMessage(const ScriptedApps::App& app) {
  if (!app.behavior.failure_message.empty()) return app.behavior.failure_message;
  return "one or more objects failed to apply, reason: Deployment.apps \"" + AppName(app) +
         "\" is invalid";
}

std::string DegradedMessage(const ScriptedApps::App& app) {
  if (!app.behavior.degraded_message.empty()) return app.behavior.degraded_message;
  return "Deployment \"" + AppName(app) + "\" exceeded its progress deadline";
}

}  // namespace

void ScriptedApps::At(const App& app, FakeTime when, std::function<void(App&, FakeTime)> fire) {
  events_.emplace(std::pair(when, next_event_++), Event{app.Key(), std::move(fire)});
}

void ScriptedApps::Commit(App& app) {
  ++version_;
  app.doc["metadata"]["resourceVersion"] = std::to_string(version_);
  app.history.push_back({version_, app.doc});
  if (app.history.size() > kHistory) app.history.pop_front();
}

void ScriptedApps::SetHealth(App& app, const std::string& status, const std::string& message) {
  json health = {{"status", status}};
  if (!message.empty()) health["message"] = message;
  app.doc["status"]["health"] = health;
  if (!app.doc["status"].contains("resources")) return;
  for (json& r : app.doc["status"]["resources"]) {
    if (r.value("kind", "") == "Deployment") r["health"] = health;
  }
}

void ScriptedApps::BeginOperation(App& app, nlohmann::json operation,
                                  std::vector<std::string> targets, FakeTime now) {
  const int id = ++app.operation_id;
  app.doc["operation"] = std::move(operation);
  app.doc["status"].erase("operationState");
  Commit(app);
  At(app, now + app.behavior.pickup_delay, [this, id, targets](App& a, FakeTime t) {
    if (a.operation_id != id || !a.doc.contains("operation")) return;
    a.doc["status"]["operationState"] = {{"operation", a.doc["operation"]},
                                         {"phase", "Running"},
                                         {"message", ""},
                                         {"startedAt", Stamp(t)}};
    if (targets != a.deployed) a.doc["status"]["sync"]["status"] = "OutOfSync";
    Commit(a);
    At(a, t + a.behavior.operation_duration,
       [this, id, targets](App& b, FakeTime u) { Finish(b, id, targets, u); });
  });
}

void ScriptedApps::Finish(App& app, int id, std::vector<std::string> targets, FakeTime now) {
  if (app.operation_id != id || !app.doc.contains("operation")) return;
  json& state = app.doc["status"]["operationState"];
  if (state.value("phase", "") == "Terminating") return;
  const OperationEnd end = app.behavior.operation_end;
  const bool ok = end == OperationEnd::kSucceeded;
  state["phase"] = ok ? "Succeeded" : end == OperationEnd::kFailed ? "Failed" : "Error";
  state["message"] = ok ? "successfully synced (all tasks run)" : FailureMessage(app);
  state["finishedAt"] = Stamp(now);
  const bool multi = IsMultiSource(app.doc);
  json result = json::object();
  SetRevisions(result, targets, multi);
  if (multi) {
    result["sources"] = app.doc["spec"]["sources"];
  } else {
    result["source"] = app.doc["spec"].value("source", json::object());
  }
  json resources = json::array();
  bool failed_one = false;
  for (const json& r : app.doc["status"].value("resources", json::array())) {
    json item = {{"version", r.value("version", "v1")},
                 {"kind", r.value("kind", "")},
                 {"namespace", r.value("namespace", "")},
                 {"name", r.value("name", "")},
                 {"syncPhase", "Sync"}};
    if (r.contains("group")) item["group"] = r["group"];
    std::string kind = AsciiLower(r.value("kind", ""));
    const bool fails = !ok && !failed_one && r.value("kind", "") == "Deployment";
    failed_one = failed_one || fails;
    item["status"] = fails ? "SyncFailed" : "Synced";
    item["hookPhase"] = fails ? "Failed" : "Running";
    item["message"] =
        fails ? FailureMessage(app) : kind + "/" + r.value("name", "") + " configured";
    resources.push_back(item);
  }
  result["resources"] = resources;
  state["syncResult"] = result;
  const bool dry_run = app.doc["operation"]["sync"].value("dryRun", false);
  app.doc.erase("operation");
  if (dry_run) {
    Commit(app);
    return;
  }
  if (ok) {
    ++app.health_id;
    SetHealth(app, "Progressing", "");
  }
  Commit(app);
  At(app, now + app.behavior.reconcile_delay,
     [this, id, targets, ok](App& a, FakeTime t) { Reconciled(a, id, targets, ok, t); });
}

void ScriptedApps::Reconciled(App& app, int id, std::vector<std::string> targets, bool ok,
                              FakeTime now) {
  if (app.operation_id != id) return;
  json& status = app.doc["status"];
  status["reconciledAt"] = Stamp(now);
  const bool multi = IsMultiSource(app.doc);
  SetRevisions(status["sync"], targets, multi);
  status["sync"]["status"] = ok ? "Synced" : "OutOfSync";
  if (ok) app.deployed = targets;
  if (!ok && IsAutomated(app.doc)) {
    const std::string to = multi ? "[" + Join(targets, " ") + "]" : targets[0];
    status["conditions"].push_back(
        {{"type", "SyncError"},
         {"message", "Failed last sync attempt to " + to + ": " + FailureMessage(app)},
         {"lastTransitionTime", Stamp(now)}});
  }
  Commit(app);
  if (!ok) return;
  const int health = app.health_id;
  At(app, now + app.behavior.progressing_for, [this, health](App& a, FakeTime t) {
    if (a.health_id != health) return;
    switch (a.behavior.health_end) {
      case HealthEnd::kHealthy:
        SetHealth(a, "Healthy", "");
        break;
      case HealthEnd::kDegraded:
        SetHealth(a, "Degraded", DegradedMessage(a));
        break;
      case HealthEnd::kHealthyThenDegraded:
        SetHealth(a, "Healthy", "");
        At(a, t + a.behavior.degraded_after, [this, health](App& b, FakeTime) {
          if (b.health_id != health) return;
          SetHealth(b, "Degraded", DegradedMessage(b));
          Commit(b);
        });
        break;
      case HealthEnd::kProgressing:
        return;
      case HealthEnd::kSuspended:
        SetHealth(a, "Suspended", "");
        break;
      case HealthEnd::kMissing:
        SetHealth(a, "Missing", "");
        break;
    }
    Commit(a);
  });
}

void ScriptedApps::Notice(App& app, FakeTime now) {
  app.notice_pending = false;
  const std::vector<std::string>& heads = app.behavior.heads;
  json& status = app.doc["status"];
  status["reconciledAt"] = Stamp(now);
  SetRevisions(status["sync"], heads, IsMultiSource(app.doc));
  const bool changed = heads != app.deployed;
  if (app.behavior.auto_sync_skips && changed) app.deployed = heads;
  status["sync"]["status"] = heads == app.deployed ? "Synced" : "OutOfSync";
  Commit(app);
  if (IsAutomated(app.doc) && heads != app.deployed && !app.doc.contains("operation")) {
    Operate(app, "", /*automated=*/true, now);
  }
}

void ScriptedApps::PushRevision(App& app, std::vector<std::string> heads, FakeTime now) {
  Settle(now);
  SetHeads(app, std::move(heads), now);
}

void ScriptedApps::SetHeads(App& app, std::vector<std::string> heads, FakeTime now) {
  heads.resize(app.deployed.size());
  for (size_t i = 0; i < heads.size(); ++i) {
    if (heads[i].empty()) heads[i] = app.deployed[i];
  }
  app.behavior.heads = heads;
  app.notice_pending = true;
  const int id = ++app.notice_id;
  At(app, now + app.behavior.notice_delay, [this, id](App& a, FakeTime t) {
    if (a.notice_id == id && a.notice_pending) Notice(a, t);
  });
}

void ScriptedApps::StartOperation(App& app, const std::string& revision, bool automated,
                                  FakeTime now) {
  Settle(now);
  Operate(app, revision, automated, now);
}

void ScriptedApps::Operate(App& app, const std::string& revision, bool automated, FakeTime now) {
  std::vector<std::string> targets = app.behavior.heads;
  if (!revision.empty()) targets[0] = revision;
  const bool multi = IsMultiSource(app.doc);
  json sync = json::object();
  SetRevisions(sync, targets, multi);
  const json::json_pointer options("/spec/syncPolicy/syncOptions");
  if (app.doc.contains(options)) sync["syncOptions"] = app.doc[options];
  json initiated = automated ? json{{"automated", true}} : json{{"username", "someone-else"}};
  json operation = {{"sync", sync}, {"initiatedBy", initiated}};
  const json::json_pointer retry("/spec/syncPolicy/retry");
  if (app.doc.contains(retry)) operation["retry"] = app.doc[retry];
  BeginOperation(app, std::move(operation), targets, now);
}

void ScriptedApps::Schedule(App& app, milliseconds after, nlohmann::json merge_patch,
                            FakeTime now) {
  Settle(now);
  At(app, now + after, [this, merge_patch](App& a, FakeTime) {
    a.doc.merge_patch(merge_patch);
    Commit(a);
  });
}

std::optional<FakeTime> ScriptedApps::StartRefresh(App& app, FakeTime now) {
  Settle(now);
  if (!app.behavior.refresh_duration) return std::nullopt;
  const FakeTime done = now + *app.behavior.refresh_duration;
  At(app, done, [this](App& a, FakeTime t) {
    if (a.notice_pending) {
      Notice(a, t);
      return;
    }
    a.doc["status"]["reconciledAt"] = Stamp(t);
    Commit(a);
  });
  return done;
}

ApiOutcome ScriptedApps::Terminate(const std::string& app_namespace, const std::string& name,
                                   const std::string& project, FakeTime now) {
  ApiOutcome found = Lookup(app_namespace, name, project, now);
  if (found.status != 200) return found;
  App& app = *Find(app_namespace, name);
  if (!app.doc.contains("operation") || !app.doc["status"].contains("operationState")) {
    return Error(kGrpcInvalidArgument,
                 "Unable to terminate operation. No operation is in progress");
  }
  app.doc["status"]["operationState"]["phase"] = "Terminating";
  Commit(app);
  const int id = app.operation_id;
  At(app, now + app.behavior.terminate_duration, [this, id](App& a, FakeTime t) {
    if (a.operation_id != id || !a.doc.contains("operation")) return;
    json& state = a.doc["status"]["operationState"];
    state["phase"] = "Failed";
    state["message"] = "Operation terminated";
    state["finishedAt"] = Stamp(t);
    a.doc.erase("operation");
    Commit(a);
  });
  return {200, json::object()};
}

ApiOutcome ScriptedApps::ResourceTree(const std::string& app_namespace, const std::string& name,
                                      const std::string& project, FakeTime now) {
  ApiOutcome found = Lookup(app_namespace, name, project, now);
  if (found.status != 200) return found;
  const App& app = *Find(app_namespace, name);
  if (app.tree) return {200, *app.tree};
  json nodes = json::array();
  for (const json& r : app.doc["status"].value("resources", json::array())) {
    json node = {{"version", r.value("version", "v1")},
                 {"kind", r.value("kind", "")},
                 {"namespace", r.value("namespace", "")},
                 {"name", r.value("name", "")},
                 {"uid", "uid-" + AsciiLower(r.value("kind", "")) + "-" + r.value("name", "")},
                 {"resourceVersion", "1"}};
    if (r.contains("group")) node["group"] = r["group"];
    if (r.contains("health")) node["health"] = r["health"];
    nodes.push_back(node);
  }
  return {200, {{"nodes", nodes}}};
}

ApiOutcome ScriptedApps::SyncWindows(const std::string& app_namespace, const std::string& name,
                                     const std::string& project, FakeTime now) {
  ApiOutcome found = Lookup(app_namespace, name, project, now);
  if (found.status != 200) return found;
  const App& app = *Find(app_namespace, name);
  if (!app.behavior.sync_window) return {200, {{"canSync", true}}};
  const SyncWindow& w = *app.behavior.sync_window;
  json window = {{"kind", w.kind},
                 {"schedule", w.schedule},
                 {"duration", w.duration},
                 {"manualSync", w.manual_sync}};
  return {200, {{"assignedWindows", {window}}, {"activeWindows", {window}}, {"canSync", false}}};
}

}  // namespace capstan::testing
