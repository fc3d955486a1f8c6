// Produces the generated part of schemas/k8s/ from the reference data (the Kubernetes OpenAPI v2
// spec and upstream CRDs, laid out as in /work/shared/data). Run by hand through
// schemas/generate.sh when the reference changes; the output is committed, and the embedded-schema
// test regenerates it in memory to catch a stale file.
#pragma once

#include <string>
#include <vector>

#include "core/env.h"
#include "core/result.h"
#include "k8s/openapi.h"

namespace capstan::schemas {

// The Kubernetes spec file, relative to the data directory.
inline constexpr const char* kOpenApiFile = "kubernetes/openapi-v2-1.34.json";
// Directories under data/crds/ whose *.yaml CustomResourceDefinitions are converted (every kind
// and every version; documents that are not CRDs are skipped).
const std::vector<std::string>& CrdDirectories();
// Every group/version/kind the Kubernetes spec defines (x-kubernetes-group-version-kind) is
// converted; these must be among them (a spec that lacks one is the wrong file).
const std::vector<k8s::GroupVersionKind>& KubernetesKinds();
// Files in schemas/k8s/ written by hand, which the generator never produces or removes.
const std::vector<std::string>& HandWrittenSchemas();

struct SchemaFile {
  std::string name;     // file name in schemas/k8s/, e.g. "deployment-apps-v1.json"
  std::string content;  // minified JSON and a final newline
};

// Converts everything listed above, sorted by file name. The notification.toolkit.fluxcd.io
// schemas also accept the Flux Operator's kinds (FluxInstance, ResourceSet,
// ResourceSetInputProvider) as Alert event sources and Receiver resources, as the CRDs the
// operator installs do. Fails when a file cannot be read or
// parsed, a listed Kubernetes kind is missing from the spec, a CRD cannot be converted, or two
// sources produce the same file name; the message names the file.
Result<std::vector<SchemaFile>> GenerateSchemas(FileSystem& fs, const std::string& data_dir);

}  // namespace capstan::schemas
