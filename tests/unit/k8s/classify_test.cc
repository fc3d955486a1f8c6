#include "k8s/classify.h"

#include <catch2/catch.hpp>

#include "yaml/parser.h"

namespace capstan::k8s {
namespace {

Classified ClassifyText(const std::string& text, FileRole role = FileRole::kManifests) {
  yaml::ParsedFile f = yaml::Parse(text);
  REQUIRE(f.issues.empty());
  REQUIRE(f.documents.size() == 1);
  return Classify(f.documents[0], f.documents[0].root(), role);
}

TEST_CASE("file roles come from the path") {
  CHECK(RoleOf("apps/kustomization.yaml", "") == FileRole::kKustomization);
  CHECK(RoleOf("Kustomization", "") == FileRole::kKustomization);
  CHECK(RoleOf("charts/web/Chart.yaml", "") == FileRole::kHelmChart);
  CHECK(RoleOf("charts/web/values-prod.yaml", "") == FileRole::kHelmValues);
  CHECK(RoleOf("charts/web/templates/deploy.yaml", "name: {{ .Release.Name }}") ==
        FileRole::kHelmTemplate);
  CHECK(RoleOf("apps/templates/plain.yaml", "kind: ConfigMap") == FileRole::kManifests);
  CHECK(RoleOf("apps/deploy.yaml", "") == FileRole::kManifests);
}

TEST_CASE("the directories that could make a file a helm template are those above templates/") {
  CHECK(TemplateParentDirs("a/chart/templates/sub/x.yaml") == std::vector<std::string>{"a/chart"});
  CHECK(TemplateParentDirs("templates/x.yaml") == std::vector<std::string>{""});
  CHECK(TemplateParentDirs("/abs/c/templates/x.yaml") == std::vector<std::string>{"/abs/c"});
  CHECK(TemplateParentDirs("c/templates/d/templates/x.yaml") ==
        std::vector<std::string>{"c", "c/templates/d"});
  CHECK(TemplateParentDirs("apps/templates.yaml").empty());
  CHECK(TemplateParentDirs("apps/my-templates/x.yaml").empty());
}

TEST_CASE("an apiVersion: builtin document is a kustomize plugin configuration") {
  Classified c = ClassifyText("apiVersion: builtin\nkind: LabelTransformer\nmetadata: {name: l}\n");
  CHECK(c.kind == DocKind::kKustomizePlugin);
  CHECK(c.identity.kind == "LabelTransformer");
  CHECK(ClassifyText("apiVersion: builtin\nkind: PrefixTransformer\nprefix: p-\n").kind ==
        DocKind::kKustomizePlugin);
}

TEST_CASE("a resource needs apiVersion, kind and metadata.name as strings") {
  Classified ok =
      ClassifyText("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: w\n  namespace: n\n");
  CHECK(ok.kind == DocKind::kResource);
  CHECK(ok.identity.group == "apps");
  CHECK(ok.identity.version == "v1");
  CHECK(ok.identity.ns == "n");

  Classified no_name = ClassifyText("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {}\n");
  CHECK(no_name.kind == DocKind::kMalformed);
  REQUIRE(no_name.problems.size() == 1);
  CHECK(no_name.problems[0].message == "missing required field 'metadata.name'");

  Classified list_kind = ClassifyText("apiVersion: v1\nkind: [ConfigMap]\nmetadata: {name: x}\n");
  CHECK(list_kind.kind == DocKind::kMalformed);
  CHECK(list_kind.problems[0].message == "'kind' must be a non-empty string");

  Classified no_kind = ClassifyText("apiVersion: v1\nmetadata: {name: x}\n");
  CHECK(no_kind.kind == DocKind::kMalformed);
}

TEST_CASE("generateName stands in for name") {
  CHECK(
      ClassifyText("apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: migrate-\n").kind ==
      DocKind::kResource);
}

TEST_CASE("documents without apiVersion and kind are not judged") {
  CHECK(ClassifyText("replicaCount: 3\nimage: {tag: 1.0}\n").kind == DocKind::kNotKubernetes);
  CHECK(ClassifyText("- a\n- b\n").kind == DocKind::kNotKubernetes);
}

TEST_CASE("helm chart metadata and values are never resources") {
  CHECK(ClassifyText("apiVersion: v2\nname: web\nversion: 1.0.0\n", FileRole::kHelmChart).kind ==
        DocKind::kNotKubernetes);
}

TEST_CASE("kustomization files may omit apiVersion") {
  Classified k = ClassifyText("resources:\n  - a.yaml\n", FileRole::kKustomization);
  CHECK(k.kind == DocKind::kKustomization);
  CHECK(k.identity.api_version == "kustomize.config.k8s.io/v1beta1");
  CHECK(k.identity.kind == "Kustomization");
}

TEST_CASE("flux's Kustomization is a resource, not a kustomization file") {
  Classified f = ClassifyText(
      "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: apps}\n");
  CHECK(f.kind == DocKind::kResource);
}

TEST_CASE("a List with items is expanded by the validator") {
  CHECK(ClassifyText("apiVersion: v1\nkind: List\nitems: []\n").kind == DocKind::kList);
}

}  // namespace
}  // namespace capstan::k8s
