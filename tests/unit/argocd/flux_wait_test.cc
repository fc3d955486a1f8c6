#include "argocd/flux_wait.h"

#include <catch2/catch.hpp>

namespace capstan::argocd {
namespace {

using nlohmann::json;

const std::string kOld = "1111111111111111111111111111111111111111";
const std::string kNew = "2222222222222222222222222222222222222222";
const std::string kNewer = "3333333333333333333333333333333333333333";

// A Kustomization as the API returns it: generation 2 observed, Ready as given.
json Object(const std::string& applied, const std::string& attempted, const std::string& ready,
            const std::string& reason = "ReconciliationSucceeded",
            const std::string& message = "") {
  return {{"apiVersion", "kustomize.toolkit.fluxcd.io/v1"},
          {"kind", "Kustomization"},
          {"metadata", {{"name", "apps"}, {"namespace", "flux-system"}, {"generation", 2}}},
          {"spec", {{"interval", "10m"}, {"path", "./apps"}}},
          {"status",
           {{"observedGeneration", 2},
            {"lastAppliedRevision", applied},
            {"lastAttemptedRevision", attempted},
            {"conditions", json::array({{{"type", "Ready"},
                                         {"status", ready},
                                         {"reason", reason},
                                         {"message", message},
                                         {"lastTransitionTime", "2024-01-01T00:00:00Z"}}})}}}};
}

WaitVerdict Judge(const json& object, const std::string& target = kNew,
                  ReachesTarget reaches = nullptr) {
  Result<Kustomization> k = ReadKustomization(object);
  REQUIRE(k.ok());
  return JudgeKustomization(*k, FluxTarget{target}, reaches);
}

TEST_CASE("flux revisions of every form the controllers write give their commit") {
  struct Case {
    std::string text, ref, sha;
  };
  auto c =
      GENERATE_COPY(Case{"main@sha1:" + kNew, "main", kNew},
                    Case{"refs/heads/main@sha1:" + kNew, "refs/heads/main", kNew},
                    Case{"v1.0.0@sha1:" + kNew, "v1.0.0", kNew}, Case{"sha1:" + kNew, "", kNew},
                    Case{"main/" + kNew, "main", kNew},
                    Case{"feature/x/" + kNew, "feature/x", kNew}, Case{kNew, "", kNew},
                    Case{"main@sha1:ABCDEF" + kNew.substr(6), "main", "abcdef" + kNew.substr(6)},
                    Case{"main@sha256:" + std::string(64, 'e'), "main", std::string(64, 'e')},
                    Case{"main", "main", ""}, Case{"", "", ""});
  FluxRevision r = ParseFluxRevision(c.text);
  CHECK(r.ref == c.ref);
  CHECK(r.sha == c.sha);
}

TEST_CASE("a kustomization is judged by revision, Ready and observed generation") {
  struct Case {
    std::string name;
    json object;
    WaitOutcome outcome;
    std::string summary;
  };
  json stale = Object("main@sha1:" + kNew, "main@sha1:" + kNew, "True");
  stale["metadata"]["generation"] = 3;
  json never_observed = Object("", "", "Unknown", "Progressing");
  never_observed["status"].erase("observedGeneration");
  json suspended_old = Object("main@sha1:" + kOld, "main@sha1:" + kOld, "True");
  suspended_old["spec"]["suspend"] = true;
  json suspended_there = Object("main@sha1:" + kNew, "main@sha1:" + kNew, "True");
  suspended_there["spec"]["suspend"] = true;
  json stalled = Object("main@sha1:" + kOld, "main@sha1:" + kNew, "False", "BuildFailed", "x");
  stalled["status"]["conditions"].push_back({{"type", "Stalled"},
                                             {"status", "True"},
                                             {"reason", "InvalidPath"},
                                             {"message", "no ./apps"}});
  auto c = GENERATE_COPY(
      Case{"applied at the target and Ready",
           Object("main@sha1:" + kNew, "main@sha1:" + kNew, "True", "ReconciliationSucceeded",
                  "Applied revision: main@sha1:" + kNew),
           WaitOutcome::kSucceeded, "Ready at main@2222222: Applied revision: main@sha1:" + kNew},
      Case{"older Flux's branch/sha form", Object("main/" + kNew, "main/" + kNew, "True"),
           WaitOutcome::kSucceeded, "Ready at main@2222222"},
      Case{"a commit-only revision", Object("sha1:" + kNew, "sha1:" + kNew, "True"),
           WaitOutcome::kSucceeded, "Ready at 2222222"},
      Case{"still at the old commit though Ready",
           Object("main@sha1:" + kOld, "main@sha1:" + kOld, "True", "ReconciliationSucceeded",
                  "Applied revision: main@sha1:" + kOld),
           WaitOutcome::kWaiting,
           "applied main@1111111, want 2222222; Ready True: ReconciliationSucceeded: Applied "
           "revision: main@sha1:" +
               kOld},
      Case{"reconciling the target",
           Object("main@sha1:" + kOld, "main@sha1:" + kNew, "Unknown", "Progressing",
                  "Reconciliation in progress"),
           WaitOutcome::kWaiting,
           "applied main@1111111, want 2222222, attempted main@2222222; Ready Unknown: "
           "Progressing: Reconciliation in progress"},
      Case{"failed at the target",
           Object("main@sha1:" + kOld, "main@sha1:" + kNew, "False", "HealthCheckFailed",
                  "health check failed after 30s:\ntimeout waiting for: [Deployment/web]"),
           WaitOutcome::kFailed,
           "HealthCheckFailed at main@2222222: health check failed after 30s: timeout waiting "
           "for: [Deployment/web]"},
      Case{"failed at an older commit: the target is still to come",
           Object("main@sha1:" + kOld, "main@sha1:" + kOld, "False", "BuildFailed", "bad"),
           WaitOutcome::kWaiting,
           "applied main@1111111, want 2222222; Ready False: BuildFailed: bad"},
      Case{"waiting on a dependency is not a failure",
           Object("main@sha1:" + kOld, "main@sha1:" + kNew, "False", "DependencyNotReady",
                  "dependency 'flux-system/infra' is not ready"),
           WaitOutcome::kWaiting,
           "applied main@1111111, want 2222222, attempted main@2222222; Ready False: "
           "DependencyNotReady: dependency 'flux-system/infra' is not ready"},
      Case{"a new generation not yet observed", stale, WaitOutcome::kWaiting,
           "the controller has not observed generation 3 yet (observed 2)"},
      Case{"never reconciled", never_observed, WaitOutcome::kWaiting,
           "the controller has not observed generation 2 yet"},
      Case{"suspended before the target", suspended_old, WaitOutcome::kSuspended,
           "suspended at main@1111111"},
      Case{"suspended but already there", suspended_there, WaitOutcome::kSucceeded,
           "Ready at main@2222222"},
      Case{"stalled", stalled, WaitOutcome::kFailed,
           "stalled at main@2222222: InvalidPath: no ./apps"});
  INFO(c.name);
  WaitVerdict v = Judge(c.object);
  CHECK(v.outcome == c.outcome);
  CHECK(v.summary == c.summary);
}

TEST_CASE("a kustomization past the target succeeds when the caller says it descends from it") {
  json object = Object("main@sha1:" + kNewer, "main@sha1:" + kNewer, "True");
  CHECK(Judge(object).outcome == WaitOutcome::kWaiting);
  std::vector<std::string> asked;
  auto reaches = [&](const std::string& sha) {
    asked.push_back(sha);
    return sha == kNewer;
  };
  CHECK(Judge(object, kNew, reaches).outcome == WaitOutcome::kSucceeded);
  CHECK(asked == std::vector<std::string>{kNewer});
}

TEST_CASE("without a target any applied revision that is Ready will do") {
  CHECK(Judge(Object("main@sha1:" + kOld, "main@sha1:" + kOld, "True"), "").outcome ==
        WaitOutcome::kSucceeded);
  CHECK(Judge(Object("", "", "Unknown", "Progressing"), "").outcome == WaitOutcome::kWaiting);
}

TEST_CASE("a kustomization with fields of the wrong type is a parse error") {
  json bad = Object("main@sha1:" + kNew, "", "True");
  bad["status"]["conditions"] = "Ready";
  Result<Kustomization> k = ReadKustomization(bad);
  REQUIRE_FALSE(k.ok());
  CHECK(k.status().code() == StatusCode::kParseError);
  CHECK(k.status().message() == "kustomization status.conditions is not a list");
  json generation = Object("", "", "True");
  generation["metadata"]["generation"] = "2";
  CHECK(ReadKustomization(generation).status().message() ==
        "kustomization metadata.generation is not an integer");
  CHECK(ReadKustomization(json::array()).status().code() == StatusCode::kParseError);
}

}  // namespace
}  // namespace capstan::argocd
