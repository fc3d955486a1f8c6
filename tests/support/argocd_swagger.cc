#include "support/argocd_swagger.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <set>
#include <sstream>

#include "core/strings.h"

namespace capstan::testing {
namespace {

using nlohmann::json;

constexpr int kMaxDepth = 64;

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

std::string AsciiUpper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

bool IsParam(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// Operations whose response forwarder reads `fields` (pkg/apiclient/application).
bool ReadsFields(const std::string& operation_id) {
  static const std::set<std::string> kIds = {
      "ApplicationService_List", "ApplicationService_Get", "ApplicationService_Watch",
      "ApplicationService_ManagedResources", "ApplicationService_WatchResourceTree"};
  return kIds.count(operation_id) > 0;
}

// Go's strconv.ParseBool.
bool IsGoBool(const std::string& v) {
  static const std::set<std::string> kValues = {"1", "t", "T", "TRUE",  "true",  "True",
                                                "0", "f", "F", "FALSE", "false", "False"};
  return kValues.count(v) > 0;
}

bool IsDecimalInteger(const std::string& v) {
  size_t i = (!v.empty() && (v[0] == '-' || v[0] == '+')) ? 1 : 0;
  if (i == v.size()) return false;
  for (; i < v.size(); ++i) {
    if (v[i] < '0' || v[i] > '9') return false;
  }
  return true;
}

bool Is64BitFormat(const json& schema) {
  auto f = schema.find("format");
  return f != schema.end() && f->is_string() && (*f == "int64" || *f == "uint64");
}

std::string TypeName(const json& v) {
  switch (v.type()) {
    case json::value_t::object:
      return "object";
    case json::value_t::array:
      return "array";
    case json::value_t::string:
      return "string";
    case json::value_t::boolean:
      return "boolean";
    case json::value_t::number_float:
      return "number with a fraction or exponent";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return "integer";
    default:
      return "null";
  }
}

std::string RefName(const json& ref) {
  const std::string text = ref.get<std::string>();
  const std::string prefix = "#/definitions/";
  return text.rfind(prefix, 0) == 0 ? text.substr(prefix.size()) : text;
}

// The operation's parameters, by reference into the description.
const json& Parameters(const json& operation) {
  static const json kNone = json::array();
  auto found = operation.find("parameters");
  return found != operation.end() && found->is_array() ? *found : kNone;
}

std::string Join(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

}  // namespace

ArgoSwagger::ArgoSwagger(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) FAIL("cannot read '" << path << "'");
  std::stringstream text;
  text << in.rdbuf();
  doc_ = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (doc_.is_discarded() || !doc_.is_object() || doc_.value("swagger", "") != "2.0" ||
      !doc_.contains("paths") || !doc_.contains("definitions")) {
    FAIL("'" << path << "' is not a swagger 2.0 document with paths and definitions");
  }
  overrides_["v1alpha1SyncStrategyHook"] = {{"type", "object"},
                                            {"properties", {{"force", {{"type", "boolean"}}}}}};
}

const ArgoSwagger& ArgoSwagger::Shared() {
  static const ArgoSwagger shared(std::string(CAPSTAN_SHARED_DIR) + "/data/argocd/swagger.json");
  return shared;
}

std::optional<SwaggerOperation> ArgoSwagger::Match(std::string_view method, std::string_view path,
                                                   std::string* problem) const {
  const std::string want = AsciiLower(method);
  const std::vector<std::string_view> segments = Segments(path);
  const json* best = nullptr;
  std::string best_template;
  int best_literals = -1;
  std::string other_template;  // a matching template without the method, for the message
  std::vector<std::string> other_methods;
  for (const auto& [templ, ops] : doc_["paths"].items()) {
    const std::vector<std::string_view> parts = Segments(templ);
    if (parts.size() != segments.size()) continue;
    int literals = 0;
    bool ok = true;
    for (size_t i = 0; i < parts.size() && ok; ++i) {
      if (IsParam(parts[i])) {
        ok = !segments[i].empty();
      } else {
        ok = parts[i] == segments[i];
        literals += ok;
      }
    }
    if (!ok) continue;
    if (!ops.contains(want)) {
      if (other_template.empty()) {
        other_template = templ;
        for (const auto& [m, op] : ops.items()) other_methods.push_back(AsciiLower(m));
      }
      continue;
    }
    if (literals > best_literals) {
      best_literals = literals;
      best = &ops[want];
      best_template = templ;
    }
  }
  if (best == nullptr) {
    if (other_template.empty()) {
      *problem = "no path template matches " + QuoteForMessage(path, kQuotePathLimit);
    } else {
      for (std::string& m : other_methods) m = AsciiUpper(m);
      *problem = "method " + AsciiUpper(method) + " is not declared for " + other_template +
                 " (declared: " + capstan::Join(other_methods, ", ") + ")";
    }
    return std::nullopt;
  }
  SwaggerOperation op;
  op.method = want;
  op.path_template = best_template;
  op.operation_id = best->value("operationId", "");
  op.spec = best;
  const std::vector<std::string_view> parts = Segments(best_template);
  for (size_t i = 0; i < parts.size(); ++i) {
    if (IsParam(parts[i])) {
      op.path_params[std::string(parts[i].substr(1, parts[i].size() - 2))] =
          std::string(segments[i]);
    }
  }
  return op;
}

std::vector<std::string> ArgoSwagger::CheckQuery(
    const SwaggerOperation& op, const std::multimap<std::string, std::string>& query) const {
  std::map<std::string, const json*> declared;
  for (const json& p : Parameters(*op.spec)) {
    if (p.value("in", "") == "query") declared[p.value("name", "")] = &p;
  }
  static const json kFields = {{"name", "fields"}, {"in", "query"}, {"type", "string"}};
  if (ReadsFields(op.operation_id)) declared.emplace("fields", &kFields);

  std::vector<std::string> problems;
  const std::string where = op.operation_id;
  for (auto it = query.begin(); it != query.end(); it = query.upper_bound(it->first)) {
    const std::string& name = it->first;
    auto found = declared.find(name);
    if (found == declared.end()) {
      std::vector<std::string> names;
      for (const auto& [n, p] : declared) names.push_back(n);
      problems.push_back("query parameter " + QuoteForMessage(name) + " is not declared for " +
                         where + " (declared: " + capstan::Join(names, ", ") + ")");
      continue;
    }
    const json& param = *found->second;
    const bool array = param.value("type", "") == "array";
    if (!array && query.count(name) > 1) {
      problems.push_back("query parameter " + QuoteForMessage(name) +
                         " is repeated but is not an array in " + where);
    }
    const json& item = array ? param.value("items", json::object()) : param;
    const std::string type = item.value("type", "string");
    auto [first, last] = query.equal_range(name);
    for (auto v = first; v != last; ++v) {
      const bool integer = type == "integer" || Is64BitFormat(item);
      if (type == "boolean" && !IsGoBool(v->second)) {
        problems.push_back("query parameter " + QuoteForMessage(name) + " must be a boolean, got " +
                           QuoteForMessage(v->second));
      } else if (integer && !IsDecimalInteger(v->second)) {
        problems.push_back("query parameter " + QuoteForMessage(name) +
                           " must be an integer, got " + QuoteForMessage(v->second));
      }
    }
  }
  return problems;
}

std::vector<std::string> ArgoSwagger::CheckBody(const SwaggerOperation& op,
                                                std::string_view body) const {
  const json* schema = nullptr;
  for (const json& p : Parameters(*op.spec)) {
    if (p.value("in", "") == "body" && p.contains("schema")) schema = &p["schema"];
  }
  if (schema == nullptr) {
    if (body.empty()) return {};
    return {"body sent to " + op.operation_id + ", which declares none (the server ignores it)"};
  }
  if (body.empty()) return {};
  const json value = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return {"body is not JSON"};
  std::vector<std::string> problems;
  CheckSchema(value, *schema, "", "body", 0, problems);
  return problems;
}

std::vector<std::string> ArgoSwagger::CheckValue(const nlohmann::json& value,
                                                 std::string_view definition,
                                                 std::string_view where) const {
  std::vector<std::string> problems;
  CheckSchema(value, json{{"$ref", "#/definitions/" + std::string(definition)}}, "", where, 0,
              problems);
  return problems;
}

const nlohmann::json& ArgoSwagger::Definition(std::string_view name) const {
  const std::string key(name);
  if (auto o = overrides_.find(key); o != overrides_.end()) return *o;
  const json& defs = doc_["definitions"];
  auto found = defs.find(key);
  if (found == defs.end()) FAIL("swagger.json has no definition " << key);
  return *found;
}

void ArgoSwagger::CheckSchema(const json& value, const json& schema, const std::string& path,
                              std::string_view where, int depth,
                              std::vector<std::string>& problems) const {
  if (value.is_null() || depth > kMaxDepth) return;
  const std::string field = std::string(where) + (path.empty() ? "" : " field '" + path + "'");
  if (auto ref = schema.find("$ref"); ref != schema.end()) {
    const std::string name = RefName(*ref);
    const json& target = Definition(name);
    if (target.value("type", "object") == "object" &&
        (target.contains("properties") || target.contains("allOf"))) {
      CheckObject(value, target, name, path, where, depth, problems);
    } else {
      CheckSchema(value, target, path, where, depth + 1, problems);
    }
    return;
  }
  const std::string type = schema.value("type", schema.contains("properties") ? "object" : "");
  if (Is64BitFormat(schema)) {
    if (!value.is_number_integer()) {
      problems.push_back(field + " must be a JSON integer (int64; Argo CD decodes bodies with " +
                         "Go's encoding/json), got " + TypeName(value));
    }
  } else if (type == "object") {
    if (schema.contains("properties") || schema.contains("allOf")) {
      CheckObject(value, schema, schema.value("title", "an inline object"), path, where, depth,
                  problems);
    } else if (!value.is_object()) {
      problems.push_back(field + " must be an object, got " + TypeName(value));
    } else if (auto extra = schema.find("additionalProperties"); extra != schema.end()) {
      for (const auto& [k, v] : value.items()) {
        CheckSchema(v, *extra, Join(path, k), where, depth + 1, problems);
      }
    }
  } else if (type == "array") {
    if (!value.is_array()) {
      problems.push_back(field + " must be an array, got " + TypeName(value));
      return;
    }
    const json items = schema.value("items", json::object());
    for (size_t i = 0; i < value.size(); ++i) {
      CheckSchema(value[i], items, path + "[" + std::to_string(i) + "]", where, depth + 1,
                  problems);
    }
  } else if (type == "string") {
    if (!value.is_string()) problems.push_back(field + " must be a string, got " + TypeName(value));
  } else if (type == "boolean") {
    if (!value.is_boolean()) {
      problems.push_back(field + " must be a boolean, got " + TypeName(value));
    }
  } else if (type == "integer") {
    if (!value.is_number_integer()) {
      problems.push_back(field + " must be a JSON integer, got " + TypeName(value));
    }
  } else if (type == "number") {
    if (!value.is_number()) problems.push_back(field + " must be a number, got " + TypeName(value));
  }
}

void ArgoSwagger::CheckObject(const json& value, const json& schema, const std::string& definition,
                              const std::string& path, std::string_view where, int depth,
                              std::vector<std::string>& problems) const {
  if (!value.is_object()) {
    const std::string field = std::string(where) + (path.empty() ? "" : " field '" + path + "'");
    problems.push_back(field + " must be an object (" + definition + "), got " + TypeName(value));
    return;
  }
  std::map<std::string, const json*> properties;
  auto add = [&properties](const json& declaring) {
    auto found = declaring.find("properties");
    if (found == declaring.end() || !found->is_object()) return;
    for (auto it = found->begin(); it != found->end(); ++it) properties.emplace(it.key(), &*it);
  };
  add(schema);
  if (auto all_of = schema.find("allOf"); all_of != schema.end() && all_of->is_array()) {
    for (const json& part : *all_of) {
      add(part.contains("$ref") ? Definition(RefName(part["$ref"])) : part);
    }
  }
  for (const auto& [k, v] : value.items()) {
    auto found = properties.find(k);
    if (found == properties.end()) {
      problems.push_back(std::string(where) + " field '" + Join(path, k) + "' is not declared in " +
                         definition);
      continue;
    }
    CheckSchema(v, *found->second, Join(path, k), where, depth + 1, problems);
  }
}

}  // namespace capstan::testing
