#include "k8s/kustomization_index.h"

#include <catch2/catch.hpp>

#include "fs/posix_file_system.h"
#include "support/temp_repo.h"

namespace capstan::k8s {
namespace {

using testing::TempDir;
using testing::WriteFile;

TEST_CASE("kustomization file names are kustomize's three") {
  auto [path, is] = GENERATE(table<const char*, bool>({
      {"kustomization.yaml", true},
      {"apps/web/kustomization.yml", true},
      {"apps/web/Kustomization", true},
      {"apps/web/kustomization.json", false},
      {"apps/kustomization.yaml/deploy.yaml", false},
  }));
  CHECK(IsKustomizationFile(path) == is);
}

TEST_CASE("a parsed kustomization names its patches, selector-filled files, plugins and payloads") {
  Kustomization k = ParseKustomization("overlays/./prod/kustomization.yaml",
                                       "resources: [../../base]\n"
                                       "commonLabels: {app: web}\n"
                                       "patches: [{path: replicas.yaml}]\n"
                                       "transformers: [prefix.yaml]\n"
                                       "secretGenerator:\n"
                                       "  - {name: db, envs: [db.env], files: [tls.key]}\n");
  CHECK(k.file == "overlays/prod/kustomization.yaml");
  CHECK(k.patches == std::vector<std::string>{"overlays/prod/replicas.yaml"});
  CHECK(k.selector_filled == std::vector<std::string>{"base"});
  CHECK(k.plugin_configs == std::vector<std::string>{"overlays/prod/prefix.yaml"});
  CHECK(k.payloads ==
        std::vector<std::pair<std::string, Payload>>{{"overlays/prod/db.env", Payload::kEnvFile},
                                                     {"overlays/prod/tls.key", Payload::kFile}});
}

TEST_CASE("asking only about secret generators leaves kustomizations without one unparsed") {
  Kustomization k = ParseKustomization("a/kustomization.yaml", "patches: [p.yaml]\n",
                                       KustomizationFacts::kSecretGeneratorsOnly);
  CHECK(k.file == "a/kustomization.yaml");
  CHECK(k.patches.empty());
}

TEST_CASE("the index answers by normalised path and knows the kustomization's directory") {
  fs::PosixFileSystem fs;
  KustomizationIndex index(fs, {});
  index.Add(ParseKustomization("apps/web/kustomization.yaml",
                               "patchesStrategicMerge: [patch.yaml]\n"
                               "generators: [gen.yaml]\n"));
  const KustomizationIndex::FileFacts* patch = index.Find("apps/./web/patch.yaml");
  REQUIRE(patch != nullptr);
  CHECK(patch->patch);
  CHECK_FALSE(patch->plugin_config);
  REQUIRE(index.Find("apps/web/gen.yaml") != nullptr);
  CHECK(index.Find("apps/web/gen.yaml")->plugin_config);
  CHECK(index.Find("apps/web/deploy.yaml") == nullptr);
  CHECK(index.HasKustomization("apps/web"));
  CHECK_FALSE(index.HasKustomization("apps"));
}

TEST_CASE("when kustomizations disagree about a payload the one added last wins") {
  fs::PosixFileSystem fs;
  KustomizationIndex index(fs, {});
  index.Add(
      ParseKustomization("a/kustomization.yaml", "secretGenerator: [{name: s, envs: [x]}]\n"));
  index.Add(ParseKustomization("a/Kustomization", "secretGenerator: [{name: s, files: [x]}]\n"));
  REQUIRE(index.Find("a/x") != nullptr);
  CHECK(index.Find("a/x")->payload == Payload::kFile);
}

// A temporary directory and an index that reads from it.
struct OnDisk {
  explicit OnDisk(KustomizationIndex::Options options = {}) : index(fs, options) {}
  TempDir dir;
  fs::PosixFileSystem fs;
  KustomizationIndex index;
};

TEST_CASE("the kustomization beside a file on disk is read once, under the file's reported name") {
  OnDisk disk;
  WriteFile(disk.dir / "overlay/kustomization.yml", "patches: [{path: replicas.yaml}]\n");
  disk.index.AddBeside("overlay/replicas.yaml", disk.dir / "overlay/replicas.yaml");
  REQUIRE(disk.index.Find("overlay/replicas.yaml") != nullptr);
  CHECK(disk.index.Find("overlay/replicas.yaml")->patch);
  CHECK(disk.index.HasKustomization("overlay"));
  // Changed on disk after it was read: not read again.
  WriteFile(disk.dir / "overlay/kustomization.yml", "patches: [{path: other.yaml}]\n");
  disk.index.AddBeside("overlay/other.yaml", disk.dir / "overlay/other.yaml");
  CHECK(disk.index.Find("overlay/other.yaml") == nullptr);
}

TEST_CASE("a directory with a selected kustomization is not looked in on disk") {
  OnDisk disk;
  WriteFile(disk.dir / "kustomization.yaml", "patches: [{path: on-disk.yaml}]\n");
  WriteFile(disk.dir / "Kustomization", "patches: [{path: other.yaml}]\n");
  disk.index.Add(ParseKustomization("kustomization.yaml", "patches: [{path: staged.yaml}]\n"));
  disk.index.AddBeside("deploy.yaml", disk.dir / "deploy.yaml");
  CHECK(disk.index.Find("staged.yaml") != nullptr);
  CHECK(disk.index.Find("on-disk.yaml") == nullptr);
  CHECK(disk.index.Find("other.yaml") == nullptr);
}

TEST_CASE("a kustomization beside a file that is over the size limit is left out") {
  OnDisk disk({.max_file_bytes = 64});
  WriteFile(disk.dir / "kustomization.yaml", "patches: [{path: p.yaml}]\n" + std::string(100, '#'));
  disk.index.AddBeside("p.yaml", disk.dir / "p.yaml");
  CHECK(disk.index.Find("p.yaml") == nullptr);
  CHECK_FALSE(disk.index.HasKustomization(""));
}

TEST_CASE("a parsed kustomization names its local resources, components and other inputs") {
  Kustomization k = ParseKustomization("overlays/prod/kustomization.yaml", R"(
resources:
  - ../../base
  - deploy.yaml
  - github.com/acme/shared//monitoring?ref=v1.2.0
  - https://raw.githubusercontent.com/acme/x/main/crd.yaml
  - git@github.com:acme/y.git
bases: [../legacy]
components: [../../components/tls, gitlab.com/acme/c?ref=main]
configMapGenerator:
  - {name: app, files: [config.json, key=settings/app.ini], envs: [app.env]}
  - {name: legacy, env: legacy.env}
crds: [crds/thing.yaml]
configurations: [kustomizeconfig.yaml]
openapi: {path: schema.json}
replacements: [{path: replacements/image.yaml}, {source: {kind: X}}]
helmCharts:
  - {name: redis, valuesFile: redis-values.yaml, additionalValuesFiles: [../../values/redis.yaml]}
helmGlobals: {chartHome: ../../charts}
)");
  CHECK(k.resources ==
        std::vector<std::string>{"base", "overlays/prod/deploy.yaml", "overlays/legacy"});
  CHECK(k.components == std::vector<std::string>{"components/tls"});
  CHECK(k.remote ==
        std::vector<std::string>{"github.com/acme/shared//monitoring?ref=v1.2.0",
                                 "https://raw.githubusercontent.com/acme/x/main/crd.yaml",
                                 "git@github.com:acme/y.git", "gitlab.com/acme/c?ref=main"});
  CHECK(k.inputs == std::vector<std::string>{
                        "overlays/prod/app.env", "overlays/prod/config.json",
                        "overlays/prod/settings/app.ini", "overlays/prod/legacy.env",
                        "overlays/prod/crds/thing.yaml", "overlays/prod/kustomizeconfig.yaml",
                        "overlays/prod/schema.json", "overlays/prod/replacements/image.yaml",
                        "overlays/prod/redis-values.yaml", "values/redis.yaml", "charts"});
}

TEST_CASE("helm charts without a chart home read from the charts directory") {
  Kustomization k =
      ParseKustomization("apps/redis/kustomization.yaml", "helmCharts: [{name: redis}]\n");
  CHECK(k.inputs == std::vector<std::string>{"apps/redis/charts"});
}

TEST_CASE("a parsed kustomization keeps its namePrefix, nameSuffix and namespace") {
  Kustomization k = ParseKustomization("a/kustomization.yaml",
                                       "namePrefix: prod-\nnameSuffix: -v2\nnamespace: shop\n");
  CHECK(k.name_prefix == "prod-");
  CHECK(k.name_suffix == "-v2");
  CHECK(k.namespace_ == "shop");
  CHECK(ParseKustomization("b/kustomization.yaml", "namePrefix: [x]\n").name_prefix.empty());
}

// A work tree on disk and a graph over it.
struct Tree {
  TempDir dir;
  fs::PosixFileSystem fs;
  KustomizationGraph graph{fs, dir.path(), {}};
  void Write(const std::string& rel, const std::string& text) { WriteFile(dir / rel, text); }
};

std::vector<std::string> Paths(const KustomizationGraph::Closure& c) {
  std::vector<std::string> out;
  for (const auto& d : c.dependencies) out.push_back(d.path + " <- " + d.via);
  return out;
}

TEST_CASE("an overlay depends on its base, the base's components, and what each names") {
  Tree t;
  t.Write("apps/web/overlays/prod/kustomization.yaml",
          "resources: [../../base, extra.yaml]\n"
          "patches: [{path: ../../../../patches/replicas.yaml}]\n");
  t.Write("apps/web/overlays/prod/extra.yaml", "kind: ConfigMap\n");
  t.Write("apps/web/base/kustomization.yaml",
          "resources: [deploy.yaml]\ncomponents: [../../../components/tls]\n");
  t.Write("apps/web/base/deploy.yaml", "kind: Deployment\n");
  t.Write("components/tls/kustomization.yaml",
          "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n"
          "patches: [{path: cert.yaml}]\nconfigMapGenerator: [{name: ca, files: "
          "[../../certs/ca.pem]}]\n");
  t.Write("patches/replicas.yaml", "kind: Deployment\n");
  const KustomizationGraph::Closure& c = t.graph.DependenciesOf("apps/web/overlays/prod");
  CHECK(Paths(c) == std::vector<std::string>{
                        "apps/web/base <- apps/web/overlays/prod/kustomization.yaml",
                        "patches/replicas.yaml <- apps/web/overlays/prod/kustomization.yaml",
                        "components/tls <- apps/web/base/kustomization.yaml",
                        "certs/ca.pem <- components/tls/kustomization.yaml"});
  CHECK(c.notes.empty());
  // The same closure again is the cached one.
  CHECK(&t.graph.DependenciesOf("./apps/web/overlays/prod/") == &c);
}

TEST_CASE("a directory without a kustomization, or gone, depends on nothing") {
  Tree t;
  t.Write("plain/deploy.yaml", "kind: Deployment\n");
  CHECK(t.graph.DependenciesOf("plain").dependencies.empty());
  CHECK(t.graph.DependenciesOf("deleted/app").dependencies.empty());
  CHECK(t.graph.DependenciesOf("plain/deploy.yaml").dependencies.empty());
}

TEST_CASE("a deleted base is still a dependency of the overlay that names it") {
  Tree t;
  t.Write("overlay/kustomization.yaml", "resources: [../base]\n");
  CHECK(Paths(t.graph.DependenciesOf("overlay")) ==
        std::vector<std::string>{"base <- overlay/kustomization.yaml"});
}

TEST_CASE("a cycle of kustomization references is followed once around") {
  Tree t;
  t.Write("a/kustomization.yaml", "resources: [../b]\n");
  t.Write("b/kustomization.yaml", "resources: [../c, ../a]\n");
  t.Write("c/kustomization.yml", "components: [../b]\n");
  CHECK(Paths(t.graph.DependenciesOf("a")) ==
        std::vector<std::string>{"b <- a/kustomization.yaml", "c <- b/kustomization.yaml"});
  CHECK(Paths(t.graph.DependenciesOf("c")) ==
        std::vector<std::string>{"b <- c/kustomization.yml", "a <- b/kustomization.yaml"});
}

TEST_CASE("the graph hands out the kustomization of a directory as read, or says why not") {
  Tree t;
  t.Write("app/kustomization.yaml", "namePrefix: x-\nresources: [deploy.yaml]\n");
  t.Write("big/kustomization.yaml", std::string(2u << 20, '#'));
  const Kustomization* k = t.graph.KustomizationIn("./app/");
  REQUIRE(k != nullptr);
  CHECK(k->file == "app/kustomization.yaml");
  CHECK(k->name_prefix == "x-");
  CHECK(t.graph.ReadNote("app").empty());
  CHECK(t.graph.KustomizationIn("plain") == nullptr);
  REQUIRE(t.graph.KustomizationIn("big") != nullptr);
  CHECK(t.graph.ReadNote("big") ==
        "'big/kustomization.yaml' is larger than 1048576 bytes: its references are not followed");
}

TEST_CASE("remote resources, paths leaving the tree and unreadable kustomizations are notes") {
  Tree t;
  t.Write("app/kustomization.yaml",
          "resources: [github.com/acme/x?ref=v1, ../../outside, ../big, ../broken]\n");
  t.Write("big/kustomization.yaml", "resources: [x.yaml]\n" + std::string(2u << 20, '#'));
  t.Write("broken/Kustomization", ": not yaml [\n");
  const KustomizationGraph::Closure& c = t.graph.DependenciesOf("app");
  CHECK(Paths(c) == std::vector<std::string>{"big <- app/kustomization.yaml",
                                             "broken <- app/kustomization.yaml"});
  CHECK(c.notes == std::vector<std::string>{
                       "remote resource 'github.com/acme/x?ref=v1' in 'app/kustomization.yaml' "
                       "is not followed",
                       "'../outside' in 'app/kustomization.yaml' leaves the repository",
                       "'big/kustomization.yaml' is larger than 1048576 bytes: its references "
                       "are not followed"});
}

TEST_CASE("a parsed kustomization keeps its kind, its set fields at their keys and its entries") {
  Kustomization k = ParseKustomization("c/kustomization.yaml",
                                       "apiVersion: kustomize.config.k8s.io/v1alpha1\n"
                                       "kind: Component\n"
                                       "bases: [../base]\n"
                                       "vars:\n"
                                       "commonLabels: {app: web}\n");
  CHECK(k.api_version == "kustomize.config.k8s.io/v1alpha1");
  CHECK(k.kind == "Component");
  std::vector<std::string> fields;
  for (const Kustomization::Field& f : k.fields)
    fields.push_back(f.name + "@" + std::to_string(f.pos.line) + ":" +
                     std::to_string(f.pos.column));
  // `vars:` is null, which kustomize reads as absent.
  CHECK(fields ==
        std::vector<std::string>{"apiVersion@1:1", "kind@2:1", "bases@3:1", "commonLabels@5:1"});
  REQUIRE(k.paths.size() == 1);
  CHECK(k.paths[0].path == "base");
  CHECK(k.paths[0].ref.written == "../base");
  CHECK(k.paths[0].ref.pointer == "/bases/0");
  CHECK_FALSE(k.may_rename);
  CHECK(ParseKustomization("k", "").kind == "Kustomization");
}

TEST_CASE(
    "a kustomization may rename what it builds through transformers, replacements or an "
    "inline patch of the name or namespace") {
  auto renames = [](const std::string& text) {
    return ParseKustomization("a/kustomization.yaml", text).may_rename;
  };
  CHECK(renames("transformers: [prefix.yaml]\n"));
  CHECK(renames("replacements: [{path: r.yaml}]\n"));
  CHECK(
      renames("patches: [{target: {kind: Deployment}, patch: '[{op: replace, path: "
              "/metadata/name, value: x}]'}]\n"));
  CHECK(
      renames("patchesJson6902: [{patch: '[{op: add, path: /metadata/namespace, value: x}]'}]\n"));
  CHECK_FALSE(renames("patches: [{path: replicas.yaml}, {patch: '[{op: add, path: /spec/x}]'}]\n"));
  CHECK_FALSE(renames("namePrefix: x-\nnamespace: y\n"));
}

TEST_CASE("a kustomization added to the graph answers for its directory instead of the disk") {
  Tree t;
  t.Write("app/kustomization.yaml", "resources: [on-disk.yaml]\n");
  t.graph.Add(ParseKustomization("app/kustomization.yaml", "resources: [staged.yaml]\n"));
  const Kustomization* k = t.graph.KustomizationIn("app");
  REQUIRE(k != nullptr);
  CHECK(k->resources == std::vector<std::string>{"app/staged.yaml"});
  // One for a directory already known is ignored.
  t.graph.Add(ParseKustomization("app/Kustomization", "resources: [other.yaml]\n"));
  CHECK(t.graph.KustomizationIn("app")->resources == std::vector<std::string>{"app/staged.yaml"});
}

TEST_CASE("the graph reads an absolute directory as it is") {
  Tree t;
  t.Write("x/kustomization.yaml", "namePrefix: abs-\n");
  fs::PosixFileSystem fs;
  KustomizationGraph graph{fs, "/nonexistent-root", {}};
  const Kustomization* k = graph.KustomizationIn(t.dir / "x");
  REQUIRE(k != nullptr);
  CHECK(k->name_prefix == "abs-");
}

}  // namespace
}  // namespace capstan::k8s
