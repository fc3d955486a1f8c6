#include "sync/deploy.h"

#include <algorithm>

#include "argocd/wait.h"
#include "core/strings.h"
#include "sync/observe.h"

namespace capstan::tools::sync {
namespace {

using argocd::Application;
using argocd::WaitOutcome;
using std::chrono::milliseconds;

// How often a sync refused as "another operation is already in progress" is tried again after
// the operation ended, and how often a DELETE answered "no operation is in progress" (the
// controller has not picked the operation up yet, argo-cd #17155) is repeated.
constexpr int kMaxSyncAttempts = 4;
constexpr int kMaxTerminateAttempts = 10;
constexpr milliseconds kTerminateRetry{1000};

// A transport failure's exit code: a refused URL is configuration (2), the rest could not run.
int ExitCodeOf(const Status& status) {
  return status.code() == StatusCode::kInvalidArgument ? 2 : 3;
}

class Deployment {
 public:
  Deployment(Run& run, const Target& target, const Pin& pin)
      : run_(run), target_(target), pin_(pin), label_(AppLabel(target.ref)) {
    result_.deployment.name = label_;
    started_ = run.env.clock->Monotonic();
  }

  Deployed Go();

 private:
  bool Fetch();
  bool ResolveConflict();
  bool RequestSync();
  void WaitForCommit();
  void WaitForDryRun();
  // Finishes the deployment when the wait ended without an answer (the deadline passed, the
  // server cannot be asked) and says so.
  bool EndedEarly(const WatchResult& watched);
  bool WaitForOperationEnd(const std::string& why);
  bool Terminate();
  argocd::SyncRequest BuildRequest() const;
  std::string SyncWindowText();
  int SourcePosition() const;
  argocd::WaitTarget WaitTargetFor(const std::string& sha, bool first_at_once) const;

  void Finish(std::string outcome, int exit_code, std::string message);
  void Observed(const Application& app) {
    result_.last = app;
    result_.deployment.sync_status = app.status.sync_status;
    result_.deployment.health = app.status.health_status;
  }
  void SayOnChange(const std::string& line) {
    if (line == said_) return;
    said_ = line;
    run_.progress.Say(label_, line);
  }
  bool Reaches(const std::string& sha, const std::string& revision) const {
    if (revision == sha) return true;
    return run_.repo != nullptr && run_.repo->Reaches(sha, revision);
  }

  Run& run_;
  const Target& target_;
  const Pin& pin_;
  const std::string label_;
  std::chrono::steady_clock::time_point started_;
  Application app_;  // the latest state
  argocd::AppRef ref_;
  std::string pinned_;  // the full SHA the wait is pinned to, once known
  std::string said_;
  std::string summary_ = "starting";
  bool synced_ = false;           // a sync request was accepted (or joined)
  std::string pre_sync_started_;  // the last operation's startedAt before the sync
  Deployed result_;
};

bool Deployment::Fetch() {
  Result<argocd::Answer> answer = run_.client.Get(ref_);
  if (!answer.ok()) {
    Finish("error", ExitCodeOf(answer.status()),
           "cannot read the application: " + DescribeTransportError(answer.status()));
    return false;
  }
  if (answer->error) {
    ApiFailure failure = DescribeApiError(*answer->error, ref_);
    Finish("error", failure.exit_code, failure.message);
    return false;
  }
  std::optional<Application> app = argocd::ReadApplicationJson(answer->body);
  if (!app) {
    Finish("error", 3, "the server's answer is not an Application");
    return false;
  }
  app_ = std::move(*app);
  Observed(app_);
  if (ref_.project.empty()) ref_.project = app_.project;
  if (result_.source_paths.empty()) {
    for (std::size_t i = 0; i < app_.sources.size(); ++i) {
      const bool ours =
          target_.sources.empty() ||
          std::find(target_.sources.begin(), target_.sources.end(), i) != target_.sources.end();
      if (!ours || !app_.sources[i].path) continue;
      const std::string& path = *app_.sources[i].path;
      result_.source_paths.push_back(path);
      // kustomize.components of the Application are built with the source: look there too.
      for (const std::string& component : app_.sources[i].kustomize_components) {
        if (std::optional<std::string> dir = argocd::ResolveRepositoryPath(path, component)) {
          result_.source_paths.push_back(*dir);
        }
      }
    }
  }
  return true;
}

Deployed Deployment::Go() {
  ref_ = target_.ref;
  pinned_ = pin_.full_sha;
  if (!Fetch()) return std::move(result_);

  // Already there: nothing to sync, nothing to wait for.
  if (!pinned_.empty() && !OperationRunning(app_)) {
    argocd::AppWait check(WaitTargetFor(pinned_, true),
                          [&](const std::string& r) { return Reaches(pinned_, r); });
    argocd::WaitVerdict v = check.Observe(app_, run_.env.clock->Monotonic());
    if (v.outcome == WaitOutcome::kSucceeded) {
      run_.progress.Say(label_, "already deployed: " + v.summary);
      result_.deployment.revision = pinned_;
      Finish("deployed", 0, "already deployed: " + v.summary);
      return std::move(result_);
    }
  }

  if (run_.settings.wait_after_webhook) {
    // The webhook asked Argo CD to refresh; auto-sync deploys the commit. Nothing is sent.
    run_.progress.Say(label_, "waiting for Argo CD to deploy " + argocd::ShortSha(pinned_) +
                                  " after the webhook (no sync sent)");
    pre_sync_started_ =
        app_.status.operation_state ? app_.status.operation_state->started_at.text : "";
    synced_ = true;
  }
  for (int attempt = 0; attempt < kMaxSyncAttempts && !synced_; ++attempt) {
    if (OperationRunning(app_) && !ResolveConflict()) return std::move(result_);
    if (synced_) break;  // the running operation deploys the commit: joined it
    if (!RequestSync()) return std::move(result_);
  }
  if (!synced_) {
    Finish("conflict", 1,
           "another operation kept starting before ours; gave up after " +
               std::to_string(kMaxSyncAttempts) + " attempts");
    return std::move(result_);
  }
  if (run_.settings.async) {
    result_.deployment.revision = pinned_;
    Finish("requested", 0, "sync requested (--async: not waited for)");
    return std::move(result_);
  }
  if (run_.settings.request.dry_run) {
    WaitForDryRun();
  } else {
    WaitForCommit();
  }
  return std::move(result_);
}

bool OperationTargets(const argocd::OperationState& op, const std::string& sha,
                      const std::function<bool(const std::string&)>& reaches) {
  if (sha.empty()) return false;
  if (reaches(op.revision) || reaches(op.requested_revision)) return true;
  for (const std::string& r : op.revisions)
    if (reaches(r)) return true;
  return false;
}

// An operation is running: join it, wait for it, terminate it or fail, as --on-conflict says.
bool Deployment::ResolveConflict() {
  const auto& op = app_.status.operation_state;
  const bool running_state = op && (op->phase == "Running" || op->phase == "Terminating");
  std::string what =
      running_state && !op->revision.empty()
          ? "an operation (sync to " + argocd::ShortSha(op->revision) + ") is running"
          : "an operation is already requested";
  switch (run_.settings.on_conflict) {
    case OnConflict::kFail:
      Finish("conflict", 1, what + " (--on-conflict fail)");
      return false;
    case OnConflict::kWait:
      if (running_state && OperationTargets(*op, pinned_, [&](const std::string& r) {
            return Reaches(pinned_, r);
          })) {
        run_.progress.Say(label_, what + " and deploys the commit: waiting for it");
        synced_ = true;
        pre_sync_started_.clear();
        return true;
      }
      return WaitForOperationEnd(what + ": waiting for it to end, then syncing");
    case OnConflict::kTerminate:
      run_.progress.Say(label_, what + ": terminating it (--on-conflict terminate)");
      if (!Terminate()) return false;
      return WaitForOperationEnd("waiting for the terminated operation to stop");
  }
  return false;
}

bool Deployment::Terminate() {
  for (int attempt = 1;; ++attempt) {
    Result<argocd::Answer> answer = run_.client.TerminateOperation(ref_);
    if (!answer.ok()) {
      Finish("error", ExitCodeOf(answer.status()),
             "cannot terminate the running operation: " + answer.status().message());
      return false;
    }
    if (!answer->error) return true;
    // The operation is requested but the controller has not picked it up yet: there is
    // nothing to terminate for a moment (argo-cd #17155).
    if (answer->error->NoOperationInProgress() && attempt < kMaxTerminateAttempts) {
      run_.env.clock->Sleep(kTerminateRetry);
      continue;
    }
    if (answer->error->NoOperationInProgress()) return true;
    ApiFailure failure = DescribeApiError(*answer->error, ref_);
    Finish("error", failure.exit_code,
           "cannot terminate the running operation: " + failure.message);
    return false;
  }
}

bool Deployment::WaitForOperationEnd(const std::string& why) {
  run_.progress.Say(label_, why);
  said_.clear();
  WatchResult watched = Watch(
      run_, ref_,
      [&](const Application& app) {
        app_ = app;
        Observed(app);
        if (!OperationRunning(app)) return true;
        const auto& op = app.status.operation_state;
        summary_ = op ? "operation " + op->phase : "operation requested";
        return false;
      },
      [&] { return summary_; });
  switch (watched.end) {
    case WatchEnd::kDone:
      return true;
    case WatchEnd::kDeadline:
      Finish("timeout", 4, "timed out waiting for the running operation to end (" + summary_ + ")");
      return false;
    case WatchEnd::kFailed:
      Finish("error", watched.exit_code, watched.status.message());
      return false;
  }
  return false;
}

int Deployment::SourcePosition() const {
  if (!app_.multi_source || target_.sources.empty()) return 0;
  const std::size_t index = target_.sources.front();
  return index < app_.sources.size() ? app_.sources[index].position : 0;
}

argocd::WaitTarget Deployment::WaitTargetFor(const std::string& sha, bool first_at_once) const {
  argocd::WaitTarget t;
  t.revision = sha;
  t.source_position = SourcePosition();
  t.settle = run_.settings.settle;
  t.degraded_grace = run_.settings.degraded_grace;
  t.first_at_once = first_at_once;
  return t;
}

argocd::SyncRequest Deployment::BuildRequest() const {
  const Settings& s = run_.settings;
  argocd::SyncRequest request = s.request;
  request.name = ref_.name;
  request.app_namespace = ref_.app_namespace;
  request.project = ref_.project;
  // Auto-sync apps refuse a revision other than their targetRevision; the wait is pinned to
  // the commit instead.
  if (!pin_.send.empty() && !app_.sync_policy.automated) {
    if (!app_.multi_source) {
      request.revision = pin_.send;
    } else {
      for (std::size_t index : target_.sources) {
        if (index >= app_.sources.size()) continue;
        request.revisions.push_back(pin_.send);
        request.source_positions.push_back(app_.sources[index].position);
      }
    }
  }
  if (!s.option_flags.empty()) {
    request.sync_options = argocd::MergeSyncOptions(app_.sync_policy.sync_options, s.option_flags);
  }
  if (s.retry_limit || s.retry_backoff_duration || s.retry_backoff_factor ||
      s.retry_backoff_max_duration) {
    argocd::SyncRetry retry;
    if (const auto& own = app_.sync_policy.retry) {
      if (own->limit) retry.limit = static_cast<long>(*own->limit);
      if (own->backoff) {
        if (own->backoff->duration) retry.backoff_duration = *own->backoff->duration;
        if (own->backoff->factor) retry.backoff_factor = static_cast<long>(*own->backoff->factor);
        if (own->backoff->max_duration) retry.backoff_max_duration = *own->backoff->max_duration;
      }
    }
    if (s.retry_limit) retry.limit = *s.retry_limit;
    if (s.retry_backoff_duration) retry.backoff_duration = *s.retry_backoff_duration;
    if (s.retry_backoff_factor) retry.backoff_factor = *s.retry_backoff_factor;
    if (s.retry_backoff_max_duration) retry.backoff_max_duration = *s.retry_backoff_max_duration;
    request.retry = retry;
  }
  return request;
}

// "deny window '0 22 * * *' for 1h" for each active window, or "" when the server does not say.
std::string Deployment::SyncWindowText() {
  Result<argocd::Answer> answer = run_.client.SyncWindows(ref_);
  if (!answer.ok() || answer->error || !answer->body.is_object()) return "";
  std::vector<std::string> windows;
  auto active = answer->body.find("activeWindows");
  if (active == answer->body.end() || !active->is_array()) return "";
  for (const auto& w : *active) {
    if (!w.is_object()) continue;
    std::string text = w.value("kind", "") + " window";
    if (w.contains("schedule")) text += " " + QuoteForMessage(w.value("schedule", ""));
    if (w.contains("duration")) text += " for " + w.value("duration", "");
    windows.push_back(text);
  }
  return Join(windows, ", ");
}

bool Deployment::RequestSync() {
  argocd::SyncRequest request = BuildRequest();
  if (!app_.status.operation_state) {
    pre_sync_started_.clear();
  } else {
    pre_sync_started_ = app_.status.operation_state->started_at.text;
  }
  for (int attempt = 0; attempt < 2; ++attempt) {
    Result<argocd::Answer> answer = run_.client.Sync(request);
    if (!answer.ok()) {
      Finish("error", ExitCodeOf(answer.status()),
             "cannot request the sync: " + DescribeTransportError(answer.status()));
      return false;
    }
    if (!answer->error) {
      synced_ = true;
      std::string what =
          request.revision.empty() && request.revisions.empty()
              ? (pinned_.empty() ? "its targetRevision"
                                 : "its targetRevision, waiting for " + argocd::ShortSha(pinned_))
              : (pin_.send.size() >= 40 ? argocd::ShortSha(pin_.send) : pin_.send);
      run_.progress.Say(label_, "sync requested (" + what + ")");
      if (std::optional<Application> app = argocd::ReadApplicationJson(answer->body)) {
        app_ = std::move(*app);
      }
      return true;
    }
    const argocd::ApiError& error = *answer->error;
    if (error.OperationInProgress()) {
      // Someone started one between our read and our request: resolve it, then try again.
      return Fetch();
    }
    if (error.AutoSyncRevisionMismatch() &&
        (!request.revision.empty() || !request.revisions.empty())) {
      request.revision.clear();
      request.revisions.clear();
      request.source_positions.clear();
      continue;
    }
    if (error.SyncWindow()) {
      std::string windows = SyncWindowText();
      Finish("failed", 1,
             "blocked by a sync window" + (windows.empty() ? "" : " (" + windows + ")") + ": " +
                 error.message);
      return false;
    }
    ApiFailure failure = DescribeApiError(error, ref_);
    Finish("error", error.http_status == 400 ? 1 : failure.exit_code,
           "sync refused: " + failure.message);
    return false;
  }
  return false;
}

bool Deployment::EndedEarly(const WatchResult& watched) {
  switch (watched.end) {
    case WatchEnd::kDeadline:
      Finish("timeout", 4,
             "timed out after " + FormatElapsed(run_.settings.timeout) + ": " + summary_);
      return true;
    case WatchEnd::kFailed:
      Finish("error", watched.exit_code, watched.status.message());
      return true;
    case WatchEnd::kDone:
      return false;
  }
  return false;
}

// A dry run changes nothing in the cluster: its outcome is its operation's.
void Deployment::WaitForDryRun() {
  said_.clear();
  std::string failure;
  WatchResult watched = Watch(
      run_, ref_,
      [&](const Application& app) {
        app_ = app;
        Observed(app);
        const auto& op = app.status.operation_state;
        if (!op || op->started_at.text == pre_sync_started_) {
          summary_ = "dry run requested, not started by the controller yet";
        } else if (op->phase == "Running" || op->phase == "Terminating") {
          summary_ = "dry run " + AsciiLower(op->phase);
        } else {
          summary_ =
              "dry run " + AsciiLower(op->phase) + (op->message.empty() ? "" : ": " + op->message);
          if (op->phase != "Succeeded") failure = summary_;
          SayOnChange(summary_);
          return true;
        }
        SayOnChange(summary_);
        return false;
      },
      [&] { return summary_; });
  if (EndedEarly(watched)) return;
  if (failure.empty()) {
    Finish("dry-run", 0, summary_);
  } else {
    Finish("failed", 1, failure);
  }
}

void Deployment::WaitForCommit() {
  std::optional<argocd::AppWait> wait;
  if (!pinned_.empty()) {
    wait.emplace(WaitTargetFor(pinned_, false),
                 [&](const std::string& r) { return Reaches(pinned_, r); });
  }
  said_.clear();
  argocd::WaitVerdict verdict;
  WatchResult watched = Watch(
      run_, ref_,
      [&](const Application& app) {
        app_ = app;
        Observed(app);
        if (!wait) {
          // The commit is what Argo CD resolves the sync to: learn it from our operation.
          const auto& op = app.status.operation_state;
          if (op && op->started_at.text != pre_sync_started_) {
            std::string sha = op->revision;
            if (sha.empty() && !op->revisions.empty()) {
              int position = SourcePosition();
              sha = op->revisions[position > 0 &&
                                          static_cast<std::size_t>(position) <= op->revisions.size()
                                      ? static_cast<std::size_t>(position - 1)
                                      : 0];
            }
            if (op->phase == "Failed" || op->phase == "Error") {
              verdict = {WaitOutcome::kFailed, "sync " + AsciiLower(op->phase) +
                                                   (op->message.empty() ? "" : ": " + op->message)};
              SayOnChange(verdict.summary);
              return true;
            }
            if (!sha.empty()) {
              pinned_ = sha;
              run_.progress.Say(label_, "deploying " + argocd::ShortSha(sha));
              wait.emplace(WaitTargetFor(pinned_, false),
                           [&](const std::string& r) { return Reaches(pinned_, r); });
            }
          }
          if (!wait) {
            summary_ = app.operation_requested ? "sync requested, not started by the controller yet"
                                               : "waiting for the sync to start";
            SayOnChange(summary_);
            return false;
          }
        }
        verdict = wait->Observe(app, run_.env.clock->Monotonic());
        summary_ = verdict.summary;
        // Settling seconds change on every observation; a line per state is enough.
        std::string line = verdict.summary.substr(0, verdict.summary.find(" ("));
        SayOnChange(line);
        return verdict.outcome != WaitOutcome::kWaiting;
      },
      [&] { return summary_; });
  result_.deployment.revision = pinned_;
  if (EndedEarly(watched)) return;
  switch (verdict.outcome) {
    case WaitOutcome::kSucceeded:
      Finish("deployed", 0, verdict.summary);
      return;
    case WaitOutcome::kSuspended:
      Finish("suspended", 1, verdict.summary);
      return;
    case WaitOutcome::kFailed:
      Finish(app_.status.health_status == "Degraded" && verdict.summary.rfind("Degraded", 0) == 0
                 ? "degraded"
                 : "failed",
             1, verdict.summary);
      return;
    case WaitOutcome::kWaiting:
      Finish("timeout", 4, summary_);
      return;
  }
}

void Deployment::Finish(std::string outcome, int exit_code, std::string message) {
  result_.deployment.outcome = std::move(outcome);
  result_.deployment.message = std::move(message);
  result_.deployment.duration_ms =
      std::chrono::duration_cast<milliseconds>(run_.env.clock->Monotonic() - started_).count();
  if (result_.deployment.revision.empty()) result_.deployment.revision = pinned_;
  result_.exit_code = exit_code;
  if (exit_code != 0 && result_.deployment.outcome != "deployed") {
    run_.progress.Say(label_, result_.deployment.outcome + ": " + result_.deployment.message);
  }
}

}  // namespace

bool OperationRunning(const Application& app) {
  if (app.operation_requested) return true;
  const auto& op = app.status.operation_state;
  return op && (op->phase == "Running" || op->phase == "Terminating");
}

Deployed Deploy(Run& run, const Target& target, const Pin& pin) {
  return Deployment(run, target, pin).Go();
}

}  // namespace capstan::tools::sync
