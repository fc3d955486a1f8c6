#include "argocd/affected.h"

#include <catch2/catch.hpp>

#include "fs/posix_file_system.h"
#include "support/temp_repo.h"

namespace capstan::argocd {
namespace {

using testing::TempDir;
using testing::WriteFile;

constexpr std::string_view kRepo = "https://github.com/acme/config.git";

Source Git(std::string path, std::string revision = "main", std::string repo = std::string(kRepo)) {
  Source s;
  s.repo_url = std::move(repo);
  s.target_revision = std::move(revision);
  s.path = std::move(path);
  return s;
}

Application App(std::string name, std::vector<Source> sources,
                std::string manifest_generate_paths = "") {
  Application app;
  app.name = std::move(name);
  app.multi_source = sources.size() > 1;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    if (app.multi_source) sources[i].position = static_cast<int>(i) + 1;
    app.sources.push_back(std::move(sources[i]));
  }
  if (!manifest_generate_paths.empty())
    app.annotations.push_back(
        Annotation{std::string(kManifestGeneratePaths), std::move(manifest_generate_paths)});
  return app;
}

// A repository work tree: overlays on a base with a component, a plain directory, a chart's
// values, and a kustomization cycle.
struct Repo {
  Repo() {
    Write("apps/web/kustomization.yaml",
          "resources: [deployment.yaml, ../../bases/web]\n"
          "components: [../../components/tls]\n");
    Write("apps/web/deployment.yaml", "kind: Deployment\n");
    Write("bases/web/kustomization.yaml", "resources: [deploy.yaml, github.com/acme/x?ref=v1]\n");
    Write("bases/web/deploy.yaml", "kind: Deployment\n");
    Write("components/tls/kustomization.yaml", "kind: Component\npatches: [{path: cert.yaml}]\n");
    Write("apps/api/deploy.yaml", "kind: Deployment\n");
    Write("charts/api/values.yaml", "replicas: 2\n");
    Write("apps/cycle-a/kustomization.yaml", "resources: [../cycle-b]\n");
    Write("apps/cycle-b/kustomization.yaml", "resources: [../cycle-a]\n");
  }
  void Write(const std::string& rel, const std::string& text) { WriteFile(dir / rel, text); }

  // The rules for a change on main (the default branch) touching `paths`.
  AffectedRules Rules(std::vector<std::string> paths, AffectedMode mode = AffectedMode::kPaths) {
    return AffectedRules(Change{"git@github.com:acme/config", "main", "main", std::move(paths)}, fs,
                         dir.path(), {.mode = mode});
  }

  TempDir dir;
  fs::PosixFileSystem fs;
};

TEST_CASE("a change under the source path selects the app, others stay out", "[argocd]") {
  Repo repo;
  AffectedRules rules = repo.Rules({"apps/web/deployment.yaml"});
  Decision web = rules.Decide(App("web", {Git("apps/web")}));
  CHECK(web.selected);
  CHECK(web.reason == "in: 'apps/web/deployment.yaml' under source path 'apps/web'");
  CHECK(web.sources == std::vector<std::size_t>{0});
  Decision api = rules.Decide(App("api", {Git("./apps/api/")}));
  CHECK_FALSE(api.selected);
  CHECK(api.reason == "out: no changed path under 'apps/api'");
  CHECK(api.sources == std::vector<std::size_t>{0});
}

TEST_CASE("a change to a base or component selects the overlays that name it", "[argocd]") {
  Repo repo;
  Application web = App("web", {Git("apps/web")});
  Decision base = repo.Rules({"bases/web/deploy.yaml"}).Decide(web);
  CHECK(base.selected);
  CHECK(base.reason ==
        "in: 'bases/web/deploy.yaml' under 'bases/web', named by 'apps/web/kustomization.yaml'");
  CHECK(base.notes == std::vector<std::string>{"remote resource 'github.com/acme/x?ref=v1' in "
                                               "'bases/web/kustomization.yaml' is not followed"});
  Decision component = repo.Rules({"components/tls/cert.yaml"}).Decide(web);
  CHECK(component.selected);
  CHECK(component.reason ==
        "in: 'components/tls/cert.yaml' under 'components/tls', named by "
        "'apps/web/kustomization.yaml'");
  Decision elsewhere = repo.Rules({"bases/other/deploy.yaml"}).Decide(web);
  CHECK_FALSE(elsewhere.selected);
  CHECK(elsewhere.reason ==
        "out: no changed path under 'apps/web', 'bases/web' or 'components/tls'");
}

TEST_CASE("deleted and moved files select the apps that had them", "[argocd]") {
  Repo repo;
  // apps/api/old.yaml no longer exists in the work tree; web/x.yaml moved to api/x.yaml.
  AffectedRules rules = repo.Rules({"apps/api/old.yaml"});
  CHECK(rules.Decide(App("api", {Git("apps/api")})).selected);
  AffectedRules moved = repo.Rules({"apps/web/x.yaml", "apps/api/x.yaml"});
  CHECK(moved.Decide(App("api", {Git("apps/api")})).selected);
  CHECK(moved.Decide(App("web", {Git("apps/web")})).selected);
  // A whole deleted app directory: the app's path is gone from the tree, its files changed.
  CHECK(repo.Rules({"apps/gone/kustomization.yaml"})
            .Decide(App("gone", {Git("apps/gone")}))
            .selected);
}

TEST_CASE("apps of other repositories and branches are out, saying why", "[argocd]") {
  Repo repo;
  AffectedRules rules = repo.Rules({"apps/web/deployment.yaml"});
  Decision other = rules.Decide(
      App("other", {Git("apps/web", "main", "https://x-token:s3cret@github.com/acme/other.git")}));
  CHECK_FALSE(other.selected);
  CHECK(other.reason == "out: repo 'https://github.com/acme/other.git' is not this repository");
  CHECK(other.sources.empty());
  Decision release = rules.Decide(App("web-release", {Git("apps/web", "release-1")}));
  CHECK_FALSE(release.selected);
  CHECK(release.reason == "out: tracks branch 'release-1', the change is on 'main'");
  Decision head = rules.Decide(App("web-head", {Git("apps/web", "HEAD")}));
  CHECK(head.selected);
  Decision range = rules.Decide(App("web-range", {Git("apps/web", ">=1.2.0")}));
  CHECK(range.reason == "out: tracks tags in semver range '>=1.2.0', not a branch");
  Decision none = rules.Decide(App("none", {}));
  CHECK(none.reason == "out: the application has no source");
  Decision two = rules.Decide(App("two", {Git("a", "main", "https://github.com/acme/one"),
                                          Git("b", "main", "https://github.com/acme/two")}));
  CHECK(two.reason ==
        "out: no source is this repository (repos 'https://github.com/acme/one' "
        "and 'https://github.com/acme/two')");
}

TEST_CASE("a $ref value file of a multi-source app selects it", "[argocd]") {
  Repo repo;
  Source chart;
  chart.repo_url = "https://charts.example.com";
  chart.chart = "api";
  chart.target_revision = "1.2.0";
  chart.value_files = {"$values/charts/api/values.yaml", "values-default.yaml"};
  Source values;
  values.repo_url = "https://github.com/Acme/config";
  values.target_revision = "HEAD";
  values.ref = "values";
  Application app = App("api", {chart, values});
  Decision d = repo.Rules({"charts/api/values.yaml"}).Decide(app);
  CHECK(d.selected);
  CHECK(d.reason == "in: 'charts/api/values.yaml' is value file '$values/charts/api/values.yaml'");
  CHECK(d.sources == std::vector<std::size_t>{1});
  Decision unrelated = repo.Rules({"charts/web/values.yaml"}).Decide(app);
  CHECK_FALSE(unrelated.selected);
  CHECK(unrelated.reason == "out: no changed path under 'charts/api/values.yaml'");
  // The values source on another branch: the change does not reach the app.
  app.sources[1].target_revision = "release-1";
  CHECK_FALSE(repo.Rules({"charts/api/values.yaml"}).Decide(app).selected);
}

TEST_CASE("a source's own helm value files count, relative to its path", "[argocd]") {
  Repo repo;
  Source s = Git("apps/api");
  s.value_files = {"../../envs/prod/values.yaml", "https://example.com/values.yaml",
                   "../../../outside.yaml"};
  Decision d = repo.Rules({"envs/prod/values.yaml"}).Decide(App("api", {s}));
  CHECK(d.selected);
  CHECK(d.reason ==
        "in: 'envs/prod/values.yaml' is value file '../../envs/prod/values.yaml' of "
        "source path 'apps/api'");
  CHECK(d.notes ==
        std::vector<std::string>{"value file '../../../outside.yaml' leaves the repository"});
}

TEST_CASE("kustomize components named by the Application count with what they name", "[argocd]") {
  Repo repo;
  repo.Write("components/monitoring/kustomization.yaml",
             "kind: Component\nresources: [../../shared/dashboards]\n");
  Source s = Git("apps/api");
  s.kustomize_components = {"../../components/monitoring", "../../../nope"};
  Application app = App("api", {s});
  Decision direct = repo.Rules({"components/monitoring/sm.yaml"}).Decide(app);
  CHECK(direct.reason ==
        "in: 'components/monitoring/sm.yaml' under 'components/monitoring', kustomize "
        "component '../../components/monitoring' of the app");
  CHECK(direct.notes ==
        std::vector<std::string>{"kustomize component '../../../nope' leaves the repository"});
  Decision named = repo.Rules({"shared/dashboards/web.json"}).Decide(app);
  CHECK(named.reason ==
        "in: 'shared/dashboards/web.json' under 'shared/dashboards', named by "
        "'components/monitoring/kustomization.yaml'");
}

TEST_CASE("manifest-generate-paths entries add paths in the paths mode", "[argocd]") {
  Repo repo;
  Application app = App("api", {Git("apps/api")}, "/shared/*.yaml;../../docs");
  CHECK(ManifestGeneratePaths(app) ==
        std::vector<RefreshPath>{{"shared/*.yaml", "/shared/*.yaml"}, {"docs", "../../docs"}});
  Decision glob = repo.Rules({"shared/common.yaml"}).Decide(app);
  CHECK(glob.selected);
  CHECK(glob.reason ==
        "in: 'shared/common.yaml' matches manifest-generate-paths entry "
        "'/shared/*.yaml'");
  Decision relative = repo.Rules({"docs/guide/x.md"}).Decide(app);
  CHECK(relative.reason ==
        "in: 'docs/guide/x.md' matches manifest-generate-paths entry '../../docs'");
  Decision deeper = repo.Rules({"shared/sub/common.yaml"}).Decide(app);
  CHECK_FALSE(deeper.selected);
  CHECK(deeper.reason ==
        "out: no changed path under 'apps/api' nor matching "
        "manifest-generate-paths '/shared/*.yaml;../../docs'");
}

TEST_CASE("Argo CD's rule: the annotation's entries, or every app of the repository and branch",
          "[argocd]") {
  Repo repo;
  AffectedRules rules = repo.Rules({"bases/web/deploy.yaml"}, AffectedMode::kArgoCd);
  // Without the annotation every app on this repository and branch is affected.
  Decision api = rules.Decide(App("api", {Git("apps/api")}));
  CHECK(api.selected);
  CHECK(api.reason ==
        "in: tracks branch 'main'; without manifest-generate-paths Argo CD "
        "refreshes every app of this repository and branch");
  CHECK_FALSE(rules.Decide(App("release", {Git("apps/api", "release-1")})).selected);
  // With it, only its entries count: Argo CD does not follow kustomize references.
  Decision web = rules.Decide(App("web", {Git("apps/web")}, "."));
  CHECK_FALSE(web.selected);
  CHECK(web.reason == "out: no changed path matches manifest-generate-paths '.'");
  CHECK(rules.Decide(App("web", {Git("apps/web")}, ".;/bases/web")).selected);
  CHECK(rules.Decide(App("web", {Git("apps/web")}, "../../bases/*/deploy.yaml")).selected);
  // An empty annotation is no annotation, as in GetAppRefreshPaths.
  CHECK(rules.Decide(App("web", {Git("apps/web")}, ";")).selected);
  // A relative entry counts from every source's path, that of a chart source ("") too.
  Source chart;
  chart.repo_url = "https://charts.example.com";
  chart.chart = "web";
  Application multi = App("multi", {chart, Git("apps/web")}, "bases");
  CHECK(ManifestGeneratePaths(multi) ==
        std::vector<RefreshPath>{{"bases", "bases"}, {"apps/web/bases", "bases"}});
  CHECK(rules.Decide(multi).selected);
}

TEST_CASE("a malformed manifest-generate-paths pattern is a note", "[argocd]") {
  Repo repo;
  Decision d = repo.Rules({"apps/api/deploy.yaml"}, AffectedMode::kArgoCd)
                   .Decide(App("api", {Git("apps/api")}, "/apps/[api"));
  CHECK_FALSE(d.selected);
  CHECK(d.notes == std::vector<std::string>{"manifest-generate-paths entry '/apps/[api' is not a "
                                            "valid pattern: only its exact path counts"});
}

TEST_CASE("a kustomization cycle is followed once and decides", "[argocd]") {
  Repo repo;
  AffectedRules rules = repo.Rules({"apps/cycle-b/extra.yaml"});
  Decision d = rules.Decide(App("cycle", {Git("apps/cycle-a")}));
  CHECK(d.selected);
  CHECK(d.reason ==
        "in: 'apps/cycle-b/extra.yaml' under 'apps/cycle-b', named by "
        "'apps/cycle-a/kustomization.yaml'");
  CHECK_FALSE(rules.Decide(App("web", {Git("apps/web")})).selected);
}

TEST_CASE("a change that touches no file selects nothing, in either mode", "[argocd]") {
  Repo repo;
  for (AffectedMode mode : {AffectedMode::kPaths, AffectedMode::kArgoCd}) {
    Decision d = repo.Rules({}, mode).Decide(App("web", {Git("apps/web")}));
    CHECK_FALSE(d.selected);
    CHECK(d.reason == "out: the change touches no file");
  }
}

TEST_CASE("a source at the repository root or leaving it", "[argocd]") {
  Repo repo;
  AffectedRules rules = repo.Rules({"README.md"});
  Source root = Git("");
  root.path.reset();
  Decision d = rules.Decide(App("root", {root}));
  CHECK(d.selected);
  CHECK(d.reason == "in: 'README.md' under the repository root (the source path)");
  Decision out = rules.Decide(App("bad", {Git("../elsewhere")}));
  CHECK_FALSE(out.selected);
  CHECK(out.reason == "out: the app uses no path of this repository");
  CHECK(out.notes == std::vector<std::string>{"source path '../elsewhere' leaves the repository"});
}

}  // namespace
}  // namespace capstan::argocd
