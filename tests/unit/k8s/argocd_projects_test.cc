#include "k8s/argocd_projects.h"

#include <catch2/catch.hpp>

namespace capstan::k8s {
namespace {

FileReport Defines(std::vector<std::string> projects) {
  FileReport r;
  for (const std::string& name : projects)
    r.resources.push_back(
        {{"argoproj.io/v1alpha1", "argoproj.io", "v1alpha1", "AppProject", "argocd", name},
         {},
         ""});
  return r;
}

FileReport Names(std::string project, int line) {
  FileReport r;
  ProjectReference ref;
  ref.project = std::move(project);
  ref.pos.line = line;
  ref.pos.column = 12;
  ref.path = "/spec/project";
  ref.resource = {"argoproj.io/v1alpha1", "argoproj.io", "v1alpha1",
                  "Application",          "argocd",      "web"};
  r.argocd_projects.push_back(ref);
  return r;
}

std::vector<report::Finding> Run(std::vector<FileReport> reports) {
  std::vector<std::string> files;
  for (std::size_t i = 0; i < reports.size(); ++i) files.push_back("f" + std::to_string(i));
  return CheckProjectReferences(files, reports);
}

TEST_CASE("a project defined by an AppProject in any file is found") {
  CHECK(Run({Names("team-a", 7), Defines({"team-a", "team-b"})}).empty());
}

TEST_CASE("a project one letter away from a defined AppProject is an error") {
  std::vector<report::Finding> f = Run({Defines({"payments", "web"}), Names("payment", 7)});
  REQUIRE(f.size() == 1);
  CHECK(f[0].rule == "argocd-destination");
  CHECK(f[0].severity == report::Severity::kError);
  CHECK(f[0].file == "f1");
  CHECK(f[0].line == 7);
  CHECK(f[0].column == 12);
  CHECK(f[0].path == "/spec/project");
  CHECK(f[0].resource.kind == "Application");
  CHECK(f[0].message ==
        "project 'payment' names no AppProject of the files checked (did you mean 'payments'?)");
  CHECK(Run({Defines({"Team-A"}), Names("team-a", 3)})[0].severity == report::Severity::kError);
}

TEST_CASE("a project unlike any defined one, or with none defined, is a warning") {
  std::vector<report::Finding> f = Run({Defines({"my-project"}), Names("some-project", 7)});
  REQUIRE(f.size() == 1);
  CHECK(f[0].severity == report::Severity::kWarning);
  CHECK(f[0].message ==
        "project 'some-project' names no AppProject of the files checked (did "
        "you mean 'my-project'?)");
  f = Run({Names("infra", 4)});
  REQUIRE(f.size() == 1);
  CHECK(f[0].severity == report::Severity::kWarning);
  CHECK(f[0].message ==
        "project 'infra' is not defined in the files checked: they hold no AppProject");
}

TEST_CASE("a missing project is warned about once, at its first reference, and a typo at each") {
  std::vector<report::Finding> f =
      Run({Names("infra", 4), Names("infra", 9), Names("apps", 2), Names("infra", 1)});
  REQUIRE(f.size() == 2);
  CHECK(f[0].file == "f0");
  CHECK(f[0].line == 4);
  CHECK(f[1].file == "f2");
  f = Run({Defines({"payments"}), Names("payment", 4), Names("payment", 9)});
  CHECK(f.size() == 2);
}

TEST_CASE("only AppProjects of argoproj.io define projects") {
  FileReport other;
  other.resources.push_back(
      {{"example.com/v1", "example.com", "v1", "AppProject", "", "team-a"}, {}, ""});
  CHECK(Run({other, Names("team-a", 1)}).size() == 1);
}

}  // namespace
}  // namespace capstan::k8s
