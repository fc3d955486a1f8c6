#include "argocd/application.h"

#include "core/path.h"
#include "yaml/path.h"

namespace capstan::argocd {
namespace {

using yaml::NodeId;
using yaml::NodeType;

bool IsMapping(const yaml::Document& doc, NodeId id) {
  return id != yaml::kNoNode && doc.node(id).type == NodeType::kMapping;
}

Source ReadSource(const yaml::Document& doc, NodeId node) {
  Source s;
  s.node = node;
  s.repo_url = doc.StringAt(node, "repoURL");
  s.target_revision = doc.StringAt(node, "targetRevision");
  s.chart = doc.StringAt(node, "chart");
  s.ref = doc.StringAt(node, "ref");
  if (const std::string* path = doc.ScalarValue(doc.Get(node, "path"))) s.path = *path;
  s.helm = doc.Get(node, "helm") != yaml::kNoNode;
  s.kustomize = doc.Get(node, "kustomize") != yaml::kNoNode;
  return s;
}

}  // namespace

const Annotation* Application::FindAnnotation(std::string_view key) const {
  for (const Annotation& a : annotations)
    if (a.key == key) return &a;
  return nullptr;
}

const Source* Application::FirstSourceWithPath() const {
  for (const Source& s : sources)
    if (s.path) return &s;
  return nullptr;
}

std::optional<Application> ReadApplication(const yaml::Document& doc) {
  NodeId root = doc.Resolve(doc.root());
  if (!IsMapping(doc, root)) return std::nullopt;
  Application app;
  app.api_version = doc.StringAt(root, "apiVersion");
  if (!app.api_version.starts_with("argoproj.io/") || doc.StringAt(root, "kind") != "Application")
    return std::nullopt;
  app.root = root;
  NodeId metadata = doc.Resolve(doc.Get(root, "metadata"));
  if (IsMapping(doc, metadata)) {
    app.metadata = metadata;
    app.name = doc.StringAt(metadata, "name");
    app.namespace_ = doc.StringAt(metadata, "namespace");
    yaml::ForEachEntry(doc, doc.Get(metadata, "annotations"), [&](NodeId key, NodeId value) {
      const std::string* k = doc.ScalarValue(key);
      if (k == nullptr) return;
      const std::string* v = doc.ScalarValue(value);
      app.annotations.push_back(Annotation{*k, v ? *v : "", key, value});
    });
  }

  NodeId spec = doc.Resolve(doc.Get(root, "spec"));
  if (NodeId s = doc.Resolve(doc.Get(spec, "source")); IsMapping(doc, s))
    app.sources.push_back(ReadSource(doc, s));
  NodeId list = doc.Resolve(doc.Get(spec, "sources"));
  if (list != yaml::kNoNode && doc.node(list).type == NodeType::kSequence) {
    app.multi_source = true;
    for (NodeId item : doc.node(list).children) {
      NodeId s = doc.Resolve(item);
      if (IsMapping(doc, s)) app.sources.push_back(ReadSource(doc, s));
    }
  }
  if (NodeId d = doc.Resolve(doc.Get(spec, "destination")); IsMapping(doc, d)) {
    app.destination = Destination{d, doc.StringAt(d, "server"), doc.StringAt(d, "name"),
                                  doc.StringAt(d, "namespace")};
  }
  return app;
}

std::optional<std::string> ResolveRepositoryPath(std::string_view dir, std::string_view rel) {
  bool from_root = rel.starts_with('/');
  while (rel.starts_with('/')) rel.remove_prefix(1);
  std::string out = JoinPath(from_root ? "" : dir, rel);
  if (out == ".." || out.starts_with("../")) return std::nullopt;
  return out;
}

}  // namespace capstan::argocd
