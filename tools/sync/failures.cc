#include "sync/failures.h"

#include <nlohmann/json.hpp>

#include "argocd/application.h"
#include "core/strings.h"

namespace capstan::tools::sync {
namespace {

std::string ResourceLabel(const std::string& kind, const std::string& ns, const std::string& name) {
  return kind + " " + (ns.empty() ? name : ns + "/" + name);
}

report::Finding Make(const std::string& rule, report::Severity severity, std::string message,
                     const std::string& group, const std::string& kind, const std::string& ns,
                     const std::string& name, const Locate& locate) {
  report::Finding f;
  f.rule = rule;
  f.severity = severity;
  f.message = std::move(message);
  f.resource = {group, kind, ns, name};
  if (locate) {
    if (std::optional<Place> place = locate(group, kind, ns, name)) {
      f.file = place->file;
      f.line = place->line;
      f.column = place->column;
    }
  }
  return f;
}

std::string RuleFor(const std::string& outcome) {
  if (outcome == "timeout") return "deploy-timeout";
  if (outcome == "conflict") return "deploy-conflict";
  if (outcome == "error") return "deploy-error";
  if (outcome == "degraded" || outcome == "suspended") return "unhealthy";
  return "sync-failed";
}

}  // namespace

std::vector<report::RuleInfo> FailureRules() {
  return {
      {"sync-failed",
       "Argo CD could not sync the application, or a resource of it",
       "The sync operation ended in failure: Argo CD could not apply the application's "
       "manifests, the API server rejected a resource, or a sync hook failed. The finding "
       "points at the resource (in the repository when it is found there) and carries Argo "
       "CD's message.",
       "Read Argo CD's message on the finding: a rejected resource usually needs a manifest "
       "fix (run capstan-validate on it), a failed hook needs its job's logs. Fix the "
       "repository and sync again.",
       "",
       {"deployment"}},
      {"unhealthy",
       "the application or one of its resources is not healthy after the sync",
       "After the sync the application, or one of its resources, is Degraded, Missing or "
       "Suspended rather than Healthy: a Deployment whose pods crash or cannot pull their "
       "image, a failing probe, a paused rollout.",
       "Look at the resource named on the finding in Argo CD or with kubectl describe: its "
       "events and pod logs say why it is not healthy. A suspended application counts as "
       "unhealthy until it is resumed.",
       "",
       {"deployment"}},
      {"app-condition",
       "the application reports an error or warning condition",
       "The Argo CD Application has an error or warning condition, such as a "
       "ComparisonError (manifests could not be generated), an InvalidSpecError, or a "
       "SharedResourceWarning (two applications manage one resource).",
       "Read the condition's message on the finding and fix its cause, typically in the "
       "repository (a broken kustomization or Helm chart) or in the Application's spec.",
       "",
       {"deployment"}},
      {"deploy-timeout",
       "the application did not reach the commit, Synced and Healthy in time",
       "The application did not reach the expected revision, Synced and Healthy before "
       "--timeout ran out. It may still be progressing (a slow rollout), or be stuck.",
       "Check the application's progress in Argo CD (or the Flux Kustomization's status): a "
       "rollout still under way needs a longer "
       "--timeout; one that is stuck shows why in its resources' events.",
       "",
       {"deployment"}},
      {"deploy-conflict",
       "another operation was running and --on-conflict fail was given",
       "Another sync operation was running on the application when capstan-sync wanted to "
       "start one, and --on-conflict fail was given, so nothing was started.",
       "Run the sync again once the other operation ends, or leave --on-conflict at wait (the "
       "default) to join or queue behind it, or use terminate to stop it first.",
       "",
       {"deployment"}},
      {"deploy-error",
       "the application could not be synced or observed (access, network)",
       "capstan-sync could not ask for the sync or could not read the application's state: "
       "the server was unreachable, refused the token, or the application does not exist.",
       "Check the server URL, the network path from the runner and the token's permissions "
       "(it needs get and sync on the application); the finding carries the error.",
       "",
       {"deployment"}},
  };
}

std::vector<report::Finding> FailureFindings(Run& run, const Target& target,
                                             const Deployed& deployed, const Locate& locate) {
  std::vector<report::Finding> findings;
  const report::Deployment& d = deployed.deployment;
  findings.push_back(Make(RuleFor(d.outcome), report::Severity::kError,
                          "application " + d.name + ": " + d.outcome + ": " + d.message,
                          "argoproj.io", "Application", target.ref.app_namespace, target.ref.name,
                          locate));
  if (!deployed.last || d.outcome == "conflict" || d.outcome == "error") return findings;
  const argocd::Application& app = *deployed.last;

  if (const auto& op = app.status.operation_state) {
    for (const argocd::ResourceResult& r : op->resources) {
      const bool failed =
          r.status == "SyncFailed" || r.hook_phase == "Failed" || r.hook_phase == "Error";
      if (!failed) continue;
      std::string what = ResourceLabel(r.kind, r.namespace_, r.name);
      if (!r.hook_type.empty()) what = r.hook_type + " hook " + what;
      findings.push_back(Make("sync-failed", report::Severity::kError,
                              what + ": " + (r.message.empty() ? r.status : r.message), r.group,
                              r.kind, r.namespace_, r.name, locate));
    }
  }
  for (const argocd::Condition& c : app.status.conditions) {
    const bool error = c.type.find("Error") != std::string::npos;
    const bool warning = c.type.find("Warning") != std::string::npos;
    if (!error && !warning) continue;
    findings.push_back(
        Make("app-condition", error ? report::Severity::kError : report::Severity::kWarning,
             "application " + d.name + ": " + c.type + ": " + c.message, "argoproj.io",
             "Application", target.ref.app_namespace, target.ref.name, locate));
  }

  Result<argocd::Answer> tree = run.client.ResourceTree(target.ref);
  if (!tree.ok() || tree->error || !tree->body.is_object()) return findings;
  auto nodes = tree->body.find("nodes");
  if (nodes == tree->body.end() || !nodes->is_array()) return findings;
  for (const auto& node : *nodes) {
    if (!node.is_object() || !node.contains("health") || !node["health"].is_object()) continue;
    const std::string status = node["health"].value("status", "");
    const bool bad = status == "Degraded" || status == "Missing" || status == "Unknown" ||
                     (d.outcome == "timeout" && status == "Progressing") ||
                     (d.outcome == "suspended" && status == "Suspended");
    if (!bad) continue;
    const std::string group = node.value("group", "");
    const std::string kind = node.value("kind", "");
    const std::string ns = node.value("namespace", "");
    const std::string name = node.value("name", "");
    const std::string message = node["health"].value("message", "");
    findings.push_back(Make(
        "unhealthy",
        status == "Progressing" ? report::Severity::kWarning : report::Severity::kError,
        ResourceLabel(kind, ns, name) + " is " + status + (message.empty() ? "" : ": " + message),
        group, kind, ns, name, locate));
  }
  return findings;
}

}  // namespace capstan::tools::sync
