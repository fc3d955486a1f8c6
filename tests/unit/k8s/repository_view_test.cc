#include "k8s/repository_view.h"

#include <catch2/catch.hpp>

#include "fs/posix_file_system.h"
#include "support/temp_repo.h"

namespace capstan::k8s {
namespace {

using testing::TempDir;
using testing::WriteFile;

std::vector<std::string> Described(const std::vector<ResourceAt>& resources) {
  std::vector<std::string> out;
  for (const ResourceAt& r : resources)
    out.push_back(r.identity.kind + " " + r.identity.ns + "/" + r.identity.name + " " +
                  std::to_string(r.pos.line) + ":" + std::to_string(r.pos.column) + " '" + r.path +
                  "'" + (r.identity.generated_name ? " generated" : ""));
  return out;
}

TEST_CASE(
    "the view reads the resources of files the run did not select as the validator "
    "finds them") {
  TempDir dir;
  fs::PosixFileSystem fs;
  RepositoryView view(fs, dir.path(), {});
  WriteFile(dir / "app/list.yaml",
            "apiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: ConfigMap, metadata: "
            "{name: a, namespace: x}}\n  - {apiVersion: v1, kind: Secret, metadata: "
            "{generateName: s-}}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: b}\n"
            "---\nnot: kubernetes\n");
  WriteFile(dir / "app/kustomization.yaml",
            "apiVersion: kustomize.config.k8s.io/v1beta1\n"
            "kind: Kustomization\nresources: [list.yaml]\n");
  WriteFile(dir / "chart/Chart.yaml", "name: c\n");
  WriteFile(dir / "chart/templates/cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
            "  name: {{ .Release.Name }}\n");
  CHECK(Described(view.ResourcesIn("./app/x/../list.yaml")) ==
        std::vector<std::string>{"ConfigMap x/a 4:28 '/items/0'",
                                 "Secret /s- 5:28 '/items/1' generated", "Service /b 8:7 ''"});
  CHECK(view.ResourcesIn("app/kustomization.yaml").empty());
  CHECK(view.ResourcesIn("chart/templates/cm.yaml").empty());
  CHECK(view.ResourcesIn("app/missing.yaml").empty());
  CHECK(view.TypeOf("app") == FileType::kDirectory);
  CHECK(view.TypeOf("app/list.yaml") == FileType::kRegular);
  CHECK_FALSE(view.TypeOf("app/missing.yaml").has_value());
  REQUIRE(view.List("app").size() == 2);
  CHECK(view.List("app")[0].name == "kustomization.yaml");
}

TEST_CASE("a selected file is what the validator said, never read again") {
  TempDir dir;
  fs::PosixFileSystem fs;
  RepositoryView view(fs, dir.path(), {});
  std::vector<ResourceAt> resources{{{"v1", "", "v1", "ConfigMap", "", "staged"}, {3, 7, 0}, ""}};
  view.Select("./a/cm.yaml", &resources);
  CHECK(view.IsSelected("a/cm.yaml"));
  CHECK(view.TypeOf("a/cm.yaml") == FileType::kRegular);  // not on disk, e.g. staged
  CHECK(&view.ResourcesIn("a/cm.yaml") == &resources);
}

TEST_CASE("a view told which words matter does not parse a file that mentions none of them") {
  TempDir dir;
  fs::PosixFileSystem fs;
  RepositoryView view(fs, dir.path(), {});
  WriteFile(dir / "cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n");
  WriteFile(dir / "hpa.yaml",
            "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\n"
            "metadata: {name: a}\nspec: {scaleTargetRef: {kind: Deployment}}\n");
  view.OnlyFilesMentioning({"Deployment"});
  CHECK(view.ResourcesIn("cm.yaml").empty());
  CHECK(view.ResourcesIn("hpa.yaml").size() == 1);
}

}  // namespace
}  // namespace capstan::k8s
