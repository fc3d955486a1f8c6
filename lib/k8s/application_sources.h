// What an Argo CD Application manifest says about the directories it deploys, read while the
// validator walks the document (FileReport::application_sources), for the checks across files
// (k8s/duplicate_resources.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "k8s/classify.h"
#include "yaml/document.h"

namespace capstan::k8s {

// A source an Argo CD Application deploys from a path, as its manifest says.
struct ApplicationSource {
  Identity application;
  std::string path;            // spec.source.path or spec.sources[i].path, as written
  yaml::Position pos;          // of the path value
  std::string pointer;         // JSON pointer of the path value in its document
  std::string destination_ns;  // spec.destination.namespace; "" when absent
  bool recurse = false;        // directory.recurse is true
  // Argo CD renders it with something other than kustomize or a plain directory (`chart`,
  // `helm`, `plugin`), reads only some files (`directory.include`, `exclude`, `jsonnet`), or
  // it is a values-only `ref` source.
  bool other = false;
};

// A source mapping of an Application spec, with its JSON pointer relative to the spec
// ("/sources/0", "/source").
struct SourceNode {
  yaml::NodeId node;
  std::string pointer;
};

// The sources Argo CD deploys for an Application spec: the items of spec.sources when it is a
// non-empty list (Argo CD then ignores spec.source), else spec.source. Items that are not
// mappings are left out.
std::vector<SourceNode> DeployedSources(const yaml::Document& doc, yaml::NodeId spec);

// The sources with a path of an argoproj.io Application at node of doc (prefix: the JSON
// pointer of node in its document), appended to out. Nothing for other kinds, and nothing for
// a path holding an ApplicationSet-style placeholder ("{{") or a Flux variable ("${").
void CollectApplicationSources(const yaml::Document& doc, yaml::NodeId node, const Identity& id,
                               std::string_view prefix, std::vector<ApplicationSource>& out);

}  // namespace capstan::k8s
