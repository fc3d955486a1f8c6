// Argo CD semantics of one resource, beyond its schema: what Argo CD would silently ignore or
// refuse when it syncs. Rules:
//
//   argocd-sync-option   spec.syncPolicy.syncOptions of an Application (or an ApplicationSet's
//                        template) and the argocd.argoproj.io/sync-options annotation of any
//                        resource: each item an option Argo CD reads there (k8s/argocd_options.h)
//   argocd-annotation    argocd.argoproj.io/* annotations: sync-wave an integer, hook,
//                        hook-delete-policy and compare-options known values,
//                        manifest-generate-paths entries well formed (errors); a key Argo CD
//                        does not know (a warning, with "did you mean")
//   argocd-destination   spec.destination names exactly one of server and name; spec.project
//                        names an AppProject of the repository (k8s/argocd_projects.h)
//   argocd-source        not both spec.source and spec.sources; every "$ref/..." Helm value
//                        file of a multi-source Application names a source's `ref`; refs well
//                        formed and unique; a targetRevision that looks like a semver
//                        constraint parses as one (Argo CD reads it with Masterminds/semver)
//
// ApplicationSet templates are checked like Applications, except that a value holding a
// placeholder ("{{ .path }}", "{{name}}") or a Flux substitution variable ("${VAR}") is never
// judged, and fields a generator's own `template` or spec.templatePatch may supply are not
// required. Image Updater annotations (image-updater-annotation) are read by lib/policy, which
// capstan-validate runs itself; its rule text is listed here with the others.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "k8s/classify.h"
#include "report/finding.h"
#include "yaml/document.h"

namespace capstan::k8s {

// An Application's (or ApplicationSet template's) spec.project other than "default", for the
// check across files (k8s/argocd_projects.h).
struct ProjectReference {
  std::string project;  // as written
  yaml::Position pos;   // of the value
  std::string path;     // JSON pointer: "/spec/project", "/items/0/spec/template/spec/project"
  Identity resource;    // the Application or ApplicationSet
};

// One resource of a file, as FileValidator walks it.
struct ArgoCdResource {
  const yaml::Document& doc;
  yaml::NodeId node;  // the resource's mapping
  const Identity& identity;
  std::span<const std::string> prefix;  // JSON pointer segments of the resource in its document
  // A kustomize patch: a partial resource, so only the values it holds are judged, never the
  // fields it lacks or how they combine with the base (destination, source vs sources, refs).
  bool patch = false;
};

// Appends the findings of the rules above for one resource to `findings` (file name `file`),
// and its project reference, if any, to `projects`. Never fails: whatever is not there or not
// of the expected type is left to the schema rule.
void CheckArgoCd(const ArgoCdResource& resource, const std::string& file,
                 std::vector<report::Finding>& findings, std::vector<ProjectReference>& projects);

// The rule texts of argocd-sync-option, argocd-annotation, argocd-destination, argocd-source
// and image-updater-annotation, for ValidateRules().
std::vector<report::RuleInfo> ArgoCdRules();

}  // namespace capstan::k8s
