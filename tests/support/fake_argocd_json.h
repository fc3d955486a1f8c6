// Internal to the fake Argo CD (fake_argocd_apps.cc, fake_argocd_controller.cc): small readers
// and writers of Application JSON shared by the two files.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/rfc3339.h"
#include "support/argocd_wire.h"
#include "support/fake_argocd_apps.h"

namespace capstan::testing::fake_argocd_json {

inline std::string Stamp(FakeTime t) { return FormatRfc3339(t); }

inline ApiOutcome Error(int grpc_code, const std::string& message) {
  return {HttpStatusForGrpcCode(grpc_code),
          nlohmann::json::parse(GatewayErrorBody(grpc_code, message))};
}

// spec.sources is a non-empty array.
inline bool IsMultiSource(const nlohmann::json& doc) {
  if (!doc.contains("spec")) return false;
  const nlohmann::json& spec = doc["spec"];
  return spec.contains("sources") && spec["sources"].is_array() && !spec["sources"].empty();
}

// spec.source, or spec.sources[0] for a multi-source app ({} when neither).
inline nlohmann::json FirstSource(const nlohmann::json& doc) {
  if (IsMultiSource(doc)) return doc["spec"]["sources"][0];
  return doc.contains("spec") ? doc["spec"].value("source", nlohmann::json::object())
                              : nlohmann::json::object();
}

// spec.syncPolicy.automated is an object without enabled: false.
inline bool IsAutomated(const nlohmann::json& doc) {
  const nlohmann::json::json_pointer p("/spec/syncPolicy/automated");
  if (!doc.contains(p) || !doc[p].is_object()) return false;
  return !(doc[p].contains("enabled") && doc[p]["enabled"] == false);
}

// The string at object[key], or fallback when absent or not a string.
inline std::string StringOr(const nlohmann::json& object, const char* key,
                            const std::string& fallback = "") {
  if (!object.is_object() || !object.contains(key) || !object[key].is_string()) return fallback;
  return object[key].get<std::string>();
}

// metadata.labels (values that are not strings read as "").
inline std::map<std::string, std::string> Labels(const nlohmann::json& doc) {
  std::map<std::string, std::string> out;
  const nlohmann::json::json_pointer p("/metadata/labels");
  if (!doc.contains(p) || !doc[p].is_object()) return out;
  for (const auto& [k, v] : doc[p].items()) out[k] = v.is_string() ? v.get<std::string>() : "";
  return out;
}

// `revisions` (multi-source) or `revision` (the first entry) of a sync status, operation or
// result.
inline void SetRevisions(nlohmann::json& target, const std::vector<std::string>& revisions,
                         bool multi) {
  if (multi) {
    target["revisions"] = revisions;
  } else {
    target["revision"] = revisions.empty() ? "" : revisions[0];
  }
}

}  // namespace capstan::testing::fake_argocd_json
