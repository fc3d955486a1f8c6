// Kustomize semantics capstan-validate needs: which files a kustomization applies as patches.
// A strategic-merge patch is a partial resource (a Deployment with only spec.replicas), so it is
// checked for types and unknown fields but not for required fields.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "yaml/document.h"

namespace capstan::k8s {

// The files named by `patches[].path` (and legacy plain-string `patches` entries),
// `patchesStrategicMerge[]` (file entries, not inline patches) and `patchesJson6902[].path` of a
// kustomization document, joined to dir (the kustomization's directory, '/'-separated, "" for
// the current one) and normalised.
std::vector<std::string> PatchFiles(const yaml::Document& doc, std::string_view dir);

// The `resources` / `bases` entries of a kustomization whose label transformer also writes
// selectors (`commonLabels`, or `labels` with includeSelectors: true): kustomize fills in
// spec.selector for those, so the files may leave it out. Joined and normalised as above.
std::vector<std::string> SelectorFilledFiles(const yaml::Document& doc, std::string_view dir);

// The files named by the `generators`, `transformers` and `validators` entries of a
// kustomization document (file entries, not inline configs), joined and normalised as above:
// kustomize reads them as plugin configurations, not as resources for the cluster.
std::vector<std::string> PluginConfigFiles(const yaml::Document& doc, std::string_view dir);

// Whether kind names one of kustomize's builtin plugins, the kinds an `apiVersion: builtin`
// configuration may have (api/internal/plugins/builtinhelpers/builtinplugintype.go).
bool IsBuiltinPlugin(std::string_view kind);

}  // namespace capstan::k8s
