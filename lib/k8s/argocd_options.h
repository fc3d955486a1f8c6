// The values Argo CD reads from its option lists and annotations, and why a value as written
// would be ignored: sync options (spec.syncPolicy.syncOptions of an Application and the
// argocd.argoproj.io/sync-options annotation of any resource), compare options, hook types,
// hook deletion policies and sync waves.
//
// Argo CD compares each whole item ("CreateNamespace=true") with what it looks for, case
// included, and silently ignores any other, so each function here returns the reason an item
// would be ignored, or nullopt when Argo CD acts on it (or it spells out the default, as the
// Argo CD UI writes "Prune=true"). Messages are one line, name the item and what is expected,
// and end with "(did you mean '...'?)" for a near miss.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace capstan::k8s {

// Where a sync option is written. Argo CD reads some options only from an Application's
// spec.syncPolicy.syncOptions (CreateNamespace, PrunePropagationPolicy ...), one (Force) only
// from a resource's argocd.argoproj.io/sync-options annotation.
enum class SyncOptionPlace { kApplication, kAnnotation };

// `item` is one list item (kApplication: taken as written, Argo CD does not trim it) or one
// comma-separated part of the annotation (kAnnotation: the caller trims it, as Argo CD does).
std::optional<std::string> SyncOptionProblem(std::string_view item, SyncOptionPlace place);

// One comma-separated part (trimmed) of argocd.argoproj.io/compare-options. IgnoreExtraneous
// applies to any resource; ServerSideDiff and IncludeMutationWebhook only to an Application
// (`on_application`: the annotation is an Application's or an ApplicationSet template's).
std::optional<std::string> CompareOptionProblem(std::string_view item, bool on_application);

// One comma-separated part (trimmed) of argocd.argoproj.io/hook: PreSync, Sync, PostSync,
// SyncFail, PreDelete, PostDelete or Skip.
std::optional<std::string> HookProblem(std::string_view item);

// One comma-separated part (trimmed) of argocd.argoproj.io/hook-delete-policy: HookSucceeded,
// HookFailed or BeforeHookCreation.
std::optional<std::string> HookDeletePolicyProblem(std::string_view item);

// The whole value of argocd.argoproj.io/sync-wave: a decimal integer with an optional sign
// that fits 64 bits, as Go's strconv.Atoi reads it (no spaces). Argo CD reads anything else
// as wave 0.
std::optional<std::string> SyncWaveProblem(std::string_view value);

}  // namespace capstan::k8s
