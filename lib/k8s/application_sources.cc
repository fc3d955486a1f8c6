#include "k8s/application_sources.h"

namespace capstan::k8s {
namespace {

bool IsMapping(const yaml::Document& doc, yaml::NodeId id) {
  id = doc.Resolve(id);
  return id != yaml::kNoNode && doc.node(id).type == yaml::NodeType::kMapping;
}

}  // namespace

std::vector<SourceNode> DeployedSources(const yaml::Document& doc, yaml::NodeId spec) {
  std::vector<SourceNode> out;
  yaml::NodeId many = doc.Resolve(doc.Get(spec, "sources"));
  if (many != yaml::kNoNode && doc.node(many).type == yaml::NodeType::kSequence &&
      !doc.node(many).children.empty()) {
    const std::vector<yaml::NodeId>& items = doc.node(many).children;
    for (std::size_t i = 0; i < items.size(); ++i)
      if (IsMapping(doc, items[i]))
        out.push_back({doc.Resolve(items[i]), "/sources/" + std::to_string(i)});
  } else if (yaml::NodeId one = doc.Get(spec, "source"); IsMapping(doc, one)) {
    out.push_back({doc.Resolve(one), "/source"});
  }
  return out;
}

void CollectApplicationSources(const yaml::Document& doc, yaml::NodeId node, const Identity& id,
                               std::string_view prefix, std::vector<ApplicationSource>& out) {
  if (id.group != "argoproj.io" || id.kind != "Application") return;
  yaml::NodeId spec = doc.Resolve(doc.Get(node, "spec"));
  if (!IsMapping(doc, spec)) return;
  std::string ns = doc.StringAt(doc.Get(spec, "destination"), "namespace");
  for (const auto& [source, relative] : DeployedSources(doc, spec)) {
    yaml::NodeId path = doc.Get(source, "path");
    const std::string* value = doc.ScalarValue(path);
    if (value == nullptr || value->empty() || value->find("{{") != std::string::npos ||
        value->find("${") != std::string::npos)
      continue;
    ApplicationSource s;
    s.application = id;
    s.path = *value;
    s.pos = doc.node(path).pos;
    s.pointer = std::string(prefix) + "/spec" + relative + "/path";
    s.destination_ns = ns;
    for (const char* key : {"chart", "helm", "plugin", "ref"})
      if (doc.Get(source, key) != yaml::kNoNode) s.other = true;
    yaml::NodeId directory = doc.Get(source, "directory");
    for (const char* key : {"include", "exclude", "jsonnet"})
      if (doc.Get(directory, key) != yaml::kNoNode) s.other = true;
    s.recurse = doc.StringAt(directory, "recurse") == "true";
    out.push_back(std::move(s));
  }
}

}  // namespace capstan::k8s
