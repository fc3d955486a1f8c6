// Kustomizations as kustomize builds them, beyond their schema. Rules (capstan-validate):
//
//   kustomize-missing-path  error: a local path the kustomization names (resources, bases,
//                           components, patches, generator files and envs, crds,
//                           configurations, openapi.path, replacements, Helm values files,
//                           generators/transformers/validators) does not exist relative to it;
//                           a directory named as a resource or component holds none of
//                           kustomization.yaml, kustomization.yml, Kustomization; a component
//                           is a file. Remote entries (URLs, git@, ?ref=) are not fetched.
//   kustomize-deprecated    warning: a field kustomize v5 warns about (bases,
//                           patchesStrategicMerge, patchesJson6902, commonLabels, vars,
//                           imageTags), with the field that replaces it.
//   kustomize-cycle         error: following resources/components directories leads back to a
//                           directory being built, or to one above it (kustomize: "cycle
//                           detected: candidate root ... contains visited root ...").
//
// Findings go to the selected kustomization files only, at the offending entry or key. What
// they name is looked up through a RepositoryView: files the run did not select are read from
// the working tree (or, for --staged, the git index), never fetched.
#pragma once

#include <span>
#include <vector>

#include "k8s/kustomization_index.h"
#include "k8s/repository_view.h"
#include "report/finding.h"

namespace capstan::k8s {

// kustomize-missing-path for one selected kustomization: each local path entry is looked up
// in view. working_tree: for --staged runs (view reads the git index), the working tree, so
// that an entry found there but not in the index is reported as not staged; nullptr otherwise.
// Appends to out.
void CheckKustomizationPaths(const Kustomization& k, RepositoryView& view,
                             RepositoryView* working_tree, std::vector<report::Finding>& out);

// kustomize-deprecated for one selected kustomization, a warning at each deprecated field's
// key. Appends to out.
void CheckDeprecatedFields(const Kustomization& k, std::vector<report::Finding>& out);

// kustomize-cycle: the cycles reachable from the selected kustomizations (kustomizations not
// selected are read through view), each reported once: at the first entry of the cycle, in
// order of file name, that lies in a selected file; or, when the cycle runs through none, at
// the entry of the selected kustomization that leads into it. Appends to out.
void FindKustomizationCycles(std::span<const Kustomization* const> selected, RepositoryView& view,
                             std::vector<report::Finding>& out);

// The rule texts of kustomize-missing-path, kustomize-deprecated, kustomize-cycle and
// duplicate-resource (k8s/duplicate_resources.h), for ValidateRules().
std::vector<report::RuleInfo> KustomizeGraphRules();

}  // namespace capstan::k8s
