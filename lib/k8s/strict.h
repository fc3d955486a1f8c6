// The --strict transform: unknown fields become errors (kubeconform -strict).
#pragma once

#include <nlohmann/json.hpp>

namespace capstan::k8s {

// Adds `"additionalProperties": false` to every subschema of `schema` (the root, definitions,
// properties, additionalProperties, items, anyOf/oneOf/allOf/not) that has `properties` and no
// additionalProperties keyword. Objects the schema leaves open on purpose (preserve-unknown-fields,
// maps, free-form objects) already say `"additionalProperties": true` and stay open. Only schema
// keywords are walked, so a field that happens to be named "properties" is left alone.
void MakeStrict(nlohmann::json& schema);

}  // namespace capstan::k8s
