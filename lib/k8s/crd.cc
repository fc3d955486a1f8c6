#include "k8s/crd.h"

#include <string>
#include <vector>

namespace capstan::k8s {
namespace {

using nlohmann::json;

const json* Find(const json& object, std::initializer_list<const char*> path) {
  const json* node = &object;
  for (const char* key : path) {
    if (!node->is_object()) return nullptr;
    auto it = node->find(key);
    if (it == node->end()) return nullptr;
    node = &*it;
  }
  return node;
}

std::string StringAt(const json& object, std::initializer_list<const char*> path) {
  const json* node = Find(object, path);
  return node != nullptr && node->is_string() ? node->get<std::string>() : std::string();
}

const json* SchemaOf(const json& holder) {
  const json* schema = Find(holder, {"openAPIV3Schema"});
  return schema != nullptr && !schema->is_null() ? schema : nullptr;
}

Result<json> ConvertRoot(const json* schema) {
  if (schema == nullptr) {
    return json{{"$schema", kDraft04}, {"type", "object"}, {"additionalProperties", true}};
  }
  std::vector<std::string> refs;
  Result<json> out = ConvertSchema(*schema, false, &refs);
  if (!out.ok()) return out;
  if (!refs.empty())
    return Status::InvalidArgument("uses '$ref', which CustomResourceDefinitions do not allow");
  if (!out->contains("type")) (*out)["type"] = "object";
  // The API server accepts apiVersion, kind and metadata on every custom resource whether the
  // CRD declares them or not; say so, or --strict would reject them.
  if (auto props = out->find("properties"); props != out->end() && props->is_object()) {
    if (!props->contains("apiVersion")) (*props)["apiVersion"] = json{{"type", "string"}};
    if (!props->contains("kind")) (*props)["kind"] = json{{"type", "string"}};
    if (!props->contains("metadata")) (*props)["metadata"] = json{{"type", "object"}};
  }
  (*out)["$schema"] = kDraft04;
  return out;
}

}  // namespace

Result<KindSchemas> SchemasFromCrd(const json& crd) {
  if (!crd.is_object())
    return Status::InvalidArgument("not a CustomResourceDefinition: not a mapping");
  const std::string kind = StringAt(crd, {"kind"});
  if (kind != "CustomResourceDefinition") {
    return Status::InvalidArgument(
        "not a CustomResourceDefinition: " +
        (kind.empty() ? std::string("it has no kind") : "its kind is '" + kind + "'"));
  }
  const std::string api_version = StringAt(crd, {"apiVersion"});
  if (api_version != "apiextensions.k8s.io/v1" && api_version != "apiextensions.k8s.io/v1beta1") {
    return Status::InvalidArgument("unsupported CustomResourceDefinition apiVersion '" +
                                   api_version + "'");
  }
  std::string name = StringAt(crd, {"metadata", "name"});
  if (name.empty()) name = "<unnamed>";
  const std::string where = "CustomResourceDefinition '" + name + "'";
  const std::string group = StringAt(crd, {"spec", "group"});
  const std::string kind_name = StringAt(crd, {"spec", "names", "kind"});
  if (group.empty() || kind_name.empty())
    return Status::InvalidArgument(where + ": spec.group or spec.names.kind is missing");
  const json* shared = nullptr;
  if (const json* validation = Find(crd, {"spec", "validation"}); validation != nullptr)
    shared = SchemaOf(*validation);

  std::vector<std::pair<std::string, const json*>> versions;
  const json* listed = Find(crd, {"spec", "versions"});
  if (listed != nullptr && listed->is_array() && !listed->empty()) {
    for (const auto& v : *listed) {
      const std::string version = StringAt(v, {"name"});
      if (version.empty())
        return Status::InvalidArgument(where + ": a spec.versions entry has no name");
      // The API server refuses objects of a version it does not serve.
      if (const json* served = Find(v, {"served"}); served != nullptr && *served == false) continue;
      const json* own = Find(v, {"schema"});
      const json* schema = own != nullptr ? SchemaOf(*own) : nullptr;
      versions.emplace_back(version, schema != nullptr ? schema : shared);
    }
  } else if (std::string version = StringAt(crd, {"spec", "version"}); !version.empty()) {
    versions.emplace_back(version, shared);
  } else {
    return Status::InvalidArgument(where + ": it declares no versions");
  }

  KindSchemas out;
  for (const auto& [version, schema] : versions) {
    Result<json> converted = ConvertRoot(schema);
    if (!converted.ok()) return converted.status().WithPrefix(where + " version " + version);
    out.emplace_back(GroupVersionKind{group, version, kind_name}, std::move(*converted));
  }
  return out;
}

}  // namespace capstan::k8s
