#include "k8s/argocd_options.h"

#include <catch2/catch.hpp>

namespace capstan::k8s {
namespace {

using Place = SyncOptionPlace;

std::string Problem(std::string_view item, Place place) {
  return SyncOptionProblem(item, place).value_or("");
}

TEST_CASE("every sync option Argo CD reads on an Application is accepted there") {
  auto item = GENERATE(
      as<std::string>{}, "Validate=false", "Validate=true", "SkipDryRunOnMissingResource=true",
      "PruneLast=true", "Replace=true", "Replace=false", "ServerSideApply=true",
      "ServerSideApply=false", "Prune=false", "Prune=confirm", "Prune=true", "Delete=false",
      "Delete=confirm", "ApplyOutOfSyncOnly=true", "PrunePropagationPolicy=foreground",
      "PrunePropagationPolicy=background", "PrunePropagationPolicy=orphan", "CreateNamespace=true",
      "CreateNamespace=false", "FailOnSharedResource=true", "RespectIgnoreDifferences=true",
      "ClientSideApplyMigration=false");
  CAPTURE(item);
  CHECK_FALSE(SyncOptionProblem(item, Place::kApplication));
}

TEST_CASE("every sync option Argo CD reads from the annotation is accepted there") {
  auto item =
      GENERATE(as<std::string>{}, "Prune=false", "Prune=confirm", "Delete=false", "Delete=confirm",
               "Validate=false", "SkipDryRunOnMissingResource=true", "PruneLast=true",
               "Replace=true", "Force=true", "ServerSideApply=true", "ServerSideApply=false");
  CAPTURE(item);
  CHECK_FALSE(SyncOptionProblem(item, Place::kAnnotation));
}

TEST_CASE("a misspelled sync option key gets the nearest known option") {
  CHECK(Problem("CreateNamspace=true", Place::kApplication) ==
        "unknown sync option 'CreateNamspace=true' (did you mean 'CreateNamespace=true'?)");
  CHECK(Problem("createNamespace=true", Place::kApplication) ==
        "unknown sync option 'createNamespace=true' (did you mean 'CreateNamespace=true'?)");
  CHECK(Problem("Replase=true", Place::kAnnotation) ==
        "unknown sync option 'Replase=true' (did you mean 'Replace=true'?)");
  CHECK(Problem("Prune = false", Place::kAnnotation) ==
        "unknown sync option 'Prune = false' (did you mean 'Prune=false'?)");
  CHECK(Problem("Whatever=1", Place::kApplication) == "unknown sync option 'Whatever=1'");
}

TEST_CASE("a sync option value is case-sensitive and must be one the option takes") {
  CHECK(Problem("CreateNamespace=True", Place::kApplication) ==
        "sync option 'CreateNamespace=True' has an unknown value: CreateNamespace takes true or "
        "false (did you mean 'CreateNamespace=true'?)");
  CHECK(Problem("PrunePropagationPolicy=foregrund", Place::kApplication) ==
        "sync option 'PrunePropagationPolicy=foregrund' has an unknown value: "
        "PrunePropagationPolicy takes foreground, background or orphan (did you mean "
        "'PrunePropagationPolicy=foreground'?)");
  CHECK(Problem("Prune=never", Place::kAnnotation) ==
        "sync option 'Prune=never' has an unknown value: Prune takes true, false or confirm");
}

TEST_CASE("a sync option without a value names the forms Argo CD reads") {
  CHECK(Problem("CreateNamespace", Place::kApplication) ==
        "sync option 'CreateNamespace' has no value: expected CreateNamespace=true or "
        "CreateNamespace=false");
}

TEST_CASE("a sync option is judged by where Argo CD reads it") {
  CHECK(Problem("CreateNamespace=true", Place::kAnnotation) ==
        "sync option 'CreateNamespace=true' is read only from an Application's "
        "spec.syncPolicy.syncOptions, not from the argocd.argoproj.io/sync-options annotation");
  CHECK(Problem("PrunePropagationPolicy=orphan", Place::kAnnotation)
            .starts_with(
                "sync option 'PrunePropagationPolicy=orphan' is read only from an Application's"));
  CHECK(Problem("Force=true", Place::kApplication) ==
        "sync option 'Force=true' is read only from a resource's argocd.argoproj.io/sync-options "
        "annotation, not from spec.syncPolicy.syncOptions");
}

TEST_CASE("a list item with white space around it is not trimmed by Argo CD") {
  CHECK(Problem(" CreateNamespace=true", Place::kApplication) ==
        "sync option ' CreateNamespace=true' has white space around it, which Argo CD does not "
        "trim (did you mean 'CreateNamespace=true'?)");
}

TEST_CASE("settings written as sync options say where they belong") {
  CHECK(Problem("Retry=true", Place::kApplication) ==
        "unknown sync option 'Retry=true': retries are set in spec.syncPolicy.retry");
  CHECK(Problem("ApplyOnly=true", Place::kApplication)
            .ends_with("apply-only is a strategy of a manual sync (argocd app sync --strategy "
                       "apply)"));
  CHECK(Problem("Skip", Place::kAnnotation) ==
        "unknown sync option 'Skip': to leave a resource out of syncs, annotate it "
        "argocd.argoproj.io/hook: Skip");
}

TEST_CASE("compare options: IgnoreExtraneous anywhere, diff settings on Applications only") {
  CHECK_FALSE(CompareOptionProblem("IgnoreExtraneous", false));
  CHECK_FALSE(CompareOptionProblem("IgnoreExtraneous", true));
  CHECK_FALSE(CompareOptionProblem("ServerSideDiff=true", true));
  CHECK_FALSE(CompareOptionProblem("ServerSideDiff=false", true));
  CHECK_FALSE(CompareOptionProblem("IncludeMutationWebhook=true", true));
  CHECK(CompareOptionProblem("ServerSideDiff=false", false).value_or("") ==
        "compare option 'ServerSideDiff=false' is read only from an Application's annotations; "
        "Argo CD ignores it here");
  CHECK(CompareOptionProblem("IgnoreExtranous", false).value_or("") ==
        "unknown compare option 'IgnoreExtranous': expected IgnoreExtraneous, "
        "ServerSideDiff=true|false or IncludeMutationWebhook=true (did you mean "
        "'IgnoreExtraneous'?)");
}

TEST_CASE("hook types and delete policies are Argo CD's, spelled exactly") {
  for (std::string_view hook :
       {"PreSync", "Sync", "PostSync", "SyncFail", "PreDelete", "PostDelete", "Skip"})
    CHECK_FALSE(HookProblem(hook));
  CHECK(HookProblem("Presync").value_or("") ==
        "unknown hook 'Presync': expected PreSync, Sync, PostSync, SyncFail, PreDelete, "
        "PostDelete or Skip (did you mean 'PreSync'?)");
  CHECK(HookProblem("pre-install").value_or("").starts_with("unknown hook 'pre-install'"));
  for (std::string_view policy : {"HookSucceeded", "HookFailed", "BeforeHookCreation"})
    CHECK_FALSE(HookDeletePolicyProblem(policy));
  CHECK(HookDeletePolicyProblem("HookSucceded").value_or("") ==
        "unknown hook-delete-policy 'HookSucceded': expected HookSucceeded, HookFailed or "
        "BeforeHookCreation (did you mean 'HookSucceeded'?)");
}

TEST_CASE("a sync wave is an integer as Go's strconv.Atoi reads it") {
  for (std::string_view wave :
       {"0", "5", "-1", "+3", "007", "9223372036854775807", "-9223372036854775808"})
    CHECK_FALSE(SyncWaveProblem(wave));
  for (std::string_view wave :
       {"", "one", "1.5", " 1", "1 ", "--1", "+", "1e3", "0x10", "9223372036854775808"}) {
    CAPTURE(wave);
    CHECK(SyncWaveProblem(wave));
  }
  CHECK(SyncWaveProblem("one").value_or("") ==
        "sync-wave 'one' is not an integer: Argo CD reads it as wave 0");
}

}  // namespace
}  // namespace capstan::k8s
