// Converts the Kubernetes OpenAPI v2 spec (and, through ConvertSchema, CRD schemas) into the
// self-contained JSON Schemas capstan validates manifests against.
//
// Conventions of every schema produced here (the validator and MakeStrict rely on them):
// - The root names its draft: `"$schema": kDraft04`.
// - draft-04 keywords valijson implements, nothing else: type, properties, additionalProperties,
//   items, required, enum, anyOf/oneOf/allOf/not, minimum/maximum/exclusive*, minLength/maxLength,
//   pattern (only when std::regex compiles it), minItems/maxItems/uniqueItems,
//   minProperties/maxProperties, $ref and definitions. Descriptions, formats, defaults, examples
//   and every x-* extension are dropped once used.
// - Self-contained: only local references `#/definitions/<name>`, and `definitions` holds exactly
//   the definitions reachable from the root.
// - Every typed value also accepts null (Go's JSON decoding does), except the document root,
//   which is a plain object.
// - int-or-string accepts integer or string; resource.Quantity accepts number or string.
// - x-kubernetes-preserve-unknown-fields, and objects with neither properties nor
//   additionalProperties, get an explicit `"additionalProperties": true`.
// - Objects with a fixed set of properties carry no additionalProperties keyword (unknown fields
//   are accepted); MakeStrict (k8s/strict.h) closes them. Subschemas under anyOf/oneOf/allOf/not
//   that list properties carry `"additionalProperties": true`, so closing them never rejects the
//   fields their parent declares.
// - Keys are sorted (nlohmann::json's default object), so dump() is deterministic.
#pragma once

#include <compare>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"

namespace capstan::k8s {

// The `$schema` every produced root carries (valijson picks its draft from it).
inline constexpr const char* kDraft04 = "http://json-schema.org/draft-04/schema#";

struct GroupVersionKind {
  std::string group;  // "" for the core group
  std::string version;
  std::string kind;

  auto operator<=>(const GroupVersionKind&) const = default;
};

// "apps/v1" or "v1" for the core group.
std::string ApiVersion(const GroupVersionKind& gvk);

// The embedded/lookup file name of a kind's schema: the lowercase kind, then "-<group>" when the
// group is not empty, then "-<version>.json". E.g. "deployment-apps-v1.json", "service-v1.json",
// "application-argoproj.io-v1alpha1.json".
std::string SchemaFileName(const GroupVersionKind& gvk);

using KindSchemas = std::vector<std::pair<GroupVersionKind, nlohmann::json>>;

// One self-contained schema per group/version/kind found in a Kubernetes OpenAPI v2 document
// (the `definitions` that carry x-kubernetes-group-version-kind), in definition-name order; a
// GVK listed by two definitions is taken from the first. The root is the kind's definition
// inlined; the definitions it references follow under `definitions`.
// `want` filters the kinds (empty = all); a wanted kind the document lacks is simply absent from
// the result. Fails with kInvalidArgument when doc has no `definitions` object, or when a
// reachable definition is malformed or references something that is not a local definition.
Result<KindSchemas> SchemasFromOpenApiV2(const nlohmann::json& doc,
                                         const std::vector<GroupVersionKind>& want = {});

// Converts one OpenAPI schema node and everything below it (a v2 definition, or a CRD's
// structural v3 schema) to the conventions above. `nullable` says whether the value itself may be
// null (false for a document root); nested values always may. References are kept as they are;
// the unescaped name of each `#/definitions/<name>` met is appended to *refs.
// Constraint keywords (minimum, maxLength, ...) of an unexpected JSON type are dropped.
// Fails with kInvalidArgument on a reference that is not `#/definitions/...`, a keyword of the
// wrong JSON type (e.g. `properties` that is not an object) or nesting deeper than 256 levels.
Result<nlohmann::json> ConvertSchema(const nlohmann::json& schema, bool nullable,
                                     std::vector<std::string>* refs);

}  // namespace capstan::k8s
