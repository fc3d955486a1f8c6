// Small conversions tests share: YAML text to JSON (failing the test on any parse issue) and a
// yes/no schema check that logs the validator's errors when it says no.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace capstan::testing {

// REQUIRES (checked): text is one well-formed YAML document.
nlohmann::json YamlToJson(const std::string& text);

// True when doc conforms to schema; otherwise logs each error with UNSCOPED_INFO.
bool SchemaAccepts(const nlohmann::json& schema, const nlohmann::json& doc);

}  // namespace capstan::testing
