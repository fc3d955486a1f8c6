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

}  // namespace
}  // namespace capstan::k8s
