#include "k8s/schema_check.h"

#include <re2/re2.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <mutex>
#include <set>
#include <string_view>
#include <utility>
// GCC 12 at -O3 reports a false -Wrestrict inside valijson's json_pointer.hpp once inlined here.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wrestrict"
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>
#pragma GCC diagnostic pop

#include "k8s/schema_paths.h"
#include "k8s/schema_quick.h"
#include "k8s/strict.h"

namespace capstan::k8s {

class Schema {
 public:
  std::string source;
  // An embedded schema: its text, read in place by `quick` and compiled on the first Check that
  // needs more than "conforms".
  std::string_view text;
  bool strict = false;
  std::unique_ptr<internal::QuickSchema> quick;
  std::once_flag compile_once;
  Status compile_status;
  // The compiled form, immutable once compiled.
  nlohmann::json doc;
  valijson::Schema compiled;
  std::map<std::string, std::unique_ptr<RE2>> patterns;
};

namespace {

constexpr const char* kPatternKey = "x-capstan-pattern";

// How HidePatterns treats a member of a schema object: its value is a schema, an object or an
// array of schemas, or no schema at all.
enum class Holds { kNothing, kSchema, kSchemaMap, kSchemaList };

Holds HoldsOf(const std::string& key) {
  static constexpr std::pair<std::string_view, Holds> kKeys[] = {
      {"properties", Holds::kSchemaMap},
      {"patternProperties", Holds::kSchemaMap},
      {"definitions", Holds::kSchemaMap},
      {"$defs", Holds::kSchemaMap},
      {"dependencies", Holds::kSchemaMap},
      {"additionalProperties", Holds::kSchema},
      {"items", Holds::kSchema},
      {"not", Holds::kSchema},
      {"additionalItems", Holds::kSchema},
      {"if", Holds::kSchema},
      {"then", Holds::kSchema},
      {"else", Holds::kSchema},
      {"contains", Holds::kSchema},
      {"propertyNames", Holds::kSchema},
      {"allOf", Holds::kSchemaList},
      {"anyOf", Holds::kSchemaList},
      {"oneOf", Holds::kSchemaList},
  };
  for (const auto& [name, holds] : kKeys)
    if (key == name) return holds;
  return Holds::kNothing;
}

// Moves every `pattern` keyword out of valijson's sight (see the header) and precompiles it.
// Only schema positions are visited, so a property that happens to be named "pattern" is safe.
// One pass over each object's members: a schema has thousands of them and few patterns.
void HidePatterns(nlohmann::json& node, Schema& out, int depth) {
  if (!node.is_object() || depth > 512) return;
  bool has_pattern = false;
  for (auto& [key, value] : node.items()) {
    if (key == "pattern") {
      has_pattern = has_pattern || value.is_string();
      continue;
    }
    switch (HoldsOf(key)) {
      case Holds::kNothing:
        break;
      case Holds::kSchemaMap:
        if (value.is_object())
          for (auto& [k, v] : value.items()) HidePatterns(v, out, depth + 1);
        break;
      case Holds::kSchema:
        if (value.is_object()) HidePatterns(value, out, depth + 1);
        if (value.is_array())
          for (auto& v : value) HidePatterns(v, out, depth + 1);
        break;
      case Holds::kSchemaList:
        if (value.is_array())
          for (auto& v : value) HidePatterns(v, out, depth + 1);
        break;
    }
  }
  if (!has_pattern) return;
  auto it = node.find("pattern");
  std::string p = it->get<std::string>();
  node.erase(it);
  node[kPatternKey] = p;
  if (!out.patterns.count(p)) {
    RE2::Options opts;
    opts.set_log_errors(false);
    auto re = std::make_unique<RE2>(p, opts);
    if (re->ok()) out.patterns.emplace(p, std::move(re));
  }
}

valijson::SchemaParser::Version DraftOf(const nlohmann::json& doc) {
  auto it = doc.find("$schema");
  if (it != doc.end() && it->is_string()) {
    const std::string& s = it->get_ref<const std::string&>();
    if (s.find("draft-03") != std::string::npos) return valijson::SchemaParser::kDraft3;
    if (s.find("draft-04") != std::string::npos) return valijson::SchemaParser::kDraft4;
  }
  return valijson::SchemaParser::kDraft7;
}

std::vector<std::string> ParseContext(const std::vector<std::string>& context) {
  std::vector<std::string> path;
  for (const auto& c : context) {
    if (c == "<root>") continue;
    if (c.size() >= 2 && c.front() == '[' && c.back() == ']') {
      path.push_back(c.substr(1, c.size() - 2));
    } else {
      path.push_back(c);
    }
  }
  return path;
}

// valijson reports every enclosing constraint as well as the real problem; those wrappers add
// nothing a user can act on.
bool IsWrapper(const std::string& d) {
  return d.starts_with("Failed to validate against") || d.starts_with("Failed to validate item") ||
         d.starts_with("Cannot validate item");
}

// valijson prints bounds with std::to_string ("1.000000"); users wrote "1".
std::string Tidy(std::string d) {
  if (!d.empty() && d.back() == '.') d.pop_back();
  for (std::size_t at = d.find(".000000"); at != std::string::npos; at = d.find(".000000", at))
    d.erase(at, 7);
  if (!d.empty() && d[0] >= 'A' && d[0] <= 'Z') d[0] = static_cast<char>(d[0] - 'A' + 'a');
  return d;
}

std::string Quoted(const std::string& description, std::string_view after) {
  auto start = description.find(after);
  if (start == std::string::npos) return {};
  start = description.find('\'', start + after.size());
  auto end = description.rfind('\'');
  if (start == std::string::npos || end == std::string::npos || end <= start) return {};
  return description.substr(start + 1, end - start - 1);
}

// "spec.template.spec.containers[0].name"; keys that are not identifiers are bracketed:
// metadata.labels["app.kubernetes.io/name"].
std::string Dotted(const std::vector<std::string>& path, const nlohmann::json& instance) {
  std::string out;
  const nlohmann::json* cur = &instance;
  for (const auto& seg : path) {
    bool index = cur != nullptr && cur->is_array();
    bool plain = !seg.empty() && seg.find_first_of("./[]\"' ") == std::string::npos;
    if (index) {
      out += "[" + seg + "]";
    } else if (plain) {
      if (!out.empty()) out += ".";
      out += seg;
    } else {
      out += "[\"" + seg + "\"]";
    }
    if (cur != nullptr) {
      if (cur->is_object() && cur->contains(seg)) {
        cur = &(*cur)[seg];
      } else if (cur->is_array()) {
        std::size_t i = static_cast<std::size_t>(std::strtoul(seg.c_str(), nullptr, 10));
        cur = i < cur->size() ? &(*cur)[i] : nullptr;
      } else {
        cur = nullptr;
      }
    }
  }
  return out;
}

class Reporter {
 public:
  Reporter(const Schema& schema, const nlohmann::json& instance)
      : schema_(schema), instance_(instance) {}

  void Add(const std::vector<std::string>& path, const std::string& description) {
    if (description.starts_with("Object contains a property that could not be validated")) {
      UnknownFields(path, Quoted(description, "constraints:"));
    } else if (description.starts_with("Missing required property")) {
      std::vector<std::string> field = path;
      field.push_back(Quoted(description, "property"));
      Push(path, "missing required field '" + Dotted(field, instance_) + "'", true,
           ViolationKind::kRequired, field.back());
    } else if (description.starts_with("Value type not permitted")) {
      Push(path, Prefixed(path, TypeMessage(path)), false, ViolationKind::kType);
    } else if (description.starts_with("Failed to match against any enum values")) {
      Push(path, Prefixed(path, EnumMessage(path)), false, ViolationKind::kEnum);
    } else {
      Push(path, Prefixed(path, Tidy(description)), false);
    }
  }

  std::string Prefixed(const std::vector<std::string>& path, const std::string& message) const {
    if (path.empty()) return message;
    return Dotted(path, instance_) + ": " + message;
  }

  void Push(const std::vector<std::string>& path, std::string message, bool at_key,
            ViolationKind kind = ViolationKind::kOther, std::string field = "") {
    if (seen_.insert({path, message}).second)
      out_.push_back({path, std::move(message), at_key, kind, std::move(field)});
  }

  std::vector<Violation> Take() { return std::move(out_); }

 private:
  void UnknownFields(const std::vector<std::string>& path, const std::string& first) {
    const nlohmann::json* obj = ValueAt(instance_, path);
    SchemaView view = SchemaView::At(schema_.doc, path);
    std::vector<std::string> unknown;
    if (obj != nullptr && obj->is_object() && !view.AllowsAnyProperty()) {
      for (const auto& [k, v] : obj->items())
        if (!view.HasProperty(k)) unknown.push_back(k);
    }
    if (unknown.empty() && !first.empty()) unknown.push_back(first);
    for (const auto& k : unknown) {
      std::vector<std::string> p = path;
      p.push_back(k);
      std::string m = "unknown field '" + Dotted(p, instance_) + "'";
      std::string hint = view.Closest(k);
      if (!hint.empty()) m += " (did you mean '" + hint + "'?)";
      Push(p, m, true, ViolationKind::kUnknownField);
    }
  }

  std::string TypeMessage(const std::vector<std::string>& path) const {
    const nlohmann::json* v = ValueAt(instance_, path);
    std::string got = v == nullptr ? "nothing" : JsonTypeName(*v);
    std::string want = SchemaView::At(schema_.doc, path).ExpectedTypes();
    if (want.empty()) return "value of type " + got + " is not allowed here";
    return "expected " + want + ", got " + got;
  }

  std::string EnumMessage(const std::vector<std::string>& path) const {
    std::string values = SchemaView::At(schema_.doc, path).EnumValues(10);
    if (values.empty()) return "value is not one of the allowed values";
    return "value is not one of: " + values;
  }

  const Schema& schema_;
  const nlohmann::json& instance_;
  std::vector<Violation> out_;
  std::set<std::pair<std::vector<std::string>, std::string>> seen_;
};

void CheckPatterns(const Schema& schema, const nlohmann::json& node, const nlohmann::json& value,
                   std::vector<std::string>& path, Reporter& reporter, int depth) {
  if (depth > 128) return;
  for (const nlohmann::json* s : SchemaView::Expand(schema.doc, node)) {
    if (auto it = s->find(kPatternKey); it != s->end() && value.is_string()) {
      auto re = schema.patterns.find(it->get<std::string>());
      if (re != schema.patterns.end() &&
          !RE2::PartialMatch(value.get_ref<const std::string&>(), *re->second)) {
        reporter.Push(
            path, reporter.Prefixed(path, "value does not match the pattern '" + re->first + "'"),
            false, ViolationKind::kPattern);
      }
    }
    if (value.is_object()) {
      auto props = s->find("properties");
      auto extra = s->find("additionalProperties");
      for (const auto& [k, v] : value.items()) {
        const nlohmann::json* sub = nullptr;
        if (props != s->end() && props->is_object() && props->contains(k)) {
          sub = &(*props)[k];
        } else if (extra != s->end() && extra->is_object()) {
          sub = &*extra;
        }
        if (sub == nullptr) continue;
        path.push_back(k);
        CheckPatterns(schema, *sub, v, path, reporter, depth + 1);
        path.pop_back();
      }
    } else if (value.is_array()) {
      auto items = s->find("items");
      if (items == s->end() || !items->is_object()) continue;
      for (std::size_t i = 0; i < value.size(); ++i) {
        path.push_back(std::to_string(i));
        CheckPatterns(schema, *items, value[i], path, reporter, depth + 1);
        path.pop_back();
      }
    }
  }
}

Status Compile(Schema& schema, nlohmann::json doc) {
  if (!doc.is_object()) {
    return Status::InvalidArgument("schema " + schema.source + " is not a JSON object");
  }
  HidePatterns(doc, schema, 0);
  schema.doc = std::move(doc);
  try {
    valijson::SchemaParser parser(DraftOf(schema.doc));
    valijson::adapters::NlohmannJsonAdapter adapter(schema.doc);
    parser.populateSchema(adapter, schema.compiled);
  } catch (const std::exception& e) {
    return Status::InvalidArgument("schema " + schema.source + " cannot be used: " + e.what());
  }
  return Status::Ok();
}

}  // namespace

Result<std::shared_ptr<const Schema>> CompileSchema(nlohmann::json doc, std::string source) {
  auto schema = std::make_shared<Schema>();
  schema->source = std::move(source);
  Status status;
  std::call_once(schema->compile_once, [&] { status = Compile(*schema, std::move(doc)); });
  if (!status.ok()) return status;
  return std::shared_ptr<const Schema>(std::move(schema));
}

std::shared_ptr<const Schema> EmbeddedSchema(std::string_view text, std::string source,
                                             bool strict) {
  auto schema = std::make_shared<Schema>();
  schema->source = std::move(source);
  schema->text = text;
  schema->strict = strict;
  schema->quick = std::make_unique<internal::QuickSchema>(text, strict);
  return schema;
}

bool ConformsInPlace(const Schema& schema, const yaml::Document& doc, yaml::NodeId node,
                     bool without_sops) {
  return schema.quick != nullptr &&
         schema.quick->Check(doc, node, without_sops) == internal::QuickVerdict::kConforms;
}

std::vector<Violation> Check(const Schema& schema, const nlohmann::json& instance) {
  if (schema.quick != nullptr) {
    if (schema.quick->Check(instance) == internal::QuickVerdict::kConforms) return {};
    // Every Schema is made non-const (make_shared); its compiled form is written once, here.
    auto& lazy = const_cast<Schema&>(schema);
    std::call_once(lazy.compile_once, [&] {
      nlohmann::json doc = nlohmann::json::parse(lazy.text, nullptr, false);
      if (lazy.strict) MakeStrict(doc);
      lazy.compile_status = Compile(lazy, std::move(doc));
    });
    if (!schema.compile_status.ok()) {
      return {{{}, schema.compile_status.message(), false, ViolationKind::kOther, ""}};
    }
  }
  valijson::adapters::NlohmannJsonAdapter target(instance);
  Reporter reporter(schema, instance);
  valijson::Validator fast;
  if (!fast.validate(schema.compiled, target, nullptr)) {
    valijson::Validator validator;
    valijson::ValidationResults results;
    validator.validate(schema.compiled, target, &results);
    std::vector<std::pair<std::vector<std::string>, std::string>> errors;
    valijson::ValidationResults::Error e;
    while (results.popError(e)) errors.emplace_back(ParseContext(e.context), e.description);
    bool any_real = std::any_of(errors.begin(), errors.end(),
                                [](const auto& x) { return !IsWrapper(x.second); });
    for (const auto& [path, description] : errors)
      if (!any_real || !IsWrapper(description)) reporter.Add(path, description);
  }
  if (!schema.patterns.empty()) {
    std::vector<std::string> path;
    CheckPatterns(schema, schema.doc, instance, path, reporter, 0);
  }
  return reporter.Take();
}

const std::string& SchemaSource(const Schema& schema) { return schema.source; }

const nlohmann::json* ValueAt(const nlohmann::json& instance,
                              const std::vector<std::string>& path) {
  const nlohmann::json* at = &instance;
  for (const std::string& part : path) {
    if (at->is_object()) {
      auto it = at->find(part);
      if (it == at->end()) return nullptr;
      at = &*it;
    } else if (at->is_array()) {
      std::size_t index = 0;
      for (char c : part) {
        if (c < '0' || c > '9') return nullptr;
        index = index * 10 + static_cast<std::size_t>(c - '0');
      }
      if (part.empty() || index >= at->size()) return nullptr;
      at = &(*at)[index];
    } else {
      return nullptr;
    }
  }
  return at;
}

}  // namespace capstan::k8s
