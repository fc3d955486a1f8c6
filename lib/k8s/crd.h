// Converts a CustomResourceDefinition into one JSON Schema per version it declares, following the
// conventions in k8s/openapi.h.
#pragma once

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "k8s/openapi.h"

namespace capstan::k8s {

// One schema per entry of spec.versions that is served (`served: false` versions are left out:
// the API server refuses their objects, so they must not validate), in the CRD's order, for
// apiextensions.k8s.io/v1 and v1beta1 CRDs. A v1beta1 version without a schema of its own uses
// spec.validation; a v1beta1 CRD with only spec.version yields that one version. A version with no
// schema at all accepts any object (the API server does not validate it either).
// Fails with kInvalidArgument when crd is not a CustomResourceDefinition of those API versions,
// lacks spec.group, spec.names.kind or any version, or has a schema ConvertSchema rejects
// (including any $ref, which CRDs do not allow); the message names the CRD and version.
Result<KindSchemas> SchemasFromCrd(const nlohmann::json& crd);

}  // namespace capstan::k8s
