// Decides what a YAML document in a GitOps repository is, before anything validates it: a
// Kubernetes resource, a `kind: List`, a kustomization, Helm chart metadata or values, or
// something that is not a Kubernetes object at all (an app config, a Grafana dashboard).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "report/finding.h"
#include "yaml/document.h"

namespace capstan::k8s {

// What a whole file is, from its path alone.
enum class FileRole {
  kManifests,      // anything else: documents are classified one by one
  kKustomization,  // kustomization.yaml / kustomization.yml / Kustomization
  kHelmChart,      // Chart.yaml
  kHelmValues,     // values*.yaml inside or next to a chart
  kHelmTemplate,   // a file under a chart's templates/ directory: Go template, not YAML
};

// REQUIRES: path is '/'-separated. `text` is used to recognise Go templates ({{ ... }}).
FileRole RoleOf(std::string_view path, std::string_view text);

// The directories that hold a `templates` directory above the file at path, nearest last:
// "a/chart/templates/x/y.yaml" -> {"a/chart"}, "templates/y.yaml" -> {""}. The file is a Helm
// template when one of them is a chart (holds Chart.yaml); the caller looks on disk.
std::vector<std::string> TemplateParentDirs(std::string_view path);

enum class DocKind {
  kEmpty,            // null document (`---` alone)
  kResource,         // apiVersion + kind + metadata.name, all strings
  kList,             // kind: List (or *List) with items
  kKustomization,    // kustomize.config.k8s.io Kustomization / Component
  kKustomizePlugin,  // `apiVersion: builtin`: a kustomize generator/transformer config
  kNotKubernetes,    // no apiVersion and no kind: not ours to judge
  kMalformed,        // looks like a resource but its identity is broken (see problems)
};

struct Identity {
  std::string api_version;
  std::string group;  // "" for the core group
  std::string version;
  std::string kind;
  std::string ns;
  std::string name;
  // name is metadata.generateName: the API server completes it, so no two are the same object.
  bool generated_name = false;
};

struct IdentityProblem {
  yaml::NodeId node = yaml::kNoNode;  // where to point (the offending key or value)
  std::string path;                   // JSON pointer
  std::string message;
};

struct Classified {
  DocKind kind = DocKind::kNotKubernetes;
  Identity identity;
  std::vector<IdentityProblem> problems;  // non-empty only for kMalformed
};

// Classifies the subtree at node (a document root or a List item) in a file of the given role.
// For kustomization files a missing apiVersion defaults to kustomize.config.k8s.io/v1beta1.
Classified Classify(const yaml::Document& doc, yaml::NodeId node, FileRole role);

// Splits "apps/v1" into group "apps" and version "v1"; "v1" into "" and "v1".
void SplitApiVersion(std::string_view api_version, std::string* group, std::string* version);

report::Resource ToResource(const Identity& id);

}  // namespace capstan::k8s
