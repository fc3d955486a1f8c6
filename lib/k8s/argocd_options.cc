#include "k8s/argocd_options.h"

#include <algorithm>
#include <array>
#include <span>
#include <utility>
#include <vector>

#include "core/strings.h"

namespace capstan::k8s {
namespace {

// Read from argo-cd 37ee009 (2026-08-22): gitops-engine/pkg/sync/common/types.go (the option
// and hook constants, NewHookType, NewHookDeletePolicy), controller/sync.go (what an
// Application's syncOptions switch), gitops-engine/pkg/sync/sync_context.go with
// controller/appcontroller.go and controller/state.go (what the annotation switches),
// controller/hook.go (PreDelete, PostDelete), controller/state.go (compare options),
// gitops-engine/pkg/sync/syncwaves/waves.go (strconv.Atoi), docs/user-guide/sync-options.md
// and the UI's sync option editor (application-sync-options.tsx), which writes "Prune=true",
// "Delete=true" and "PrunePropagationPolicy=foreground" for the defaults. A value Argo CD does
// not act on is accepted when it spells the default ("CreateNamespace=false").
enum Where : unsigned { kApp = 1, kAnnotation = 2, kBoth = 3 };

struct SyncOption {
  std::string_view key;
  std::array<std::string_view, 3> values;  // unused slots are ""
  unsigned where;
};

constexpr std::array<std::string_view, 3> kBool = {"true", "false", ""};

constexpr SyncOption kSyncOptions[] = {
    {"Validate", kBool, kBoth},
    {"SkipDryRunOnMissingResource", kBool, kBoth},
    {"PruneLast", kBool, kBoth},
    {"Replace", kBool, kBoth},
    {"ServerSideApply", kBool, kBoth},
    {"Prune", {"true", "false", "confirm"}, kBoth},
    {"Delete", {"true", "false", "confirm"}, kBoth},
    {"Force", kBool, kAnnotation},
    {"ApplyOutOfSyncOnly", kBool, kApp},
    {"PrunePropagationPolicy", {"foreground", "background", "orphan"}, kApp},
    {"CreateNamespace", kBool, kApp},
    {"FailOnSharedResource", kBool, kApp},
    {"RespectIgnoreDifferences", kBool, kApp},
    {"ClientSideApplyMigration", kBool, kApp},
};

struct CompareOption {
  std::string_view item;
  bool application_only;
};

constexpr CompareOption kCompareOptions[] = {
    {"IgnoreExtraneous", false},
    {"ServerSideDiff=true", true},
    {"ServerSideDiff=false", true},
    {"IncludeMutationWebhook=true", true},
    {"IncludeMutationWebhook=false", true},
};

constexpr std::string_view kHooks[] = {"PreSync",   "Sync",       "PostSync", "SyncFail",
                                       "PreDelete", "PostDelete", "Skip"};
constexpr std::string_view kDeletePolicies[] = {"HookSucceeded", "HookFailed",
                                                "BeforeHookCreation"};

// Settings people write as sync options that live elsewhere in spec.syncPolicy or in the
// sync request, by lowercase key.
constexpr std::pair<std::string_view, std::string_view> kNotSyncOptions[] = {
    {"retry", "retries are set in spec.syncPolicy.retry"},
    {"selfheal", "self-heal is spec.syncPolicy.automated.selfHeal"},
    {"allowempty", "allow-empty is spec.syncPolicy.automated.allowEmpty"},
    {"applyonly", "apply-only is a strategy of a manual sync (argocd app sync --strategy apply)"},
    {"dryrun", "a dry run is a flag of a manual sync (argocd app sync --dry-run)"},
    {"skip", "to leave a resource out of syncs, annotate it argocd.argoproj.io/hook: Skip"},
};

std::string Hint(std::string_view item, const std::vector<std::string_view>& candidates) {
  std::string closest = Closest(item, candidates);
  return closest.empty() ? "" : " (did you mean '" + closest + "'?)";
}

// "a, b or c".
std::string Alternatives(const std::vector<std::string_view>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " or " : ", ";
    out += items[i];
  }
  return out;
}

std::vector<std::string_view> Values(const SyncOption& o) {
  std::vector<std::string_view> out;
  for (std::string_view v : o.values)
    if (!v.empty()) out.push_back(v);
  return out;
}

// Every "Key=Value" Argo CD knows, for hints.
const std::vector<std::string_view>& SyncOptionForms() {
  static const std::vector<std::string> forms = [] {
    std::vector<std::string> out;
    for (const SyncOption& o : kSyncOptions)
      for (std::string_view v : Values(o)) out.push_back(std::string(o.key) + "=" + std::string(v));
    return out;
  }();
  static const std::vector<std::string_view> views(forms.begin(), forms.end());
  return views;
}

std::optional<std::string> OneOf(std::string_view what, std::string_view item,
                                 std::span<const std::string_view> known) {
  for (std::string_view k : known)
    if (item == k) return std::nullopt;
  std::vector<std::string_view> list(known.begin(), known.end());
  return "unknown " + std::string(what) + " " + QuoteForMessage(item) + ": expected " +
         Alternatives(list) + Hint(item, list);
}

}  // namespace

std::optional<std::string> SyncOptionProblem(std::string_view item, SyncOptionPlace place) {
  const std::vector<std::string_view>& forms = SyncOptionForms();
  if (Trim(item) != item) {
    return "sync option " + QuoteForMessage(item) +
           " has white space around it, which Argo CD does not trim" + Hint(Trim(item), forms);
  }
  std::size_t eq = item.find('=');
  std::string_view key = item.substr(0, eq);
  const SyncOption* option = nullptr;
  for (const SyncOption& o : kSyncOptions)
    if (o.key == key) option = &o;
  if (option == nullptr) {
    std::string lower = AsciiLower(key);
    for (const auto& [name, where] : kNotSyncOptions)
      if (lower == name)
        return "unknown sync option " + QuoteForMessage(item) + ": " + std::string(where);
    return "unknown sync option " + QuoteForMessage(item) + Hint(item, forms);
  }

  std::vector<std::string_view> values = Values(*option);
  if (eq == std::string_view::npos) {
    std::vector<std::string> full;
    for (std::string_view v : values) full.push_back(std::string(key) + "=" + std::string(v));
    return "sync option " + QuoteForMessage(item) + " has no value: expected " +
           Alternatives(std::vector<std::string_view>(full.begin(), full.end()));
  }
  std::string_view value = item.substr(eq + 1);
  bool known = false;
  for (std::string_view v : values) known = known || v == value;
  if (!known) {
    return "sync option " + QuoteForMessage(item) + " has an unknown value: " + std::string(key) +
           " takes " + Alternatives(values) + Hint(item, forms);
  }
  if (place == SyncOptionPlace::kAnnotation && (option->where & kAnnotation) == 0) {
    return "sync option " + QuoteForMessage(item) +
           " is read only from an Application's spec.syncPolicy.syncOptions, not from the "
           "argocd.argoproj.io/sync-options annotation";
  }
  if (place == SyncOptionPlace::kApplication && (option->where & kApp) == 0) {
    return "sync option " + QuoteForMessage(item) +
           " is read only from a resource's argocd.argoproj.io/sync-options annotation, not from "
           "spec.syncPolicy.syncOptions";
  }
  return std::nullopt;
}

std::optional<std::string> CompareOptionProblem(std::string_view item, bool on_application) {
  std::vector<std::string_view> known;
  for (const CompareOption& o : kCompareOptions) {
    if (o.item == item) {
      if (o.application_only && !on_application) {
        return "compare option " + QuoteForMessage(item) +
               " is read only from an Application's annotations; Argo CD ignores it here";
      }
      return std::nullopt;
    }
    known.push_back(o.item);
  }
  return "unknown compare option " + QuoteForMessage(item) +
         ": expected IgnoreExtraneous, ServerSideDiff=true|false or IncludeMutationWebhook=true" +
         Hint(item, known);
}

std::optional<std::string> HookProblem(std::string_view item) {
  return OneOf("hook", item, kHooks);
}

std::optional<std::string> HookDeletePolicyProblem(std::string_view item) {
  return OneOf("hook-delete-policy", item, kDeletePolicies);
}

std::optional<std::string> SyncWaveProblem(std::string_view value) {
  std::string_view digits = value;
  bool negative = false;
  if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) {
    negative = digits[0] == '-';
    digits.remove_prefix(1);
  }
  bool ok = !digits.empty() && digits.find_first_not_of("0123456789") == std::string_view::npos;
  if (ok) {
    std::size_t first = std::min(digits.find_first_not_of('0'), digits.size());
    std::string_view significant = digits.substr(first);
    std::string_view limit = negative ? "9223372036854775808" : "9223372036854775807";
    ok = significant.size() < limit.size() ||
         (significant.size() == limit.size() && significant <= limit);
  }
  if (ok) return std::nullopt;
  return "sync-wave " + QuoteForMessage(value) + " is not an integer: Argo CD reads it as wave 0";
}

}  // namespace capstan::k8s
