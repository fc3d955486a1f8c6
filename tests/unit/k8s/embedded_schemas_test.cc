// The same valijson build as tests/support/json_schema.cc, so a broken schema fails a test
// instead of aborting the binary.
#define VALIJSON_USE_EXCEPTIONS 1

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include "core/embedded.h"
#include "fs/posix_file_system.h"
#include "gen/generate.h"
#include "k8s/openapi.h"
#include "k8s/schema_registry.h"
#include "k8s/strict.h"
#include "support/corpus_docs.h"
#include "support/shared_data.h"
#include "support/yaml_json.h"
#include "yaml/parser.h"
#include "yaml/to_json.h"

namespace capstan::k8s {
namespace {

using nlohmann::json;
namespace fsys = std::filesystem;
using testing::Corpus;

// File name -> content, converted from the reference data once per test run.
const std::map<std::string, std::string>& Regenerated() {
  static const std::map<std::string, std::string> files = [] {
    fs::PosixFileSystem posix;
    auto generated = schemas::GenerateSchemas(posix, std::string(CAPSTAN_SHARED_DIR) + "/data");
    INFO(generated.status().message());
    REQUIRE(generated.ok());
    std::map<std::string, std::string> out;
    for (auto& f : *generated) out.emplace(f.name, std::move(f.content));
    return out;
  }();
  return files;
}

json Embedded(const std::string& name) {
  std::string_view data = embedded::Find("k8s/" + name);
  INFO(name);
  REQUIRE_FALSE(data.empty());
  return json::parse(data);
}

// Compiles each schema once; keys name the schema and its mode.
class Checker {
 public:
  bool Accepts(const std::string& key, const json& schema, const json& doc) {
    auto& compiled = compiled_[key];
    if (!compiled) {
      compiled = std::make_unique<valijson::Schema>();
      valijson::SchemaParser parser(valijson::SchemaParser::kDraft4);
      parser.populateSchema(valijson::adapters::NlohmannJsonAdapter(schema), *compiled);
    }
    valijson::Validator validator;
    valijson::ValidationResults results;
    if (validator.validate(*compiled, valijson::adapters::NlohmannJsonAdapter(doc), &results))
      return true;
    valijson::ValidationResults::Error error;
    while (results.popError(error)) {
      std::string context;
      for (const auto& part : error.context) context += part;
      UNSCOPED_INFO(key << ": " << context << ": " << error.description);
    }
    return false;
  }

 private:
  std::map<std::string, std::unique_ptr<valijson::Schema>> compiled_;
};

TEST_CASE("embedded schemas are exactly what the generator makes from the reference data",
          "[k8s]") {
  if (!capstan::testing::RequireSharedData("data")) return;
  const auto& regenerated = Regenerated();
  CHECK(regenerated.size() >= 50);
  for (const auto& [name, content] : regenerated) {
    INFO("schemas/k8s/" << name << " is stale: run schemas/generate.sh");
    CHECK(embedded::Find("k8s/" + name) == content);
  }
  std::set<std::string> known(schemas::HandWrittenSchemas().begin(),
                              schemas::HandWrittenSchemas().end());
  for (const auto& [name, content] : regenerated) known.insert(name);
  for (const auto& f : embedded::Files()) {
    if (!f.name.starts_with("k8s/")) continue;
    INFO("schemas/" << f.name << " is neither generated nor hand-written: run schemas/generate.sh");
    CHECK(known.contains(std::string(f.name.substr(4))));
  }
}

TEST_CASE("every kind the kubernetes 1.34 spec defines has a built-in schema that compiles",
          "[k8s]") {
  if (!capstan::testing::RequireSharedData("data")) return;
  // Walks the reference spec itself, not the generator's list, so a kind the generator drops
  // fails here by name.
  std::ifstream in(std::string(CAPSTAN_SHARED_DIR) + "/data/" + schemas::kOpenApiFile);
  REQUIRE(in.good());
  const json spec = json::parse(in);
  fs::PosixFileSystem posix;
  auto registry = SchemaRegistry::Create({}, posix);
  REQUIRE(registry.ok());
  std::size_t kinds = 0;
  for (const auto& [name, definition] : spec.at("definitions").items()) {
    if (!definition.contains("x-kubernetes-group-version-kind")) continue;
    for (const auto& g : definition["x-kubernetes-group-version-kind"]) {
      GroupVersionKind gvk{g.at("group"), g.at("version"), g.at("kind")};
      INFO(name << ": " << ApiVersion(gvk) << " " << gvk.kind);
      auto schema = (*registry)->Find(gvk);
      REQUIRE(schema.ok());
      CHECK(*schema != nullptr);
      ++kinds;
    }
  }
  CHECK(kinds == 305);
}

TEST_CASE("embedded kubernetes schemas stay well under the size budget", "[k8s]") {
  std::size_t total = 0;
  for (const auto& f : embedded::Files())
    if (f.name.starts_with("k8s/")) total += f.data.size();
  WARN("embedded schemas/k8s: " << total << " bytes");
  CHECK(total < (6u << 20));
}

const char kKustomizationName[] = "kustomization-kustomize.config.k8s.io-v1beta1.json";

TEST_CASE("the hand-written Kustomization and Component schemas are one schema", "[k8s]") {
  CHECK(embedded::Find("k8s/component-kustomize.config.k8s.io-v1alpha1.json") ==
        embedded::Find(std::string("k8s/") + kKustomizationName));
}

TEST_CASE("the Kustomization schema types every field kustomize accepts", "[k8s]") {
  const json loose = Embedded(kKustomizationName);
  json strict = loose;
  MakeStrict(strict);
  Checker checker;
  json k = testing::YamlToJson(R"(apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
metadata: {name: app, annotations: {config.kubernetes.io/local-config: "true"}}
resources: [deployment.yaml, ../base]
bases: [../old]
components: [../components/tls]
crds: [crd.yaml]
namespace: web
namePrefix: prod-
nameSuffix: -v2
commonLabels: {app: web}
commonAnnotations: {owner: team}
labels:
  - pairs: {tier: frontend}
    includeSelectors: false
    includeTemplates: true
    fields: [{kind: Deployment, path: spec/template/metadata/labels, create: true}]
images:
  - {name: web, newName: ghcr.io/acme/web, newTag: "1.4.2"}
  - {name: db, digest: "sha256:0123", tagSuffix: -alpine}
replicas: [{name: web, count: 3}]
patches:
  - path: patch.yaml
    target: {kind: Deployment, name: web, labelSelector: "app=web"}
    options: {allowNameChange: true}
  - patch: |-
      - op: replace
        path: /spec/replicas
        value: 1
patchesStrategicMerge: [sm.yaml]
patchesJson6902: [{target: {group: apps, version: v1, kind: Deployment, name: web}, path: j.yaml}]
configMapGenerator:
  - name: cfg
    behavior: merge
    literals: [A=1]
    files: [app.properties]
    envs: [.env]
    options: {disableNameSuffixHash: true, labels: {a: b}}
secretGenerator:
  - {name: creds, type: kubernetes.io/tls, files: [tls.crt, tls.key]}
generatorOptions: {disableNameSuffixHash: true, immutable: true, annotations: {owner: team}}
generators: [gen.yaml]
transformers: [t.yaml]
validators: [v.yaml]
configurations: [c.yaml]
helmGlobals: {chartHome: charts}
helmCharts:
  - name: redis
    repo: https://charts.bitnami.com/bitnami
    version: 17.0.0
    releaseName: cache
    includeCRDs: true
    valuesInline: {auth: {enabled: false}, replicas: 2}
openapi: {path: schema.json}
replacements:
  - path: r.yaml
  - source: {kind: ConfigMap, name: cfg, fieldPath: data.HOST}
    targets:
      - select: {kind: Deployment}
        reject: [{name: other}]
        fieldPaths: [spec.template.spec.containers.0.env.0.value]
        options: {delimiter: ":", index: 0, create: true}
vars:
  - name: HOST
    objref: {kind: Service, name: web, apiVersion: v1}
    fieldref: {fieldPath: metadata.name}
sortOptions: {order: legacy, legacySortOptions: {orderFirst: [Namespace], orderLast: [Job]}}
buildMetadata: [originAnnotations]
)");
  CHECK(checker.Accepts("loose", loose, k));
  CHECK(checker.Accepts("strict", strict, k));

  struct Case {
    const char* what;
    json::json_pointer where;
    json value;
  };
  const Case cases[] = {
      {"a misspelt image field", json::json_pointer("/images/0/newtag"), "1.5.0"},
      {"a misspelt top-level field", json::json_pointer("/resource"), json::array()},
      {"a misspelt patch target field", json::json_pointer("/patches/0/target/knd"), "Service"},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    json bad = k;
    bad[c.where] = c.value;
    CHECK(checker.Accepts("loose", loose, bad));
    CHECK_FALSE(checker.Accepts("strict", strict, bad));
  }
  json number_tag = k;
  number_tag["images"][0]["newTag"] = 1.5;
  CHECK_FALSE(checker.Accepts("loose", loose, number_tag));
  json bad_behavior = k;
  bad_behavior["configMapGenerator"][0]["behavior"] = "upsert";
  CHECK_FALSE(checker.Accepts("loose", loose, bad_behavior));
}

TEST_CASE("every corpus document the reference schema accepts, the embedded one accepts", "[k8s]") {
  if (!capstan::testing::RequireSharedData("data")) return;
  if (!capstan::testing::RequireSharedData("corpus")) return;
  const auto& regenerated = Regenerated();
  Checker checker;
  std::map<std::string, json> schemas;
  std::size_t checked = 0, reference_rejects = 0, embedded_rejects = 0, strict_rejects = 0;
  std::size_t hand_written = 0;
  for (const auto& c : Corpus()) {
    INFO(c.file << " (" << c.schema << ")");
    if (!schemas.contains(c.schema)) {
      schemas[c.schema] = Embedded(c.schema);
      schemas[c.schema + " strict"] = schemas[c.schema];
      MakeStrict(schemas[c.schema + " strict"]);
    }
    const bool embedded_ok = checker.Accepts(c.schema, schemas[c.schema], c.doc);
    const bool strict_ok =
        checker.Accepts(c.schema + " strict", schemas[c.schema + " strict"], c.doc);
    auto ref = regenerated.find(c.schema);
    if (ref == regenerated.end()) {
      // Hand-written (Kustomization, Component): kustomize itself rejects unknown fields, so
      // real repositories must pass even the strict form.
      ++hand_written;
      CHECK(embedded_ok);
      CHECK(strict_ok);
      continue;
    }
    ++checked;
    const std::string ref_key = c.schema + " reference";
    if (!schemas.contains(ref_key)) schemas[ref_key] = json::parse(ref->second);
    const bool reference_ok = checker.Accepts(ref_key, schemas[ref_key], c.doc);
    if (reference_ok) CHECK(embedded_ok);
    reference_rejects += !reference_ok;
    embedded_rejects += !embedded_ok;
    strict_rejects += !strict_ok;
  }
  WARN("corpus: " << checked << " documents checked against generated schemas (reference "
                  << "rejected " << reference_rejects << ", embedded rejected " << embedded_rejects
                  << ", strict embedded rejected " << strict_rejects << "); " << hand_written
                  << " Kustomization/Component documents");
  CHECK(checked >= 300);
  CHECK(hand_written >= 100);
}

TEST_CASE("strict embedded schemas catch a typo added to real corpus documents", "[k8s]") {
  if (!capstan::testing::RequireSharedData("corpus")) return;
  struct Typo {
    std::string schema;
    std::function<bool(json&)> add;  // false when the document has no place for it
  };
  const Typo typos[] = {
      {"deployment-apps-v1.json",
       [](json& d) {
         if (!d.contains("spec")) return false;
         d["spec"]["replcas"] = 1;
         return true;
       }},
      {"application-argoproj.io-v1alpha1.json",
       [](json& d) {
         if (!d.contains("spec") || !d["spec"].contains("source")) return false;
         d["spec"]["source"]["targetRevison"] = "main";
         return true;
       }},
      {kKustomizationName,
       [](json& d) {
         d["images"].push_back(json{{"name", "web"}, {"newtag", "1.5.0"}});
         return true;
       }},
  };
  Checker checker;
  for (const auto& typo : typos) {
    const json loose = Embedded(typo.schema);
    json strict = loose;
    MakeStrict(strict);
    int tried = 0;
    for (const auto& c : Corpus()) {
      if (c.schema != typo.schema || tried == 3) continue;
      if (!checker.Accepts("strict " + typo.schema, strict, c.doc)) continue;
      json bad = c.doc;
      if (!typo.add(bad)) continue;
      INFO(c.file);
      CHECK(checker.Accepts("loose " + typo.schema, loose, bad));
      CHECK_FALSE(checker.Accepts("strict " + typo.schema, strict, bad));
      ++tried;
    }
    INFO(typo.schema);
    CHECK(tried >= 1);
  }
}

}  // namespace
}  // namespace capstan::k8s
