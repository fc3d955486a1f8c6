// API versions that Kubernetes, Flux and External Secrets Operator served once and no longer do,
// with what replaces them. capstan-validate consults this table only for a resource whose kind
// has no schema, so that "no schema" becomes "removed in Kubernetes 1.22; use
// apiextensions.k8s.io/v1". A schema the user supplies (--crd, --schema-location for an older
// cluster) always wins over the table.
#pragma once

#include <string>
#include <string_view>

#include "k8s/openapi.h"

namespace capstan::k8s {

struct RemovedApi {
  std::string_view group;  // "" for the core group
  std::string_view version;
  std::string_view kind;     // "" for every kind of the group/version not listed before it
  std::string_view removed;  // what stopped serving it: "Kubernetes 1.22", "Flux 2.7", ...
  std::string_view use;      // the replacement: "apps/v1", "helm.toolkit.fluxcd.io/v2", or
                             // prose when no apiVersion replaces it
};

// The first table row that matches gvk (a row for the exact kind before its group/version's
// catch-all row), or nullptr when gvk was never removed as far as the table knows.
const RemovedApi* FindRemovedApi(const GroupVersionKind& gvk);

// "extensions/v1beta1 Deployment was removed in Kubernetes 1.16; use apps/v1".
std::string RemovedApiMessage(const GroupVersionKind& gvk, const RemovedApi& removed);

}  // namespace capstan::k8s
