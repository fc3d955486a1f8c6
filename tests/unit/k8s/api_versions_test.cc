#include "k8s/api_versions.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/embedded.h"
#include "gen/generate.h"
#include "support/shared_data.h"
#include "support/yaml_json.h"

namespace capstan::k8s {
namespace {

using nlohmann::json;

std::string Message(const GroupVersionKind& gvk, Release target,
                    const ApiVersionTable& table = BuiltinApiVersions()) {
  auto finding = ApiVersionFinding(gvk, JudgeApiVersion(gvk, target, &table));
  return finding ? finding->rule + ": " + finding->message : "";
}

ApiVersionTable TableOf(const std::string& rows) {
  auto table = ApiVersionTable::Parse("apis:\n" + rows, "t.yaml");
  INFO(table.status().message());
  REQUIRE(table.ok());
  return std::move(*table);
}

// An apiVersion alone ("apps/v1"), not prose.
bool IsApiVersion(const std::string& s) { return !s.empty() && s.find(' ') == std::string::npos; }

std::string GroupVersionOf(const ApiVersionRow& row) {
  return ApiVersion({row.group, row.version, ""});
}

// ---- the built-in table --------------------------------------------------------------------

TEST_CASE("the built-in table parses, and every row names its product, replacement and source") {
  auto parsed = ApiVersionTable::Parse(embedded::Find("api-versions.yaml"), "api-versions.yaml");
  INFO(parsed.status().message());
  REQUIRE(parsed.ok());
  REQUIRE(parsed->rows().size() >= 70);
  CHECK(BuiltinApiVersions().rows().size() == parsed->rows().size());
  const std::set<std::string> products = {"Kubernetes", "Flux", "External Secrets Operator",
                                          "cert-manager"};
  std::map<std::string, int> per_product;
  for (const ApiVersionRow& row : parsed->rows()) {
    INFO("api-versions.yaml:" << row.line);
    CHECK(products.contains(row.product));
    CHECK(row.source.starts_with("https://"));
    CHECK_FALSE(row.replacement.empty());
    CHECK(row.version.starts_with("v"));
    ++per_product[row.product];
  }
  for (const auto& p : products) CHECK(per_product[p] > 0);
}

TEST_CASE("every built-in row is found without a table given, as with the parsed table") {
  const ApiVersionTable& table = BuiltinApiVersions();
  for (const ApiVersionRow& row : table.rows()) {
    INFO("api-versions.yaml:" << row.line);
    GroupVersionKind gvk{row.group, row.version, row.kind.empty() ? "AnyKind" : row.kind};
    for (Release target : {Release{1, 8}, Release{1, 22}, kEmbeddedKubernetesVersion}) {
      ApiVerdict lazy = JudgeApiVersion(gvk, target);
      REQUIRE(lazy.row != nullptr);
      // The same row, parsed alone at the same line.
      CHECK(lazy.row->line == row.line);
      CHECK(lazy.row->product == row.product);
      CHECK(lazy.row->kind == row.kind);
      CHECK(lazy.row->deprecated == row.deprecated);
      CHECK(lazy.row->removed == row.removed);
      CHECK(lazy.row->replacement == row.replacement);
      CHECK(lazy.row->source == row.source);
      CHECK(lazy.status == JudgeApiVersion(gvk, target, &table).status);
    }
  }
}

TEST_CASE("the default target is the kubernetes version of the built-in schemas") {
  CHECK(std::string(schemas::kOpenApiFile) ==
        "kubernetes/openapi-v2-" + kEmbeddedKubernetesVersion.ToString() + ".json");
}

// The group/version/kinds a document defines, List kinds and the per-version DeleteOptions and
// WatchEvent aside.
std::set<GroupVersionKind> OpenApiKinds(const json& spec) {
  std::set<GroupVersionKind> kinds;
  for (const auto& [name, definition] : spec.at("definitions").items()) {
    for (const auto& g : definition.value("x-kubernetes-group-version-kind", json::array())) {
      std::string kind = g.at("kind");
      if (kind.ends_with("List") || kind == "DeleteOptions" || kind == "WatchEvent") continue;
      kinds.insert({g.at("group"), g.at("version"), kind});
    }
  }
  return kinds;
}

bool ServesAnyKindOf(const std::set<GroupVersionKind>& kinds, const std::string& group,
                     const std::string& version) {
  for (const auto& k : kinds)
    if (k.group == group && k.version == version) return true;
  return false;
}

TEST_CASE("kubernetes rows agree with the 1.34 OpenAPI document: removed absent, others served") {
  if (!capstan::testing::RequireSharedData("data/kubernetes")) return;
  std::ifstream in(std::string(CAPSTAN_SHARED_DIR) + "/data/" + schemas::kOpenApiFile);
  REQUIRE(in.good());
  const std::set<GroupVersionKind> served = OpenApiKinds(json::parse(in));
  REQUIRE(served.size() > 80);
  const ApiVersionTable& table = BuiltinApiVersions();
  int removed = 0;
  int still_served = 0;
  for (const ApiVersionRow& row : table.rows()) {
    if (row.product != kKubernetesProduct) continue;
    INFO("api-versions.yaml:" << row.line << ": " << GroupVersionOf(row) << " " << row.kind);
    bool gone = row.removed && *row.removed <= kEmbeddedKubernetesVersion;
    if (row.kind.empty()) {
      // Every kind the document defines for a removed group/version has a row of its own.
      for (const auto& k : served) {
        if (k.group != row.group || k.version != row.version) continue;
        INFO(k.kind);
        CHECK(table.Find(k) != &row);
      }
      if (!gone) CHECK(ServesAnyKindOf(served, row.group, row.version));
    } else {
      CHECK(served.contains({row.group, row.version, row.kind}) == !gone);
    }
    (gone ? removed : still_served)++;
    // A replacement that is an apiVersion is what 1.34 serves for the kind.
    if (IsApiVersion(row.replacement)) {
      std::string group = row.replacement.find('/') == std::string::npos
                              ? ""
                              : row.replacement.substr(0, row.replacement.find('/'));
      std::string version = row.replacement.substr(row.replacement.find('/') + 1);
      if (row.kind.empty()) {
        CHECK(ServesAnyKindOf(served, group, version));
      } else {
        CHECK(served.contains({group, version, row.kind}));
      }
    }
  }
  CHECK(removed >= 40);
  CHECK(still_served >= 5);
}

// version name -> {served, deprecated}, per group and kind, from the upstream CRDs.
struct CrdVersion {
  bool served = false;
  bool deprecated = false;
};
std::map<GroupVersionKind, CrdVersion> UpstreamCrdVersions(const std::string& dir) {
  std::map<GroupVersionKind, CrdVersion> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".yaml") continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    json crd = testing::YamlToJson(text.str());
    if (crd.value("kind", "") != "CustomResourceDefinition") continue;
    for (const auto& v : crd["spec"]["versions"]) {
      out[{crd["spec"]["group"], v["name"], crd["spec"]["names"]["kind"]}] = {
          v.value("served", false), v.value("deprecated", false)};
    }
  }
  return out;
}

TEST_CASE(
    "controller rows agree with the upstream CRDs: removed versions not served, "
    "replacements served, every version a CRD marks deprecated listed") {
  if (!capstan::testing::RequireSharedData("data/crds")) return;
  const ApiVersionTable& table = BuiltinApiVersions();
  for (const char* product : {"fluxcd", "external-secrets", "argocd"}) {
    auto versions = UpstreamCrdVersions(std::string(CAPSTAN_SHARED_DIR) + "/data/crds/" + product);
    REQUIRE_FALSE(versions.empty());
    std::set<std::string> groups;
    for (const auto& [gvk, v] : versions) {
      groups.insert(gvk.group);
      INFO(ApiVersion(gvk) << " " << gvk.kind);
      if (v.deprecated)
        CHECK(JudgeApiVersion(gvk, kEmbeddedKubernetesVersion).status != ApiStatus::kUnlisted);
    }
    for (const ApiVersionRow& row : table.rows()) {
      if (!groups.contains(row.group)) continue;
      INFO("api-versions.yaml:" << row.line << ": " << GroupVersionOf(row) << " " << row.kind);
      bool replacement_served = false;
      for (const auto& [gvk, v] : versions) {
        bool covered = gvk.group == row.group && gvk.version == row.version &&
                       (row.kind.empty() ? table.Find(gvk) == &row : gvk.kind == row.kind);
        if (covered && row.removed) CHECK_FALSE(v.served);
        if (ApiVersion(gvk) == row.replacement && v.served &&
            (row.kind.empty() || gvk.kind == row.kind))
          replacement_served = true;
      }
      CHECK(replacement_served);
    }
  }
}

TEST_CASE("argo cd has no row: its CRDs serve argoproj.io/v1alpha1 only") {
  if (!capstan::testing::RequireSharedData("data/crds/argocd")) return;
  auto versions = UpstreamCrdVersions(std::string(CAPSTAN_SHARED_DIR) + "/data/crds/argocd");
  REQUIRE(versions.size() == 3);
  for (const auto& [gvk, v] : versions) CHECK(ApiVersion(gvk) == "argoproj.io/v1alpha1");
  for (const ApiVersionRow& row : BuiltinApiVersions().rows()) CHECK(row.group != "argoproj.io");
}

TEST_CASE("built-in rows read as the issue asks, at the default target and an older one") {
  const Release k134 = kEmbeddedKubernetesVersion;
  CHECK(Message({"extensions", "v1beta1", "Ingress"}, k134) ==
        "removed-api: extensions/v1beta1 Ingress was removed in Kubernetes 1.22: use "
        "networking.k8s.io/v1");
  CHECK(Message({"extensions", "v1beta1", "Ingress"}, {1, 21}) ==
        "deprecated-api: extensions/v1beta1 Ingress is deprecated since Kubernetes 1.14 and will "
        "be removed in 1.22: use networking.k8s.io/v1");
  CHECK(Message({"extensions", "v1beta1", "Ingress"}, {1, 13}) == "");
  CHECK(Message({"apps", "v1beta1", "ControllerRevision"}, k134) ==
        "removed-api: apps/v1beta1 ControllerRevision was removed in Kubernetes 1.16: use apps/v1");
  CHECK(Message({"storage.k8s.io", "v1beta1", "VolumeAttributesClass"}, k134) ==
        "deprecated-api: storage.k8s.io/v1beta1 VolumeAttributesClass is deprecated since "
        "Kubernetes 1.34 and will be removed in 1.37: use storage.k8s.io/v1");
  CHECK(Message({"resource.k8s.io", "v1beta1", "ResourceClaim"}, k134) == "");
  CHECK(Message({"resource.k8s.io", "v1beta1", "ResourceClaim"}, {1, 35})
            .starts_with("deprecated-api: "));
  CHECK(Message({"helm.toolkit.fluxcd.io", "v2beta1", "HelmRelease"}, {1, 20}) ==
        "removed-api: helm.toolkit.fluxcd.io/v2beta1 HelmRelease was removed in Flux 2.7: use "
        "helm.toolkit.fluxcd.io/v2");
  CHECK(Message({"notification.toolkit.fluxcd.io", "v1beta2", "Alert"}, k134) ==
        "removed-api: notification.toolkit.fluxcd.io/v1beta2 Alert was removed in Flux 2.9: use "
        "notification.toolkit.fluxcd.io/v1beta3");
  CHECK(Message({"notification.toolkit.fluxcd.io", "v1beta2", "Receiver"}, k134) ==
        "removed-api: notification.toolkit.fluxcd.io/v1beta2 Receiver was removed in Flux 2.9: "
        "use notification.toolkit.fluxcd.io/v1");
  CHECK(Message({"external-secrets.io", "v1beta1", "ClusterExternalSecret"}, k134) ==
        "removed-api: external-secrets.io/v1beta1 ClusterExternalSecret was removed in External "
        "Secrets Operator 0.17: use external-secrets.io/v1");
  CHECK(Message({"cert-manager.io", "v1alpha2", "Certificate"}, k134) ==
        "removed-api: cert-manager.io/v1alpha2 Certificate was removed in cert-manager 1.6: use "
        "cert-manager.io/v1");
  // Current versions, and pre-release kinds that were never removed.
  CHECK(Message({"apps", "v1", "Deployment"}, k134) == "");
  CHECK(Message({"helm.toolkit.fluxcd.io", "v2", "HelmRelease"}, k134) == "");
  CHECK(Message({"external-secrets.io", "v1alpha1", "PushSecret"}, k134) == "");
  CHECK(Message({"certificates.k8s.io", "v1beta1", "ClusterTrustBundle"}, k134) == "");
  CHECK(Message({"example.com", "v1beta1", "Widget"}, k134) == "");
}

// ---- judging, on a table of the tests' own -------------------------------------------------

const char kRows[] = R"(
  - {product: Kubernetes, group: old.k8s.io, version: v1beta1, deprecated: "1.20",
     removed: "1.25", replacement: old.k8s.io/v1, source: "https://example.com/all"}
  - {product: Kubernetes, group: old.k8s.io, version: v1beta1, kind: Special, deprecated: "1.21",
     removed: "1.30", replacement: special.k8s.io/v1, source: "https://example.com/special"}
  - {product: Kubernetes, group: "", version: v2alpha1, kind: Thing, deprecated: "1.33",
     replacement: v1, source: "https://example.com/core"}
  - {product: Acme, group: acme.io, version: v1beta1, deprecated: "3.1", replacement: acme.io/v1,
     source: "https://example.com/acme"}
  - {product: Acme, group: acme.io, version: v1alpha1, removed: "3.0", replacement: acme.io/v1,
     source: "https://example.com/acme"}
)";

TEST_CASE("a kubernetes version removed at or before the target is an error naming the release") {
  ApiVersionTable table = TableOf(kRows);
  for (Release target : {Release{1, 25}, Release{1, 34}, Release{2, 0}}) {
    CAPTURE(target.ToString());
    CHECK(Message({"old.k8s.io", "v1beta1", "Widget"}, target, table) ==
          "removed-api: old.k8s.io/v1beta1 Widget was removed in Kubernetes 1.25: use "
          "old.k8s.io/v1");
  }
}

TEST_CASE(
    "a kubernetes version removed after the target is a deprecation warning, once "
    "deprecated") {
  ApiVersionTable table = TableOf(kRows);
  CHECK(Message({"old.k8s.io", "v1beta1", "Widget"}, {1, 24}, table) ==
        "deprecated-api: old.k8s.io/v1beta1 Widget is deprecated since Kubernetes 1.20 and will "
        "be removed in 1.25: use old.k8s.io/v1");
  CHECK(
      Message({"old.k8s.io", "v1beta1", "Widget"}, {1, 20}, table).starts_with("deprecated-api: "));
  CHECK(Message({"old.k8s.io", "v1beta1", "Widget"}, {1, 19}, table) == "");
  CHECK(JudgeApiVersion({"old.k8s.io", "v1beta1", "Widget"}, {1, 19}, &table).status ==
        ApiStatus::kServed);
}

TEST_CASE("a deprecation without a planned removal says since when and what to use") {
  ApiVersionTable table = TableOf(kRows);
  CHECK(Message({"", "v2alpha1", "Thing"}, {1, 40}, table) ==
        "deprecated-api: v2alpha1 Thing is deprecated since Kubernetes 1.33: use v1");
  CHECK(Message({"", "v2alpha1", "Thing"}, {1, 32}, table) == "");
  CHECK(Message({"", "v2alpha1", "Other"}, {1, 40}, table) == "");
}

TEST_CASE("a kind's own row wins over its group/version's row, whatever their order") {
  ApiVersionTable table = TableOf(kRows);
  CHECK(Message({"old.k8s.io", "v1beta1", "Special"}, {1, 26}, table) ==
        "deprecated-api: old.k8s.io/v1beta1 Special is deprecated since Kubernetes 1.21 and will "
        "be removed in 1.30: use special.k8s.io/v1");
  CHECK(Message({"old.k8s.io", "v1beta1", "Special"}, {1, 30}, table)
            .starts_with("removed-api: old.k8s.io/v1beta1 Special was removed in Kubernetes 1.30"));
  CHECK(table.Find({"old.k8s.io", "v1beta2", "Special"}) == nullptr);
  CHECK(table.Find({"new.k8s.io", "v1beta1", "Special"}) == nullptr);
}

TEST_CASE("a controller's rows do not depend on the kubernetes target") {
  ApiVersionTable table = TableOf(kRows);
  for (Release target : {Release{1, 8}, Release{1, 34}}) {
    CAPTURE(target.ToString());
    CHECK(Message({"acme.io", "v1alpha1", "Gadget"}, target, table) ==
          "removed-api: acme.io/v1alpha1 Gadget was removed in Acme 3.0: use acme.io/v1");
    CHECK(Message({"acme.io", "v1beta1", "Gadget"}, target, table) ==
          "deprecated-api: acme.io/v1beta1 Gadget is deprecated since Acme 3.1: use acme.io/v1");
  }
}

TEST_CASE("a removed version the user's own cluster still serves is a warning saying so") {
  ApiVersionTable table = TableOf(kRows);
  GroupVersionKind gvk{"acme.io", "v1alpha1", "Gadget"};
  auto finding = ApiVersionFinding(gvk, JudgeApiVersion(gvk, {1, 34}, &table), "'crds/acme.yaml'");
  REQUIRE(finding.has_value());
  CHECK(finding->rule == "deprecated-api");
  CHECK(finding->severity == report::Severity::kWarning);
  CHECK(finding->message ==
        "acme.io/v1alpha1 Gadget was removed in Acme 3.0, but 'crds/acme.yaml' still serves it: "
        "use acme.io/v1");
  CHECK(ApiVersionFinding(gvk, JudgeApiVersion(gvk, {1, 34}, &table))->severity ==
        report::Severity::kError);
}

TEST_CASE("a malformed table is refused with the file, line and column of the problem") {
  struct Case {
    std::string text;
    std::string error;
  };
  const std::string ok_row =
      "  - {product: P, group: g, version: v1beta1, removed: \"1.2\", replacement: g/v1, "
      "source: s}\n";
  const Case cases[] = {
      {"apis: [\n", "t.yaml:2:1: "},
      {"rows: []\n", "t.yaml:1:1: unknown key 'rows'"},
      {"apis: {}\n", "t.yaml:1:7: 'apis' must be a list of rows"},
      {"apis:\n  - just a string\n", "t.yaml:2:5: a row must be a mapping"},
      {"apis:\n  - {product: P, group: g, version: v1beta1, removed: \"1.2\", replacement: r, "
       "source: s, colour: red}\n",
       "t.yaml:2:89: unknown key 'colour'"},
      {"apis:\n  - {product: P, group: g, version: v1beta1, removed: \"1.2\", replacement: r}\n",
       "t.yaml:2:5: the row has no 'source'"},
      {"apis:\n  - {product: P, group: g, version: v1beta1, removed: 1.x, replacement: r, source: "
       "s}\n",
       "t.yaml:2:55: 'removed' must be a release such as \"1.22\", not '1.x'"},
      {"apis:\n  - {product: P, group: g, version: v1beta1, removed: \"1.2.3\", replacement: r, "
       "source: s}\n",
       "t.yaml:2:55: 'removed' must be a release such as \"1.22\", not '1.2.3'"},
      {"apis:\n  - {product: P, group: g, version: v1beta1, replacement: r, source: s}\n",
       "t.yaml:2:5: the row has neither 'deprecated' nor 'removed'"},
      {"apis:\n  - {product: Kubernetes, group: g, version: v1beta1, removed: \"1.2\", "
       "replacement: r, "
       "source: s}\n",
       "t.yaml:2:5: a Kubernetes row needs 'deprecated'"},
      {"apis:\n  - {product: P, group: g, version: v1beta1, deprecated: \"1.10\", removed: "
       "\"1.9\", "
       "replacement: r, source: s}\n",
       "t.yaml:2:5: 'removed' 1.9 comes before 'deprecated' 1.10"},
      {"apis:\n  - {product: P, group: g, version: v1beta1, kind: \"\", removed: \"1.2\", "
       "replacement: r, source: s}\n",
       "t.yaml:2:52: 'kind' must not be empty"},
      {"apis:\n  - {product: P, group: g, version: [v1], removed: \"1.2\", replacement: r, "
       "source: s}\n",
       "t.yaml:2:37: 'version' must be a string"},
      {"apis:\n" + ok_row + ok_row, "t.yaml:3:5: a second row for g/v1beta1 (every kind)"},
      {"apis:\n  - {product: P, group: g, version: v1, removed: \"1.2\", replacement: r, "
       "source: s}\n",
       "t.yaml:2:37: 'version' must be a pre-release version such as v1beta1, not 'v1': GA "
       "versions are never removed"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    auto table = ApiVersionTable::Parse(c.text, "t.yaml");
    REQUIRE_FALSE(table.ok());
    CHECK(table.status().code() == StatusCode::kInvalidArgument);
    CHECK(table.status().message().starts_with(c.error));
    CHECK(table.status().message().find('\n') == std::string::npos);
  }
  // A piece of a file counts its lines from where it starts, for errors and rows alike.
  auto piece = ApiVersionTable::Parse("apis:\n" + ok_row + ok_row, "t.yaml", 40);
  REQUIRE_FALSE(piece.ok());
  CHECK(piece.status().message().starts_with("t.yaml:42:5: a second row"));
  CHECK(ApiVersionTable::Parse("apis: [\n", "t.yaml", 40)
            .status()
            .message()
            .starts_with("t.yaml:41:1: "));
  auto rows = ApiVersionTable::Parse("apis:\n" + ok_row, "t.yaml", 40);
  REQUIRE(rows.ok());
  CHECK(rows->rows().front().line == 41);
}

TEST_CASE("only alpha and beta versions are pre-release versions the table may list") {
  for (const char* v : {"v1beta1", "v2beta2", "v1alpha1", "v10alpha3", "v1beta10"})
    CHECK(IsPrereleaseVersion(v));
  for (const char* v : {"v1", "v2", "", "v", "beta1", "v1beta", "v1gamma1", "v1beta1x", "vbeta1",
                        "1beta1", "v1alpha"})
    CHECK_FALSE(IsPrereleaseVersion(v));
}

// ---- --kubernetes-version ------------------------------------------------------------------

TEST_CASE(
    "a kubernetes version is read as its minor release, as kubectl and kubeconform "
    "write it") {
  struct Case {
    std::string text;
    Release release;
  };
  const Case cases[] = {
      {"1.29", {1, 29}},
      {"v1.29", {1, 29}},
      {"1.29.3", {1, 29}},
      {"v1.29.0", {1, 29}},
      {"v1.30.2-eks-1552ad0", {1, 30}},
      {"v1.29.4+k3s1", {1, 29}},
      {"1.31.0-rc.1", {1, 31}},
      {"1.8", {1, 8}},
      {"1.40", {1, 40}},
      {"master", kEmbeddedKubernetesVersion},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    auto release = ParseKubernetesVersion(c.text);
    INFO(release.status().message());
    REQUIRE(release.ok());
    CHECK(*release == c.release);
  }
}

TEST_CASE("anything else given as a kubernetes version is refused with the accepted forms") {
  std::string text =
      GENERATE(as<std::string>{}, "", "latest", "1", "v1", "1.x", "1.29.3.4", "2.0", "0.9", "01.29",
               "1.029", "1.29-rc.1", " 1.29", "1.29 ", "v", "vv1.29", "Master", "1.29.", ".29");
  INFO("'" << text << "'");
  auto release = ParseKubernetesVersion(text);
  REQUIRE_FALSE(release.ok());
  CHECK(release.status().code() == StatusCode::kInvalidArgument);
  CHECK(release.status().message().starts_with(
      "must be a Kubernetes release (1.29, 1.29.3, v1.29.3-eks-1552ad0) or master, not '"));
}

}  // namespace
}  // namespace capstan::k8s
