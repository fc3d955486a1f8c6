// CheckConfigText: .capstan.yaml against schemas/capstan-config.schema.json. lib/k8s checks
// the JSON form; the messages are rebuilt here in the file's own terms (keys, lists, mappings)
// and placed at the offending YAML node.
#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <tuple>

#include "common/config_file.h"
#include "core/embedded.h"
#include "core/strings.h"
#include "k8s/schema_check.h"
#include "yaml/parser.h"
#include "yaml/path.h"
#include "yaml/to_json.h"

namespace capstan::tools {
namespace {

using Path = std::vector<std::string>;

Status At(std::string_view file, const yaml::Position& pos, const std::string& why) {
  return Status::InvalidArgument(std::string(file) + ":" + std::to_string(pos.line) + ":" +
                                 std::to_string(pos.column) + ": " + why);
}

// The schema as JSON (which the messages read) and compiled, or why it cannot be used (a build
// without it, a broken file).
struct ConfigSchema {
  nlohmann::json doc;
  std::shared_ptr<const k8s::Schema> compiled;
  Status status;
};

const ConfigSchema& Schema() {
  static const ConfigSchema schema = [] {
    ConfigSchema s;
    std::string_view text = embedded::Find(kConfigSchemaName);
    s.doc = nlohmann::json::parse(text, nullptr, false);
    if (text.empty() || s.doc.is_discarded()) {
      s.status = Status::Internal("the embedded " + std::string(kConfigSchemaName) +
                                  " is missing or not JSON");
      return s;
    }
    auto compiled = k8s::CompileSchema(s.doc, "embedded " + std::string(kConfigSchemaName));
    if (compiled.ok()) {
      s.compiled = *compiled;
    } else {
      s.status = compiled.status();
    }
    return s;
  }();
  return schema;
}

// "bump.helm-key[1]", "images[0].strategy": keys joined with dots, list indexes bracketed.
std::string Dotted(const Path& path, const nlohmann::json& instance) {
  std::string out;
  const nlohmann::json* at = &instance;
  for (const std::string& seg : path) {
    if (at != nullptr && at->is_array()) {
      out += "[" + seg + "]";
    } else {
      out += (out.empty() ? "" : ".") + seg;
    }
    at = at == nullptr ? nullptr : k8s::ValueAt(*at, {seg});
  }
  return out;
}

// The schema that governs the value at `path` (properties, additionalProperties, items), or
// nullptr.
const nlohmann::json* SchemaAt(const nlohmann::json& schema, const Path& path,
                               const nlohmann::json& instance) {
  const nlohmann::json* s = &schema;
  const nlohmann::json* at = &instance;
  for (const std::string& seg : path) {
    if (at != nullptr && at->is_array()) {
      auto items = s->find("items");
      s = items != s->end() && items->is_object() ? &*items : nullptr;
    } else {
      auto props = s->find("properties");
      auto extra = s->find("additionalProperties");
      if (props != s->end() && props->contains(seg)) {
        s = &(*props)[seg];
      } else if (extra != s->end() && extra->is_object()) {
        s = &*extra;
      } else {
        s = nullptr;
      }
    }
    if (s == nullptr) return nullptr;
    at = at == nullptr ? nullptr : k8s::ValueAt(*at, {seg});
  }
  return s;
}

std::vector<std::string> TypesOf(const nlohmann::json* schema) {
  std::vector<std::string> out;
  if (schema == nullptr) return out;
  auto type = schema->find("type");
  if (type == schema->end()) return out;
  if (type->is_string()) out.push_back(type->get<std::string>());
  if (type->is_array())
    for (const auto& t : *type)
      if (t.is_string()) out.push_back(t.get<std::string>());
  return out;
}

// "a string or a list of strings", or with `plural` "strings": what the schema lets a value be.
std::string Expected(const nlohmann::json* schema, bool plural) {
  std::vector<std::string> nouns;
  for (const std::string& type : TypesOf(schema)) {
    if (type == "string") nouns.push_back(plural ? "strings" : "a string");
    if (type == "number") nouns.push_back(plural ? "numbers" : "a number");
    if (type == "integer") nouns.push_back(plural ? "whole numbers" : "a whole number");
    if (type == "boolean") nouns.push_back("true or false");
    if (type == "object") nouns.push_back(plural ? "mappings" : "a mapping");
    if (type == "array") {
      auto items = schema->find("items");
      bool strings =
          items != schema->end() && TypesOf(&*items) == std::vector<std::string>{"string"};
      nouns.push_back(plural ? "lists" : strings ? "a list of strings" : "a list");
    }
  }
  if (nouns.empty()) return "something else";
  std::string out = nouns.front();
  for (std::size_t i = 1; i < nouns.size(); ++i)
    out += (i + 1 == nouns.size() ? " or " : ", ") + nouns[i];
  return out;
}

// "error, warning or note".
std::string Alternatives(const nlohmann::json* schema) {
  std::vector<std::string> values;
  if (schema != nullptr && schema->contains("enum"))
    for (const auto& v : (*schema)["enum"])
      values.push_back(v.is_string() ? v.get<std::string>() : v.dump());
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i)
    out += (i == 0 ? "" : i + 1 == values.size() ? " or " : ", ") + values[i];
  return out;
}

struct Problem {
  yaml::Position pos;
  int rank = 0;  // among problems at one position, the lowest is told
  std::string message;
};

Problem Describe(const k8s::Violation& v, const yaml::Document& doc, const nlohmann::json& schema,
                 const nlohmann::json& instance) {
  yaml::Located loc = yaml::Locate(doc, v.path);
  yaml::NodeId node = loc.value;
  if ((v.kind == k8s::ViolationKind::kUnknownField || loc.depth < v.path.size()) &&
      loc.key != yaml::kNoNode)
    node = loc.key;
  Problem p;
  p.pos = node == yaml::kNoNode ? doc.start() : doc.node(node).pos;
  const std::string name = QuoteForMessage(Dotted(v.path, instance));
  const nlohmann::json* governing = SchemaAt(schema, v.path, instance);
  switch (v.kind) {
    case k8s::ViolationKind::kUnknownField: {
      p.message = "unknown key " + name;
      std::size_t hint = v.message.find(" (did you mean ");
      if (hint != std::string::npos) p.message += v.message.substr(hint);
      break;
    }
    case k8s::ViolationKind::kRequired: {
      Path field = v.path;
      field.push_back(v.field);
      p.message = "missing key " + QuoteForMessage(Dotted(field, instance));
      p.rank = 1;
      break;
    }
    case k8s::ViolationKind::kType: {
      if (v.path.empty()) {
        p.message = "expected a mapping of sections";
        break;
      }
      Path parent(v.path.begin(), v.path.end() - 1);
      const nlohmann::json* container = k8s::ValueAt(instance, parent);
      if (container != nullptr && container->is_array()) {
        p.message = QuoteForMessage(Dotted(parent, instance)) + " items must be " +
                    Expected(governing, true);
      } else {
        p.message = name + " must be " + Expected(governing, false);
      }
      break;
    }
    case k8s::ViolationKind::kEnum: {
      const nlohmann::json* value = k8s::ValueAt(instance, v.path);
      std::string given = value == nullptr     ? ""
                          : value->is_string() ? value->get<std::string>()
                                               : value->dump();
      p.message = name + " must be " + Alternatives(governing) + ", not " + QuoteForMessage(given);
      p.rank = 2;
      break;
    }
    default: {
      // "images[0].platforms: why" from lib/k8s, in this file's quoting.
      std::string why = v.message;
      std::string prefix = Dotted(v.path, instance) + ": ";
      if (!v.path.empty() && why.starts_with(prefix)) why = why.substr(prefix.size());
      p.message = v.path.empty() ? why : name + ": " + why;
      p.rank = 3;
      break;
    }
  }
  return p;
}

}  // namespace

Status CheckConfigText(std::string_view file, std::string_view text) {
  yaml::ParsedFile parsed = yaml::Parse(text);
  if (!parsed.issues.empty())
    return At(file, parsed.issues.front().pos, parsed.issues.front().message);
  if (parsed.documents.empty() || parsed.documents[0].root() == yaml::kNoNode) return Status::Ok();
  const yaml::Document& doc = parsed.documents[0];
  yaml::ConvertError error;
  std::optional<nlohmann::json> instance = yaml::ToJson(doc, yaml::kNoNode, yaml::Limits{}, &error);
  if (!instance) return At(file, error.pos, error.message);

  const ConfigSchema& schema = Schema();
  if (!schema.status.ok()) return schema.status;
  std::vector<k8s::Violation> violations = k8s::Check(*schema.compiled, *instance);
  if (violations.empty()) return Status::Ok();
  std::vector<Problem> problems;
  for (const k8s::Violation& v : violations)
    problems.push_back(Describe(v, doc, schema.doc, *instance));
  const Problem& first =
      *std::min_element(problems.begin(), problems.end(), [](const Problem& a, const Problem& b) {
        return std::tie(a.pos.line, a.pos.column, a.rank) <
               std::tie(b.pos.line, b.pos.column, b.rank);
      });
  return At(file, first.pos, first.message);
}

}  // namespace capstan::tools
