#include "k8s/openapi.h"

#include <algorithm>
#include <cctype>
#include <deque>
#include <map>
#include <regex>
#include <set>
#include <string_view>

namespace capstan::k8s {
namespace {

using nlohmann::json;

constexpr int kMaxDepth = 256;
constexpr std::string_view kRefPrefix = "#/definitions/";
// Quantity is declared as a plain string, but Go's Quantity decoder also takes JSON numbers
// (`cpu: 1`), so it is special-cased by name.
constexpr std::string_view kQuantity = "io.k8s.apimachinery.pkg.api.resource.Quantity";

constexpr const char* kNumberKeywords[] = {"minimum", "maximum"};
constexpr const char* kBoolKeywords[] = {"exclusiveMinimum", "exclusiveMaximum", "uniqueItems"};
constexpr const char* kCountKeywords[] = {"minLength", "maxLength",     "minItems",
                                          "maxItems",  "minProperties", "maxProperties"};
constexpr const char* kTypeNames[] = {"array",  "boolean", "integer", "null",
                                      "number", "object",  "string"};

bool Contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// valijson compiles `pattern` with std::regex at validation time and would throw there; a
// pattern it cannot compile (RE2-only syntax) is dropped here instead.
bool RegexCompiles(const std::string& pattern) {
  try {
    std::regex re(pattern);
    return true;
  } catch (const std::regex_error&) {
    return false;
  }
}

std::string UnescapePointer(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '~' && i + 1 < s.size() && (s[i + 1] == '0' || s[i + 1] == '1')) {
      out += s[i + 1] == '0' ? '~' : '/';
      ++i;
    } else {
      out += s[i];
    }
  }
  return out;
}

// An anyOf/oneOf that only spells out "integer or string" for x-kubernetes-int-or-string.
bool IsTypeOnlyAlternatives(const json& branches) {
  if (!branches.is_array()) return false;
  for (const auto& b : branches) {
    if (!b.is_object()) return false;
    for (const auto& [key, value] : b.items()) {
      if (key != "type" && key != "format" && key != "description") return false;
    }
  }
  return true;
}

class Converter {
 public:
  explicit Converter(std::vector<std::string>* refs) : refs_(refs) {}

  Status Convert(const json& in, bool nullable, int depth, std::string& path, json& out);

 private:
  Status Error(const std::string& path, std::string_view what) {
    return Status::InvalidArgument("schema at '" + (path.empty() ? "/" : path) +
                                   "': " + std::string(what));
  }
  Status Child(const json& in, bool nullable, int depth, std::string& path, std::string_view suffix,
               json& out) {
    const std::size_t size = path.size();
    path += suffix;
    Status s = Convert(in, nullable, depth + 1, path, out);
    path.resize(size);
    return s;
  }
  Status Types(const json& in, bool int_or_string, const std::string& path,
               std::vector<std::string>& types);
  Status Combinators(const json& in, bool int_or_string, int depth, std::string& path, json& out);
  void CopyConstraints(const json& in, json& out);

  std::vector<std::string>* refs_;
};

Status Converter::Types(const json& in, bool int_or_string, const std::string& path,
                        std::vector<std::string>& types) {
  if (int_or_string) {
    types = {"integer", "string"};
    return Status::Ok();
  }
  auto it = in.find("type");
  if (it == in.end()) return Status::Ok();
  if (it->is_string()) {
    types.push_back(it->get<std::string>());
  } else if (it->is_array()) {
    for (const auto& t : *it) {
      if (!t.is_string()) return Error(path, "'type' lists a value that is not a string");
      types.push_back(t.get<std::string>());
    }
  } else {
    return Error(path, "'type' is neither a string nor a list");
  }
  for (const auto& t : types) {
    if (std::find(std::begin(kTypeNames), std::end(kTypeNames), t) == std::end(kTypeNames))
      return Error(path, "unknown type '" + t + "'");
  }
  return Status::Ok();
}

void Converter::CopyConstraints(const json& in, json& out) {
  for (const char* key : kNumberKeywords) {
    auto it = in.find(key);
    if (it != in.end() && it->is_number()) out[key] = *it;
  }
  for (const char* key : kBoolKeywords) {
    auto it = in.find(key);
    if (it != in.end() && it->is_boolean()) out[key] = *it;
  }
  for (const char* key : kCountKeywords) {
    auto it = in.find(key);
    if (it != in.end() && it->is_number_unsigned()) out[key] = *it;
  }
  auto pattern = in.find("pattern");
  if (pattern != in.end() && pattern->is_string() && RegexCompiles(pattern->get<std::string>()))
    out["pattern"] = *pattern;
}

Status Converter::Combinators(const json& in, bool int_or_string, int depth, std::string& path,
                              json& out) {
  for (const char* key : {"allOf", "anyOf", "oneOf"}) {
    auto it = in.find(key);
    if (it == in.end()) continue;
    if (!it->is_array()) return Error(path, std::string("'") + key + "' is not a list");
    if (int_or_string && IsTypeOnlyAlternatives(*it)) continue;
    json branches = json::array();
    for (std::size_t i = 0; i < it->size(); ++i) {
      json branch;
      CAPSTAN_RETURN_IF_ERROR(Child((*it)[i], false, depth, path,
                                    "/" + std::string(key) + "/" + std::to_string(i), branch));
      branches.push_back(std::move(branch));
    }
    if (!branches.empty()) out[key] = std::move(branches);
  }
  auto it = in.find("not");
  if (it != in.end()) CAPSTAN_RETURN_IF_ERROR(Child(*it, false, depth, path, "/not", out["not"]));
  // A branch only adds constraints to fields its parent declares (structural schemas require
  // that), so it must stay open when MakeStrict closes objects.
  auto keep_open = [](json& branch) {
    if (branch.is_object() && branch.contains("properties") &&
        !branch.contains("additionalProperties"))
      branch["additionalProperties"] = true;
  };
  for (const char* key : {"allOf", "anyOf", "oneOf"}) {
    if (out.contains(key))
      for (auto& b : out[key]) keep_open(b);
  }
  if (out.contains("not")) keep_open(out["not"]);
  return Status::Ok();
}

Status Converter::Convert(const json& in, bool nullable, int depth, std::string& path, json& out) {
  if (depth > kMaxDepth) return Error(path, "nested deeper than 256 levels");
  if (in.is_boolean()) {
    out = in.get<bool>() ? json::object() : json{{"not", json::object()}};
    return Status::Ok();
  }
  if (!in.is_object()) return Error(path, "not an object");
  out = json::object();

  if (auto ref = in.find("$ref"); ref != in.end()) {
    if (!ref->is_string()) return Error(path, "'$ref' is not a string");
    const std::string& target = ref->get_ref<const std::string&>();
    if (!target.starts_with(kRefPrefix) || target.size() == kRefPrefix.size())
      return Error(path, "unsupported reference '" + target + "' (only #/definitions/...)");
    if (refs_ != nullptr) refs_->push_back(UnescapePointer(target.substr(kRefPrefix.size())));
    out["$ref"] = target;
    return Status::Ok();
  }

  auto flag = [&in](const char* key) {
    auto it = in.find(key);
    return it != in.end() && it->is_boolean() && it->get<bool>();
  };
  const bool preserve = flag("x-kubernetes-preserve-unknown-fields");
  const bool int_or_string = flag("x-kubernetes-int-or-string") ||
                             (in.contains("format") && in["format"] == "int-or-string");

  std::vector<std::string> types;
  CAPSTAN_RETURN_IF_ERROR(Types(in, int_or_string, path, types));
  const bool object = Contains(types, "object");
  if (!types.empty()) {
    if (nullable && !Contains(types, "null")) types.push_back("null");
    out["type"] = types.size() == 1 ? json(types[0]) : json(types);
  }

  bool has_properties = false;
  if (auto props = in.find("properties"); props != in.end()) {
    if (!props->is_object()) return Error(path, "'properties' is not an object");
    for (const auto& [name, child] : props->items()) {
      CAPSTAN_RETURN_IF_ERROR(
          Child(child, true, depth, path, "/properties/" + name, out["properties"][name]));
      has_properties = true;
    }
  }
  if (auto extra = in.find("additionalProperties"); extra != in.end()) {
    if (extra->is_boolean()) {
      out["additionalProperties"] = *extra;
    } else if (extra->is_object()) {
      CAPSTAN_RETURN_IF_ERROR(
          Child(*extra, true, depth, path, "/additionalProperties", out["additionalProperties"]));
    } else {
      return Error(path, "'additionalProperties' is neither a boolean nor a schema");
    }
  }
  if (!out.contains("additionalProperties") && (preserve || (object && !has_properties)))
    out["additionalProperties"] = true;

  if (auto items = in.find("items"); items != in.end()) {
    if (items->is_object()) {
      CAPSTAN_RETURN_IF_ERROR(Child(*items, true, depth, path, "/items", out["items"]));
    } else if (items->is_array()) {
      for (std::size_t i = 0; i < items->size(); ++i) {
        CAPSTAN_RETURN_IF_ERROR(
            Child((*items)[i], true, depth, path, "/items/" + std::to_string(i), out["items"][i]));
      }
    } else {
      return Error(path, "'items' is neither a schema nor a list");
    }
  }

  if (auto required = in.find("required"); required != in.end()) {
    if (!required->is_array()) return Error(path, "'required' is not a list");
    for (const auto& r : *required) {
      if (!r.is_string()) return Error(path, "'required' lists a value that is not a string");
    }
    if (!required->empty()) out["required"] = *required;
  }
  if (auto values = in.find("enum"); values != in.end()) {
    if (!values->is_array()) return Error(path, "'enum' is not a list");
    if (!values->empty()) {
      json e = *values;
      if (nullable && std::find(e.begin(), e.end(), nullptr) == e.end()) e.push_back(nullptr);
      out["enum"] = std::move(e);
    }
  }
  CopyConstraints(in, out);

  json combinators = json::object();
  CAPSTAN_RETURN_IF_ERROR(Combinators(in, int_or_string, depth, path, combinators));
  if (!combinators.empty()) {
    // A null value passes the typed part of this node, so it must pass the combinators too.
    if (nullable) {
      out["anyOf"] = json::array({json{{"type", "null"}}, std::move(combinators)});
    } else {
      for (auto& [key, value] : combinators.items()) out[key] = std::move(value);
    }
  }
  return Status::Ok();
}

// Converts definitions on demand, remembering each one and the definitions it references.
class DefinitionCache {
 public:
  explicit DefinitionCache(const json& definitions) : definitions_(definitions) {}

  // The root is converted without null; referenced definitions with it.
  Result<json> Root(const std::string& name) {
    std::vector<std::string> refs;
    Result<json> root = ConvertNamed(name, false, &refs);
    if (!root.ok()) return root;
    json defs = json::object();
    std::deque<std::string> queue(refs.begin(), refs.end());
    std::set<std::string> seen;
    while (!queue.empty()) {
      std::string next = std::move(queue.front());
      queue.pop_front();
      if (!seen.insert(next).second) continue;
      auto cached = cache_.find(next);
      if (cached == cache_.end()) {
        std::vector<std::string> next_refs;
        Result<json> def = ConvertNamed(next, true, &next_refs);
        if (!def.ok()) return def.status();
        cached = cache_.emplace(next, Entry{std::move(*def), std::move(next_refs)}).first;
      }
      defs[next] = cached->second.schema;
      queue.insert(queue.end(), cached->second.refs.begin(), cached->second.refs.end());
    }
    if (!defs.empty()) (*root)["definitions"] = std::move(defs);
    return root;
  }

 private:
  struct Entry {
    json schema;
    std::vector<std::string> refs;
  };

  Result<json> ConvertNamed(const std::string& name, bool nullable,
                            std::vector<std::string>* refs) {
    auto it = definitions_.find(name);
    if (it == definitions_.end())
      return Status::InvalidArgument("openapi document has no definition '" + name + "'");
    if (name == kQuantity) {
      return json{
          {"type", nullable ? json({"number", "string", "null"}) : json({"number", "string"})}};
    }
    Result<json> out = ConvertSchema(*it, nullable, refs);
    if (!out.ok()) return out.status().WithPrefix("openapi definition '" + name + "'");
    return out;
  }

  const json& definitions_;
  std::map<std::string, Entry> cache_;
};

Status ParseGvk(const json& entry, GroupVersionKind& gvk) {
  if (!entry.is_object()) return Status::InvalidArgument("not an object");
  auto field = [&entry](const char* key, std::string& out) {
    auto it = entry.find(key);
    if (it != entry.end() && it->is_string()) out = it->get<std::string>();
  };
  field("group", gvk.group);
  field("version", gvk.version);
  field("kind", gvk.kind);
  if (gvk.version.empty() || gvk.kind.empty())
    return Status::InvalidArgument("version or kind missing");
  return Status::Ok();
}

}  // namespace

std::string ApiVersion(const GroupVersionKind& gvk) {
  return gvk.group.empty() ? gvk.version : gvk.group + "/" + gvk.version;
}

std::string SchemaFileName(const GroupVersionKind& gvk) {
  std::string name;
  for (char c : gvk.kind) name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!gvk.group.empty()) name += "-" + gvk.group;
  return name + "-" + gvk.version + ".json";
}

Result<json> ConvertSchema(const json& schema, bool nullable, std::vector<std::string>* refs) {
  Converter converter(refs);
  std::string path;
  json out;
  CAPSTAN_RETURN_IF_ERROR(converter.Convert(schema, nullable, 0, path, out));
  return out;
}

Result<KindSchemas> SchemasFromOpenApiV2(const json& doc,
                                         const std::vector<GroupVersionKind>& want) {
  if (!doc.is_object() || !doc.contains("definitions") || !doc["definitions"].is_object())
    return Status::InvalidArgument("not an openapi v2 document: no 'definitions' object");
  const json& definitions = doc["definitions"];
  DefinitionCache cache(definitions);
  KindSchemas out;
  std::set<GroupVersionKind> found;
  for (const auto& [name, def] : definitions.items()) {
    if (!def.is_object()) continue;
    auto gvks = def.find("x-kubernetes-group-version-kind");
    if (gvks == def.end() || !gvks->is_array()) continue;
    for (const auto& entry : *gvks) {
      GroupVersionKind gvk;
      if (Status s = ParseGvk(entry, gvk); !s.ok())
        return s.WithPrefix("openapi definition '" + name +
                            "': bad x-kubernetes-group-version-kind");
      if (!want.empty() && std::find(want.begin(), want.end(), gvk) == want.end()) continue;
      if (!found.insert(gvk).second) continue;
      Result<json> schema = cache.Root(name);
      if (!schema.ok()) return schema.status();
      (*schema)["$schema"] = kDraft04;
      out.emplace_back(std::move(gvk), std::move(*schema));
    }
  }
  return out;
}

}  // namespace capstan::k8s
