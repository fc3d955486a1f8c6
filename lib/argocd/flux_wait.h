// Deciding, from what the Kubernetes API reports about a Flux Kustomization
// (kustomize.toolkit.fluxcd.io v1 or v1beta2, as JSON), whether a commit has been deployed,
// failed, or is still under way: the Flux counterpart of argocd/wait.h, with its WaitOutcome and
// WaitVerdict. Pure: the caller polls (flux_client.h) and keeps the clock and the --timeout.
//
// Revisions, as kustomize-controller copies them from the source's artifact into
// status.lastAppliedRevision / lastAttemptedRevision (fluxcd/pkg git revision formats):
//   "main@sha1:<sha>", "refs/heads/main@sha1:<sha>", "v1.0@sha1:<sha>"  (Flux 2.x)
//   "sha1:<sha>"                                 (a commit without a named ref)
//   "main/<sha>", "<sha>"                        (Flux before 2.0 / source-controller v0.x)
//   "<ref>@sha256:<hex>", "sha256:<hex>"         (SHA-256 repositories; OCI digests)
// Only the commit is compared; the ref in front of it (a branch, a tag) is shown, not judged:
// a commit at or past the target deploys it whatever ref led there.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "argocd/wait.h"
#include "core/result.h"

namespace capstan::argocd {

// A revision split into the ref it names ("main", "refs/heads/main", "" when none) and the
// commit (lowercase hex, "" when the text holds none: then it is not a git revision).
struct FluxRevision {
  std::string ref;
  std::string sha;
};
FluxRevision ParseFluxRevision(std::string_view revision);

struct FluxCondition {
  std::string type;    // "Ready", "Reconciling", "Stalled", "Healthy"
  std::string status;  // "True", "False", "Unknown"
  std::string reason;
  std::string message;
};

// The fields of a Kustomization the judge reads.
struct Kustomization {
  std::string name, kustomization_namespace;
  std::int64_t generation = 0;
  std::int64_t observed_generation = -1;  // -1 when status.observedGeneration is absent
  bool suspended = false;                 // spec.suspend
  std::string last_applied_revision;
  std::string last_attempted_revision;
  std::vector<FluxCondition> conditions;

  // The condition of this type; nullptr when absent.
  const FluxCondition* Condition(std::string_view type) const;
};

// Reads a Kustomization object as the API returns it. Absent fields keep their defaults.
// Fails with kParseError when `object` is not an object or a field has the wrong JSON type
// ("kustomization status.conditions is not a list").
Result<Kustomization> ReadKustomization(const nlohmann::json& object);

struct FluxTarget {
  // The full commit SHA to be at (or past); "" = any revision will do.
  std::string revision;
};

// Judges one observation (no state: every call stands alone):
//  kSucceeded  status.observedGeneration == metadata.generation, Ready=True, and the commit of
//              lastAppliedRevision is the target or `reaches` says it descends from it
//              ("Ready at main@5d6e7f8: Applied revision: main@sha1:5d6e7f8...")
//  kFailed     observed generation current and either Stalled=True, or Ready=False while
//              lastAttemptedRevision reaches the target, except for reason DependencyNotReady
//              (the controller retries it): "<reason> at main@5d6e7f8: <message>"
//  kSuspended  spec.suspend is true and it has not succeeded ("suspended at main@1a2b3c4")
//  kWaiting    anything else, e.g. "applied main@1a2b3c4, want 5d6e7f8; Ready Unknown:
//              Progressing: Reconciliation in progress" or "the controller has not observed
//              generation 3 yet (observed 2)"
// Summaries are one line (newlines in messages become spaces); commits are shown as 7 digits.
WaitVerdict JudgeKustomization(const Kustomization& kustomization, const FluxTarget& target,
                               const ReachesTarget& reaches);

}  // namespace capstan::argocd
