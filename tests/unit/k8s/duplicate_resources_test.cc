#include "k8s/duplicate_resources.h"

#include <catch2/catch.hpp>
#include <deque>

#include "fs/posix_file_system.h"
#include "support/temp_repo.h"
#include "yaml/parser.h"

namespace capstan::k8s {
namespace {

using testing::TempDir;
using testing::WriteFile;

std::string ConfigMap(const std::string& name, const std::string& ns = "") {
  return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\n" +
         (ns.empty() ? "" : "  namespace: " + ns + "\n");
}

const std::string kDeployment =
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-deployment\n";

// A work tree on disk; every file written is selected unless written with Unselected.
struct Repo {
  TempDir dir;
  fs::PosixFileSystem fs;
  RepositoryView view{fs, dir.path(), {}};
  RepositoryView reader{fs, dir.path(), {}};  // classifies selected files as the validator would
  std::deque<std::vector<ResourceAt>> resources;

  void Write(const std::string& rel, const std::string& text) {
    Unselected(rel, text);
    if (IsKustomizationFile(rel)) {
      view.kustomizations().Add(ParseKustomization(rel, text));
      view.Select(rel, nullptr);
      return;
    }
    resources.push_back(reader.ResourcesIn(rel));
    view.Select(rel, &resources.back());
  }
  void Unselected(const std::string& rel, const std::string& text) { WriteFile(dir / rel, text); }

  std::vector<std::string> Builds(std::initializer_list<std::string> dirs) {
    DuplicateFinder finder(view);
    for (const std::string& d : dirs) finder.CheckBuild(d);
    return Lines(finder.findings());
  }
  static std::vector<std::string> Lines(const std::vector<report::Finding>& findings) {
    std::vector<std::string> out;
    for (const report::Finding& f : findings)
      out.push_back(f.file + ":" + std::to_string(f.line) + ":" + std::to_string(f.column) + " " +
                    f.path + ": " + f.message);
    return out;
  }
};

TEST_CASE("two files of one kustomization defining one ConfigMap: the second names the first") {
  Repo r;
  r.Write("app/kustomization.yaml", "resources: [a.yaml, b.yaml]\n");
  r.Write("app/a.yaml", ConfigMap("settings"));
  r.Write("app/b.yaml", "---\n" + ConfigMap("settings", "default"));
  CHECK(r.Builds({"app"}) ==
        std::vector<std::string>{"app/b.yaml:3:7 /kind: ConfigMap default/settings is defined "
                                 "twice in the build of 'app/kustomization.yaml': first at "
                                 "app/a.yaml:2:7"});
}

TEST_CASE(
    "resources that differ in kind, group, namespace or name, or use generateName, are "
    "not duplicates") {
  Repo r;
  r.Write("app/kustomization.yaml", "resources: [a.yaml, b.yaml]\n");
  r.Write("app/a.yaml",
          ConfigMap("x") + "---\n" + ConfigMap("y", "a") +
              "---\napiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: m-\n");
  r.Write("app/b.yaml",
          "apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\n---\n" + ConfigMap("y", "b") +
              "---\napiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: m-\n"
              "---\napiVersion: other.io/v1\nkind: ConfigMap\nmetadata:\n  name: x\n");
  CHECK(r.Builds({"app"}).empty());
}

TEST_CASE("a patch of a base resource is not a second resource") {
  Repo r;
  r.Write("base/kustomization.yaml", "resources: [deploy.yaml]\n");
  r.Write("base/deploy.yaml", kDeployment);
  r.Write("prod/kustomization.yaml",
          "resources: [../base]\npatches: [{path: replicas.yaml}]\npatchesStrategicMerge: "
          "[replicas.yaml]\n");
  r.Write("prod/replicas.yaml", kDeployment + "spec:\n  replicas: 3\n");
  CHECK(r.Builds({"base", "prod"}).empty());
}

TEST_CASE("two bases defining one resource collide in the overlay that includes both") {
  Repo r;
  r.Write("one/kustomization.yaml", "resources: [cm.yaml]\n");
  r.Write("one/cm.yaml", ConfigMap("shared"));
  r.Write("two/kustomization.yaml", "resources: [cm.yaml]\n");
  r.Write("two/cm.yaml", ConfigMap("shared"));
  r.Write("prod/kustomization.yaml", "namespace: shop\nresources: [../one, ../two]\n");
  CHECK(r.Builds({"one", "prod", "two"}) ==
        std::vector<std::string>{"two/cm.yaml:2:7 /kind: ConfigMap shared is defined twice in the "
                                 "build of 'prod/kustomization.yaml': first at one/cm.yaml:2:7"});
}

TEST_CASE(
    "namespaces and name prefixes of the bases keep their resources apart, until the "
    "overlay's namespace joins them") {
  Repo r;
  r.Write("one/kustomization.yaml", "namespace: a\nresources: [cm.yaml]\n");
  r.Write("one/cm.yaml", ConfigMap("shared"));
  r.Write("two/kustomization.yaml", "namespace: b\nresources: [cm.yaml]\n");
  r.Write("two/cm.yaml", ConfigMap("shared"));
  r.Write("three/kustomization.yaml", "namePrefix: x-\nresources: [../one]\n");
  r.Write("apart/kustomization.yaml", "resources: [../one, ../two, ../three]\n");
  r.Write("joined/kustomization.yaml", "namespace: prod\nresources: [../one, ../two]\n");
  CHECK(r.Builds({"apart"}).empty());
  CHECK(r.Builds({"joined"}) ==
        std::vector<std::string>{"two/cm.yaml:2:7 /kind: ConfigMap prod/shared is defined twice "
                                 "in the build of 'joined/kustomization.yaml' (after namespace "
                                 "'prod'): first at one/cm.yaml:2:7"});
}

TEST_CASE(
    "one base reached through two overlays is reported at the entry that brings it in "
    "again") {
  Repo r;
  r.Write("base/kustomization.yaml", "resources: [deployment.yaml]\n");
  r.Write("base/deployment.yaml", kDeployment);
  r.Write("probe/kustomization.yaml", "resources: [../base]\n");
  r.Write("dns/kustomization.yaml", "resources: [../base]\n");
  r.Write("composite/kustomization.yaml", "resources:\n  - ../probe\n  - ../dns\n");
  CHECK(r.Builds({"composite"}) ==
        std::vector<std::string>{
            "composite/kustomization.yaml:3:5 /resources/1: '../dns' brings in Deployment "
            "my-deployment (base/deployment.yaml:2:7) a second time: the build of "
            "'composite/kustomization.yaml' already has it through '../probe'"});
}

TEST_CASE("a base named twice is reported once, at its second entry") {
  Repo r;
  r.Write("base/kustomization.yaml", "resources: [deployment.yaml, cm.yaml]\n");
  r.Write("base/deployment.yaml", kDeployment);
  r.Write("base/cm.yaml", ConfigMap("x"));
  r.Write("app/kustomization.yaml", "resources:\n  - ../base\n  - ../base\n");
  CHECK(r.Builds({"app"}) ==
        std::vector<std::string>{"app/kustomization.yaml:3:5 /resources/1: '../base' brings in "
                                 "Deployment my-deployment (base/deployment.yaml:2:7) a second "
                                 "time: 'app/kustomization.yaml' names it twice"});
}

TEST_CASE("one base through two overlays with different name prefixes is two resources") {
  Repo r;
  r.Write("base/kustomization.yaml", "resources: [deployment.yaml]\n");
  r.Write("base/deployment.yaml", kDeployment);
  r.Write("probe/kustomization.yaml", "namePrefix: probe-\nresources: [../base]\n");
  r.Write("dns/kustomization.yaml", "nameSuffix: -dns\nresources: [../base]\n");
  r.Write("composite/kustomization.yaml", "resources: [../probe, ../dns]\n");
  CHECK(r.Builds({"composite"}).empty());
}

TEST_CASE("the same file named twice is reported at its second entry") {
  Repo r;
  r.Write("app/kustomization.yaml", "resources: [cm.yaml, ./cm.yaml]\n");
  r.Write("app/cm.yaml", ConfigMap("x"));
  CHECK(r.Builds({"app"}) ==
        std::vector<std::string>{"app/kustomization.yaml:1:22 /resources/1: './cm.yaml' brings in "
                                 "ConfigMap x (app/cm.yaml:2:7) a second time: the build of "
                                 "'app/kustomization.yaml' already has it through 'cm.yaml'"});
}

TEST_CASE("a component adding a resource the build already has is a duplicate") {
  Repo r;
  r.Write("app/kustomization.yaml", "resources: [cm.yaml]\ncomponents: [../extra]\n");
  r.Write("app/cm.yaml", ConfigMap("x"));
  r.Write("extra/kustomization.yaml", "kind: Component\nresources: [cm.yaml]\n");
  r.Write("extra/cm.yaml", ConfigMap("x"));
  CHECK(r.Builds({"app"}) ==
        std::vector<std::string>{"extra/cm.yaml:2:7 /kind: ConfigMap x is defined twice in the "
                                 "build of 'app/kustomization.yaml': first at app/cm.yaml:2:7"});
}

TEST_CASE("what a kustomization with transformers builds is compared with nothing outside it") {
  Repo r;
  r.Write("one/kustomization.yaml", "resources: [cm.yaml]\ntransformers: [suffix.yaml]\n");
  r.Write("one/cm.yaml", ConfigMap("x"));
  r.Write("two/kustomization.yaml", "resources: [cm.yaml]\n");
  r.Write("two/cm.yaml", ConfigMap("x"));
  r.Write("app/kustomization.yaml", "resources: [../one, ../two]\n");
  CHECK(r.Builds({"app"}).empty());
}

TEST_CASE("when neither document was selected the duplicate is at the selected overlay's entry") {
  Repo r;
  r.Unselected("one/kustomization.yaml", "resources: [cm.yaml]\n");
  r.Unselected("one/cm.yaml", ConfigMap("x"));
  r.Unselected("two/cm.yaml", ConfigMap("x"));
  r.Write("app/kustomization.yaml", "resources: [../one, ../two/cm.yaml]\n");
  CHECK(r.Builds({"app"}) ==
        std::vector<std::string>{
            "app/kustomization.yaml:1:21 /resources/1: '../two/cm.yaml' brings in ConfigMap x "
            "(two/cm.yaml:2:7), which the build of 'app/kustomization.yaml' already has from "
            "one/cm.yaml:2:7"});
}

TEST_CASE("when only the first document was selected the duplicate is there, naming the second") {
  Repo r;
  r.Unselected("app/kustomization.yaml", "resources: [a.yaml, b.yaml]\n");
  r.Write("app/a.yaml", ConfigMap("x"));
  r.Unselected("app/b.yaml", ConfigMap("x"));
  CHECK(r.Builds({"app"}) ==
        std::vector<std::string>{"app/a.yaml:2:7 /kind: ConfigMap x is defined twice in the build "
                                 "of 'app/kustomization.yaml': again at app/b.yaml:2:7"});
}

TEST_CASE("a duplicate is reported once however many builds hold it") {
  Repo r;
  r.Write("base/kustomization.yaml", "resources: [a.yaml, b.yaml]\n");
  r.Write("base/a.yaml", ConfigMap("x"));
  r.Write("base/b.yaml", ConfigMap("x"));
  r.Write("prod/kustomization.yaml", "namespace: prod\nresources: [../base]\n");
  CHECK(r.Builds({"prod", "base"}).size() == 1);
}

ApplicationSource Source(const std::string& path, const std::string& ns, bool recurse = false) {
  ApplicationSource s;
  s.application = {"argoproj.io/v1alpha1", "argoproj.io", "v1alpha1",
                   "Application",          "argocd",      "web"};
  s.path = path;
  s.pos = {9, 11, 0};
  s.pointer = "/spec/source/path";
  s.destination_ns = ns;
  s.recurse = recurse;
  return s;
}

TEST_CASE(
    "a directory an Application applies as plain manifests may not define a resource "
    "twice, an empty namespace being the destination's") {
  Repo r;
  r.Write("manifests/a.yaml", ConfigMap("x", "demo"));
  r.Write("manifests/b.yml", ConfigMap("x"));
  r.Write("manifests/notes.txt", "not a manifest");
  r.Write("manifests/sub/c.yaml", ConfigMap("x"));
  DuplicateFinder finder(r.view);
  finder.CheckApplication("apps/web.yaml", Source("./manifests", "demo"), "manifests");
  CHECK(Repo::Lines(finder.findings()) ==
        std::vector<std::string>{"manifests/b.yml:2:7 /kind: ConfigMap demo/x is applied twice by "
                                 "Application 'argocd/web' (path './manifests'): first at "
                                 "manifests/a.yaml:2:7"});
  DuplicateFinder other_namespace(r.view);
  other_namespace.CheckApplication("apps/web.yaml", Source("manifests", "prod"), "manifests");
  CHECK(other_namespace.findings().empty());
  DuplicateFinder recursive(r.view);
  recursive.CheckApplication("apps/web.yaml", Source("manifests", "prod", true), "manifests");
  CHECK(Repo::Lines(recursive.findings()) ==
        std::vector<std::string>{"manifests/sub/c.yaml:2:7 /kind: ConfigMap prod/x is applied "
                                 "twice by Application 'argocd/web' (path 'manifests'): first at "
                                 "manifests/b.yml:2:7"});
}

TEST_CASE("an Application's Helm chart, other sources and unselected duplicates") {
  Repo r;
  r.Write("chart/Chart.yaml", "name: x\n");
  r.Write("chart/a.yaml", ConfigMap("x"));
  r.Write("chart/b.yaml", ConfigMap("x"));
  r.Unselected("plain/a.yaml", ConfigMap("x"));
  r.Unselected("plain/b.yaml", ConfigMap("x"));
  DuplicateFinder finder(r.view);
  finder.CheckApplication("apps/web.yaml", Source("chart", ""), "chart");
  ApplicationSource helm = Source("plain", "");
  helm.other = true;
  finder.CheckApplication("apps/web.yaml", helm, "plain");
  CHECK(finder.findings().empty());
  finder.CheckApplication("apps/web.yaml", Source("plain", ""), "plain");
  CHECK(Repo::Lines(finder.findings()) ==
        std::vector<std::string>{"apps/web.yaml:9:11 /spec/source/path: Application 'argocd/web' "
                                 "(path 'plain') applies ConfigMap x twice: at plain/a.yaml:2:7 "
                                 "and plain/b.yaml:2:7"});
}

TEST_CASE("an Application's kustomization directory is checked as its build") {
  Repo r;
  r.Write("app/kustomization.yaml", "resources: [a.yaml, b.yaml]\n");
  r.Write("app/a.yaml", ConfigMap("x"));
  r.Write("app/b.yaml", ConfigMap("x"));
  DuplicateFinder finder(r.view);
  finder.CheckApplication("apps/web.yaml", Source("app", ""), "app");
  CHECK(finder.findings().size() == 1);
}

TEST_CASE(
    "an Application's sources are read from spec.source or spec.sources, with what makes "
    "them something other than plain manifests") {
  yaml::ParsedFile f = yaml::Parse(
      "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: a}\nspec:\n"
      "  destination: {namespace: shop}\n"
      "  sources:\n"
      "    - {repoURL: x, path: apps/web, directory: {recurse: true}}\n"
      "    - {repoURL: x, path: charts/web, helm: {valueFiles: [v.yaml]}}\n"
      "    - {repoURL: x, ref: values}\n"
      "    - {repoURL: x, path: '{{path}}'}\n"
      "    - {repoURL: x, path: apps/some, directory: {include: '*.yaml'}}\n"
      "  source: {repoURL: x, path: ignored}\n");
  REQUIRE(f.issues.empty());
  Identity id{"argoproj.io/v1alpha1", "argoproj.io", "v1alpha1", "Application", "", "a"};
  std::vector<ApplicationSource> out;
  CollectApplicationSources(f.documents[0], f.documents[0].root(), id, "", out);
  REQUIRE(out.size() == 3);
  CHECK(out[0].path == "apps/web");
  CHECK(out[0].pointer == "/spec/sources/0/path");
  CHECK(out[0].pos.line == 7);
  CHECK(out[0].recurse);
  CHECK_FALSE(out[0].other);
  CHECK(out[0].destination_ns == "shop");
  CHECK(out[1].other);
  CHECK(out[2].path == "apps/some");
  CHECK(out[2].other);
  Identity set{"argoproj.io/v1alpha1", "argoproj.io", "v1alpha1", "ApplicationSet", "", "a"};
  out.clear();
  CollectApplicationSources(f.documents[0], f.documents[0].root(), set, "", out);
  CHECK(out.empty());
}

}  // namespace
}  // namespace capstan::k8s
