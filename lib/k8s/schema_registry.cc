#include "k8s/schema_registry.h"

#include <algorithm>
#include <cctype>

#include "core/embedded.h"
#include "core/strings.h"
#include "k8s/crd.h"
#include "k8s/strict.h"
#include "yaml/parser.h"
#include "yaml/to_json.h"

namespace capstan::k8s {
namespace {

constexpr std::uint64_t kMaxSchemaFileBytes = 64u << 20;

bool IsRemote(const std::string& location) {
  return location.rfind("http://", 0) == 0 || location.rfind("https://", 0) == 0;
}

// Every document in a JSON or YAML file, as JSON. JSON files go through nlohmann directly: an
// OpenAPI document is megabytes, and building a YAML node arena for it is wasted work.
Result<std::vector<nlohmann::json>> LoadDocuments(const std::string& path,
                                                  const std::string& text) {
  std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && text[first] == '{') {
    nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
    if (doc.is_discarded())
      return Status::InvalidArgument(QuoteForMessage(path, kQuotePathLimit) + " is not valid JSON");
    return std::vector<nlohmann::json>{std::move(doc)};
  }
  yaml::ParsedFile parsed = yaml::Parse(text);
  if (!parsed.issues.empty()) {
    const auto& issue = parsed.issues.front();
    return Status::InvalidArgument(path + ":" + std::to_string(issue.pos.line) + ":" +
                                   std::to_string(issue.pos.column) + ": " + issue.message);
  }
  std::vector<nlohmann::json> docs;
  for (const auto& d : parsed.documents) {
    yaml::ConvertError err;
    auto j = yaml::ToJson(d, yaml::kNoNode, yaml::Limits{}, &err);
    if (!j)
      return Status::InvalidArgument(path + ":" + std::to_string(err.pos.line) + ": " +
                                     err.message);
    if (!j->is_null()) docs.push_back(std::move(*j));
  }
  return docs;
}

}  // namespace

std::string SchemaRegistry::Render(const std::string& location, const GroupVersionKind& gvk,
                                   const std::string& kubernetes_version, bool strict) {
  // Variables and layout as kubeconform computes them, so existing lines keep working.
  std::string tmpl = location;
  if (!tmpl.ends_with("json")) {
    while (!tmpl.empty() && tmpl.back() == '/') tmpl.pop_back();
    tmpl +=
        "/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/"
        "{{ .ResourceKind }}{{ .KindSuffix }}.json";
  }
  std::string version = kubernetes_version;
  if (version != "master" && !version.starts_with("v")) version = "v" + version;
  // kubeconform splits apiVersion: "apps/v1" -> group "apps"; "v1" -> group "v1".
  std::string group = gvk.group.empty() ? gvk.version : gvk.group;
  std::string kind_suffix = "-" + AsciiLower(group.substr(0, group.find('.')));
  if (!gvk.group.empty()) kind_suffix += "-" + AsciiLower(gvk.version);
  const std::pair<const char*, std::string> vars[] = {
      {"NormalizedKubernetesVersion", version},
      {"StrictSuffix", strict ? "-strict" : ""},
      {"ResourceKind", AsciiLower(gvk.kind)},
      {"ResourceAPIVersion", gvk.version},
      {"KindSuffix", kind_suffix},
      {"Group", group},
  };
  std::string out;
  for (std::size_t i = 0; i < tmpl.size();) {
    std::size_t open = tmpl.find("{{", i);
    if (open == std::string::npos) {
      out += tmpl.substr(i);
      break;
    }
    std::size_t close = tmpl.find("}}", open);
    if (close == std::string::npos) {
      out += tmpl.substr(i);
      break;
    }
    out += tmpl.substr(i, open - i);
    std::string name = tmpl.substr(open + 2, close - open - 2);
    name.erase(std::remove_if(name.begin(), name.end(),
                              [](char c) { return std::isspace(static_cast<unsigned char>(c)); }),
               name.end());
    if (!name.empty() && name[0] == '.') name.erase(0, 1);
    std::string value;
    for (const auto& [k, v] : vars)
      if (name == k) value = v;
    out += value;
    i = close + 2;
  }
  return out;
}

Result<std::unique_ptr<SchemaRegistry>> SchemaRegistry::Create(const SchemaSources& sources,
                                                               FileSystem& fs) {
  std::unique_ptr<SchemaRegistry> reg(new SchemaRegistry(sources, fs));
  if (reg->sources_.locations.empty()) reg->sources_.locations.push_back("default");
  for (const auto& loc : reg->sources_.locations) {
    if (IsRemote(loc)) {
      return Status::InvalidArgument(
          // A kubeconform location line is a long template; show all of a real one.
          "schema location " + QuoteForMessage(loc, 2 * kQuotePathLimit) +
          " is remote; capstan reads schemas from local paths only (download them once, then "
          "point --schema-location at the directory)");
    }
  }
  for (const auto& p : sources.crds) CAPSTAN_RETURN_IF_ERROR(reg->AddDocuments(p, false));
  for (const auto& p : sources.openapi) CAPSTAN_RETURN_IF_ERROR(reg->AddDocuments(p, true));
  return reg;
}

Status SchemaRegistry::AddDocuments(const std::string& path, bool openapi) {
  auto info = fs_.Stat(path, true);
  if (!info.ok()) return info.status();
  if (info->type == FileType::kDirectory) {
    auto entries = fs_.ListDir(path);
    if (!entries.ok()) return entries.status();
    for (const auto& e : *entries) {
      std::string child = path + "/" + e.name;
      bool yaml_or_json =
          e.name.ends_with(".yaml") || e.name.ends_with(".yml") || e.name.ends_with(".json");
      if (e.type == FileType::kDirectory) {
        CAPSTAN_RETURN_IF_ERROR(AddDocuments(child, openapi));
      } else if (yaml_or_json) {
        CAPSTAN_RETURN_IF_ERROR(AddDocuments(child, openapi));
      }
    }
    return Status::Ok();
  }
  auto text = fs_.ReadFile(path, kMaxSchemaFileBytes);
  if (!text.ok()) return text.status();
  auto docs = LoadDocuments(path, *text);
  if (!docs.ok()) return docs.status();
  std::size_t added = 0;
  if (openapi) {
    for (auto& doc : *docs) {
      if (!doc.is_object() || !doc.contains("definitions") || !doc["definitions"].is_object()) {
        return Status::InvalidArgument(QuoteForMessage(path, kQuotePathLimit) +
                                       " is not a Kubernetes OpenAPI v2 document (no definitions)");
      }
      openapi_.emplace_back(path, std::move(doc));
    }
    return Status::Ok();
  }
  for (const auto& doc : *docs) {
    auto schemas = SchemasFromCrd(doc);
    if (!schemas.ok()) {
      if (docs->size() > 1) continue;  // the other documents of a multi-document file
      return schemas.status().WithPrefix(QuoteForMessage(path, kQuotePathLimit));
    }
    for (auto& [gvk, schema] : *schemas) {
      std::string key = SchemaFileName(gvk);
      provided_[key] = std::move(schema);
      provided_from_[key] = path;
      ++added;
    }
  }
  if (added == 0) {
    return Status::InvalidArgument(QuoteForMessage(path, kQuotePathLimit) +
                                   " holds no CustomResourceDefinition");
  }
  return Status::Ok();
}

std::size_t SchemaRegistry::AddDiscoveredCrd(const nlohmann::json& crd, const std::string& source) {
  auto schemas = SchemasFromCrd(crd);
  if (!schemas.ok()) return 0;
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [gvk, schema] : *schemas) {
    std::string key = SchemaFileName(gvk);
    discovered_.insert_or_assign(key, std::make_pair(std::move(schema), source));
    slots_.erase(key);
    slots_.erase(key + "#strict");
  }
  return schemas->size();
}

std::string SchemaRegistry::ServedBy(const GroupVersionKind& gvk) const {
  std::string key = SchemaFileName(gvk);
  if (auto it = provided_from_.find(key); it != provided_from_.end())
    return QuoteForMessage(it->second, kQuotePathLimit);
  for (const auto& [path, doc] : openapi_) {
    auto found = SchemasFromOpenApiV2(doc, {gvk});
    if (found.ok() && !found->empty()) return QuoteForMessage(path, kQuotePathLimit);
  }
  // discovered_ changes only while no Find runs (AddDiscoveredCrd's contract).
  if (auto it = discovered_.find(key); it != discovered_.end())
    return QuoteForMessage(it->second.second, kQuotePathLimit);
  return "";
}

Result<std::shared_ptr<const Schema>> SchemaRegistry::Find(const GroupVersionKind& gvk,
                                                           bool force_strict) {
  bool strict = sources_.strict || force_strict;
  std::string key = SchemaFileName(gvk) + (strict ? "#strict" : "");
  std::shared_ptr<Slot> slot;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto& s = slots_[key];
    if (!s) s = std::make_shared<Slot>();
    slot = s;
  }
  std::call_once(slot->once, [&] {
    auto loaded = Load(gvk, strict);
    if (loaded.ok()) {
      slot->schema = *loaded;
    } else {
      slot->status = loaded.status();
    }
  });
  if (!slot->status.ok()) return slot->status;
  return slot->schema;
}

Result<std::shared_ptr<const Schema>> SchemaRegistry::Load(const GroupVersionKind& gvk,
                                                           bool strict) {
  std::string key = SchemaFileName(gvk);
  nlohmann::json doc;
  std::string source;
  if (auto it = provided_.find(key); it != provided_.end()) {
    doc = it->second;
    source = QuoteForMessage(provided_from_[key], kQuotePathLimit);
  }
  for (std::size_t i = 0; source.empty() && i < openapi_.size(); ++i) {
    auto found = SchemasFromOpenApiV2(openapi_[i].second, {gvk});
    if (!found.ok())
      return found.status().WithPrefix(QuoteForMessage(openapi_[i].first, kQuotePathLimit));
    if (found->empty()) continue;
    doc = std::move(found->front().second);
    source = QuoteForMessage(openapi_[i].first, kQuotePathLimit);
  }
  if (source.empty()) {
    for (const auto& loc : sources_.locations) {
      if (loc == "default") {
        std::string_view data = embedded::Find("k8s/" + key);
        if (data.empty()) continue;
        return EmbeddedSchema(data, "embedded k8s/" + key, strict);
      }
      std::string path = Render(loc, gvk, sources_.kubernetes_version, strict);
      auto text = fs_.ReadFile(path, kMaxSchemaFileBytes);
      if (!text.ok()) {
        if (text.status().code() == StatusCode::kNotFound) continue;
        return text.status();
      }
      doc = nlohmann::json::parse(*text, nullptr, false);
      if (doc.is_discarded())
        return Status::InvalidArgument("schema " + QuoteForMessage(path, kQuotePathLimit) +
                                       " is not valid JSON");
      source = QuoteForMessage(path, kQuotePathLimit);
      break;
    }
  }
  if (source.empty()) {
    auto it = discovered_.find(key);
    if (it == discovered_.end()) return std::shared_ptr<const Schema>();
    doc = it->second.first;
    source = QuoteForMessage(it->second.second, kQuotePathLimit);
  }
  if (strict) MakeStrict(doc);
  return CompileSchema(std::move(doc), source);
}

}  // namespace capstan::k8s
