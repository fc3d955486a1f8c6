// Reads a JSON Schema document by instance path: which subschemas apply at /spec/replicas, what
// types and enum values they allow, which property names they declare. Used to turn validator
// errors into messages a user can act on. Follows local $refs and allOf/anyOf/oneOf.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace capstan::k8s {

std::string JsonTypeName(const nlohmann::json& value);  // "string", "integer", "object", ...

class SchemaView {
 public:
  // The subschemas that apply to the value at path.
  static SchemaView At(const nlohmann::json& root, const std::vector<std::string>& path);
  // node itself plus everything reachable through $ref and allOf/anyOf/oneOf (bounded).
  static std::vector<const nlohmann::json*> Expand(const nlohmann::json& root,
                                                   const nlohmann::json& node);

  bool AllowsAnyProperty() const;
  bool HasProperty(const std::string& name) const;
  // A declared property close to name (a likely typo), or "".
  std::string Closest(const std::string& name) const;
  // "integer", "integer or string", "" when the schema names no type.
  std::string ExpectedTypes() const;
  // "Always, IfNotPresent, Never" (at most `limit` values, then ", ...").
  std::string EnumValues(std::size_t limit) const;

 private:
  std::vector<const nlohmann::json*> nodes_;
};

}  // namespace capstan::k8s
