#include "argocd/wait.h"

#include "core/strings.h"

namespace capstan::argocd {
namespace {

using std::chrono::duration_cast;
using std::chrono::seconds;

bool Mentions(const std::string& text, const std::string& part) {
  return !part.empty() && text.find(part) != std::string::npos;
}

WaitVerdict Verdict(WaitOutcome outcome, std::string summary) {
  return {outcome, std::move(summary)};
}

std::string Seconds(std::chrono::steady_clock::duration d) {
  return std::to_string(duration_cast<seconds>(d).count()) + "s";
}

}  // namespace

std::string ShortSha(const std::string& sha) { return sha.substr(0, 7); }

AppWait::AppWait(WaitTarget target, ReachesTarget reaches)
    : target_(std::move(target)), reaches_(std::move(reaches)) {}

bool AppWait::ReachesRevision(const std::string& revision) const {
  if (target_.revision.empty()) return true;
  if (revision.empty()) return false;
  if (revision == target_.revision) return true;
  return reaches_ && reaches_(revision);
}

bool AppWait::AtTarget(const ApplicationStatus& status) const {
  if (status.sync_revisions.empty()) return ReachesRevision(status.sync_revision);
  if (target_.source_position > 0) {
    const auto at = static_cast<std::size_t>(target_.source_position - 1);
    return at < status.sync_revisions.size() && ReachesRevision(status.sync_revisions[at]);
  }
  for (const std::string& r : status.sync_revisions)
    if (ReachesRevision(r)) return true;
  return false;
}

WaitVerdict AppWait::Observe(const Application& app, std::chrono::steady_clock::time_point now) {
  const ApplicationStatus& s = app.status;
  const bool first = first_;
  first_ = false;
  const std::string want = ShortSha(target_.revision);

  for (const Condition& c : s.conditions) {
    if (c.type == "ComparisonError")
      return Verdict(WaitOutcome::kFailed, "ComparisonError: " + c.message);
    // "Failed last sync attempt to <rev>: ...": auto-sync will not try that revision again.
    if (c.type == "SyncError" && (target_.revision.empty() || Mentions(c.message, want)))
      return Verdict(WaitOutcome::kFailed, "SyncError: " + c.message);
  }

  const std::optional<OperationState>& op = s.operation_state;
  // Argo CD keeps `operation` set while the operation runs: requested and not started yet is
  // when no running operation state goes with it.
  const bool running = op && (op->phase == "Running" || op->phase == "Terminating");
  if (app.operation_requested && !running) {
    healthy_since_.reset();
    return Verdict(WaitOutcome::kWaiting, "sync requested, not started by the controller yet");
  }
  bool op_at_target = false;
  if (op) {
    op_at_target = ReachesRevision(op->revision) || ReachesRevision(op->requested_revision);
    for (const std::string& r : op->revisions) op_at_target = op_at_target || ReachesRevision(r);
    if (op->phase == "Running" || op->phase == "Terminating") {
      healthy_since_.reset();
      std::string summary = "operation " + op->phase;
      if (!op->message.empty()) summary += ": " + op->message;
      return Verdict(WaitOutcome::kWaiting, summary);
    }
    if (op_at_target && (op->phase == "Failed" || op->phase == "Error"))
      return Verdict(WaitOutcome::kFailed,
                     "sync " + AsciiLower(op->phase) +
                         (op->message.empty() ? std::string() : ": " + op->message));
  }

  std::string at = ShortSha(s.sync_revision);
  if (!s.sync_revisions.empty()) {
    std::vector<std::string> shorts;
    for (const std::string& r : s.sync_revisions) shorts.push_back(ShortSha(r));
    at = Join(shorts, ",");
  }
  const std::string sync_status = s.sync_status.empty() ? "Unknown" : s.sync_status;
  if (!AtTarget(s)) {
    healthy_since_.reset();
    degraded_since_.reset();
    return Verdict(WaitOutcome::kWaiting,
                   sync_status + " at " + (at.empty() ? "?" : at) + ", want " + want);
  }
  if (s.sync_status != "Synced") {
    healthy_since_.reset();
    return Verdict(WaitOutcome::kWaiting, sync_status + " at " + at);
  }
  if (op && op_at_target && op->phase == "Succeeded" && op->finished_at.time &&
      (!s.reconciled_at.time || *s.reconciled_at.time < *op->finished_at.time)) {
    healthy_since_.reset();
    return Verdict(WaitOutcome::kWaiting,
                   "Synced at " + at + ", the controller has not compared since the sync");
  }

  const std::string health = s.health_status.empty() ? "Unknown" : s.health_status;
  const std::string detail = s.health_message.empty() ? "" : ": " + s.health_message;
  if (health != "Degraded") degraded_since_.reset();
  if (health != "Healthy") healthy_since_.reset();
  if (health == "Healthy") {
    if (first && target_.first_at_once)
      return Verdict(WaitOutcome::kSucceeded, "Synced at " + at + ", Healthy");
    if (!healthy_since_) healthy_since_ = now;
    const auto healthy_for = now - *healthy_since_;
    if (healthy_for >= target_.settle)
      return Verdict(WaitOutcome::kSucceeded, "Synced at " + at + ", Healthy");
    return Verdict(WaitOutcome::kWaiting, "Synced at " + at + ", Healthy, settling (" +
                                              Seconds(healthy_for) + " of " +
                                              Seconds(target_.settle) + ")");
  }
  if (health == "Degraded") {
    if (!degraded_since_) degraded_since_ = now;
    const auto degraded_for = now - *degraded_since_;
    if (degraded_for >= target_.degraded_grace)
      return Verdict(WaitOutcome::kFailed, "Degraded at " + at + detail);
    return Verdict(WaitOutcome::kWaiting,
                   "Synced at " + at + ", Degraded for " + Seconds(degraded_for) + detail);
  }
  if (health == "Suspended")
    return Verdict(WaitOutcome::kSuspended, "Synced at " + at + ", Suspended" + detail);
  return Verdict(WaitOutcome::kWaiting, "Synced at " + at + ", " + health + detail);
}

}  // namespace capstan::argocd
