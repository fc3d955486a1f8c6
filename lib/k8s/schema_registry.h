// Where capstan-validate finds the JSON Schema for an apiVersion/kind: schemas from --crd and
// --openapi files, kubeconform-style --schema-location templates (local paths), and the schemas
// compiled into the binary ("default"). Schemas are loaded and compiled lazily, once per kind, and
// shared by all worker threads.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/env.h"
#include "core/result.h"
#include "k8s/openapi.h"
#include "k8s/schema_check.h"

namespace capstan::k8s {

struct SchemaSources {
  // kubeconform templates, tried in order: "default" is the embedded set; a path with
  // {{ .ResourceKind }}, {{ .ResourceAPIVersion }}, {{ .Group }}, {{ .KindSuffix }},
  // {{ .StrictSuffix }}, {{ .NormalizedKubernetesVersion }} (computed as kubeconform does); a
  // path not ending in "json" is a directory laid out as kubeconform's catalog
  // (<dir>/<version>-standalone<strict>/<kind><suffix>.json). Empty means {"default"}.
  std::vector<std::string> locations;
  std::vector<std::string> crds;              // CRD files or directories of them
  std::vector<std::string> openapi;           // Kubernetes OpenAPI v2 documents
  std::string kubernetes_version = "master";  // "1.29.0" becomes "v1.29.0", as in kubeconform
  bool strict = false;                        // reject fields the schema does not declare
};

class SchemaRegistry {
 public:
  // Validates the sources and loads every --crd and --openapi file now (so a bad file is a
  // usage error before any work starts). Fails with kInvalidArgument for a remote (http) location
  // or a file that is not a CRD / OpenAPI document, kNotFound for a missing file, kIoError for
  // an unreadable one. `fs` must outlive the registry.
  static Result<std::unique_ptr<SchemaRegistry>> Create(const SchemaSources& sources,
                                                        FileSystem& fs);

  // The compiled schema for gvk, or nullptr when no source has one. Fails (kInvalidArgument)
  // when a schema file exists but is not valid JSON or not a usable schema. `force_strict`
  // applies the strict transform even without SchemaSources::strict (kustomize itself rejects
  // unknown fields, so kustomization files are always checked strictly). Thread-safe.
  Result<std::shared_ptr<const Schema>> Find(const GroupVersionKind& gvk,
                                             bool force_strict = false);

  // Which description of the user's own cluster serves gvk: the --crd file, the --openapi
  // document or the validated file whose CustomResourceDefinition defines it (quoted, for
  // messages), or "" when none does. The built-in schemas and --schema-location do not count:
  // a schema catalog keeps versions long after clusters stopped serving them. Thread-safe with
  // Find.
  std::string ServedBy(const GroupVersionKind& gvk) const;

  // Takes the schemas of a CustomResourceDefinition found among the files being validated: they
  // are used only for kinds no other source (--crd, --openapi, locations, built-in) has a schema
  // for. Returns how many kinds it defines; a document SchemasFromCrd rejects defines none (the
  // validator reports the CRD itself). REQUIRES: no Find is running; a kind already looked up
  // is looked up again.
  std::size_t AddDiscoveredCrd(const nlohmann::json& crd, const std::string& source);

  // Expands a location template for gvk (exposed for tests).
  static std::string Render(const std::string& location, const GroupVersionKind& gvk,
                            const std::string& kubernetes_version, bool strict);

 private:
  SchemaRegistry(SchemaSources sources, FileSystem& fs) : sources_(std::move(sources)), fs_(fs) {}
  Status AddDocuments(const std::string& path, bool openapi);
  Result<std::shared_ptr<const Schema>> Load(const GroupVersionKind& gvk, bool strict);

  struct Slot {
    std::once_flag once;
    std::shared_ptr<const Schema> schema;
    Status status;
  };

  SchemaSources sources_;
  FileSystem& fs_;
  std::map<std::string, nlohmann::json> provided_;  // key: SchemaFileName, from --crd/--openapi
  std::map<std::string, std::string> provided_from_;
  std::vector<std::pair<std::string, nlohmann::json>> openapi_;               // path, document
  std::map<std::string, std::pair<nlohmann::json, std::string>> discovered_;  // schema, source
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<Slot>> slots_;
};

}  // namespace capstan::k8s
