// JSON Schema validation for tests, over valijson. Use these rather than valijson directly:
// json_schema.cc builds valijson with VALIJSON_USE_EXCEPTIONS so that a broken schema fails the
// test instead of aborting the whole test binary.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace capstan::testing {

// Validates document against schema. The draft is taken from the schema's "$schema" (draft-03,
// draft-04 or draft-07; draft-07 when absent). Only local "$ref"s are followed; "format" is not
// checked except for date-time. Returns one line per violation, e.g.
//   <root>[runs][0][results][0][level]: Failed to match against any enum values.
// and an empty vector when the document is valid. A schema that valijson cannot compile gives a
// single line saying why.
std::vector<std::string> ValidateAgainstLoadedSchema(const nlohmann::json& document,
                                                     const nlohmann::json& schema);

// ValidateAgainstLoadedSchema with the schema read from the JSON file at schema_path; a file that
// cannot be read or parsed gives a single line saying so.
std::vector<std::string> ValidateAgainstSchema(const nlohmann::json& document,
                                               const std::string& schema_path);

}  // namespace capstan::testing
