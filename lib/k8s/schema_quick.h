// Internal to lib/k8s (schema_check.cc): a conformance check that reads an embedded schema's
// JSON text in place, so that validating a conforming document costs neither parsing the schema
// (tens of kilobytes) nor compiling it for valijson. It answers only "conforms"; on anything else
// the caller compiles the schema and lets valijson say what is wrong, so messages do not depend
// on this check. Not for use outside lib/k8s.
//
// It knows the keywords capstan's embedded schemas use: type, properties, additionalProperties,
// required, items (one schema), enum (of strings and null), minimum, pattern, local
// "#/definitions/NAME" $refs, and $schema and definitions at the root. A schema node with any other
// keyword, or a $ref beside other keywords, is answered kUnknown. Every answer kConforms is one
// valijson and the pattern check would give (tested on the corpus and on mutated documents).
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "yaml/document.h"

namespace re2 {
class RE2;
}

namespace capstan::k8s::internal {

enum class QuickVerdict { kConforms, kFails, kUnknown };

class QuickSchema {
 public:
  // REQUIRES: text outlives this object. `strict` checks as MakeStrict's form of the schema
  // would (an object schema with properties and no additionalProperties allows no other key).
  // Text that is not a JSON object (or whose definitions cannot be read) makes every answer
  // kUnknown.
  QuickSchema(std::string_view text, bool strict);
  ~QuickSchema();

  // Whether instance conforms to the schema. Safe from many threads at once.
  QuickVerdict Check(const nlohmann::json& instance) const;
  // The same for a YAML node as yaml::ToJson would convert it (with its root mapping's `sops`
  // mapping left out when skip_sops), without converting it: what the conversion could refuse or
  // reshape (aliases, merge keys) is kUnknown.
  QuickVerdict Check(const yaml::Document& doc, yaml::NodeId node, bool skip_sops) const;

 private:
  struct Node;
  template <class Value>  // schema_quick.cc's JsonValue or YamlValue
  QuickVerdict At(std::size_t schema, const Value& value, int depth) const;
  // The node whose text starts at offset `schema`, read on its first visit.
  const Node& NodeAt(std::size_t schema) const;
  std::unique_ptr<Node> Read(std::size_t schema) const;

  std::string_view text_;
  bool strict_;
  bool usable_ = false;
  std::size_t root_ = 0;
  std::map<std::string, std::size_t, std::less<>> definitions_;  // name -> offset of its schema
  mutable std::shared_mutex nodes_mu_;
  mutable std::unordered_map<std::size_t, std::unique_ptr<Node>> nodes_;
};

}  // namespace capstan::k8s::internal
