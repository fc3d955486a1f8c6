// Internal to lib/k8s/argocd_*.cc (not part of the k8s interface): what the Argo CD checks of
// one resource share, and the two halves they are split into.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "k8s/argocd_checks.h"

namespace capstan::k8s {

// Whether a value is not final in the repository: it holds an ApplicationSet placeholder
// ("{{ .path.basename }}", "{{name}}") or a Flux substitution variable ("${CLUSTER}").
bool IsPlaceholder(std::string_view value);

// The resource being checked and where its findings go.
class ArgoCdWalk {
 public:
  ArgoCdWalk(const ArgoCdResource& resource, const std::string& file,
             std::vector<report::Finding>& out)
      : resource_(resource), file_(file), out_(out) {}

  const yaml::Document& doc() const { return resource_.doc; }
  const ArgoCdResource& resource() const { return resource_; }

  // The JSON pointer of `path` (segments below the resource) in the document.
  std::string Pointer(const std::vector<std::string>& path) const;
  // Appends a finding at pos about the value at `path` (segments below the resource).
  void Add(std::string rule, const yaml::Position& pos, std::string message,
           const std::vector<std::string>& path,
           report::Severity severity = report::Severity::kError);
  // Where byte `offset` of a scalar's value sits in the file: exact for a scalar written on
  // one line without escapes (plain or quoted), the scalar's own position otherwise.
  yaml::Position PositionIn(yaml::NodeId scalar, std::size_t offset) const;

 private:
  const ArgoCdResource& resource_;
  const std::string& file_;
  std::vector<report::Finding>& out_;
};

// The argocd.argoproj.io/* annotations of `metadata` (at `base`, e.g. {"metadata"} or
// {"spec", "template", "metadata"}). on_application: they are an Application's (or become
// one's); source_paths: its sources' paths, against which relative manifest-generate-paths
// entries resolve (empty when unknown).
void CheckAnnotations(ArgoCdWalk& walk, yaml::NodeId metadata, const std::vector<std::string>& base,
                      bool on_application, const std::vector<std::string>& source_paths);

// An Application's spec (at `base`, {"spec"} or {"spec", "template", "spec"}): sync options,
// destination, sources, project. partial: fields may come from elsewhere (a patch's base, a
// generator's template, templatePatch), so missing fields and how they combine are not judged.
void CheckApplicationSpec(ArgoCdWalk& walk, yaml::NodeId spec, const std::vector<std::string>& base,
                          bool partial, std::vector<ProjectReference>& projects);

// The `path` of each source Argo CD deploys (the spec.sources items, or else spec.source), as
// written; "" for a source without one.
std::vector<std::string> SourcePaths(const yaml::Document& doc, yaml::NodeId spec);

}  // namespace capstan::k8s
