// Across the files of one run: does each Application's spec.project name an AppProject the
// repository defines (rule argocd-destination)? Argo CD does not reconcile an Application
// whose project does not exist.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "k8s/validator.h"

namespace capstan::k8s {

// For each ProjectReference of reports[i] (FileReport::argocd_projects), a finding in file
// files[i] when no resource of any report is an AppProject (argoproj.io) of that
// name: an error when the name is one letter (or letter case) away from a defined AppProject
// (a typo; at each reference), else a warning, since projects are also created outside the
// manifests (the argo-cd Helm chart's values, the CLI, bootstrap tools), given once per project
// name, at its first reference. `files[i]` names reports[i].
// REQUIRES: files.size() == reports.size(), and the reports cover the whole tree being checked
// (a run over a few named files would misjudge projects defined in the others).
std::vector<report::Finding> CheckProjectReferences(std::span<const std::string> files,
                                                    std::span<const FileReport> reports);

}  // namespace capstan::k8s
