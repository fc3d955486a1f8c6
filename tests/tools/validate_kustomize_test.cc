// capstan-validate's checks across files (kustomize-missing-path, kustomize-deprecated,
// kustomize-cycle, duplicate-resource) run end to end: which files they read in each mode, and
// where their findings land.
#include <catch2/catch.hpp>

#include "support/run_tool.h"
#include "support/temp_repo.h"
#include "validate/validate.h"

namespace capstan::tools {
namespace {

using testing::Lines;
using testing::RunTool;
using testing::TempDir;
using testing::ToolResult;
using testing::WriteFile;

ToolResult Validate(std::vector<std::string> args, const std::string& cwd) {
  return RunTool(RunValidate, std::move(args), cwd, "", nullptr);
}

std::string ConfigMap(const std::string& name) {
  return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\ndata: {a: b}\n";
}

TEST_CASE(
    "with --staged a path must be in the index: a file only in the working tree is not "
    "staged",
    "[git]") {
  TempDir dir;
  testing::InitRepo(dir.path());
  WriteFile(dir / "app/kustomization.yaml", "resources: [cm.yaml]\n");
  WriteFile(dir / "app/cm.yaml", ConfigMap("a"));
  testing::CommitAll(dir.path(), "base");
  WriteFile(dir / "app/kustomization.yaml", "resources: [cm.yaml, new.yaml]\n");
  WriteFile(dir / "app/new.yaml", ConfigMap("b"));
  testing::RunGit(dir.path(), "add app/kustomization.yaml");

  ToolResult forgot = Validate({"--staged"}, dir.path());
  CHECK(forgot.exit_code == 1);
  CHECK(Lines(forgot.out) ==
        std::vector<std::string>{
            "app/kustomization.yaml:1:22: error kustomize-missing-path: resource 'new.yaml' does "
            "not exist in the git index; the working tree has it, but the commit will not: git "
            "add it [Kustomization]",
            "1 error in 1 file (1 document)"});
  // The working tree alone is fine.
  CHECK(Validate({"app"}, dir.path()).exit_code == 0);

  testing::RunGit(dir.path(), "add app/new.yaml");
  CHECK(Validate({"--staged"}, dir.path()).exit_code == 0);
}

TEST_CASE("with --staged a path deleted from the working tree but still in the index is there",
          "[git]") {
  TempDir dir;
  testing::InitRepo(dir.path());
  WriteFile(dir / "app/kustomization.yaml", "resources: [cm.yaml]\n");
  WriteFile(dir / "app/cm.yaml", ConfigMap("a"));
  testing::CommitAll(dir.path(), "base");
  WriteFile(dir / "app/kustomization.yaml", "resources:\n  - cm.yaml\n");
  testing::RunGit(dir.path(), "add app/kustomization.yaml");
  std::remove((dir / "app/cm.yaml").c_str());
  ToolResult r = Validate({"--staged"}, dir.path());
  CHECK(r.exit_code == 0);
  CHECK(r.out == "no problems in 1 file (1 document)\n");
  // On the working tree it is missing.
  CHECK(Validate({"app"}, dir.path()).out.find("resource 'cm.yaml' does not exist") !=
        std::string::npos);
}

TEST_CASE("with --staged the kustomization beside a staged file is read from the index", "[git]") {
  TempDir dir;
  testing::InitRepo(dir.path());
  WriteFile(dir / "app/kustomization.yaml", "resources: [a.yaml, b.yaml]\n");
  WriteFile(dir / "app/a.yaml", ConfigMap("a"));
  WriteFile(dir / "app/b.yaml", ConfigMap("b"));
  testing::CommitAll(dir.path(), "base");
  WriteFile(dir / "app/b.yaml", ConfigMap("a"));
  testing::RunGit(dir.path(), "add app/b.yaml");
  // The working tree's kustomization no longer names a.yaml; the commit's does.
  WriteFile(dir / "app/kustomization.yaml", "resources: [b.yaml]\n");
  ToolResult r = Validate({"--staged"}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK(Lines(r.out) ==
        std::vector<std::string>{"app/b.yaml:2:7: error duplicate-resource: ConfigMap a is defined "
                                 "twice in the build of 'app/kustomization.yaml': first at "
                                 "app/a.yaml:2:7 [ConfigMap/a]",
                                 "1 error in 1 file (1 document)"});
}

// Regression: --staged read no kustomization beside a staged file, so a staged patch whose
// kustomization was unchanged was judged as a whole Deployment (missing selector, template).
TEST_CASE("with --staged a patch is known as one from the kustomization in the index", "[git]") {
  TempDir dir;
  testing::InitRepo(dir.path());
  WriteFile(dir / "app/kustomization.yaml", "resources: []\npatches: [{path: replicas.yaml}]\n");
  WriteFile(dir / "app/replicas.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 2}\n");
  testing::CommitAll(dir.path(), "base");
  WriteFile(dir / "app/replicas.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 3}\n");
  testing::RunGit(dir.path(), "add app/replicas.yaml");
  ToolResult r = Validate({"--staged"}, dir.path());
  CHECK(r.exit_code == 0);
  CHECK(r.out == "no problems in 1 file (1 document)\n");
}

TEST_CASE(
    "one file checked alone (pre-commit) still meets the duplicate its kustomization "
    "builds, and only that kustomization is read") {
  TempDir dir;
  WriteFile(dir / "app/kustomization.yaml", "resources: [a.yaml, b.yaml]\n");
  WriteFile(dir / "app/a.yaml", ConfigMap("same"));
  WriteFile(dir / "app/b.yaml", ConfigMap("same"));
  WriteFile(dir / "other/kustomization.yaml", "resources: [missing.yaml]\n");
  ToolResult r = Validate({"app/a.yaml"}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK(Lines(r.out) == std::vector<std::string>{
                            "app/a.yaml:2:7: error duplicate-resource: ConfigMap same is defined "
                            "twice in the build of 'app/kustomization.yaml': again at "
                            "app/b.yaml:2:7 [ConfigMap/same]",
                            "1 error in 1 file (1 document)"});
}

TEST_CASE("findings across files name files as they were given, and warnings do not fail the run") {
  TempDir dir;
  WriteFile(dir / "app/kustomization.yaml", "bases: [../base]\n");
  WriteFile(dir / "base/kustomization.yaml", "resources: []\n");
  ToolResult r = Validate({"./app/kustomization.yaml"}, dir.path());
  CHECK(r.exit_code == 0);
  CHECK(Lines(r.out) == std::vector<std::string>{
                            "./app/kustomization.yaml:1:1: warning kustomize-deprecated: 'bases' "
                            "is deprecated: list the entries under 'resources' (kustomize edit "
                            "fix moves them) [Kustomization]",
                            "1 warning in 1 file (1 document)"});
}

TEST_CASE(
    "an Application's plain directory is checked from the repository root whatever the "
    "working directory") {
  TempDir dir;
  testing::InitRepo(dir.path());
  WriteFile(dir / "deploy/argocd/app.yaml",
            "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: web, "
            "namespace: argocd}\nspec:\n  project: default\n  source: {repoURL: "
            "https://example.com/x.git, path: deploy/web}\n  destination: {server: "
            "https://kubernetes.default.svc, namespace: web}\n");
  WriteFile(dir / "deploy/web/a.yaml", ConfigMap("same"));
  WriteFile(dir / "deploy/web/b.yaml", ConfigMap("same"));
  ToolResult r = Validate({"."}, dir / "deploy");
  CHECK(r.exit_code == 1);
  CHECK(Lines(r.out) == std::vector<std::string>{
                            "web/b.yaml:2:7: error duplicate-resource: ConfigMap web/same is "
                            "applied twice by Application 'argocd/web' (path 'deploy/web'): first "
                            "at web/a.yaml:2:7 [ConfigMap/web/same]",
                            "1 error in 3 files (3 documents)"});
  ToolResult only_app = Validate({"argocd/app.yaml"}, dir / "deploy");
  CHECK(Lines(only_app.out) ==
        std::vector<std::string>{
            "argocd/app.yaml:6:54: error duplicate-resource: Application 'argocd/web' (path "
            "'deploy/web') applies ConfigMap web/same twice: at web/a.yaml:2:7 and "
            "web/b.yaml:2:7 [Application/argocd/web]",
            "1 error in 1 file (1 document)"});
}

}  // namespace
}  // namespace capstan::tools

namespace capstan::tools {
namespace {

TEST_CASE("findings across files honour capstan:allow markers and --disable") {
  TempDir dir;
  WriteFile(dir / "app/kustomization.yaml",
            "# capstan:allow=kustomize-deprecated migrating next sprint\n"
            "bases: [../base]\n"
            "resources: [missing.yaml]  # capstan:allow=duplicate-resource wrong rule\n");
  WriteFile(dir / "base/kustomization.yaml", "resources: []\n");
  ToolResult r = Validate({"app"}, dir.path());
  CHECK(Lines(r.out) == std::vector<std::string>{
                            "app/kustomization.yaml:3:13: error kustomize-missing-path: resource "
                            "'missing.yaml' does not exist [Kustomization]",
                            "1 error in 1 file (1 document)"});
  ToolResult disabled = Validate({"--disable", "kustomize-missing-path", "app"}, dir.path());
  CHECK(disabled.exit_code == 0);
  CHECK(disabled.out == "no problems in 1 file (1 document)\n");
}

}  // namespace
}  // namespace capstan::tools
