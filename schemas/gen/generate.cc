#include "gen/generate.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "k8s/crd.h"
#include "yaml/parser.h"
#include "yaml/to_json.h"

namespace capstan::schemas {
namespace {

using k8s::GroupVersionKind;
using nlohmann::json;

constexpr std::uint64_t kMaxInputBytes = 64u << 20;

Status Add(std::map<std::string, std::string>& files, const GroupVersionKind& gvk,
           const json& schema, const std::string& source) {
  std::string name = k8s::SchemaFileName(gvk);
  if (files.contains(name))
    return Status::InvalidArgument("'" + source + "' produces '" + name + "' a second time");
  files.emplace(std::move(name), schema.dump() + "\n");
  return Status::Ok();
}

Status AddOpenApi(FileSystem& fs, const std::string& path,
                  std::map<std::string, std::string>& files) {
  Result<std::string> text = fs.ReadFile(path, kMaxInputBytes);
  if (!text.ok()) return text.status().WithPrefix("cannot read '" + path + "'");
  json doc = json::parse(*text, nullptr, false);
  if (doc.is_discarded()) return Status::ParseError("'" + path + "' is not valid JSON");
  Result<k8s::KindSchemas> schemas = k8s::SchemasFromOpenApiV2(doc);
  if (!schemas.ok()) return schemas.status().WithPrefix("'" + path + "'");
  for (const auto& want : KubernetesKinds()) {
    auto has = [&want](const auto& s) { return s.first == want; };
    if (std::none_of(schemas->begin(), schemas->end(), has)) {
      return Status::InvalidArgument("'" + path + "' has no schema for " + k8s::ApiVersion(want) +
                                     " " + want.kind);
    }
  }
  for (const auto& [gvk, schema] : *schemas) CAPSTAN_RETURN_IF_ERROR(Add(files, gvk, schema, path));
  return Status::Ok();
}

// Flux installed by the Flux Operator (the distribution most Flux repositories now use) serves
// notification CRDs whose event-source kinds also name the operator's own kinds, so Alerts and
// Receivers may refer to them (controlplaneio-fluxcd/flux-operator#131 for FluxInstance, #224 for
// ResourceSet); the upstream CRDs list only the toolkit kinds.
void AddFluxOperatorKinds(const GroupVersionKind& gvk, json& schema) {
  if (gvk.group != "notification.toolkit.fluxcd.io") return;
  for (const char* list : {"eventSources", "resources"}) {
    json::json_pointer where("/properties/spec/properties/" + std::string(list) +
                             "/items/properties/kind/enum");
    if (!schema.contains(where) || !schema[where].is_array()) continue;
    json& kinds = schema[where];
    for (const char* kind : {"FluxInstance", "ResourceSet", "ResourceSetInputProvider"}) {
      if (std::find(kinds.begin(), kinds.end(), kind) != kinds.end()) continue;
      // Before the trailing null every converted enum ends with, so messages list names first.
      auto null = std::find(kinds.begin(), kinds.end(), nullptr);
      kinds.insert(null, kind);
    }
  }
}

Status AddCrdFile(FileSystem& fs, const std::string& path,
                  std::map<std::string, std::string>& files) {
  Result<std::string> text = fs.ReadFile(path, kMaxInputBytes);
  if (!text.ok()) return text.status().WithPrefix("cannot read '" + path + "'");
  yaml::ParsedFile parsed = yaml::Parse(*text);
  if (!parsed.issues.empty()) {
    return Status::ParseError("'" + path + "' line " + std::to_string(parsed.issues[0].pos.line) +
                              ": " + parsed.issues[0].message);
  }
  for (const auto& doc : parsed.documents) {
    yaml::ConvertError error;
    std::optional<json> value = yaml::ToJson(doc, yaml::kNoNode, yaml::Limits{}, &error);
    if (!value) return Status::ParseError("'" + path + "': " + error.message);
    if (!value->is_object() || value->value("kind", json()) != "CustomResourceDefinition") continue;
    Result<k8s::KindSchemas> schemas = k8s::SchemasFromCrd(*value);
    if (!schemas.ok()) return schemas.status().WithPrefix("'" + path + "'");
    for (auto& [gvk, schema] : *schemas) {
      AddFluxOperatorKinds(gvk, schema);
      CAPSTAN_RETURN_IF_ERROR(Add(files, gvk, schema, path));
    }
  }
  return Status::Ok();
}

}  // namespace

const std::vector<std::string>& CrdDirectories() {
  static const std::vector<std::string> dirs = {"argocd", "external-secrets", "fluxcd",
                                                "sealed-secrets"};
  return dirs;
}

const std::vector<GroupVersionKind>& KubernetesKinds() {
  static const std::vector<GroupVersionKind> kinds = {
      {"", "v1", "ConfigMap"},
      {"", "v1", "LimitRange"},
      {"", "v1", "Namespace"},
      {"", "v1", "PersistentVolume"},
      {"", "v1", "PersistentVolumeClaim"},
      {"", "v1", "Pod"},
      {"", "v1", "ResourceQuota"},
      {"", "v1", "Secret"},
      {"", "v1", "Service"},
      {"", "v1", "ServiceAccount"},
      {"apiextensions.k8s.io", "v1", "CustomResourceDefinition"},
      {"apps", "v1", "DaemonSet"},
      {"apps", "v1", "Deployment"},
      {"apps", "v1", "ReplicaSet"},
      {"apps", "v1", "StatefulSet"},
      {"autoscaling", "v2", "HorizontalPodAutoscaler"},
      {"batch", "v1", "CronJob"},
      {"batch", "v1", "Job"},
      {"networking.k8s.io", "v1", "Ingress"},
      {"networking.k8s.io", "v1", "IngressClass"},
      {"networking.k8s.io", "v1", "NetworkPolicy"},
      {"policy", "v1", "PodDisruptionBudget"},
      {"rbac.authorization.k8s.io", "v1", "ClusterRole"},
      {"rbac.authorization.k8s.io", "v1", "ClusterRoleBinding"},
      {"rbac.authorization.k8s.io", "v1", "Role"},
      {"rbac.authorization.k8s.io", "v1", "RoleBinding"},
      {"resource.k8s.io", "v1", "ResourceClaimTemplate"},
      {"scheduling.k8s.io", "v1", "PriorityClass"},
      {"storage.k8s.io", "v1", "StorageClass"},
  };
  return kinds;
}

const std::vector<std::string>& HandWrittenSchemas() {
  static const std::vector<std::string> names = {
      "component-kustomize.config.k8s.io-v1alpha1.json",
      "kustomization-kustomize.config.k8s.io-v1beta1.json",
  };
  return names;
}

Result<std::vector<SchemaFile>> GenerateSchemas(FileSystem& fs, const std::string& data_dir) {
  std::map<std::string, std::string> files;
  CAPSTAN_RETURN_IF_ERROR(AddOpenApi(fs, data_dir + "/" + kOpenApiFile, files));
  for (const auto& dir : CrdDirectories()) {
    const std::string path = data_dir + "/crds/" + dir;
    Result<std::vector<DirEntry>> entries = fs.ListDir(path);
    if (!entries.ok()) return entries.status().WithPrefix("cannot list '" + path + "'");
    for (const auto& e : *entries) {
      if (e.type != FileType::kRegular || !e.name.ends_with(".yaml")) continue;
      CAPSTAN_RETURN_IF_ERROR(AddCrdFile(fs, path + "/" + e.name, files));
    }
  }
  for (const auto& name : HandWrittenSchemas()) {
    if (files.contains(name))
      return Status::InvalidArgument("generated '" + name +
                                     "' would replace a hand-written schema");
  }
  std::vector<SchemaFile> out;
  for (auto& [name, content] : files) out.push_back({name, std::move(content)});
  return out;
}

}  // namespace capstan::schemas
