// The Argo CD Application model (argoproj.io, kind Application) read from one YAML document:
// name, annotations, sources (single `spec.source` and multi-source `spec.sources`) and
// destination. It only reads: what a field means to a tool (an Image Updater annotation, which
// source path a changed file touches) is decided by the callers (lib/policy, capstan-sync).
//
// Node ids refer to the document the Application was read from; keep that document alive while
// using them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "yaml/document.h"

namespace capstan::argocd {

// One entry of spec.source or spec.sources. Text fields are the scalars as written ("" when the
// key is missing or not a scalar).
struct Source {
  yaml::NodeId node = yaml::kNoNode;  // the source mapping
  std::string repo_url;               // repoURL
  std::string target_revision;        // targetRevision
  std::string chart;                  // chart (Helm repository sources)
  std::string ref;                    // ref (a multi-source values source)
  // path as written (not normalised, see ResolveRepositoryPath); nullopt when there is no
  // scalar `path`.
  std::optional<std::string> path;
  bool helm = false;       // has a `helm` key
  bool kustomize = false;  // has a `kustomize` key
};

// One metadata.annotations entry with a scalar key.
struct Annotation {
  std::string key;
  std::string value;                      // "" when the value is not a scalar
  yaml::NodeId key_node = yaml::kNoNode;  // for positions in messages
  yaml::NodeId value_node = yaml::kNoNode;
};

// spec.destination.
struct Destination {
  yaml::NodeId node = yaml::kNoNode;
  std::string server;      // "https://kubernetes.default.svc"; "" when absent
  std::string name;        // cluster name; "" when absent
  std::string namespace_;  // "" when absent
};

struct Application {
  yaml::NodeId root = yaml::kNoNode;      // the document's root mapping
  yaml::NodeId metadata = yaml::kNoNode;  // kNoNode when metadata is missing or not a mapping
  std::string api_version;                // "argoproj.io/v1alpha1"
  std::string name;                       // metadata.name; "" when missing
  std::string namespace_;                 // metadata.namespace; "" when missing
  // metadata.annotations in document order (merge keys resolved as yaml::ForEachEntry does);
  // entries whose key is not a scalar are left out.
  std::vector<Annotation> annotations;
  // spec.source first (when present), then every spec.sources item, in order; entries that
  // are not mappings are left out.
  std::vector<Source> sources;
  bool multi_source = false;               // spec.sources is a sequence
  std::optional<Destination> destination;  // nullopt when spec.destination is not a mapping

  // The annotation with exactly this key, or nullptr.
  const Annotation* FindAnnotation(std::string_view key) const;
  // The first source with a path (the one Argo CD Image Updater writes next to), or nullptr.
  const Source* FirstSourceWithPath() const;
};

// Reads doc as an Application. nullopt when its root (aliases resolved) is not a mapping whose
// apiVersion starts with "argoproj.io/" and whose kind is "Application" (ApplicationSets and
// other kinds are not Applications). Never fails otherwise: missing or ill-typed fields are
// left empty.
std::optional<Application> ReadApplication(const yaml::Document& doc);

// A repository-relative path as Argo CD resolves source paths: `rel` joined to the directory
// `dir` (itself repository-relative and normalised, "" for the root), "." and ".." resolved,
// and a `rel` starting with '/' taken from the repository root. nullopt when the result would
// leave the repository ("../x", "a/../../x"); "" for the root itself.
std::optional<std::string> ResolveRepositoryPath(std::string_view dir, std::string_view rel);

}  // namespace capstan::argocd
