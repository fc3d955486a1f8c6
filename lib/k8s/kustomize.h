// Kustomize semantics capstan needs: which files are kustomizations, and what one kustomization
// document says about other files (patches, selector-filled resources, plugin configurations,
// secretGenerator payloads). A strategic-merge patch is a partial resource (a Deployment with
// only spec.replicas), so capstan-validate checks it for types and unknown fields but not for
// required fields. To ask about a set of kustomizations at once, use KustomizationIndex
// (k8s/kustomization_index.h).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "yaml/document.h"

namespace capstan::k8s {

// The file names kustomize looks for in a directory, in its order of preference.
inline constexpr std::string_view kKustomizationFileNames[] = {
    "kustomization.yaml", "kustomization.yml", "Kustomization"};

// Whether the last component of path ('/'-separated) is one of kKustomizationFileNames.
bool IsKustomizationFile(std::string_view path);

// What a path a kustomization names is for.
enum class PathUse {
  kResource,      // `resources` / `bases`: a file of resources, or a directory with a kustomization
  kComponent,     // `components`: a directory with a kustomization of kind Component
  kPatch,         // `patches[].path` (or a legacy bare entry), `patchesJson6902[].path`,
                  // `patchesStrategicMerge` file entries
  kPluginConfig,  // `generators` / `transformers` / `validators` file entries
  kSecretEnv,     // secretGenerator `envs` / legacy `env`
  kSecretFile,    // secretGenerator `files` (the path of "key=path")
  kConfigMapInput,  // configMapGenerator `envs` / `env` / `files`
  kCrd,             // `crds`
  kConfiguration,   // `configurations`
  kOpenApi,         // `openapi.path`
  kReplacement,     // `replacements[].path`
  kHelmValues,      // helmCharts' `valuesFile` / `additionalValuesFiles`
};

// One path a kustomization document names, and where.
struct PathRef {
  PathUse use = PathUse::kResource;
  std::string written;  // as written; for a `files` entry "key=path", the path part
  std::string pointer;  // JSON pointer of the entry: "/resources/2", "/patches/0/path"
  yaml::Position pos;   // of the entry's value
  // A URL or go-getter address kustomize fetches rather than reads (`git@...`, `github.com/...`,
  // `https://...`, a `?ref=` query): its loader takes one wherever it reads a file.
  bool remote = false;
};

// Every non-empty path entry of a kustomization document, in the order: resources, bases,
// components, patches, patchesJson6902, patchesStrategicMerge, generators, transformers,
// validators, secretGenerator (per generator envs, env, files), configMapGenerator (the same),
// crds, configurations, openapi, replacements, helmCharts; within a field, in document order.
// Inline entries (a patch or plugin configuration written as YAML text) are not paths. A
// sequence is read item by item; where kustomize also takes a single string (`resources`,
// `bases`, `components`, generator `envs`/`env`/`files`, `crds`, `configurations`, helm values)
// a scalar counts as one item.
std::vector<PathRef> KustomizationPaths(const yaml::Document& doc);

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

// How a kustomize secretGenerator reads a file it names.
enum class Payload {
  kNone,     // not named by a secretGenerator
  kEnvFile,  // named by `envs` (or legacy `env`): KEY=value lines
  kFile,     // named by `files`: the whole content is the secret
};

// The payload files a kustomization document's secretGenerator names, in document order
// (per generator: `envs`, `env`, then `files`), joined and normalised as above: "a/../b"
// becomes "b". `files` entries may be `key=path`; the path part is taken. Never kNone.
std::vector<std::pair<std::string, Payload>> GeneratorPayloads(const yaml::Document& doc,
                                                               std::string_view dir);

// Whether kind names one of kustomize's builtin plugins, the kinds an `apiVersion: builtin`
// configuration may have (api/internal/plugins/builtinhelpers/builtinplugintype.go).
bool IsBuiltinPlugin(std::string_view kind);

}  // namespace capstan::k8s
