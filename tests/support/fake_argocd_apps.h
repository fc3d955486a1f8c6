// The Applications behind the fake Argo CD server (support/fake_argocd.h) and the scripted
// controller that moves them, in fake time. Tests normally use it through FakeArgoCd (AddApp,
// PushRevision, Schedule...); this header documents what an Application looks like and what the
// scripted controller does with it.
//
// An Application is kept as the JSON Argo CD's API returns (v1alpha1.Application: metadata, spec,
// operation, status). Every change bumps metadata.resourceVersion (one counter for all apps) and
// is kept as a snapshot, so a stream can send each intermediate state even when the clock jumped
// over several changes.
//
// Time: nothing here reads a clock. Each call takes `now`; scripted changes are events at fixed
// fake times, applied in order by Settle(now) (which every other call runs first), and stamped
// with their own time, not the time they were observed: the same script gives the same
// timestamps whoever looks and when.
//
// A sync (Sync(), StartOperation(), or an automated app noticing a new head) runs, with the app's
// AppBehavior durations (defaults in brackets):
//   t0                 `operation` set, status.operationState removed (as Argo CD's server
//                      does), status untouched: still Synced + Healthy at the OLD revision.
//   + pickup_delay [1s]      operationState {operation, phase Running, startedAt}; sync.status
//                            OutOfSync when the target differs from the deployed revision.
//   + operation_duration [2s]  phase Succeeded ("successfully synced (all tasks run)"), or
//                            Failed / Error with failure_message; finishedAt; syncResult
//                            {revision(s), source(s), resources[]}; `operation` removed; on
//                            success health Progressing. A dry run ends here.
//   + reconcile_delay [1s]   reconciledAt; on success sync {Synced, revision(s) = target}; on
//                            failure sync stays OutOfSync at the target and an automated app
//                            gets the condition SyncError "Failed last sync attempt to <rev>: ..".
//   + progressing_for [3s]   (success only) health per health_end: Healthy, Degraded
//                            (degraded_message), Healthy then Degraded after degraded_after
//                            [10s], Progressing forever, Suspended, Missing. Resources of kind
//                            Deployment in status.resources carry the same health.
// Terminate (DELETE .../operation) while the operation is Running: phase Terminating, then after
// terminate_duration [1s] phase Failed "Operation terminated", `operation` removed. Before
// pickup there is no operationState yet, and Argo CD answers "Unable to terminate operation. No
// operation is in progress" (argo-cd #17155): the fake does the same.
//
// A new head (AppBehavior::heads at AddApp, or PushRevision): after notice_delay [30s] (or at once
// when a ?refresh= completes) the controller notices: sync {OutOfSync, revision(s) = head},
// reconciledAt; an automated app then starts its own sync to the head (initiatedBy.automated),
// unless auto_sync_skips (manifest-generate-paths untouched): Synced at the head, no operation.
//
// Thread safety: none; FakeArgoCd serialises every call.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace capstan::testing {

using FakeTime = std::chrono::system_clock::time_point;
using std::chrono::milliseconds;

enum class OperationEnd { kSucceeded, kFailed, kError };
enum class HealthEnd {
  kHealthy,
  kDegraded,
  kHealthyThenDegraded,
  kProgressing,
  kSuspended,
  kMissing
};

// A window of the app's project (applicationApplicationSyncWindow).
struct SyncWindow {
  std::string kind = "deny";
  std::string schedule = "0 22 * * *";
  std::string duration = "8h";
  bool manual_sync = false;
};

// The scripted controller's behaviour for one app. Durations are fake time.
struct AppBehavior {
  // What each source's targetRevision resolves to in the repository now (one entry per source;
  // "" or a missing entry: the deployed revision, i.e. nothing new). A sync without revision
  // deploys it; an automated app moves to it by itself after notice_delay.
  std::vector<std::string> heads{};
  // Revisions the repo-server resolves besides full 40-hex SHAs (which resolve to themselves),
  // the app's targetRevision and "HEAD" (which resolve to the head): "v1.2.0" -> sha. A sync to
  // anything else gets 400 code 9 "error resolving repo revision: ...".
  std::map<std::string, std::string> refs{};

  milliseconds notice_delay{30000};
  bool auto_sync_skips = false;
  milliseconds pickup_delay{1000};
  milliseconds operation_duration{2000};
  OperationEnd operation_end = OperationEnd::kSucceeded;
  // The Failed / Error operation message; "" = one naming the app's Deployment:
  // one or more objects failed to apply, reason: Deployment.apps "<app>" is invalid
  std::string failure_message{};
  milliseconds reconcile_delay{1000};
  milliseconds progressing_for{3000};
  HealthEnd health_end = HealthEnd::kHealthy;
  milliseconds degraded_after{10000};
  // The Degraded health message; "" = Deployment "<app>" exceeded its progress deadline
  std::string degraded_message{};
  milliseconds terminate_duration{1000};
  // How long a ?refresh= takes until the controller has reconciled; nullopt: never (the server
  // blocks until the request's deadline, argo-cd #21613).
  std::optional<milliseconds> refresh_duration = milliseconds(0);
  // A window blocking syncs: Sync answers 403 code 7 sync_window_message.
  std::optional<SyncWindow> sync_window{};
  std::string sync_window_message = "cannot sync: blocked by sync window";
  // The token may not see or sync this app: 403 "permission denied" with or without a project;
  // lists and streams leave it out.
  bool forbidden = false;
};

// A compact description of an Application at rest, for MakeApplication.
struct AppSpec {
  std::string name{};
  std::string namespace_ = "argocd";
  std::string project = "default";
  std::string repo_url = "https://github.com/acme/gitops.git";
  std::string path{};  // "" = "apps/<name>"
  std::string target_revision = "HEAD";
  std::string revision{};  // the deployed commit (40 hex)
  bool automated = false;
  std::vector<std::string> sync_options{};  // spec.syncPolicy.syncOptions
  std::map<std::string, std::string> annotations{};
  std::map<std::string, std::string> labels{};
  // Further sources, each a v1alpha1ApplicationSource object; non-empty makes the app
  // multi-source: spec.sources = [the source above, extra...], status.sync.revisions has one
  // entry per source (all `revision`).
  std::vector<nlohmann::json> extra_sources{};
};

// The Application `spec` describes as the API returns it, Synced and Healthy at spec.revision:
// no operation, the last operation Succeeded a minute before `now`, reconciledAt 30 s before,
// status.resources a Service and a Deployment named after the app in namespace `name`.
nlohmann::json MakeApplication(const AppSpec& spec, FakeTime now);

// A gateway answer: HTTP status and JSON body (the object, or {error, code, message}).
struct ApiOutcome {
  int status = 200;
  nlohmann::json body;
};

class ScriptedApps {
 public:
  struct Snapshot {
    std::int64_t version = 0;
    nlohmann::json doc;
  };
  struct App {
    nlohmann::json doc;
    AppBehavior behavior;
    std::deque<Snapshot> history;  // the last kHistory states, oldest first
    std::optional<nlohmann::json> tree;
    int operation_id = 0;               // the current (or last) operation
    int notice_id = 0;                  // the pending head-change notice
    int health_id = 0;                  // the current health timeline
    bool notice_pending = false;        // a new head the controller has not noticed yet
    std::vector<std::string> deployed;  // what the last successful sync deployed, per source
    std::string Key() const;
  };
  static constexpr size_t kHistory = 256;

  // Adds (or replaces) an app. Missing status parts are filled as MakeApplication would.
  void Add(nlohmann::json app, AppBehavior behavior, FakeTime now);
  // Applies every event due at or before now, in time order.
  void Settle(FakeTime now);
  // The time of the earliest pending event for an app accepted by `only` (all when empty);
  // FakeTime::max() when none.
  FakeTime NextEvent(const std::function<bool(const App&)>& only = {}) const;

  App* Find(const std::string& app_namespace, const std::string& name);
  // Every app, sorted by name then namespace.
  std::vector<const App*> All() const;
  std::int64_t version() const { return version_; }

  // The app as Get answers: 403 "permission denied" when missing or forbidden and project is
  // empty, 404 `applications.argoproj.io "<name>" not found` when missing with a project or in
  // another project.
  ApiOutcome Lookup(const std::string& app_namespace, const std::string& name,
                    const std::string& project, FakeTime now);
  // ApplicationService_Sync with the request body (already checked against the description).
  ApiOutcome Sync(const std::string& app_namespace, const std::string& name,
                  const nlohmann::json& request, FakeTime now);
  ApiOutcome Terminate(const std::string& app_namespace, const std::string& name,
                       const std::string& project, FakeTime now);
  ApiOutcome ResourceTree(const std::string& app_namespace, const std::string& name,
                          const std::string& project, FakeTime now);
  ApiOutcome SyncWindows(const std::string& app_namespace, const std::string& name,
                         const std::string& project, FakeTime now);
  // Starts a ?refresh=: returns when it completes (the controller then notices a pending head
  // at once and sets reconciledAt), or nullopt when it never does.
  // REQUIRES: the app exists.
  std::optional<FakeTime> StartRefresh(App& app, FakeTime now);

  // Sets new heads (one per source); the controller notices them after notice_delay.
  void PushRevision(App& app, std::vector<std::string> heads, FakeTime now);
  // Starts a sync operation to `revision` as someone else would (automated: by auto-sync),
  // following the app's behaviour. A running operation is replaced.
  void StartOperation(App& app, const std::string& revision, bool automated, FakeTime now);
  // At now + after, applies the JSON merge patch (RFC 7386) to the app.
  void Schedule(App& app, milliseconds after, nlohmann::json merge_patch, FakeTime now);

 private:
  struct Event {
    std::string app;  // App::Key()
    std::function<void(App&, FakeTime)> fire;
  };

  void At(const App& app, FakeTime when, std::function<void(App&, FakeTime)> fire);
  void Commit(App& app);
  void BeginOperation(App& app, nlohmann::json operation, std::vector<std::string> targets,
                      FakeTime now);
  void Finish(App& app, int id, std::vector<std::string> targets, FakeTime now);
  void Reconciled(App& app, int id, std::vector<std::string> targets, bool ok, FakeTime now);
  void SetHealth(App& app, const std::string& status, const std::string& message);
  void Notice(App& app, FakeTime now);
  // PushRevision and StartOperation without Settle (safe inside an event).
  void SetHeads(App& app, std::vector<std::string> heads, FakeTime now);
  void Operate(App& app, const std::string& revision, bool automated, FakeTime now);

  std::map<std::string, App> apps_;  // by Key()
  std::multimap<std::pair<FakeTime, std::int64_t>, Event> events_;
  std::int64_t next_event_ = 0;
  std::int64_t version_ = 1000;
};

}  // namespace capstan::testing
