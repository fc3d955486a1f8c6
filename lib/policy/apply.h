// The repository half of a capstan-watch cycle: every decision written into file texts with
// capstan-bump's planner (image::PlanFiles), in policy order, one image after another over the
// texts the previous ones produced. Pure: the same files and decisions give the same edits, so
// a cycle can be re-applied on a moved remote tip.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "image/bump_plan.h"
#include "policy/decision.h"
#include "policy/image_policy.h"

namespace capstan::policy {

struct AppliedChange {
  std::string file;
  int line = 0;
  std::string kind;  // image::TargetKindName
  std::string old_value;
  std::string new_value;
};

// What happened to one policy in this cycle.
struct ImageOutcome {
  enum class State { kUpdated, kUpToDate, kNoCandidate, kKept, kNoTarget, kFailed };
  State state = State::kUpToDate;
  std::string from;     // tags in Git before, ", "-joined ("" when none or unknown)
  std::string to;       // the chosen tag (with "@digest" when one is written)
  std::string message;  // for kKept, kNoCandidate, kNoTarget, kFailed: one line
  std::vector<AppliedChange> changes;
};
const char* StateName(ImageOutcome::State state);  // "updated", "up-to-date", "no-candidate",
                                                   // "kept", "no-target", "failed"

struct Applied {
  std::vector<ImageOutcome> outcomes;  // parallel to the policies
  // Files whose text changed (or were created), path -> new text.
  std::map<std::string, std::string> updates;
};

// Plans every policy whose decision holds a tag over `files` (repository-relative names, the
// texts at the branch tip; image::FileText::path unused), skipping:
//   - a failed decision (kFailed, its Status message) or one without tag (kNoCandidate);
//   - an image whose targets already hold a tag that is not behind the chosen one under the
//     policy (image::IsForward), such as "1.11.0" when "1.11" was chosen, or whose targets
//     already reference the chosen digest: never older, and an equal image is not a change
//     (kKept);
//   - a refusal by the planner (a block scalar, an alias...): kFailed with its place.
// When a policy's WriteBack::override_file does not exist and nothing else names the image, the
// file is created in Argo CD Image Updater's format.
// REQUIRES: `files` sorted by name; decisions.size() == policies.size() (decisions[i] is
// policies[i]'s).
Applied ApplyDecisions(const std::vector<image::FileText>& files,
                       const std::vector<ImagePolicy>& policies,
                       const std::vector<Decision>& decisions);

// The commit message of a cycle: "capstan-watch: <image> <from> -> <to>" for one update,
// "capstan-watch: update N images" for several, then one paragraph per image listing its
// policy and every place changed.
// REQUIRES: `applied` is ApplyDecisions's result for these `policies`.
std::string CommitMessage(const std::vector<ImagePolicy>& policies, const Applied& applied);

}  // namespace capstan::policy
