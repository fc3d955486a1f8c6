#include "k8s/crd.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "k8s/strict.h"
#include "support/json_schema.h"
#include "support/shared_data.h"
#include "support/yaml_json.h"
#include "yaml/parser.h"
#include "yaml/to_json.h"

namespace capstan::k8s {
namespace {

using nlohmann::json;

json Converted(const json& schema) {
  std::vector<std::string> refs;
  auto out = ConvertSchema(schema, true, &refs);
  REQUIRE(out.ok());
  CHECK(refs.empty());
  return *out;
}

const char kTwoVersions[] = R"(apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
    - name: v1alpha1
      served: true
      storage: false
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                size: {type: string}
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          description: A widget.
          properties:
            spec:
              type: object
              required: [size]
              properties:
                size: {type: integer, minimum: 1, format: int32}
                color: {type: string, enum: [red, blue], default: red}
)";

TEST_CASE("a CRD with two versions yields one schema per version", "[k8s]") {
  auto schemas = SchemasFromCrd(testing::YamlToJson(kTwoVersions));
  REQUIRE(schemas.ok());
  REQUIRE(schemas->size() == 2);
  CHECK((*schemas)[0].first == GroupVersionKind{"example.com", "v1alpha1", "Widget"});
  CHECK((*schemas)[1].first == GroupVersionKind{"example.com", "v1", "Widget"});
  const json& v1alpha1 = (*schemas)[0].second;
  const json& v1 = (*schemas)[1].second;
  json doc = {{"apiVersion", "example.com/v1"}, {"kind", "Widget"}, {"spec", {{"size", "big"}}}};
  CHECK(testing::SchemaAccepts(v1alpha1, doc));
  CHECK_FALSE(testing::SchemaAccepts(v1, doc));
  doc["spec"]["size"] = 3;
  CHECK(testing::SchemaAccepts(v1, doc));
  doc["spec"]["size"] = 0;
  CHECK_FALSE(testing::SchemaAccepts(v1, doc));
  doc["spec"] = json::object();
  CHECK_FALSE(testing::SchemaAccepts(v1, doc));
}

TEST_CASE("a CRD schema drops documentation and formats and allows null values", "[k8s]") {
  auto schemas = SchemasFromCrd(testing::YamlToJson(kTwoVersions));
  REQUIRE(schemas.ok());
  const json& spec = (*schemas)[1].second["properties"]["spec"];
  CHECK((*schemas)[1].second["type"] == "object");
  CHECK_FALSE((*schemas)[1].second.contains("description"));
  CHECK(spec["properties"]["size"] == json{{"type", {"integer", "null"}}, {"minimum", 1}});
  CHECK(spec["properties"]["color"] ==
        json{{"type", {"string", "null"}}, {"enum", {"red", "blue", nullptr}}});
}

TEST_CASE("a document that is not a CRD gives a clear error", "[k8s]") {
  auto schemas = SchemasFromCrd(
      testing::YamlToJson("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n"));
  REQUIRE_FALSE(schemas.ok());
  CHECK(schemas.status().code() == StatusCode::kInvalidArgument);
  CHECK(schemas.status().message() == "not a CustomResourceDefinition: its kind is 'Deployment'");
  CHECK(SchemasFromCrd(json::array()).status().message() ==
        "not a CustomResourceDefinition: not a mapping");
  CHECK(SchemasFromCrd(json{{"apiVersion", "v1"}}).status().message() ==
        "not a CustomResourceDefinition: it has no kind");
}

TEST_CASE("a CRD without versions names itself in the error", "[k8s]") {
  json crd = testing::YamlToJson(kTwoVersions);
  crd["spec"].erase("versions");
  auto schemas = SchemasFromCrd(crd);
  REQUIRE_FALSE(schemas.ok());
  CHECK(schemas.status().message() ==
        "CustomResourceDefinition 'widgets.example.com': it declares no versions");
}

TEST_CASE("a v1beta1 CRD uses spec.validation for versions without a schema", "[k8s]") {
  auto schemas = SchemasFromCrd(testing::YamlToJson(R"(apiVersion: apiextensions.k8s.io/v1beta1
kind: CustomResourceDefinition
metadata: {name: gadgets.example.com}
spec:
  group: example.com
  names: {kind: Gadget}
  version: v1beta1
  versions: [{name: v1beta1}, {name: v1beta2}]
  validation:
    openAPIV3Schema:
      properties:
        spec:
          properties:
            count: {type: integer}
)"));
  REQUIRE(schemas.ok());
  REQUIRE(schemas->size() == 2);
  for (const auto& [gvk, schema] : *schemas) {
    CHECK(schema["type"] == "object");
    CHECK_FALSE(testing::SchemaAccepts(schema, json{{"spec", {{"count", "many"}}}}));
  }
}

TEST_CASE("a CRD version without any schema accepts any object", "[k8s]") {
  json crd = testing::YamlToJson(kTwoVersions);
  crd["spec"]["versions"][0].erase("schema");
  auto schemas = SchemasFromCrd(crd);
  REQUIRE(schemas.ok());
  json strict = (*schemas)[0].second;
  MakeStrict(strict);
  CHECK(testing::SchemaAccepts(strict, json{{"anything", {{"at", "all"}}}}));
}

TEST_CASE("a CRD schema with a $ref is rejected", "[k8s]") {
  json crd = testing::YamlToJson(kTwoVersions);
  crd["spec"]["versions"][1]["schema"]["openAPIV3Schema"]["properties"]["spec"] = {
      {"$ref", "#/definitions/Spec"}};
  auto schemas = SchemasFromCrd(crd);
  REQUIRE_FALSE(schemas.ok());
  CHECK(schemas.status().message() ==
        "CustomResourceDefinition 'widgets.example.com' version v1: uses '$ref', which "
        "CustomResourceDefinitions do not allow");
}

TEST_CASE("int-or-string accepts an integer, a string or null and nothing else", "[k8s]") {
  json schema = Converted(testing::YamlToJson(
      "anyOf: [{type: integer}, {type: string}]\nx-kubernetes-int-or-string: true\n"));
  CHECK(schema == json{{"type", {"integer", "string", "null"}}});
  CHECK(testing::SchemaAccepts(schema, 3));
  CHECK(testing::SchemaAccepts(schema, "25%"));
  CHECK(testing::SchemaAccepts(schema, nullptr));
  CHECK_FALSE(testing::SchemaAccepts(schema, 1.5));
  CHECK_FALSE(testing::SchemaAccepts(schema, true));
}

TEST_CASE("preserve-unknown-fields without a type accepts anything", "[k8s]") {
  json schema = Converted(testing::YamlToJson("x-kubernetes-preserve-unknown-fields: true\n"));
  MakeStrict(schema);
  for (const json& value : {json(1), json("s"), json::array({1}), json{{"a", {{"b", 1}}}}})
    CHECK(testing::SchemaAccepts(schema, value));
}

TEST_CASE("an object with neither properties nor additionalProperties is explicitly open",
          "[k8s]") {
  CHECK(Converted(testing::YamlToJson("type: object\n")) ==
        json{{"type", {"object", "null"}}, {"additionalProperties", true}});
  CHECK(Converted(testing::YamlToJson("type: object\nproperties: {}\n")) ==
        json{{"type", {"object", "null"}}, {"additionalProperties", true}});
}

TEST_CASE("anyOf branches stay open under strict and null still passes them", "[k8s]") {
  json schema = Converted(testing::YamlToJson(R"(type: object
properties:
  a: {type: string}
  b: {type: string}
anyOf:
  - required: [a]
    properties: {a: {minLength: 1}}
  - required: [b]
)"));
  MakeStrict(schema);
  CHECK(testing::SchemaAccepts(schema, json{{"a", "x"}, {"b", "y"}}));
  CHECK(testing::SchemaAccepts(schema, json{{"b", "y"}}));
  CHECK(testing::SchemaAccepts(schema, nullptr));
  CHECK_FALSE(testing::SchemaAccepts(schema, json::object()));
  CHECK_FALSE(testing::SchemaAccepts(schema, json{{"a", "x"}, {"c", 1}}));
}

TEST_CASE("a pattern std::regex cannot compile is dropped, others are kept", "[k8s]") {
  CHECK_FALSE(
      Converted(testing::YamlToJson("type: string\npattern: '(?i)^abc$'\n")).contains("pattern"));
  CHECK(Converted(testing::YamlToJson("type: string\npattern: '^[a-z]+$'\n"))["pattern"] ==
        "^[a-z]+$");
}

TEST_CASE("malformed schema keywords are errors with their location", "[k8s]") {
  std::vector<std::string> refs;
  auto bad_type = ConvertSchema(json{{"properties", {{"a", {{"type", 3}}}}}}, false, &refs);
  REQUIRE_FALSE(bad_type.ok());
  CHECK(bad_type.status().message() ==
        "schema at '/properties/a': 'type' is neither a string nor a list");
  auto unknown = ConvertSchema(json{{"type", "file"}}, false, &refs);
  CHECK(unknown.status().message() == "schema at '/': unknown type 'file'");
  json deep = {{"type", "string"}};
  for (int i = 0; i < 300; ++i) deep = json{{"items", deep}};
  CHECK(ConvertSchema(deep, false, &refs).status().code() == StatusCode::kInvalidArgument);
}

TEST_CASE("strict mode leaves a field named properties alone", "[k8s]") {
  json schema = Converted(testing::YamlToJson(R"(type: object
properties:
  properties:
    type: object
    properties:
      x: {type: string}
)"));
  MakeStrict(schema);
  CHECK(schema["additionalProperties"] == false);
  CHECK(schema["properties"]["properties"]["additionalProperties"] == false);
  CHECK_FALSE(
      schema["properties"]["properties"]["properties"]["x"].contains("additionalProperties"));
}

json ArgoApplicationSchema() {
  std::ifstream in(std::string(CAPSTAN_SHARED_DIR) + "/data/crds/argocd/application-crd.yaml");
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  auto schemas = SchemasFromCrd(testing::YamlToJson(text.str()));
  REQUIRE(schemas.ok());
  REQUIRE(schemas->size() == 1);
  CHECK(schemas->front().first == GroupVersionKind{"argoproj.io", "v1alpha1", "Application"});
  return schemas->front().second;
}

const char kApplication[] = R"(apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: guestbook, namespace: argocd}
spec:
  project: default
  source:
    repoURL: https://github.com/argoproj/argocd-example-apps.git
    targetRevision: HEAD
    path: helm-guestbook
    helm:
      valuesObject:
        replicaCount: 2
        image: {tag: "1.4.2", pullPolicy: null}
        anything: [1, "two", {three: 3}]
  destination: {server: https://kubernetes.default.svc, namespace: guestbook}
  syncPolicy:
    automated: {prune: true, selfHeal: true}
)";

TEST_CASE("strict Argo CD Application schema rejects typos but keeps valuesObject open", "[k8s]") {
  if (!capstan::testing::RequireSharedData("data/crds")) return;
  static const json loose = ArgoApplicationSchema();
  json strict = loose;
  MakeStrict(strict);
  json app = testing::YamlToJson(kApplication);
  CHECK(testing::SchemaAccepts(loose, app));
  CHECK(testing::SchemaAccepts(strict, app));
  app["spec"]["source"]["targetRevison"] = "main";
  CHECK(testing::SchemaAccepts(loose, app));
  CHECK_FALSE(testing::SchemaAccepts(strict, app));
}

}  // namespace
}  // namespace capstan::k8s
