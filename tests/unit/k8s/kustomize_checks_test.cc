#include "k8s/kustomize_checks.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "fs/posix_file_system.h"
#include "support/temp_repo.h"

namespace capstan::k8s {
namespace {

using testing::TempDir;
using testing::WriteFile;

// A work tree on disk, a view over it, and the kustomizations the test selects.
struct Repo {
  TempDir dir;
  fs::PosixFileSystem fs;
  RepositoryView view{fs, dir.path(), {}};
  std::vector<Kustomization> selected;

  void Write(const std::string& rel, const std::string& text) { WriteFile(dir / rel, text); }
  // Writes a kustomization and selects it.
  void Select(const std::string& rel, const std::string& text) {
    Write(rel, text);
    Kustomization k = ParseKustomization(rel, text);
    view.kustomizations().Add(k);
    view.Select(rel, nullptr);
    selected.push_back(std::move(k));
  }
  // "file:line:col: severity rule: message" of each finding of every check, or of one rule.
  std::vector<std::string> Findings(const std::string& rule = "") {
    std::vector<report::Finding> out;
    std::vector<const Kustomization*> ks;
    for (const Kustomization& k : selected) {
      CheckKustomizationPaths(k, view, nullptr, out);
      CheckDeprecatedFields(k, out);
      ks.push_back(&k);
    }
    FindKustomizationCycles(ks, view, out);
    std::vector<std::string> lines;
    for (const report::Finding& f : out)
      if (rule.empty() || f.rule == rule)
        lines.push_back(f.file + ":" + std::to_string(f.line) + ":" + std::to_string(f.column) +
                        ": " + report::SeverityName(f.severity) + " " + f.rule + ": " + f.message);
    return lines;
  }
};

TEST_CASE("a kustomization whose every local path exists has no missing-path finding") {
  Repo r;
  r.Write("base/kustomization.yaml", "resources: [deploy.yaml]\n");
  r.Write("base/deploy.yaml", "kind: Deployment\n");
  r.Write("components/tls/kustomization.yaml", "kind: Component\n");
  for (const char* f :
       {"app/cm.yaml", "app/patch.yaml", "app/smp.yaml", "app/json.yaml", "app/gen.yaml",
        "app/secret.env", "app/tls.key", "app/config.properties", "app/crd.yaml", "app/conf.yaml",
        "app/schema.json", "app/r.yaml", "app/values.yaml", "values/shared.yaml"})
    r.Write(f, "x: 1\n");
  r.Select("app/kustomization.yaml",
           "resources:\n"
           "  - ../base\n"
           "  - cm.yaml\n"
           "  - https://github.com/acme/x/deploy.yaml\n"
           "  - github.com/acme/y//base?ref=v1\n"
           "components: [../components/tls, git@github.com:acme/z.git]\n"
           "patches: [{path: patch.yaml}, {patch: '[{op: remove, path: /x}]'}]\n"
           "patchesStrategicMerge: [smp.yaml]\n"
           "patchesJson6902: [{path: json.yaml}]\n"
           "generators: [gen.yaml]\n"
           "secretGenerator: [{name: s, envs: [secret.env], files: [tls.key]}]\n"
           "configMapGenerator:\n"
           "  - {name: c, files: [app=config.properties, https://example.com/dashboard.json]}\n"
           "crds: [crd.yaml]\n"
           "configurations: [conf.yaml]\n"
           "openapi: {path: schema.json}\n"
           "replacements: [{path: r.yaml}]\n"
           "helmCharts:\n"
           "  - {name: redis, valuesFile: values.yaml, additionalValuesFiles: "
           "[../values/shared.yaml]}\n");
  // The chart home (charts/) is where kustomize pulls charts to: it need not exist.
  std::vector<std::string> none;
  CHECK(r.Findings("kustomize-missing-path") == none);
}

TEST_CASE("each kind of path a kustomization names is reported at its entry when missing") {
  auto [text, expected] = GENERATE(table<std::string, std::string>({
      {"resources: [deploy.yaml]",
       "1:13: error kustomize-missing-path: resource 'deploy.yaml' "
       "does not exist"},
      {"resources:\n  - ../bse",
       "2:5: error kustomize-missing-path: resource '../bse' does not "
       "exist (did you mean '../base'?)"},
      {"bases: [../plain]",
       "1:9: error kustomize-missing-path: resource '../plain' is a directory "
       "without kustomization.yaml, kustomization.yml or Kustomization"},
      {"components: [../base/deploy.yaml]",
       "1:14: error kustomize-missing-path: component '../base/deploy.yaml' is a file: a component "
       "is a directory with a kustomization"},
      {"components: [../plain]",
       "1:14: error kustomize-missing-path: component '../plain' is a "
       "directory without kustomization.yaml, kustomization.yml or "
       "Kustomization"},
      {"patches: [{path: replica.yaml}]",
       "1:18: error kustomize-missing-path: patch "
       "'replica.yaml' does not exist"},
      {"patchesStrategicMerge: [../base/Deploy.yaml]",
       "1:25: error kustomize-missing-path: patch '../base/Deploy.yaml' does not exist (did you "
       "mean '../base/deploy.yaml'?)"},
      {"patchesJson6902: [{path: j.yaml}]",
       "1:26: error kustomize-missing-path: patch 'j.yaml' "
       "does not exist"},
      {"transformers: [t.yaml]",
       "1:16: error kustomize-missing-path: plugin configuration "
       "'t.yaml' does not exist"},
      {"secretGenerator: [{name: s, envs: [.env]}]",
       "1:36: error kustomize-missing-path: secretGenerator file '.env' does not exist"},
      {"configMapGenerator: [{name: c, files: [k=app.ini]}]",
       "1:40: error kustomize-missing-path: configMapGenerator file 'app.ini' does not exist"},
      {"crds: [crd.yaml]", "1:8: error kustomize-missing-path: CRD file 'crd.yaml' does not exist"},
      {"configurations: [c.yaml]",
       "1:18: error kustomize-missing-path: configuration file "
       "'c.yaml' does not exist"},
      {"openapi: {path: s.json}",
       "1:17: error kustomize-missing-path: OpenAPI schema 's.json' "
       "does not exist"},
      {"replacements: [{path: r.yaml}]",
       "1:23: error kustomize-missing-path: replacement file "
       "'r.yaml' does not exist"},
      {"helmCharts: [{name: x, valuesFile: v.yaml}]",
       "1:36: error kustomize-missing-path: Helm values file 'v.yaml' does not exist"},
  }));
  Repo r;
  r.Write("base/kustomization.yaml", "resources: [deploy.yaml]\n");
  r.Write("base/deploy.yaml", "kind: Deployment\n");
  r.Write("plain/deploy.yaml", "kind: Deployment\n");
  r.Select("app/kustomization.yaml", text + "\n");
  CHECK(r.Findings("kustomize-missing-path") ==
        std::vector<std::string>{"app/kustomization.yaml:" + expected});
}

TEST_CASE("a path that is there but neither a file nor a directory is named as such") {
  Repo r;
  r.Select("app/kustomization.yaml", "resources:\n  - fifo.yaml\n  - loop\n  - dangling\n");
  REQUIRE(mkfifo((r.dir / "app/fifo.yaml").c_str(), 0600) == 0);
  std::filesystem::create_symlink("loop", r.dir / "app/loop");
  std::filesystem::create_symlink("nowhere", r.dir / "app/dangling");
  std::string what =
      "is neither a file nor a directory (a FIFO, a device, or a symlink that leads "
      "nowhere)";
  CHECK(
      r.Findings() ==
      std::vector<std::string>{
          "app/kustomization.yaml:2:5: error kustomize-missing-path: resource 'fifo.yaml' " + what,
          "app/kustomization.yaml:3:5: error kustomize-missing-path: resource 'loop' " + what,
          "app/kustomization.yaml:4:5: error kustomize-missing-path: resource 'dangling' " + what});
}

TEST_CASE("a kustomization beside a Chart.yaml may name resources the chart renders") {
  Repo r;
  r.Write("chart/Chart.yaml", "name: web\nversion: 1.0.0\n");
  r.Select("chart/kustomization.yaml", "resources: [./all.yaml]\npatches: [{path: p.yaml}]\n");
  CHECK(r.Findings() == std::vector<std::string>{
                            "chart/kustomization.yaml:2:18: error kustomize-missing-path: patch "
                            "'p.yaml' does not exist"});
}

TEST_CASE("a selected file counts as existing, wherever it was read from") {
  Repo r;
  r.view.Select("app/new.yaml", nullptr);  // e.g. staged, or given on stdin
  r.Select("app/kustomization.yaml", "resources: [new.yaml]\n");
  CHECK(r.Findings().empty());
}

TEST_CASE("each field kustomize v5 deprecates is a warning naming its replacement") {
  auto [field, expected] = GENERATE(table<std::string, std::string>({
      {"bases: [../base]",
       "'bases' is deprecated: list the entries under 'resources' (kustomize "
       "edit fix moves them)"},
      {"patchesStrategicMerge: [p.yaml]",
       "'patchesStrategicMerge' is deprecated: use 'patches' with {path: FILE} or {patch: "
       "INLINE} (kustomize edit fix moves them)"},
      {"patchesJson6902: [{path: p.yaml, target: {kind: X, name: y}}]",
       "'patchesJson6902' is deprecated: use 'patches', with the same path or patch and target "
       "(kustomize edit fix moves them)"},
      {"commonLabels: {app: web}",
       "'commonLabels' is deprecated: use 'labels' with includeSelectors: true, which does what "
       "commonLabels does (kustomize edit fix rewrites it)"},
      {"vars: [{name: X, objref: {kind: Service, name: s, apiVersion: v1}}]",
       "'vars' is deprecated: use 'replacements' (kustomize edit fix --vars converts them, "
       "experimentally)"},
      {"imageTags: [{name: x, newTag: '1'}]",
       "'imageTags' is deprecated: use 'images' (kustomize edit fix moves them)"},
  }));
  Repo r;
  r.Write("base/kustomization.yaml", "{}\n");
  r.Write("app/p.yaml", "kind: Deployment\n");
  r.Select("app/kustomization.yaml", "namespace: x\n" + field + "\n");
  CHECK(r.Findings() == std::vector<std::string>{"app/kustomization.yaml:2:1: warning "
                                                 "kustomize-deprecated: " +
                                                 expected});
}

TEST_CASE("current fields, and deprecated ones set to null, are not deprecation warnings") {
  Repo r;
  r.Write("app/p.yaml", "kind: Deployment\n");
  r.Select("app/kustomization.yaml",
           "resources: []\npatches: [{path: p.yaml}]\nlabels: [{pairs: {a: b}}]\n"
           "images: [{name: x, newTag: '1'}]\nreplacements: []\nbases:\ncommonLabels: ~\n");
  CHECK(r.Findings().empty());
}

TEST_CASE("a kustomization cycle is one error at the selected entry that sorts first") {
  Repo r;
  r.Select("b/kustomization.yaml", "resources: [../c]\n");
  r.Select("a/kustomization.yaml", "resources:\n  - ../b\n");
  r.Write("c/kustomization.yaml", "components: [../a]\n");
  CHECK(r.Findings() == std::vector<std::string>{
                            "a/kustomization.yaml:2:5: error kustomize-cycle: kustomization cycle: "
                            "a -> b -> c -> a"});
}

TEST_CASE("a kustomization naming its own directory or one above it is a cycle") {
  Repo r;
  r.Select("a/kustomization.yaml", "resources: [.]\n");
  r.Select("x/y/kustomization.yaml", "resources: [deploy.yaml, ../cm.yaml, ..]\n");
  r.Write("x/y/deploy.yaml", "kind: Deployment\n");
  r.Write("x/cm.yaml", "kind: ConfigMap\n");
  r.Write("x/kustomization.yaml", "resources: [other]\n");
  CHECK(r.Findings() == std::vector<std::string>{
                            "a/kustomization.yaml:1:13: error kustomize-cycle: kustomization "
                            "cycle: a -> a",
                            "x/y/kustomization.yaml:1:38: error kustomize-cycle: kustomization "
                            "cycle: x/y -> x, which contains 'x/y' (kustomize refuses a base at "
                            "or above a kustomization it builds)"});
}

TEST_CASE("a cycle among kustomizations not selected is reported where a selected one enters it") {
  Repo r;
  r.Write("x/kustomization.yaml", "resources: [../y]\n");
  r.Write("y/kustomization.yaml", "resources: [../x]\n");
  r.Select("app/kustomization.yaml", "resources: [../x]\n");
  CHECK(r.Findings() == std::vector<std::string>{
                            "app/kustomization.yaml:1:13: error kustomize-cycle: '../x' leads into "
                            "a kustomization cycle: x -> y -> x"});
}

TEST_CASE("a diamond of overlays over one base is no cycle") {
  Repo r;
  r.Write("base/kustomization.yaml", "resources: []\n");
  r.Write("left/kustomization.yaml", "resources: [../base]\n");
  r.Write("right/kustomization.yaml", "resources: [../base]\n");
  r.Select("top/kustomization.yaml", "resources: [../left, ../right, ../base]\n");
  CHECK(r.Findings().empty());
}

}  // namespace
}  // namespace capstan::k8s
