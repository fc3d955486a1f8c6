// Deciding, from what Argo CD reports about an Application, whether a deployment of one commit
// has succeeded, failed, or is still under way: the part of `argocd app wait` that other tools
// get wrong (a "Synced" seen before the controller noticed the new commit; an app healthy for
// one poll and degraded the next). Pure: the caller fetches the status (stream or poll), keeps
// the clock and the --timeout, and feeds each observation to AppWait::Observe.
//
// Success means all of:
//  - the synced revision is the expected commit or a descendant of it (branches move on);
//  - sync status Synced;
//  - health Healthy, and still Healthy `settle` later (unless the app was already there at
//    the first observation and WaitTarget::first_at_once: then at once);
//  - no operation is requested or running; the last operation at the expected revision (if
//    any) Succeeded, and the controller compared again after it finished (reconciledAt >=
//    finishedAt).
// An operation is not required: the controller skips auto-sync when nothing in the app
// changed, and with manifest-generate-paths the revision moves without one.
// Failure (at once): an operation at the expected revision Failed or Error; a SyncError
// condition about the expected revision ("Failed last sync attempt to <rev>": auto-sync will
// not retry it); a ComparisonError condition; Degraded for longer than `degraded_grace`.
// Suspended health is its own outcome. Missing, Progressing, Terminating and Unknown are waited
// out (the caller's --timeout bounds them).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "argocd/application.h"

namespace capstan::argocd {

struct WaitTarget {
  // The full commit SHA to be at (or past). "" when nothing is pinned (any revision will do).
  std::string revision;
  // For a multi-source app, the 1-based position of the source from this repository; 0: any.
  int source_position = 0;
  std::chrono::milliseconds settle{5000};
  std::chrono::milliseconds degraded_grace{0};
  // Whether an app found Synced and Healthy at the target by the FIRST observation succeeds
  // at once (it was already there: nothing to settle). A caller that has just asked for a
  // sync sets it false, so even a fast sync settles.
  bool first_at_once = true;
};

// Whether `revision` (a full SHA Argo CD reports) is the target commit or a descendant of it.
// The caller answers from the repository (git::Repository ancestry); without one, from equality.
using ReachesTarget = std::function<bool(const std::string& revision)>;

enum class WaitOutcome { kWaiting, kSucceeded, kFailed, kSuspended };

struct WaitVerdict {
  WaitOutcome outcome = WaitOutcome::kWaiting;
  // One line on the state, for progress and for the report: "OutOfSync at 1a2b3c4, want
  // 5d6e7f8", "Synced at 5d6e7f8, Healthy, settling (2s of 5s)", "sync failed: <message>".
  std::string summary;
};

class AppWait {
 public:
  AppWait(WaitTarget target, ReachesTarget reaches);

  // Judges one observation made at `now` (a steady clock). Keeps what it needs across calls
  // (how long the app has been Healthy or Degraded, whether it has been seen at all).
  WaitVerdict Observe(const Application& app, std::chrono::steady_clock::time_point now);

 private:
  bool AtTarget(const ApplicationStatus& status) const;
  bool ReachesRevision(const std::string& revision) const;

  WaitTarget target_;
  ReachesTarget reaches_;
  bool first_ = true;
  std::optional<std::chrono::steady_clock::time_point> healthy_since_;
  std::optional<std::chrono::steady_clock::time_point> degraded_since_;
};

// The first 7 characters of a SHA (for messages); the text itself when shorter.
std::string ShortSha(const std::string& sha);

}  // namespace capstan::argocd
