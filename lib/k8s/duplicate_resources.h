// Rule duplicate-resource (capstan-validate): two documents with the same group, kind,
// namespace and name that one build puts together, which kustomize refuses ("may not add
// resource with an already registered id") and Argo CD applies one over the other.
//
// Builds modelled, offline:
//  - a kustomization, as kustomize accumulates it: the documents of its `resources` / `bases`
//    files, the builds of the directories among them (each with its own transformers applied
//    first), then its `components` (added to the same build, their transformers applied to
//    all of it), then its own `namespace` (set on every resource) and `namePrefix` /
//    `nameSuffix` (CustomResourceDefinition, APIService and Namespace keep their names). An
//    empty namespace and "default" are the same, as in kustomize. Patches are not resources.
//    Resources with generateName are never duplicates. What a kustomization with
//    `transformers`, `replacements` or an inline patch of /metadata/name or /metadata/namespace
//    builds is not compared with anything outside it, since its names are not knowable
//    offline. Generators and Helm charts are not rendered. Remote resources are not fetched.
//  - a directory an Argo CD Application applies as plain manifests (its source names a
//    directory with neither a kustomization nor Chart.yaml, and no Helm, plugin, or directory
//    include/exclude/jsonnet settings): its *.yaml, *.yml and *.json files, and with
//    `directory.recurse` those below it; an empty namespace is the destination namespace.
//
// A finding is at the second document, naming the first; when that file was not selected, at
// the first; when neither was, or when one document is reached twice along two paths (a
// diamond: two overlays of one base, both included), at the entry that brings it in the second
// time, in the nearest selected kustomization on the way. A duplicate with no selected place
// to report is left out. Each pair is reported once, however many builds contain it.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "k8s/application_sources.h"
#include "k8s/classify.h"
#include "k8s/repository_view.h"
#include "report/finding.h"
#include "yaml/document.h"

namespace capstan::k8s {

class DuplicateFinder {
 public:
  // REQUIRES: view outlives the finder; the selected files are Select-ed in view first.
  explicit DuplicateFinder(RepositoryView& view) : view_(view) {}

  // Checks the build of the kustomization in directory dir (a view name); nothing when dir
  // holds none.
  void CheckBuild(std::string_view dir);

  // Checks a source of the Application defined in `file` (a selected file): dir is the
  // source's path as a view name. A directory with a kustomization is checked as a build; a
  // Helm chart or an `other` source is not checked.
  void CheckApplication(const std::string& file, const ApplicationSource& source,
                        std::string_view dir);

  // The findings so far (file: view names).
  std::vector<report::Finding>& findings() { return findings_; }

 private:
  // One kustomization on the way from a build's root to a resource, and its entry taken.
  struct Step {
    const Kustomization* k;
    const Kustomization::Path* entry;
  };
  // A document as the build holds it.
  struct Instance {
    std::string file;         // view name
    const ResourceAt* at;     // as written
    std::string ns, name;     // after the transformers applied so far
    bool comparable = true;   // its identity is knowable (see above)
    std::vector<Step> chain;  // from the build's root kustomization
  };
  using Built = std::vector<Instance>;
  class Accumulator;

  const Built& Build(const std::string& dir);
  void AddResources(const Kustomization& k, Accumulator& acc, const std::vector<Step>& prefix);
  void AddComponent(const std::string& dir, Accumulator& acc, const std::vector<Step>& prefix);
  void Transform(const Kustomization& k, Accumulator& acc);
  void Report(const Instance& first, const Instance& second, const std::string& build,
              const std::string& why);
  void Emit(report::Finding f, const std::string& key, const std::string& stable_message);

  RepositoryView& view_;
  std::map<std::string, Built> built_;
  std::set<std::string> building_;
  std::set<std::string> reported_;
  std::set<std::string> apps_checked_;
  std::vector<report::Finding> findings_;
};

}  // namespace capstan::k8s
