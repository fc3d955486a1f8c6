#include "k8s/openapi.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <set>

#include "k8s/strict.h"
#include "support/json_schema.h"
#include "support/shared_data.h"
#include "support/yaml_json.h"
#include "yaml/parser.h"
#include "yaml/to_json.h"

namespace capstan::k8s {
namespace {

using nlohmann::json;

const json& OfficialSpec() {
  static const json spec = [] {
    std::ifstream in(std::string(CAPSTAN_SHARED_DIR) + "/data/kubernetes/openapi-v2-1.34.json");
    REQUIRE(in);
    return json::parse(in);
  }();
  return spec;
}

json OfficialSchema(const GroupVersionKind& gvk) {
  auto schemas = SchemasFromOpenApiV2(OfficialSpec(), {gvk});
  REQUIRE(schemas.ok());
  REQUIRE(schemas->size() == 1);
  CHECK(schemas->front().first == gvk);
  return schemas->front().second;
}

const json& DeploymentSchema() {
  static const json schema = OfficialSchema({"apps", "v1", "Deployment"});
  return schema;
}

const char kDeployment[] = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  strategy:
    rollingUpdate: {maxSurge: 25%, maxUnavailable: 0}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2
          ports: [{name: http, containerPort: 8080}]
          resources:
            requests: {cpu: 100m, memory: 64Mi}
          livenessProbe:
            httpGet: {path: /healthz, port: http}
)";

TEST_CASE("deployment schema from the official spec accepts a normal deployment", "[k8s]") {
  if (!capstan::testing::RequireSharedData("data/kubernetes")) return;
  CHECK(testing::SchemaAccepts(DeploymentSchema(), testing::YamlToJson(kDeployment)));
}

TEST_CASE("deployment schema accepts null replicas and a null creationTimestamp", "[k8s]") {
  if (!capstan::testing::RequireSharedData("data/kubernetes")) return;
  json doc = testing::YamlToJson(kDeployment);
  doc["spec"]["replicas"] = nullptr;
  doc["metadata"]["creationTimestamp"] = nullptr;
  doc["spec"]["template"]["metadata"]["creationTimestamp"] = nullptr;
  CHECK(testing::SchemaAccepts(DeploymentSchema(), doc));
}

TEST_CASE("deployment schema accepts a cpu quantity as a number or a string", "[k8s]") {
  if (!capstan::testing::RequireSharedData("data/kubernetes")) return;
  json cpu = GENERATE(json(1), json(0.5), json("500m"), json("2"));
  json doc = testing::YamlToJson(kDeployment);
  doc["spec"]["template"]["spec"]["containers"][0]["resources"]["limits"]["cpu"] = cpu;
  CHECK(testing::SchemaAccepts(DeploymentSchema(), doc));
}

TEST_CASE("deployment schema accepts a probe port by name or by number", "[k8s]") {
  if (!capstan::testing::RequireSharedData("data/kubernetes")) return;
  json port = GENERATE(json("http"), json(8080));
  json doc = testing::YamlToJson(kDeployment);
  doc["spec"]["template"]["spec"]["containers"][0]["livenessProbe"]["httpGet"]["port"] = port;
  CHECK(testing::SchemaAccepts(DeploymentSchema(), doc));
}

TEST_CASE("service schema accepts a targetPort by name or by number", "[k8s]") {
  if (!capstan::testing::RequireSharedData("data/kubernetes")) return;
  static const json schema = OfficialSchema({"", "v1", "Service"});
  json target = GENERATE(json("http"), json(8080));
  json doc = testing::YamlToJson(
      "apiVersion: v1\nkind: Service\nmetadata: {name: web}\n"
      "spec: {selector: {app: web}, ports: [{port: 80}]}\n");
  doc["spec"]["ports"][0]["targetPort"] = target;
  CHECK(testing::SchemaAccepts(schema, doc));
  doc["spec"]["ports"][0]["targetPort"] = true;
  CHECK_FALSE(testing::SchemaAccepts(schema, doc));
}

TEST_CASE("deployment schema rejects replicas written as a word", "[k8s]") {
  if (!capstan::testing::RequireSharedData("data/kubernetes")) return;
  json doc = testing::YamlToJson(kDeployment);
  doc["spec"]["replicas"] = "three";
  CHECK_FALSE(testing::SchemaAccepts(DeploymentSchema(), doc));
}

TEST_CASE("deployment schema rejects a container without a name", "[k8s]") {
  if (!capstan::testing::RequireSharedData("data/kubernetes")) return;
  json doc = testing::YamlToJson(kDeployment);
  doc["spec"]["template"]["spec"]["containers"][0].erase("name");
  CHECK_FALSE(testing::SchemaAccepts(DeploymentSchema(), doc));
}

TEST_CASE("deployment schema accepts unknown fields until it is made strict", "[k8s]") {
  if (!capstan::testing::RequireSharedData("data/kubernetes")) return;
  json doc = testing::YamlToJson(kDeployment);
  doc["spec"]["replcas"] = 1;
  CHECK(testing::SchemaAccepts(DeploymentSchema(), doc));
  json strict = DeploymentSchema();
  MakeStrict(strict);
  CHECK_FALSE(testing::SchemaAccepts(strict, doc));
  CHECK(testing::SchemaAccepts(strict, testing::YamlToJson(kDeployment)));
}

// Walks schema keywords only (property names are user data, and the CRD kind has a property
// named "$ref"), checking each keyword and collecting the definitions referenced.
void CheckKeywords(const json& schema, std::set<std::string>& refs) {
  static const std::set<std::string> allowed = {"$ref",
                                                "$schema",
                                                "additionalProperties",
                                                "allOf",
                                                "anyOf",
                                                "definitions",
                                                "enum",
                                                "exclusiveMaximum",
                                                "exclusiveMinimum",
                                                "items",
                                                "maxItems",
                                                "maxLength",
                                                "maxProperties",
                                                "maximum",
                                                "minItems",
                                                "minLength",
                                                "minProperties",
                                                "minimum",
                                                "not",
                                                "oneOf",
                                                "pattern",
                                                "properties",
                                                "required",
                                                "type",
                                                "uniqueItems"};
  if (!schema.is_object()) return;
  for (const auto& [key, value] : schema.items()) {
    INFO(key);
    CHECK(allowed.contains(key));
    if (key == "$ref") {
      refs.insert(value.get<std::string>().substr(std::string("#/definitions/").size()));
    } else if (key == "properties" || key == "definitions") {
      for (const auto& child : value) CheckKeywords(child, refs);
    } else if (key == "items" || key == "additionalProperties" || key == "not") {
      CheckKeywords(value, refs);
    } else if (key == "anyOf" || key == "oneOf" || key == "allOf") {
      for (const auto& child : value) CheckKeywords(child, refs);
    }
  }
}

TEST_CASE("converted kinds are self-contained and keep only validation keywords", "[k8s]") {
  if (!capstan::testing::RequireSharedData("data/kubernetes")) return;
  auto gvk = GENERATE(GroupVersionKind{"apps", "v1", "Deployment"},
                      GroupVersionKind{"apiextensions.k8s.io", "v1", "CustomResourceDefinition"},
                      GroupVersionKind{"", "v1", "ConfigMap"});
  json schema = OfficialSchema(gvk);
  CHECK(schema["type"] == "object");
  CHECK(schema["$schema"] == kDraft04);
  std::set<std::string> refs;
  CheckKeywords(schema, refs);
  std::set<std::string> defined;
  const json definitions = schema.value("definitions", json::object());
  for (const auto& [name, def] : definitions.items()) defined.insert(name);
  CHECK(refs == defined);
}

TEST_CASE("the custom resource definition schema compiles although it is recursive", "[k8s]") {
  if (!capstan::testing::RequireSharedData("data/kubernetes")) return;
  json schema = OfficialSchema({"apiextensions.k8s.io", "v1", "CustomResourceDefinition"});
  std::ifstream in(std::string(CAPSTAN_SOURCE_DIR) + "/tests/fixtures/widget-crd.yaml");
  std::stringstream text;
  text << in.rdbuf();
  json crd = testing::YamlToJson(text.str());

  CHECK(testing::SchemaAccepts(schema, crd));
  crd["spec"]["versions"][0]["served"] = "yes";
  CHECK_FALSE(testing::SchemaAccepts(schema, crd));
}

TEST_CASE("schema file names are the lowercase kind, group and version", "[k8s]") {
  CHECK(SchemaFileName({"apps", "v1", "Deployment"}) == "deployment-apps-v1.json");
  CHECK(SchemaFileName({"", "v1", "Service"}) == "service-v1.json");
  CHECK(SchemaFileName({"argoproj.io", "v1alpha1", "Application"}) ==
        "application-argoproj.io-v1alpha1.json");
  CHECK(ApiVersion({"", "v1", "Service"}) == "v1");
  CHECK(ApiVersion({"apps", "v1", "Deployment"}) == "apps/v1");
}

TEST_CASE("a wanted kind the spec lacks is simply absent", "[k8s]") {
  if (!capstan::testing::RequireSharedData("data/kubernetes")) return;
  auto schemas = SchemasFromOpenApiV2(OfficialSpec(), {{"example.com", "v1", "Widget"}});
  REQUIRE(schemas.ok());
  CHECK(schemas->empty());
}

TEST_CASE("a document without definitions is not an openapi v2 document", "[k8s]") {
  auto schemas = SchemasFromOpenApiV2(json{{"swagger", "2.0"}});
  REQUIRE_FALSE(schemas.ok());
  CHECK(schemas.status().code() == StatusCode::kInvalidArgument);
  CHECK(schemas.status().message() == "not an openapi v2 document: no 'definitions' object");
}

TEST_CASE("a reference to another document is an error naming the definition", "[k8s]") {
  json doc = {{"definitions",
               {{"a.Widget",
                 {{"type", "object"},
                  {"properties", {{"spec", {{"$ref", "other.json#/definitions/Spec"}}}}},
                  {"x-kubernetes-group-version-kind",
                   {{{"group", "a"}, {"version", "v1"}, {"kind", "Widget"}}}}}}}}};
  auto schemas = SchemasFromOpenApiV2(doc);
  REQUIRE_FALSE(schemas.ok());
  CHECK(schemas.status().message() ==
        "openapi definition 'a.Widget': schema at '/properties/spec': unsupported reference "
        "'other.json#/definitions/Spec' (only #/definitions/...)");
}

TEST_CASE("a reference to a missing definition is an error", "[k8s]") {
  json doc = {{"definitions",
               {{"a.Widget",
                 {{"type", "object"},
                  {"properties", {{"spec", {{"$ref", "#/definitions/a.Missing"}}}}},
                  {"x-kubernetes-group-version-kind",
                   {{{"group", "a"}, {"version", "v1"}, {"kind", "Widget"}}}}}}}}};
  auto schemas = SchemasFromOpenApiV2(doc);
  REQUIRE_FALSE(schemas.ok());
  CHECK(schemas.status().message() == "openapi document has no definition 'a.Missing'");
}

}  // namespace
}  // namespace capstan::k8s
