#include "argocd/wait.h"

#include <catch2/catch.hpp>

namespace capstan::argocd {
namespace {

using std::chrono::seconds;
using std::chrono::steady_clock;
using std::chrono::system_clock;

const std::string kOld = "1111111111111111111111111111111111111111";
const std::string kNew = "2222222222222222222222222222222222222222";
const std::string kNewer = "3333333333333333333333333333333333333333";

Application App(const std::string& revision, const std::string& sync, const std::string& health) {
  Application app;
  app.name = "web";
  app.status.sync_revision = revision;
  app.status.sync_status = sync;
  app.status.health_status = health;
  return app;
}

Timestamp At(int s) { return {"t" + std::to_string(s), system_clock::time_point(seconds(s))}; }

OperationState Operation(const std::string& phase, const std::string& revision, int started,
                         int finished) {
  OperationState op;
  op.phase = phase;
  op.revision = revision;
  op.started_at = At(started);
  if (finished > 0) op.finished_at = At(finished);
  return op;
}

struct Waiter {
  AppWait wait;
  steady_clock::time_point now{};
  explicit Waiter(WaitTarget target = {kNew, 0, seconds(5), seconds(0)},
                  ReachesTarget reaches = nullptr)
      : wait(std::move(target), std::move(reaches)) {}
  WaitVerdict See(const Application& app, int after_seconds = 1) {
    now += seconds(after_seconds);
    return wait.Observe(app, now);
  }
};

TEST_CASE("an app already synced and healthy at the commit succeeds at once", "[argocd]") {
  Waiter w;
  const WaitVerdict v = w.See(App(kNew, "Synced", "Healthy"));
  CHECK(v.outcome == WaitOutcome::kSucceeded);
  CHECK(v.summary == "Synced at 2222222, Healthy");
}

TEST_CASE("right after a sync request even an app found healthy at the commit settles first",
          "[argocd]") {
  WaitTarget target{kNew, 0, seconds(5), seconds(0)};
  target.first_at_once = false;
  Waiter w(target);
  const WaitVerdict first = w.See(App(kNew, "Synced", "Healthy"));
  CHECK(first.outcome == WaitOutcome::kWaiting);
  CHECK(first.summary == "Synced at 2222222, Healthy, settling (0s of 5s)");
  CHECK(w.See(App(kNew, "Synced", "Healthy"), 5).outcome == WaitOutcome::kSucceeded);
}

TEST_CASE("Synced at the old revision is not success: the controller has not seen the commit",
          "[argocd]") {
  Waiter w;
  WaitVerdict v = w.See(App(kOld, "Synced", "Healthy"));
  CHECK(v.outcome == WaitOutcome::kWaiting);
  CHECK(v.summary == "Synced at 1111111, want 2222222");
  v = w.See(App(kNew, "OutOfSync", "Healthy"));
  CHECK(v.outcome == WaitOutcome::kWaiting);
  CHECK(v.summary == "OutOfSync at 2222222");
  // Healthy at the commit must hold for the settle time before it counts.
  v = w.See(App(kNew, "Synced", "Healthy"));
  CHECK(v.outcome == WaitOutcome::kWaiting);
  CHECK(v.summary == "Synced at 2222222, Healthy, settling (0s of 5s)");
  v = w.See(App(kNew, "Synced", "Healthy"), 3);
  CHECK(v.outcome == WaitOutcome::kWaiting);
  v = w.See(App(kNew, "Synced", "Healthy"), 2);
  CHECK(v.outcome == WaitOutcome::kSucceeded);
}

TEST_CASE("healthy then degraded within the settle time fails", "[argocd]") {
  Waiter w;
  CHECK(w.See(App(kOld, "Synced", "Healthy")).outcome == WaitOutcome::kWaiting);
  CHECK(w.See(App(kNew, "Synced", "Healthy")).outcome == WaitOutcome::kWaiting);
  Application degraded = App(kNew, "Synced", "Degraded");
  degraded.status.health_message = "Deployment web exceeded its progress deadline";
  const WaitVerdict v = w.See(degraded, 2);
  CHECK(v.outcome == WaitOutcome::kFailed);
  CHECK(v.summary == "Degraded at 2222222: Deployment web exceeded its progress deadline");
}

TEST_CASE("degraded is tolerated for the grace period and the clock restarts on recovery",
          "[argocd]") {
  Waiter w({kNew, 0, seconds(0), seconds(30)});
  CHECK(w.See(App(kOld, "Synced", "Healthy")).outcome == WaitOutcome::kWaiting);
  CHECK(w.See(App(kNew, "Synced", "Degraded")).outcome == WaitOutcome::kWaiting);
  CHECK(w.See(App(kNew, "Synced", "Degraded"), 20).outcome == WaitOutcome::kWaiting);
  CHECK(w.See(App(kNew, "Synced", "Progressing"), 5).outcome == WaitOutcome::kWaiting);
  CHECK(w.See(App(kNew, "Synced", "Degraded"), 5).outcome == WaitOutcome::kWaiting);
  CHECK(w.See(App(kNew, "Synced", "Degraded"), 29).outcome == WaitOutcome::kWaiting);
  CHECK(w.See(App(kNew, "Synced", "Degraded"), 1).outcome == WaitOutcome::kFailed);
}

TEST_CASE("a descendant of the commit counts as deployed, another branch does not", "[argocd]") {
  Waiter w({kNew, 0, seconds(0), seconds(0)},
           [](const std::string& revision) { return revision == kNewer; });
  CHECK(w.See(App(kOld, "Synced", "Healthy")).outcome == WaitOutcome::kWaiting);
  CHECK(w.See(App(kNewer, "Synced", "Healthy")).outcome == WaitOutcome::kSucceeded);
}

TEST_CASE("a failed operation at the commit fails at once, an old one does not", "[argocd]") {
  Waiter w;
  Application app = App(kOld, "OutOfSync", "Healthy");
  app.status.operation_state = Operation("Failed", kOld, 10, 20);
  CHECK(w.See(app).outcome == WaitOutcome::kWaiting);
  app.status.operation_state = Operation("Running", kNew, 30, 0);
  app.status.operation_state->message = "waiting for healthy state of apps/Deployment/web";
  WaitVerdict v = w.See(app);
  CHECK(v.outcome == WaitOutcome::kWaiting);
  CHECK(v.summary == "operation Running: waiting for healthy state of apps/Deployment/web");
  app.status.operation_state = Operation("Failed", kNew, 30, 40);
  app.status.operation_state->message = "one or more objects failed to apply";
  v = w.See(app);
  CHECK(v.outcome == WaitOutcome::kFailed);
  CHECK(v.summary == "sync failed: one or more objects failed to apply");
}

TEST_CASE("after a sync the controller must compare again before success", "[argocd]") {
  Waiter w({kNew, 0, seconds(0), seconds(0)});
  Application app = App(kNew, "Synced", "Healthy");
  app.status.operation_state = Operation("Succeeded", kNew, 30, 40);
  app.status.reconciled_at = At(35);
  WaitVerdict v = w.See(app);
  CHECK(v.outcome == WaitOutcome::kWaiting);
  CHECK(v.summary == "Synced at 2222222, the controller has not compared since the sync");
  app.status.reconciled_at = At(41);
  CHECK(w.See(app).outcome == WaitOutcome::kSucceeded);
}

TEST_CASE("a requested operation the controller has not taken is waited for", "[argocd]") {
  Waiter w;
  Application app = App(kNew, "Synced", "Healthy");
  app.operation_requested = true;
  const WaitVerdict v = w.See(app);
  CHECK(v.outcome == WaitOutcome::kWaiting);
  CHECK(v.summary == "sync requested, not started by the controller yet");
}

TEST_CASE("a sync error about the commit and a comparison error fail fast", "[argocd]") {
  Waiter w;
  Application app = App(kOld, "OutOfSync", "Healthy");
  app.status.conditions = {{"SyncError", "Failed last sync attempt to 1111111: old failure"}};
  CHECK(w.See(app).outcome == WaitOutcome::kWaiting);
  app.status.conditions = {
      {"SyncError", "Failed last sync attempt to 2222222: one or more objects failed to apply"}};
  WaitVerdict v = w.See(app);
  CHECK(v.outcome == WaitOutcome::kFailed);
  CHECK(v.summary ==
        "SyncError: Failed last sync attempt to 2222222: one or more objects failed to apply");
  app.status.conditions = {{"ComparisonError", "rpc error: kustomize build failed"}};
  CHECK(w.See(app).outcome == WaitOutcome::kFailed);
}

TEST_CASE("suspended is its own outcome, missing and progressing are waited out", "[argocd]") {
  Waiter w;
  CHECK(w.See(App(kNew, "Synced", "Missing")).summary == "Synced at 2222222, Missing");
  CHECK(w.See(App(kNew, "Synced", "Progressing")).outcome == WaitOutcome::kWaiting);
  CHECK(w.See(App(kNew, "Synced", "Suspended")).outcome == WaitOutcome::kSuspended);
}

TEST_CASE("a multi-source app is judged on the position of this repository's source", "[argocd]") {
  Waiter w({kNew, 2, seconds(0), seconds(0)});
  Application app = App("", "Synced", "Healthy");
  app.status.sync_revisions = {kNew, kOld};
  WaitVerdict v = w.See(app);
  CHECK(v.outcome == WaitOutcome::kWaiting);
  CHECK(v.summary == "Synced at 2222222,1111111, want 2222222");
  app.status.sync_revisions = {"v1.2.0", kNew};
  CHECK(w.See(app).outcome == WaitOutcome::kSucceeded);
}

}  // namespace
}  // namespace capstan::argocd
