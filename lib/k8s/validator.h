// Validates one file of a GitOps repository: YAML well-formedness and duplicate keys, document
// classification, resource identity, and JSON Schema conformance, with every finding at the line
// and column of the offending key or value.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "k8s/api_versions.h"
#include "k8s/application_sources.h"
#include "k8s/argocd_checks.h"
#include "k8s/classify.h"
#include "k8s/schema_registry.h"
#include "report/finding.h"
#include "yaml/parser.h"

namespace capstan::k8s {

struct ValidateOptions {
  bool ignore_missing_schemas = false;
  // Kinds not to validate: "Kind" (any group) or "group/version/Kind" / "version/Kind".
  std::vector<std::string> skip;
  yaml::Limits limits;
  // The Kubernetes release the manifests target (--kubernetes-version), for removed-api and
  // deprecated-api; `api_versions` is their table, nullptr for the built-in one.
  Release kubernetes_version = kEmbeddedKubernetesVersion;
  const ApiVersionTable* api_versions = nullptr;
};

// A resource a file defines, for the checks that look at the repository as a whole (duplicates,
// references between resources): every resource document and List item that classified as one,
// skipped kinds included.
struct ResourceAt {
  Identity identity;   // as written (kustomize transformers not applied)
  yaml::Position pos;  // of the resource's `kind` value (its first line when it has none)
  std::string path;    // JSON pointer of the resource in its document: "" or "/items/3"
};

struct FileReport {
  std::vector<report::Finding> findings;
  std::vector<ResourceAt> resources;  // in document order
  int documents = 0;                  // YAML documents examined
  Status error;  // a schema source failed (bad user schema file): the run cannot be trusted
  // The CustomResourceDefinitions the file holds, as JSON (for SchemaRegistry::AddDiscoveredCrd).
  std::vector<nlohmann::json> crds;
  bool schema_missing = false;  // some resource had no schema (a finding unless ignored)
  // The sources of its Argo CD Applications (not of patches), for duplicate-resource.
  std::vector<ApplicationSource> application_sources;
  // The AppProjects its Applications name, for CheckProjectReferences (k8s/argocd_projects.h).
  std::vector<ProjectReference> argocd_projects;
};

// The rules capstan-validate can emit, for report headers and SARIF.
std::vector<report::RuleInfo> ValidateRules();

// What the rest of the repository says about a file.
struct FileContext {
  bool patch = false;            // a kustomization applies it as a patch: a partial resource
  bool selector_filled = false;  // a kustomization's commonLabels fill in its spec.selector
  // A kustomization lists it under generators/transformers/validators: its documents configure
  // kustomize plugins and are not cluster resources, so a kind without a schema is no finding.
  bool plugin_config = false;
  // It lies below the templates/ directory of a Helm chart (a directory holding Chart.yaml):
  // a Go template until rendered, skipped whether or not it happens to parse as YAML.
  bool helm_template = false;
};

class FileValidator {
 public:
  // `registry` must outlive the validator. Thread-safe: Validate may run on many threads.
  FileValidator(SchemaRegistry& registry, ValidateOptions options)
      : registry_(registry), options_(std::move(options)) {}

  // `name` is the file as reported ('/'-separated) and decides the file's role (Chart.yaml,
  // kustomization.yaml, Helm templates ...). `context` relaxes required fields that kustomize
  // supplies. Never fails for bad input: that is a finding.
  FileReport Validate(const std::string& name, std::string_view text,
                      const FileContext& context = {}) const;

  // Whether --skip names this resource's kind ("Deployment" or "apps/v1/Deployment").
  bool Skipped(const Identity& id) const;

 private:
  bool UnknownConfigDocument(const Classified& c) const;

  SchemaRegistry& registry_;
  ValidateOptions options_;
};

}  // namespace capstan::k8s
