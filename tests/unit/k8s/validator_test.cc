#include "k8s/validator.h"

#include <algorithm>
#include <catch2/catch.hpp>

#include "fs/posix_file_system.h"
#include "support/shared_data.h"
#include "support/temp_repo.h"

namespace capstan::k8s {
namespace {

struct Fixture {
  fs::PosixFileSystem fs;
  std::unique_ptr<SchemaRegistry> registry;

  explicit Fixture(SchemaSources sources = {}) {
    auto r = SchemaRegistry::Create(sources, fs);
    REQUIRE(r.ok());
    registry = std::move(*r);
  }

  FileReport Run(const std::string& name, const std::string& text, ValidateOptions opts = {},
                 FileContext context = {}) {
    FileValidator v(*registry, opts);
    return v.Validate(name, text, context);
  }
};

// A location that finds nothing, so only the sources under test can supply a schema.
std::string dir_that_does_not_exist() { return "/nonexistent/{{ .ResourceKind }}.json"; }

std::string Summary(const report::Finding& f) {
  return std::to_string(f.line) + ":" + std::to_string(f.column) + " " + f.rule + " " + f.message;
}

TEST_CASE("each document of a multi-document file is validated at its own lines") {
  Fixture fx;
  FileReport r = fx.Run("a.yaml",
                        "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports:\n"
                        "    - port: web\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n"
                        "  name: c\ndata:\n  n: 5\n");
  CHECK(r.documents == 2);
  REQUIRE(r.findings.size() == 2);
  CHECK(Summary(r.findings[0]) == "6:13 schema spec.ports[0].port: expected integer, got string");
  CHECK(r.findings[0].path == "/spec/ports/0/port");
  CHECK(r.findings[0].resource.kind == "Service");
  CHECK(Summary(r.findings[1]) == "13:6 schema data.n: expected string, got integer");
}

TEST_CASE("a duplicate key names its resource and path and keeps its fingerprint when moved") {
  Fixture fx;
  std::string doc =
      "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports:\n"
      "    - port: 80\n      port: 81\n";
  FileReport r = fx.Run("s.yaml", doc);
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].path == "/spec/ports/0/port");
  CHECK(r.findings[0].resource.name == "s");
  CHECK(r.findings[0].line == 7);
  FileReport moved = fx.Run("s.yaml", "# a comment\n\n" + doc);
  REQUIRE(moved.findings.size() == 1);
  CHECK(moved.findings[0].line == 9);
  CHECK(moved.findings[0].fingerprint == r.findings[0].fingerprint);
}

TEST_CASE("a .json file is held to JSON, not to the YAML that would forgive it") {
  Fixture fx;
  FileReport r = fx.Run("c.json", "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"ConfigMap\",\n}\n");
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].rule == "yaml-syntax");
  CHECK(r.findings[0].line == 4);
  CHECK(r.findings[0].message.rfind("invalid JSON: unexpected '}'", 0) == 0);
  CHECK(fx.Run("c.yaml", "{\"a\": 1,}\n").findings.empty());
}

TEST_CASE("list items are validated with their path under items") {
  Fixture fx;
  FileReport r =
      fx.Run("list.yaml",
             "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n"
             "    metadata: {name: a}\n    data: {k: 1}\n");
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].path == "/items/0/data/k");
  CHECK(r.findings[0].line == 7);
}

TEST_CASE("the report lists every resource the file defines, list items and skipped kinds too") {
  Fixture fx;
  ValidateOptions opts;
  opts.skip = {"Secret"};
  FileReport r = fx.Run("a.yaml",
                        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: n}\n---\n"
                        "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n---\n"
                        "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: "
                        "ConfigMap\n    metadata: {name: b}\n---\nfoo: bar\n---\n"
                        "apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n",
                        opts);
  std::vector<std::string> got;
  for (const ResourceAt& res : r.resources)
    got.push_back(res.identity.kind + "/" + res.identity.ns + "/" + res.identity.name + " " +
                  std::to_string(res.pos.line) + ":" + std::to_string(res.pos.column) + " " +
                  res.path);
  CHECK(got == std::vector<std::string>{"ConfigMap/n/a 2:7 ", "Secret//s 6:7 ",
                                        "ConfigMap//b 13:11 /items/0"});
}

TEST_CASE("unknown fields are rejected only under strict, with a suggestion") {
  std::string text =
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replcas: 2\n"
      "  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n"
      "    spec:\n      containers: [{name: c, image: i, imagePullPolicy: Always}]\n";
  Fixture loose;
  CHECK(loose.Run("d.yaml", text).findings.empty());
  SchemaSources strict;
  strict.strict = true;
  Fixture fx(strict);
  FileReport r = fx.Run("d.yaml", text);
  REQUIRE(r.findings.size() == 1);
  CHECK(Summary(r.findings[0]) ==
        "5:3 schema unknown field 'spec.replcas' (did you mean 'replicas'?)");
}

TEST_CASE("missing required fields point at the key of the object that lacks them") {
  Fixture fx;
  FileReport r = fx.Run("d.yaml",
                        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n"
                        "  replicas: 1\n");
  REQUIRE(r.findings.size() == 2);
  CHECK(Summary(r.findings[0]) == "4:1 schema missing required field 'spec.selector'");
  CHECK(Summary(r.findings[1]) == "4:1 schema missing required field 'spec.template'");
}

TEST_CASE("a kustomize patch is not asked for required fields but still type-checked") {
  Fixture fx;
  std::string patch =
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replicas: many\n";
  FileReport r = fx.Run("patch.yaml", patch, {}, FileContext{.patch = true});
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].message == "spec.replicas: expected integer, got string");
}

TEST_CASE("strategic-merge directives are accepted in patches under strict") {
  SchemaSources strict;
  strict.strict = true;
  Fixture fx(strict);
  std::string patch =
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n$patch: delete\n";
  CHECK(fx.Run("p.yaml", patch, {}, FileContext{.patch = true}).findings.empty());
  FileReport plain = fx.Run("p.yaml", patch);
  REQUIRE(plain.findings.size() == 1);
  CHECK(plain.findings[0].message == "unknown field '$patch'");
}

TEST_CASE("the sops metadata key of an encrypted file is not a field of the resource") {
  SchemaSources strict;
  strict.strict = true;
  Fixture fx(strict);
  CHECK(fx.Run("s.yaml",
               "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n"
               "  k: ENC[AES256_GCM,data:abc=,iv:x=,tag:y=,type:str]\nsops:\n  version: 3.7.3\n")
            .findings.empty());
}

TEST_CASE("a selector filled in by kustomize commonLabels is not demanded") {
  Fixture fx;
  std::string base =
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n"
      "    spec:\n      containers: [{name: c, image: i}]\n";
  CHECK(fx.Run("d.yaml", base).findings.size() == 1);
  CHECK(fx.Run("d.yaml", base, {}, FileContext{.selector_filled = true}).findings.empty());
}

TEST_CASE("a tool's config document with apiVersion and kind but no metadata is not judged") {
  Fixture fx;
  CHECK(
      fx.Run("c.yaml", "apiVersion: schema.plugin.fluxcd.io/v1beta1\nkind: Config\nverbose: true\n")
          .findings.empty());
  FileReport known = fx.Run("s.yaml", "apiVersion: v1\nkind: Service\nspec: {}\n");
  REQUIRE(known.findings.size() == 1);
  CHECK(known.findings[0].message == "missing required field 'metadata'");
}

TEST_CASE("a kind without a schema is reported unless told to ignore it") {
  Fixture fx;
  std::string text = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n";
  FileReport r = fx.Run("w.yaml", text);
  REQUIRE(r.findings.size() == 1);
  CHECK(Summary(r.findings[0]) ==
        "2:7 schema-missing no schema for example.com/v1 Widget (add --crd, --schema-location or "
        "--ignore-missing-schemas)");
  ValidateOptions ignore;
  ignore.ignore_missing_schemas = true;
  CHECK(fx.Run("w.yaml", text, ignore).findings.empty());
  ValidateOptions skip;
  skip.skip = {"Widget"};
  CHECK(fx.Run("w.yaml", text, skip).findings.empty());
}

TEST_CASE("helm templates are skipped and values files are checked as YAML only") {
  Fixture fx;
  CHECK(fx.Run("chart/templates/d.yaml", "kind: {{ .Values.kind }}\n  bad: [").findings.empty());
  FileReport values = fx.Run("chart/values.yaml", "image:\n  tag: 1\n  tag: 2\n");
  REQUIRE(values.findings.size() == 1);
  CHECK(values.findings[0].rule == "duplicate-key");
}

TEST_CASE("a CRD given with --crd validates its custom resources") {
  SchemaSources sources;
  sources.crds = {std::string(CAPSTAN_SOURCE_DIR) + "/tests/fixtures/widget-crd.yaml"};
  Fixture fx(sources);
  FileReport r = fx.Run("w.yaml",
                        "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec:\n"
                        "  size: 0\n  color: green\n  code: ABC\n");
  REQUIRE(r.findings.size() == 3);
  CHECK(r.findings[0].line == 5);
  SchemaSources strict = sources;
  strict.strict = true;
  Fixture strict_fx(strict);
  // The CRD does not declare apiVersion, kind or metadata; the API server adds them anyway.
  CHECK(strict_fx.Run("w.yaml", "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n")
            .findings.empty());
  CHECK(r.findings[1].message == "spec.color: value is not one of: red, blue");
  CHECK(r.findings[2].message == "spec.code: value does not match the pattern '^[a-z]+$'");
}

TEST_CASE("an OpenAPI v2 document given with --openapi is used for its kinds") {
  if (!capstan::testing::RequireSharedData("data/kubernetes")) return;
  SchemaSources sources;
  sources.openapi = {std::string(CAPSTAN_SHARED_DIR) + "/data/kubernetes/openapi-v2-1.34.json"};
  sources.locations = {dir_that_does_not_exist()};
  Fixture fx(sources);
  FileReport r = fx.Run("p.yaml",
                        "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: p}\n"
                        "spec:\n  minAvailable: 1\n  maxUnavailable: [1]\n");
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].message == "spec.maxUnavailable: expected integer or string, got array");
  CHECK(r.findings[0].line == 6);
}

TEST_CASE("a file that is not an OpenAPI document is refused up front") {
  testing::TempDir dir;
  testing::WriteFile(dir / "x.json", R"({"swagger": "2.0"})");
  fs::PosixFileSystem fs;
  SchemaSources sources;
  sources.openapi = {dir / "x.json"};
  auto r = SchemaRegistry::Create(sources, fs);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kInvalidArgument);
  CHECK(r.status().message().find("is not a Kubernetes OpenAPI v2 document") != std::string::npos);
}

TEST_CASE("kubeconform schema location templates expand as kubeconform does") {
  GroupVersionKind gvk{"networking.k8s.io", "v1", "NetworkPolicy"};
  CHECK(SchemaRegistry::Render("/s/{{ .ResourceKind }}{{ .KindSuffix }}.json", gvk, "master",
                               false) == "/s/networkpolicy-networking-v1.json");
  CHECK(SchemaRegistry::Render("/s/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json", gvk,
                               "master", false) == "/s/networking.k8s.io/networkpolicy_v1.json");
  CHECK(SchemaRegistry::Render("/catalog/", GroupVersionKind{"", "v1", "Service"}, "1.30.0",
                               true) == "/catalog/v1.30.0-standalone-strict/service-v1.json");
  CHECK(SchemaRegistry::Render("/s/{{ .Group }}/{{ .ResourceKind }}.json",
                               GroupVersionKind{"", "v1", "Service"}, "master",
                               false) == "/s/v1/service.json");
  CHECK(SchemaRegistry::Render("/one/schema.json", gvk, "master", false) == "/one/schema.json");
}

TEST_CASE("a schema location on disk is used before the built-in set") {
  testing::TempDir dir;
  testing::WriteFile(dir / "configmap-v1.json", R"({"type": "object", "required": ["data"]})");
  SchemaSources sources;
  sources.locations = {dir.path() + "/{{ .ResourceKind }}{{ .KindSuffix }}.json", "default"};
  Fixture fx(sources);
  FileReport r = fx.Run("c.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n");
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].message == "missing required field 'data'");
}

TEST_CASE("a removed apiVersion says which release removed it and what replaces it") {
  Fixture fx;
  FileReport r = fx.Run("crd.yaml",
                        "apiVersion: apiextensions.k8s.io/v1beta1\n"
                        "kind: CustomResourceDefinition\n"
                        "metadata: {name: widgets.example.com}\n");
  REQUIRE(r.findings.size() == 1);
  CHECK(Summary(r.findings[0]) ==
        "1:13 removed-api apiextensions.k8s.io/v1beta1 CustomResourceDefinition was removed in "
        "Kubernetes 1.22: use apiextensions.k8s.io/v1");
  CHECK(r.findings[0].severity == report::Severity::kError);
  CHECK(r.schema_missing);  // a CustomResourceDefinition among the files may still serve it
  CHECK(r.findings[0].path == "/apiVersion");
  // Not a missing schema: --ignore-missing-schemas does not hide it.
  ValidateOptions ignore;
  ignore.ignore_missing_schemas = true;
  CHECK(fx.Run("hr.yaml",
               "apiVersion: helm.toolkit.fluxcd.io/v2beta1\nkind: HelmRelease\n"
               "metadata: {name: web}\n",
               ignore)
            .findings.at(0)
            .message ==
        "helm.toolkit.fluxcd.io/v2beta1 HelmRelease was removed in Flux 2.7: use "
        "helm.toolkit.fluxcd.io/v2");
}

TEST_CASE("a version the target release still serves is a warning, and needs no schema") {
  Fixture fx;
  ValidateOptions old;
  old.kubernetes_version = {1, 21};
  const std::string ingress =
      "items:\n  - apiVersion: extensions/v1beta1\n    kind: Ingress\n    metadata: {name: web}\n";
  FileReport r = fx.Run("ingress.yaml", "apiVersion: v1\nkind: List\n" + ingress, old);
  REQUIRE(r.findings.size() == 1);
  CHECK(Summary(r.findings[0]) ==
        "4:17 deprecated-api extensions/v1beta1 Ingress is deprecated since Kubernetes 1.14 and "
        "will be removed in 1.22: use networking.k8s.io/v1");
  CHECK(r.findings[0].severity == report::Severity::kWarning);
  CHECK(r.findings[0].path == "/items/0/apiVersion");
  CHECK(r.findings[0].resource.name == "web");
  // Before its deprecation the version draws nothing, and its missing schema is no finding.
  old.kubernetes_version = {1, 13};
  CHECK(fx.Run("ingress.yaml", "apiVersion: v1\nkind: List\n" + ingress, old).findings.empty());
}

TEST_CASE("a deprecated version with a built-in schema is still checked against it") {
  Fixture fx;
  FileReport r = fx.Run("vac.yaml",
                        "apiVersion: storage.k8s.io/v1beta1\nkind: VolumeAttributesClass\n"
                        "metadata: {name: fast}\ndriverName: 7\n");
  REQUIRE(r.findings.size() == 2);
  CHECK(Summary(r.findings[0]) ==
        "1:13 deprecated-api storage.k8s.io/v1beta1 VolumeAttributesClass is deprecated since "
        "Kubernetes 1.34 and will be removed in 1.37: use storage.k8s.io/v1");
  CHECK(Summary(r.findings[1]) == "4:13 schema driverName: expected string, got integer");
}

TEST_CASE("a removed version a --crd file still serves is a warning naming it, then validated") {
  testing::TempDir dir;
  testing::WriteFile(dir / "old-flux.yaml",
                     "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
                     "metadata: {name: helmreleases.helm.toolkit.fluxcd.io}\nspec:\n"
                     "  group: helm.toolkit.fluxcd.io\n"
                     "  names: {kind: HelmRelease, plural: helmreleases}\n  scope: Namespaced\n"
                     "  versions:\n"
                     "    - {name: v2beta1, served: true, storage: true, schema: {openAPIV3Schema:"
                     " {type: object, required: [spec]}}}\n"
                     "    - {name: v2beta2, served: false, storage: false}\n");
  SchemaSources sources;
  sources.crds = {dir / "old-flux.yaml"};
  Fixture fx(sources);
  FileReport r = fx.Run("hr.yaml",
                        "apiVersion: helm.toolkit.fluxcd.io/v2beta1\nkind: HelmRelease\n"
                        "metadata: {name: web}\n");
  REQUIRE(r.findings.size() == 2);
  CHECK(r.findings[0].message == "missing required field 'spec'");
  CHECK(Summary(r.findings[1]) ==
        "1:13 deprecated-api helm.toolkit.fluxcd.io/v2beta1 HelmRelease was removed in Flux 2.7, "
        "but '" +
            dir / "old-flux.yaml" + "' still serves it: use helm.toolkit.fluxcd.io/v2");
  // A version the CRD lists but does not serve is removed all the same.
  FileReport beta2 = fx.Run("hr.yaml",
                            "apiVersion: helm.toolkit.fluxcd.io/v2beta2\nkind: HelmRelease\n"
                            "metadata: {name: web}\n");
  REQUIRE(beta2.findings.size() == 1);
  CHECK(beta2.findings[0].rule == "removed-api");
}

TEST_CASE("a schema catalog that still holds a removed version does not make it served") {
  testing::TempDir dir;
  testing::WriteFile(dir / "ingress-extensions-v1beta1.json", R"({"type": "object"})");
  SchemaSources sources;
  sources.locations = {dir.path() + "/{{ .ResourceKind }}{{ .KindSuffix }}.json", "default"};
  Fixture fx(sources);
  FileReport r = fx.Run("i.yaml",
                        "apiVersion: extensions/v1beta1\nkind: Ingress\n"
                        "metadata: {name: web}\n");
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].rule == "removed-api");
}

TEST_CASE(
    "every kind of the kubernetes 1.34 API has a built-in schema, PersistentVolume included") {
  Fixture fx;
  CHECK(fx.Run("pv.yaml",
               "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv}\n"
               "spec: {capacity: {storage: 1Gi}, accessModes: [ReadWriteOnce], hostPath: {path: "
               "/d}}\n")
            .findings.empty());
  CHECK(fx.Run("rct.yaml",
               "apiVersion: resource.k8s.io/v1\nkind: ResourceClaimTemplate\n"
               "metadata: {name: gpu}\nspec: {spec: {devices: {requests: [{name: gpu, exactly: "
               "{deviceClassName: gpu.example.com}}]}}}\n")
            .findings.empty());
  FileReport bad = fx.Run("pv.yaml",
                          "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv}\n"
                          "spec: {capacity: 1}\n");
  REQUIRE(bad.findings.size() == 1);
  CHECK(bad.findings[0].rule == "schema");
}

TEST_CASE("kustomize builtin plugin configurations are not cluster resources") {
  Fixture fx;
  CHECK(fx.Run("labels.yaml",
               "apiVersion: builtin\nkind: LabelTransformer\nmetadata: {name: labels}\n"
               "labels: {team: web}\nfieldSpecs: [{path: metadata/labels, create: true}]\n")
            .findings.empty());
  FileReport typo = fx.Run("labels.yaml",
                           "apiVersion: builtin\nkind: LabelsTransformer\n"
                           "metadata: {name: labels}\n");
  REQUIRE(typo.findings.size() == 1);
  CHECK(Summary(typo.findings[0]) ==
        "2:7 kustomize-plugin 'LabelsTransformer' is not a kustomize builtin plugin");
}

TEST_CASE("a custom plugin configuration listed by a kustomization needs no schema") {
  Fixture fx;
  std::string text =
      "apiVersion: someteam.example.com/v1\nkind: ChartInflator\n"
      "metadata: {name: notImportantHere}\nchartName: minecraft\n";
  CHECK(fx.Run("chart.yaml", text).findings.at(0).rule == "schema-missing");
  FileContext plugin;
  plugin.plugin_config = true;
  CHECK(fx.Run("chart.yaml", text, {}, plugin).findings.empty());
}

TEST_CASE("a file below a chart's templates/ is skipped even when it parses as a resource") {
  Fixture fx;
  std::string text = "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: bad}\n";
  CHECK_FALSE(fx.Run("chart/templates/svc.yaml", text).findings.empty());
  FileContext chart;
  chart.helm_template = true;
  CHECK(fx.Run("chart/templates/svc.yaml", text, {}, chart).findings.empty());
}

TEST_CASE("flux substitution variables pass pattern, enum and type checks but not field checks") {
  Fixture fx;
  // Each of these is a violation without the variable.
  FileReport r = fx.Run("app.yaml",
                        "apiVersion: apps/v1\n"
                        "kind: Deployment\n"
                        "metadata: {name: \"${APP}-web\"}\n"
                        "spec:\n"
                        "  replicas: ${REPLICAS}\n"
                        "  selector: {matchLabels: {app: web}}\n"
                        "  template:\n"
                        "    metadata: {labels: {app: web}}\n"
                        "    spec:\n"
                        "      restartPolicy: ${RESTART:=Always}\n"
                        "      containers:\n"
                        "        - name: web\n"
                        "          image: web:1\n"
                        "          ports: [{containerPort: \"${PORT}\"}]\n");
  CHECK(r.findings.empty());
  FileReport plain = fx.Run("app.yaml",
                            "apiVersion: apps/v1\nkind: Deployment\n"
                            "metadata: {name: web}\nspec:\n  replicas: REPLICAS\n"
                            "  selector: {matchLabels: {app: web}}\n"
                            "  template: {metadata: {labels: {app: web}}, spec: "
                            "{containers: [{name: web, image: web:1}]}}\n");
  REQUIRE(plain.findings.size() == 1);
  CHECK(plain.findings[0].message == "spec.replicas: expected integer, got string");
  // A variable does not excuse a wrongly typed object or a missing field.
  FileReport obj = fx.Run("cm.yaml",
                          "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"
                          "data: {a: {b: \"${X}\"}}\n");
  CHECK(obj.findings.size() == 1);
}

TEST_CASE("a pattern in a CRD schema is not applied to a string awaiting substitution") {
  Fixture fx;
  std::string text =
      "apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: r}\n"
      "spec:\n  url: https://example.com/r\n  interval: INTERVAL\n";
  FileReport plain = fx.Run("r.yaml", text);
  REQUIRE(plain.findings.size() == 1);
  CHECK(plain.findings[0].rule == "schema");
  std::string var = text;
  var.replace(var.find("INTERVAL"), 8, "${INTERVAL}");
  CHECK(fx.Run("r.yaml", var).findings.empty());
}

TEST_CASE("a flux alert may name the flux operator's kinds as event sources") {
  // The Flux Operator installs notification CRDs that accept them; the upstream ones do not.
  Fixture fx;
  std::string alert =
      "apiVersion: notification.toolkit.fluxcd.io/v1beta3\nkind: Alert\nmetadata: {name: a}\n"
      "spec:\n  providerRef: {name: p}\n  eventSources:\n    - {kind: FluxInstance, name: flux}\n"
      "    - {kind: ResourceSet, name: '*'}\n    - {kind: GitRepository, name: '*'}\n";
  CHECK(fx.Run("alert.yaml", alert).findings.empty());
  std::string pod = alert;
  pod.replace(pod.find("ResourceSet"), 11, "Pod");
  FileReport r = fx.Run("alert.yaml", pod);
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].path == "/spec/eventSources/1/kind");
}

TEST_CASE("a CRD discovered among the inputs serves only kinds no other source has") {
  Fixture fx;
  nlohmann::json crd = nlohmann::json::parse(R"({
    "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
    "metadata": {"name": "widgets.example.com"},
    "spec": {"group": "example.com", "names": {"kind": "Widget"}, "scope": "Namespaced",
             "versions": [{"name": "v1", "served": true, "storage": true, "schema": {
               "openAPIV3Schema": {"type": "object", "properties": {"spec": {"type": "object",
                 "properties": {"size": {"type": "integer"}}}}}}}]}})");
  std::string widget =
      "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: big}\n";
  FileReport before = fx.Run("w.yaml", widget);
  REQUIRE(before.findings.size() == 1);
  CHECK(before.findings[0].rule == "schema-missing");
  CHECK(before.schema_missing);
  CHECK(fx.registry->AddDiscoveredCrd(crd, "crds/widget.yaml") == 1);
  FileReport after = fx.Run("w.yaml", widget);
  REQUIRE(after.findings.size() == 1);
  CHECK(after.findings[0].message == "spec.size: expected integer, got string");
  // A built-in kind keeps its built-in schema.
  nlohmann::json deployment = crd;
  deployment["spec"]["group"] = "apps";
  deployment["spec"]["names"]["kind"] = "Deployment";
  CHECK(fx.registry->AddDiscoveredCrd(deployment, "x.yaml") == 1);
  FileReport builtin = fx.Run("d.yaml",
                              "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n"
                              "spec: {replicas: x}\n");
  CHECK(std::any_of(builtin.findings.begin(), builtin.findings.end(), [](const report::Finding& f) {
    return f.message == "spec.replicas: expected integer, got string";
  }));
}

TEST_CASE("a file's CustomResourceDefinitions are handed back for discovery") {
  Fixture fx;
  FileReport r = fx.Run("crd.yaml",
                        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
                        "metadata: {name: widgets.example.com}\nspec:\n  group: example.com\n"
                        "  names: {kind: Widget, plural: widgets}\n  scope: Namespaced\n"
                        "  versions: [{name: v1, served: true, storage: true}]\n");
  CHECK(r.findings.empty());
  REQUIRE(r.crds.size() == 1);
  CHECK(r.crds[0]["spec"]["group"] == "example.com");
}

}  // namespace
}  // namespace capstan::k8s
