#include "k8s/strict.h"

namespace capstan::k8s {

void MakeStrict(nlohmann::json& schema) {
  if (!schema.is_object()) return;
  for (const char* key : {"properties", "definitions"}) {
    auto it = schema.find(key);
    if (it == schema.end() || !it->is_object()) continue;
    for (auto& entry : it->items()) MakeStrict(entry.value());
  }
  for (const char* key : {"additionalProperties", "not", "items"}) {
    auto it = schema.find(key);
    if (it != schema.end()) MakeStrict(*it);
  }
  for (const char* key : {"allOf", "anyOf", "oneOf", "items"}) {
    auto it = schema.find(key);
    if (it == schema.end() || !it->is_array()) continue;
    for (auto& child : *it) MakeStrict(child);
  }
  if (schema.contains("properties") && !schema.contains("additionalProperties"))
    schema["additionalProperties"] = false;
}

}  // namespace capstan::k8s
