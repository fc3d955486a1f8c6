
#include "support/json_schema.h"

#include <exception>
#include <fstream>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

namespace capstan::testing {
namespace {

valijson::SchemaParser::Version DraftOf(const nlohmann::json& schema) {
  std::string uri;
  if (schema.is_object() && schema.contains("$schema") && schema["$schema"].is_string()) {
    uri = schema["$schema"].get<std::string>();
  }
  if (uri.find("draft-03") != std::string::npos) return valijson::SchemaParser::kDraft3;
  if (uri.find("draft-04") != std::string::npos) return valijson::SchemaParser::kDraft4;
  return valijson::SchemaParser::kDraft7;
}

}  // namespace

std::vector<std::string> ValidateAgainstLoadedSchema(const nlohmann::json& document,
                                                     const nlohmann::json& schema) {
  valijson::Schema compiled;
  try {
    valijson::SchemaParser parser(DraftOf(schema));
    parser.populateSchema(valijson::adapters::NlohmannJsonAdapter(schema), compiled);
  } catch (const std::exception& e) {
    return {std::string("cannot compile schema: ") + e.what()};
  }

  valijson::Validator validator;
  valijson::ValidationResults results;
  try {
    validator.validate(compiled, valijson::adapters::NlohmannJsonAdapter(document), &results);
  } catch (const std::exception& e) {
    return {std::string("cannot validate: ") + e.what()};
  }

  std::vector<std::string> errors;
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    std::string context;
    for (const std::string& part : error.context) context += part;
    errors.push_back(context + ": " + error.description);
  }
  return errors;
}

std::vector<std::string> ValidateAgainstSchema(const nlohmann::json& document,
                                               const std::string& schema_path) {
  std::ifstream in(schema_path);
  if (!in) return {"cannot read schema '" + schema_path + "'"};
  nlohmann::json schema = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (schema.is_discarded()) return {"cannot parse schema '" + schema_path + "': not JSON"};
  return ValidateAgainstLoadedSchema(document, schema);
}

}  // namespace capstan::testing
