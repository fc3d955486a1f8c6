#include "k8s/kustomize.h"

#include <catch2/catch.hpp>

#include "yaml/parser.h"

namespace capstan::k8s {
namespace {

TEST_CASE("plugin configuration files are the file entries of generators, transformers and validators") {
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

}  // namespace
}  // namespace capstan::k8s
