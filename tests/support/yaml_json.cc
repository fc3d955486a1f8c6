#include "support/yaml_json.h"

#include <catch2/catch.hpp>

#include "support/json_schema.h"
#include "yaml/parser.h"
#include "yaml/to_json.h"

namespace capstan::testing {

nlohmann::json YamlToJson(const std::string& text) {
  yaml::ParsedFile f = yaml::Parse(text);
  REQUIRE(f.issues.empty());
  REQUIRE(f.documents.size() == 1);
  yaml::ConvertError err;
  auto j = yaml::ToJson(f.documents[0], yaml::kNoNode, yaml::Limits{}, &err);
  REQUIRE(j.has_value());
  return *j;
}

bool SchemaAccepts(const nlohmann::json& schema, const nlohmann::json& doc) {
  auto errors = ValidateAgainstLoadedSchema(doc, schema);
  for (const auto& e : errors) UNSCOPED_INFO(e);
  return errors.empty();
}

}  // namespace capstan::testing
