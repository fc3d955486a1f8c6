#include "k8s/kustomize.h"

#include <algorithm>
#include <catch2/catch.hpp>

#include "yaml/parser.h"

namespace capstan::k8s {
namespace {

TEST_CASE(
    "plugin configuration files are the file entries of generators, transformers and validators") {
  yaml::ParsedFile f = yaml::Parse(
      "resources: [deploy.yaml]\n"
      "generators: [gen/secret.yaml]\n"
      "transformers:\n"
      "  - labels.yaml\n"
      "  - ../shared/prefix.yaml\n"
      "  - |\n"
      "    apiVersion: builtin\n"
      "    kind: PrefixTransformer\n"
      "validators: [check.yaml]\n");
  REQUIRE(f.issues.empty());
  CHECK(PluginConfigFiles(f.documents[0], "overlays/prod") ==
        std::vector<std::string>{"overlays/prod/gen/secret.yaml", "overlays/prod/labels.yaml",
                                 "overlays/shared/prefix.yaml", "overlays/prod/check.yaml"});
}

TEST_CASE("builtin plugin kinds are kustomize's own list") {
  CHECK(IsBuiltinPlugin("LabelTransformer"));
  CHECK(IsBuiltinPlugin("HelmChartInflationGenerator"));
  CHECK(IsBuiltinPlugin("SortOrderTransformer"));
  CHECK_FALSE(IsBuiltinPlugin("LabelsTransformer"));
  CHECK_FALSE(IsBuiltinPlugin("Deployment"));
}

TEST_CASE("GeneratorPayloads names envs, env and files entries relative to the kustomization",
          "[secrets][scanner]") {
  yaml::ParsedFile parsed = yaml::Parse(
      "secretGenerator:\n"
      "  - name: db\n    envs: [db.env]\n    files: [tls.key, ca=../shared/ca.pem]\n"
      "  - name: legacy\n    env: old.env\n");
  REQUIRE(parsed.documents.size() == 1);
  auto payloads = GeneratorPayloads(parsed.documents[0], "apps/prod");
  std::vector<std::pair<std::string, Payload>> expected = {
      {"apps/prod/db.env", Payload::kEnvFile},
      {"apps/prod/tls.key", Payload::kFile},
      {"apps/shared/ca.pem", Payload::kFile},
      {"apps/prod/old.env", Payload::kEnvFile}};
  std::sort(payloads.begin(), payloads.end());
  std::sort(expected.begin(), expected.end());
  CHECK(payloads == expected);
}

}  // namespace
}  // namespace capstan::k8s
