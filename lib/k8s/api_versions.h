// Which API versions Kubernetes (and the controllers GitOps repositories install: Flux, External
// Secrets Operator, cert-manager) deprecated or stopped serving, and what replaces them: the
// table behind capstan-validate's removed-api and deprecated-api rules. The table is data,
// schemas/api-versions.yaml, compiled into the binary and parsed once, on first use.
//
// Kubernetes rows are judged against a target release (--kubernetes-version): a version removed
// at or before the target is removed, one deprecated at or before it is deprecated, anything
// else is served. The other products' rows describe CustomResourceDefinitions whose installed
// version capstan cannot know, so they are removed or deprecated whatever the target.
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "k8s/openapi.h"
#include "report/finding.h"

namespace capstan::k8s {

// A product release, "1.22" or "2.7".
struct Release {
  int major = 0;
  int minor = 0;
  auto operator<=>(const Release&) const = default;
  std::string ToString() const;  // "1.22"
};

// The Kubernetes version the built-in schemas describe (schemas/k8s/, from the 1.34 OpenAPI
// document): the default target.
inline constexpr Release kEmbeddedKubernetesVersion{1, 34};

// The product whose rows are judged against the target release.
inline constexpr std::string_view kKubernetesProduct = "Kubernetes";

struct ApiVersionRow {
  std::string product;  // "Kubernetes", "Flux", "External Secrets Operator", "cert-manager"
  std::string group;    // "" for the core group
  std::string version;
  std::string kind;  // "" for every kind of the group/version that has no row of its own
  std::optional<Release> deprecated;  // unknown when absent
  std::optional<Release> removed;     // still served, no removal planned, when absent
  std::string replacement;            // an apiVersion ("apps/v1") or what to do instead
  std::string source;                 // URL of the release note or guide section
  int line = 0;                       // of the row in the table file
};

class ApiVersionTable {
 public:
  ApiVersionTable() = default;

  // Parses a table in the format of schemas/api-versions.yaml: a mapping with `apis`, a list
  // of rows with the keys product, group, version, kind, deprecated, removed, replacement and
  // source (product, group, version, replacement and source required; releases "N.N"). Fails
  // with kInvalidArgument, "<name>:<line>:<col>: <what is wrong>", for YAML errors, unknown or
  // missing keys, a version that is not a pre-release one, a malformed release, a row with
  // neither release, a removal before the deprecation, a Kubernetes row without `deprecated`,
  // and two rows for one group/version/kind. first_line: the line of the file that text starts
  // at, when it is a piece of it.
  static Result<ApiVersionTable> Parse(std::string_view text, std::string_view name,
                                       int first_line = 1);

  // The row for gvk: its kind's own row, else its group/version's row for every kind; nullptr
  // when the table does not list it.
  const ApiVersionRow* Find(const GroupVersionKind& gvk) const;

  const std::vector<ApiVersionRow>& rows() const { return rows_; }

 private:
  struct GroupVersion {
    std::unordered_map<std::string, std::size_t> kinds;  // kind -> index into rows_
    std::optional<std::size_t> every_kind;
  };
  std::vector<ApiVersionRow> rows_;
  std::unordered_map<std::string, GroupVersion> by_group_version_;  // key: ApiVersion()
};

// The built-in table (schemas/api-versions.yaml), parsed on the first call; thread-safe. The
// embedded file is checked by tests/unit/k8s/api_versions_test.cc; were it malformed all the
// same, the table would be empty.
const ApiVersionTable& BuiltinApiVersions();

// Reads --kubernetes-version: "1.29", "v1.29", "1.29.3", "v1.29.3", with an optional
// pre-release or build suffix after the patch ("v1.30.2-eks-1552ad0", "v1.29.4+k3s1") as
// `kubectl version` prints them, is release 1.29; "master" (kubeconform's default, the newest
// schemas) is kEmbeddedKubernetesVersion. Anything else fails with kInvalidArgument, "must be a
// Kubernetes release (1.29, ...) or master, not 'TEXT'", to follow the name of what was read.
Result<Release> ParseKubernetesVersion(std::string_view text);

enum class ApiStatus { kUnlisted, kServed, kDeprecated, kRemoved };

struct ApiVerdict {
  ApiStatus status = ApiStatus::kUnlisted;
  const ApiVersionRow* row = nullptr;  // set unless kUnlisted
};

// True for the pre-release versions the table may list, "v<N>alpha<N>" and "v<N>beta<N>".
// A GA version (v1, v2) is never removed (the Kubernetes deprecation policy; the controllers
// follow it), so the table has no row for one and needs no look at it.
bool IsPrereleaseVersion(std::string_view version);

// What the table says about gvk on a cluster running Kubernetes `target` (see the file comment).
// `table` nullptr means the built-in table, of which only gvk's group/version's rows are ever
// parsed (once per run), and none for a GA version or an unlisted one.
ApiVerdict JudgeApiVersion(const GroupVersionKind& gvk, Release target,
                           const ApiVersionTable* table = nullptr);

struct ApiFinding {
  std::string rule;  // "removed-api" or "deprecated-api"
  report::Severity severity = report::Severity::kError;
  std::string message;
};

// The finding a verdict earns, or nullopt for kUnlisted and kServed:
//   removed-api (error)      "extensions/v1beta1 Ingress was removed in Kubernetes 1.22: use
//                            networking.k8s.io/v1"
//   deprecated-api (warning) "batch/v1beta1 CronJob is deprecated since Kubernetes 1.21 and will
//                            be removed in 1.25: use batch/v1"
// `served_by` names, for a removed version, a description of the user's own cluster that still
// serves it (a --crd file, an --openapi document, a CustomResourceDefinition among the validated
// files, quoted): that cluster has not upgraded yet, so the finding is a deprecated-api warning,
// "helm.toolkit.fluxcd.io/v2beta1 HelmRelease was removed in Flux 2.7, but 'flux.yaml' still
// serves it: use helm.toolkit.fluxcd.io/v2".
std::optional<ApiFinding> ApiVersionFinding(const GroupVersionKind& gvk, const ApiVerdict& verdict,
                                            std::string_view served_by = {});

// removed-api and deprecated-api, for report headers and SARIF.
std::vector<report::RuleInfo> ApiVersionRules();

}  // namespace capstan::k8s
