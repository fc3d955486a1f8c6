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

namespace capstan::k8s {
namespace {

// "use pointer written line:column" for each path entry, for comparing in one CHECK.
std::vector<std::string> Described(const std::vector<PathRef>& refs) {
  std::vector<std::string> out;
  for (const PathRef& r : refs)
    out.push_back(std::to_string(static_cast<int>(r.use)) + " " + r.pointer + " " + r.written +
                  " " + std::to_string(r.pos.line) + ":" + std::to_string(r.pos.column) +
                  (r.remote ? " remote" : ""));
  return out;
}

TEST_CASE("every path a kustomization names is listed with its use, pointer and position") {
  yaml::ParsedFile f = yaml::Parse(
      "resources:\n"                                                       // 1
      "  - deploy.yaml\n"                                                  // 2
      "  - github.com/acme/x?ref=v1\n"                                     // 3
      "bases: [../legacy]\n"                                               // 4
      "components: [../tls]\n"                                             // 5
      "patches:\n"                                                         // 6
      "  - path: replicas.yaml\n"                                          // 7
      "  - patch: '[{op: remove, path: /spec}]'\n"                         // 8
      "patchesStrategicMerge: [smp.yaml]\n"                                // 9
      "patchesJson6902: [{path: json.yaml}]\n"                             // 10
      "transformers: [prefix.yaml]\n"                                      // 11
      "secretGenerator: [{name: s, envs: [s.env], files: [k=tls.key]}]\n"  // 12
      "configMapGenerator: [{name: c, env: c.env}]\n"                      // 13
      "crds: [crd.yaml]\n"                                                 // 14
      "configurations: [conf.yaml]\n"                                      // 15
      "openapi: {path: schema.json}\n"                                     // 16
      "replacements: [{path: r.yaml}]\n"                                   // 17
      "helmCharts: [{name: x, valuesFile: https://x/values.yaml}]\n");     // 18
  REQUIRE(f.issues.empty());
  CHECK(Described(KustomizationPaths(f.documents[0])) ==
        std::vector<std::string>{
            "0 /resources/0 deploy.yaml 2:5",
            "0 /resources/1 github.com/acme/x?ref=v1 3:5 remote",
            "0 /bases/0 ../legacy 4:9",
            "1 /components/0 ../tls 5:14",
            "2 /patches/0/path replicas.yaml 7:11",
            "2 /patchesJson6902/0/path json.yaml 10:26",
            "2 /patchesStrategicMerge/0 smp.yaml 9:25",
            "3 /transformers/0 prefix.yaml 11:16",
            "4 /secretGenerator/0/envs/0 s.env 12:36",
            "5 /secretGenerator/0/files/0 tls.key 12:52",
            "6 /configMapGenerator/0/env c.env 13:37",
            "7 /crds/0 crd.yaml 14:8",
            "8 /configurations/0 conf.yaml 15:18",
            "9 /openapi/path schema.json 16:17",
            "10 /replacements/0/path r.yaml 17:23",
            "11 /helmCharts/0/valuesFile https://x/values.yaml 18:36 remote",
        });
}

TEST_CASE(
    "a single string counts as one entry where kustomize takes one, and inline entries "
    "are not paths") {
  yaml::ParsedFile f = yaml::Parse(
      "resources: deploy.yaml\n"
      "patchesStrategicMerge:\n"
      "  - |\n"
      "    apiVersion: apps/v1\n"
      "    kind: Deployment\n"
      "transformers: ['apiVersion: builtin']\n"
      "patches: replicas.yaml\n");
  REQUIRE(f.issues.empty());
  CHECK(Described(KustomizationPaths(f.documents[0])) ==
        std::vector<std::string>{"0 /resources deploy.yaml 1:12"});
}

}  // namespace
}  // namespace capstan::k8s
