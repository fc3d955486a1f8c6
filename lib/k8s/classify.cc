#include "k8s/classify.h"

#include "k8s/kustomize.h"

namespace capstan::k8s {
namespace {

std::string_view BaseName(std::string_view path) {
  auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool IsYamlName(std::string_view name) { return name.ends_with(".yaml") || name.ends_with(".yml"); }

bool UnderTemplatesDir(std::string_view path) {
  return path.substr(0, 10) == "templates/" || path.find("/templates/") != std::string_view::npos;
}

std::string Dotted(std::string_view pointer) {
  std::string out(pointer.substr(1));
  for (char& c : out)
    if (c == '/') c = '.';
  return out;
}

// Reads a field that must be a non-empty string. Returns false and records a problem otherwise.
bool RequireString(const yaml::Document& doc, yaml::NodeId map, std::string_view key,
                   std::string_view pointer, yaml::NodeId fallback_node, std::string* out,
                   std::vector<IdentityProblem>* problems) {
  yaml::NodeId value = doc.Get(map, key);
  std::string path = std::string(pointer);
  if (value == yaml::kNoNode) {
    problems->push_back({fallback_node, path, "missing required field '" + Dotted(pointer) + "'"});
    return false;
  }
  const yaml::Node& n = doc.node(doc.Resolve(value));
  if (n.type != yaml::NodeType::kScalar || n.value.empty()) {
    problems->push_back({value, path, "'" + Dotted(pointer) + "' must be a non-empty string"});
    return false;
  }
  *out = n.value;
  return true;
}

}  // namespace

FileRole RoleOf(std::string_view path, std::string_view text) {
  std::string_view base = BaseName(path);
  if (IsKustomizationFile(path)) return FileRole::kKustomization;
  if (base == "Chart.yaml" || base == "Chart.yml") return FileRole::kHelmChart;
  if (UnderTemplatesDir(path) && text.find("{{") != std::string_view::npos)
    return FileRole::kHelmTemplate;
  if (base.substr(0, 6) == "values" && IsYamlName(base)) return FileRole::kHelmValues;
  return FileRole::kManifests;
}

std::vector<std::string> TemplateParentDirs(std::string_view path) {
  std::vector<std::string> dirs;
  for (std::size_t start = 0;;) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) break;  // the last component is the file itself
    if (path.substr(start, slash - start) == "templates")
      dirs.emplace_back(path.substr(0, start == 0 ? 0 : start - 1));
    start = slash + 1;
  }
  return dirs;
}

void SplitApiVersion(std::string_view api_version, std::string* group, std::string* version) {
  auto slash = api_version.find('/');
  if (slash == std::string_view::npos) {
    group->clear();
    *version = std::string(api_version);
  } else {
    *group = std::string(api_version.substr(0, slash));
    *version = std::string(api_version.substr(slash + 1));
  }
}

report::Resource ToResource(const Identity& id) {
  return report::Resource{id.api_version, id.kind, id.ns, id.name};
}

Classified Classify(const yaml::Document& doc, yaml::NodeId node, FileRole role) {
  Classified c;
  yaml::NodeId root = doc.Resolve(node);
  if (root == yaml::kNoNode || doc.node(root).type == yaml::NodeType::kNull) {
    c.kind = DocKind::kEmpty;
    return c;
  }
  if (role == FileRole::kHelmChart || role == FileRole::kHelmValues ||
      role == FileRole::kHelmTemplate) {
    c.kind = DocKind::kNotKubernetes;
    return c;
  }
  const yaml::Node& r = doc.node(root);
  if (r.type != yaml::NodeType::kMapping) {
    c.kind = DocKind::kNotKubernetes;
    return c;
  }
  yaml::NodeId api = doc.Get(root, "apiVersion");
  yaml::NodeId kind = doc.Get(root, "kind");
  if (role == FileRole::kKustomization && api == yaml::kNoNode) {
    c.identity.api_version = "kustomize.config.k8s.io/v1beta1";
    c.identity.kind = "Kustomization";
    if (const std::string* k = doc.ScalarValue(kind)) c.identity.kind = *k;
    SplitApiVersion(c.identity.api_version, &c.identity.group, &c.identity.version);
    c.kind = DocKind::kKustomization;
    return c;
  }
  if (api == yaml::kNoNode && kind == yaml::kNoNode) {
    c.kind = DocKind::kNotKubernetes;
    return c;
  }
  bool ok = RequireString(doc, root, "apiVersion", "/apiVersion", root, &c.identity.api_version,
                          &c.problems);
  ok = RequireString(doc, root, "kind", "/kind", root, &c.identity.kind, &c.problems) && ok;
  if (!ok) {
    c.kind = DocKind::kMalformed;
    return c;
  }
  SplitApiVersion(c.identity.api_version, &c.identity.group, &c.identity.version);
  if (c.identity.api_version == "builtin") {
    c.kind = DocKind::kKustomizePlugin;
    return c;
  }
  if (c.identity.group.rfind("kustomize.config.k8s.io", 0) == 0) {
    c.kind = DocKind::kKustomization;
    return c;
  }
  if (c.identity.kind.ends_with("List") && doc.Get(root, "items") != yaml::kNoNode) {
    c.kind = DocKind::kList;
    return c;
  }
  yaml::NodeId meta = doc.Get(root, "metadata");
  yaml::NodeId meta_key = doc.GetKey(root, "metadata");
  if (meta == yaml::kNoNode) {
    c.problems.push_back({root, "/metadata", "missing required field 'metadata'"});
    c.kind = DocKind::kMalformed;
    return c;
  }
  if (doc.node(doc.Resolve(meta)).type != yaml::NodeType::kMapping) {
    c.problems.push_back({meta, "/metadata", "'metadata' must be a mapping"});
    c.kind = DocKind::kMalformed;
    return c;
  }
  if (const std::string* ns = doc.ScalarValue(doc.Get(meta, "namespace"))) c.identity.ns = *ns;
  yaml::NodeId generate = doc.Get(meta, "generateName");
  if (doc.Get(meta, "name") == yaml::kNoNode && generate != yaml::kNoNode) {
    if (const std::string* g = doc.ScalarValue(generate)) c.identity.name = *g;
    c.identity.generated_name = true;
  } else if (!RequireString(doc, meta, "name", "/metadata/name", meta_key, &c.identity.name,
                            &c.problems)) {
    c.kind = DocKind::kMalformed;
    return c;
  }
  c.kind = DocKind::kResource;
  return c;
}

}  // namespace capstan::k8s
