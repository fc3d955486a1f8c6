#include "k8s/argocd_checks.h"

#include <catch2/catch.hpp>

#include "fs/posix_file_system.h"
#include "k8s/validator.h"

namespace capstan::k8s {
namespace {

struct Fixture {
  fs::PosixFileSystem fs;
  std::unique_ptr<SchemaRegistry> registry;

  Fixture() {
    auto r = SchemaRegistry::Create({}, fs);
    REQUIRE(r.ok());
    registry = std::move(*r);
  }

  // The findings of the argocd-* rules only, as "line:col rule message".
  std::vector<std::string> Argo(const std::string& text, FileContext context = {}) {
    last = FileValidator(*registry, {}).Validate("apps.yaml", text, context);
    std::vector<std::string> out;
    for (const report::Finding& f : last.findings)
      if (f.rule.starts_with("argocd-"))
        out.push_back(std::to_string(f.line) + ":" + std::to_string(f.column) + " " + f.rule + " " +
                      f.message);
    return out;
  }
  const report::Finding& First(std::string_view rule) const {
    for (const report::Finding& f : last.findings)
      if (f.rule == rule) return f;
    FAIL("no finding of " << rule);
    return last.findings.front();
  }

  FileReport last;
};

// An Application with the given extra metadata lines and spec lines (each indented by the
// caller as under `metadata:` / `spec:`).
std::string App(std::string_view metadata, std::string_view spec) {
  return "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: web\n"
         "  namespace: argocd\n" +
         std::string(metadata) + "spec:\n  project: default\n" + std::string(spec);
}

constexpr std::string_view kSource =
    "  source:\n    repoURL: https://github.com/acme/gitops\n    targetRevision: main\n"
    "    path: apps/web\n";
constexpr std::string_view kDestination =
    "  destination:\n    server: https://kubernetes.default.svc\n    namespace: web\n";

TEST_CASE("a well-formed Application has no Argo CD findings") {
  Fixture fx;
  std::string text = App(
      "  annotations:\n    argocd.argoproj.io/sync-wave: \"-1\"\n"
      "    argocd.argoproj.io/manifest-generate-paths: .;../shared;/common/*.yaml\n"
      "    argocd.argoproj.io/compare-options: ServerSideDiff=true,IncludeMutationWebhook=true\n"
      "    argocd.argoproj.io/refresh: hard\n",
      std::string(kSource) + std::string(kDestination) +
          "  syncPolicy:\n    syncOptions:\n      - CreateNamespace=true\n"
          "      - ServerSideApply=true\n      - PrunePropagationPolicy=foreground\n");
  CHECK(fx.Argo(text).empty());
  CHECK(fx.last.findings.empty());
}

TEST_CASE("sync options are checked in the Application's list at each item") {
  Fixture fx;
  std::string text = App("", std::string(kSource) + std::string(kDestination) +
                                 "  syncPolicy:\n    syncOptions:\n      - CreateNamespace=true\n"
                                 "      - CreateNamespace=True\n      - Force=true\n");
  CHECK(fx.Argo(text) ==
        std::vector<std::string>{
            "18:9 argocd-sync-option sync option 'CreateNamespace=True' has an unknown value: "
            "CreateNamespace takes true or false (did you mean 'CreateNamespace=true'?)",
            "19:9 argocd-sync-option sync option 'Force=true' is read only from a resource's "
            "argocd.argoproj.io/sync-options annotation, not from spec.syncPolicy.syncOptions"});
  const report::Finding& f = fx.First("argocd-sync-option");
  CHECK(f.path == "/spec/syncPolicy/syncOptions/1");
  CHECK(f.resource.kind == "Application");
  CHECK(f.resource.name == "web");
  CHECK(f.severity == report::Severity::kError);
}

TEST_CASE("the sync-options annotation is checked item by item at the item's column") {
  Fixture fx;
  std::string text =
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n"
      "    argocd.argoproj.io/sync-options: Prune=false, Replase=true,CreateNamespace=true\n"
      "    argocd.argoproj.io/hook: \"PreSync,Postsync\"\n";
  CHECK(fx.Argo(text) ==
        std::vector<std::string>{
            "6:51 argocd-sync-option unknown sync option 'Replase=true' (did you mean "
            "'Replace=true'?)",
            "6:64 argocd-sync-option sync option 'CreateNamespace=true' is read only from an "
            "Application's spec.syncPolicy.syncOptions, not from the "
            "argocd.argoproj.io/sync-options annotation",
            "7:39 argocd-annotation unknown hook 'Postsync': expected PreSync, Sync, PostSync, "
            "SyncFail, PreDelete, PostDelete or Skip (did you mean 'PostSync'?)"});
  CHECK(fx.First("argocd-sync-option").path ==
        "/metadata/annotations/argocd.argoproj.io~1sync-options");
}

TEST_CASE("annotation values: sync-wave, hook-delete-policy, compare-options") {
  Fixture fx;
  std::string text =
      "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n  annotations:\n"
      "    argocd.argoproj.io/sync-wave: one\n"
      "    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation,HookSucceded\n"
      "    argocd.argoproj.io/compare-options: ServerSideDiff=false\n"
      "spec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n"
      "        - name: m\n          image: busybox\n";
  CHECK(fx.Argo(text) ==
        std::vector<std::string>{
            "6:35 argocd-annotation sync-wave 'one' is not an integer: Argo CD reads it as wave 0",
            "7:63 argocd-annotation unknown hook-delete-policy 'HookSucceded': expected "
            "HookSucceeded, HookFailed or BeforeHookCreation (did you mean 'HookSucceeded'?)",
            "8:41 argocd-annotation compare option 'ServerSideDiff=false' is read only from an "
            "Application's annotations; Argo CD ignores it here"});
}

TEST_CASE("an argocd.argoproj.io annotation Argo CD does not know is a warning") {
  Fixture fx;
  std::string text =
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n"
      "    argocd.argoproj.io/syncwave: \"1\"\n    argocd.argoproj.io/tracking-id: x\n"
      "    argocd.argoproj.io/instance: x\n    argocd.argoproj.io/skip-reconcile: \"true\"\n";
  CHECK(fx.Argo(text) ==
        std::vector<std::string>{
            "6:5 argocd-annotation unknown Argo CD annotation 'argocd.argoproj.io/syncwave': Argo "
            "CD ignores it (did you mean 'argocd.argoproj.io/sync-wave'?)"});
  CHECK(fx.First("argocd-annotation").severity == report::Severity::kWarning);
}

TEST_CASE("manifest-generate-paths entries must be able to match a changed file") {
  Fixture fx;
  std::string text =
      App("  annotations:\n"
          "    argocd.argoproj.io/manifest-generate-paths: .,../shared;[abc;../../../x\n",
          std::string(kSource) + std::string(kDestination));
  CHECK(fx.Argo(text) ==
        std::vector<std::string>{
            "7:49 argocd-annotation manifest-generate-paths entry '.,../shared' holds a ',': "
            "entries are separated by ';'",
            "7:61 argocd-annotation manifest-generate-paths entry: invalid glob '[abc': "
            "unterminated character class",
            "7:66 argocd-annotation manifest-generate-paths entry '../../../x' leads outside the "
            "repository from the source path 'apps/web', so no change ever matches it"});
}

TEST_CASE("a destination names exactly one of server and name") {
  Fixture fx;
  std::string both = App("", std::string(kSource) +
                                 "  destination:\n    server: https://kubernetes.default.svc\n"
                                 "    name: in-cluster\n");
  CHECK(fx.Argo(both) ==
        std::vector<std::string>{
            "14:5 argocd-destination destination names both server "
            "'https://kubernetes.default.svc' and name 'in-cluster': Argo CD refuses an "
            "Application with both; keep one"});
  CHECK(fx.First("argocd-destination").path == "/spec/destination/name");

  std::string neither = App("", std::string(kSource) + "  destination:\n    namespace: web\n");
  CHECK(fx.Argo(neither) ==
        std::vector<std::string>{"12:3 argocd-destination destination names neither a server "
                                 "nor a name: Argo CD cannot tell which cluster to deploy to"});
  std::string empty =
      App("", std::string(kSource) + "  destination:\n    server: \"\"\n    name: in-cluster\n");
  CHECK(fx.Argo(empty).empty());
  // A patch holds only what it changes: the server may come from its base.
  CHECK(fx.Argo(neither, FileContext{.patch = true}).empty());
}

TEST_CASE("source and sources together: Argo CD ignores spec.source") {
  Fixture fx;
  std::string text =
      App("", std::string(kSource) +
                  "  sources:\n    - repoURL: https://github.com/acme/gitops\n      path: x\n" +
                  std::string(kDestination));
  CHECK(fx.Argo(text) == std::vector<std::string>{
                             "8:3 argocd-source spec.source and spec.sources are both set: Argo "
                             "CD deploys spec.sources and ignores spec.source"});
}

TEST_CASE("a multi-source value file names a source's ref") {
  Fixture fx;
  std::string text = App(
      "",
      "  sources:\n"
      "    - repoURL: https://charts.example.com\n      chart: web\n      targetRevision: 1.2.3\n"
      "      helm:\n        valueFiles:\n          - $values/web/values.yaml\n"
      "          - $valuez/web/prod.yaml\n          - values-$ARGOCD_APP_NAME.yaml\n"
      "        fileParameters:\n          - name: config\n            path: $cfg/config.json\n"
      "    - repoURL: https://github.com/acme/gitops\n      targetRevision: main\n"
      "      ref: values\n" +
          std::string(kDestination));
  CHECK(fx.Argo(text) ==
        std::vector<std::string>{
            "15:13 argocd-source value file '$valuez/web/prod.yaml' refers to source '$valuez', "
            "but no source has ref 'valuez' (did you mean '$values'?)",
            "19:19 argocd-source value file '$cfg/config.json' refers to source '$cfg', but no "
            "source has ref 'cfg'"});
  CHECK(fx.First("argocd-source").path == "/spec/sources/0/helm/valueFiles/1");

  std::string no_refs = App("",
                            "  sources:\n    - repoURL: https://charts.example.com\n"
                            "      chart: web\n      targetRevision: 1.2.3\n      helm:\n"
                            "        valueFiles: [$values/web.yaml]\n" +
                                std::string(kDestination));
  CHECK(fx.Argo(no_refs) ==
        std::vector<std::string>{"13:22 argocd-source value file '$values/web.yaml' refers to "
                                 "source '$values', but no source in spec.sources has a ref"});
}

TEST_CASE("source refs hold letters, digits, '_' and '-' and are unique") {
  Fixture fx;
  std::string text =
      App("",
          "  sources:\n    - repoURL: https://a.example.com/a.git\n      ref: my.values\n"
          "    - repoURL: https://a.example.com/b.git\n      ref: shared\n"
          "    - repoURL: https://a.example.com/c.git\n      ref: shared\n" +
              std::string(kDestination));
  CHECK(fx.Argo(text) ==
        std::vector<std::string>{
            "10:12 argocd-source source ref 'my.values' may hold only letters, digits, '_' and '-'",
            "14:12 argocd-source source ref 'shared' is already the ref of /spec/sources/1: Argo "
            "CD refuses sources with the same ref"});
}

TEST_CASE("a targetRevision that looks like a semver constraint must parse as one") {
  Fixture fx;
  for (std::string_view ok :
       {"main", "HEAD", "v1.2.3", "1.2", "release-1.x", "1.x", "~1.4", ">=1.2.0 <2.0.0", "^1.2.3",
        "1.2 - 1.4", "*", ">= 1.2, < 2", "1.x || 2.x", "0123abc", "feature/a=b"}) {
    CAPTURE(ok);
    std::string text = App("",
                           "  source:\n    repoURL: https://charts.example.com\n    chart: web\n"
                           "    targetRevision: '" +
                               std::string(ok) + "'\n" + std::string(kDestination));
    CHECK(fx.Argo(text).empty());
  }
  std::string bad = App("",
                        "  source:\n    repoURL: https://charts.example.com\n    chart: web\n"
                        "    targetRevision: '>=1.2.x.y'\n" +
                            std::string(kDestination));
  std::vector<std::string> found = fx.Argo(bad);
  REQUIRE(found.size() == 1);
  CHECK(
      found[0].starts_with("11:21 argocd-source targetRevision '>=1.2.x.y' looks like a semver "
                           "constraint but does not parse ("));
  CHECK(found[0].ends_with("), so Argo CD would look for a branch or tag of that name"));
}

TEST_CASE("an ApplicationSet template is checked, placeholders never") {
  Fixture fx;
  std::string text =
      "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: set\n"
      "spec:\n  goTemplate: true\n  generators:\n    - list:\n        elements: []\n"
      "  template:\n    metadata:\n      name: '{{.name}}'\n      annotations:\n"
      "        argocd.argoproj.io/sync-wave: '{{.wave}}'\n"
      "        argocd.argoproj.io/manifest-generate-paths: '{{.path}};../x,y'\n"
      "    spec:\n      project: '{{.project}}'\n"
      "      source:\n        repoURL: https://github.com/acme/gitops\n"
      "        targetRevision: '{{.revision}}'\n        path: '{{.path}}'\n"
      "      destination:\n        server: '{{.server}}'\n        name: '{{.name}}'\n"
      "      syncPolicy:\n        syncOptions:\n          - '{{.option}}'\n"
      "          - CreateNamespace=yes\n";
  CHECK(fx.Argo(text) ==
        std::vector<std::string>{
            "15:64 argocd-annotation manifest-generate-paths entry '../x,y' holds a ',': entries "
            "are separated by ';'",
            "28:13 argocd-sync-option sync option 'CreateNamespace=yes' has an unknown value: "
            "CreateNamespace takes true or false"});
  CHECK(fx.First("argocd-sync-option").path == "/spec/template/spec/syncPolicy/syncOptions/1");
  CHECK(fx.last.argocd_projects.empty());
}

TEST_CASE("an ApplicationSet whose generators carry templates may complete the destination") {
  Fixture fx;
  std::string text =
      "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: set\n"
      "spec:\n  generators:\n    - list:\n        elements: []\n        template:\n"
      "          metadata: {}\n          spec:\n            project: default\n"
      "            destination: {server: https://kubernetes.default.svc}\n"
      "  template:\n    metadata:\n      name: x\n    spec:\n      project: default\n"
      "      source: {repoURL: 'https://github.com/acme/gitops', path: x}\n"
      "      destination: {namespace: web}\n";
  CHECK(fx.Argo(text).empty());
}

TEST_CASE("an Application's project other than default is recorded for the repository check") {
  Fixture fx;
  std::string text = App("", std::string(kSource) + std::string(kDestination));
  text.replace(text.find("project: default"), 16, "project: team-a");
  CHECK(fx.Argo(text).empty());
  REQUIRE(fx.last.argocd_projects.size() == 1);
  const ProjectReference& ref = fx.last.argocd_projects[0];
  CHECK(ref.project == "team-a");
  CHECK(ref.pos.line == 7);
  CHECK(ref.pos.column == 12);
  CHECK(ref.path == "/spec/project");
  CHECK(ref.resource.name == "web");
}

TEST_CASE("an Application of a kind named in --skip gets no Argo CD findings") {
  Fixture fx;
  std::string text = App("", std::string(kSource) + "  destination: {namespace: web}\n");
  ValidateOptions options;
  options.skip = {"Application"};
  FileReport r = FileValidator(*fx.registry, options).Validate("a.yaml", text);
  CHECK(r.findings.empty());
}

}  // namespace
}  // namespace capstan::k8s
