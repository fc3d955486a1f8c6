#include "k8s/resource_locator.h"

#include <catch2/catch.hpp>
#include <map>
#include <string>

#include "fs/posix_file_system.h"
#include "support/shared_data.h"
#include "support/temp_repo.h"

namespace capstan::k8s {
namespace {

using testing::TempDir;
using testing::WriteFile;

// Counts the reads of each file, to show that nothing is read twice or before a lookup.
class CountingFileSystem : public fs::PosixFileSystem {
 public:
  Result<std::string> ReadFile(const std::string& path, std::uint64_t max_bytes) override {
    ++reads[path];
    return fs::PosixFileSystem::ReadFile(path, max_bytes);
  }
  std::map<std::string, int> reads;
};

std::string Deployment(const std::string& name, const std::string& ns = "") {
  return "apiVersion: apps/v1\n"
         "kind: Deployment\n"
         "metadata:\n"
         "  name: " +
         name + "\n" + (ns.empty() ? "" : "  namespace: " + ns + "\n") + "spec: {}\n";
}

bool HasNote(const ResourceLocator& locator, const std::string& text) {
  for (const std::string& note : locator.notes())
    if (note == text) return true;
  return false;
}

TEST_CASE("a plain directory source finds each document at its metadata.name") {
  TempDir repo;
  WriteFile(repo / "apps/web/all.yaml",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n---\n" + Deployment("web"));
  fs::PosixFileSystem fs;
  ResourceLocator locator(fs, repo.path(), {"apps/web"}, {});

  auto service = locator.Find({"", "Service", "", "web"});
  REQUIRE(service);
  CHECK(*service == ResourceLocation{"apps/web/all.yaml", 4, 9, "/metadata/name"});
  auto deployment = locator.Find({"apps", "Deployment", "", "web"});
  REQUIRE(deployment);
  CHECK(deployment->line == 9);
  CHECK_FALSE(locator.Find({"", "Deployment", "", "web"}));
  CHECK_FALSE(locator.Find({"apps", "Deployment", "", "api"}));
  CHECK(locator.notes().empty());
}

TEST_CASE("a manifest without a namespace matches the destination namespace Argo CD gives it") {
  TempDir repo;
  WriteFile(repo / "web/deploy.yaml", Deployment("web"));
  WriteFile(repo / "web/pinned.yaml", Deployment("pinned", "other"));
  fs::PosixFileSystem fs;
  ResourceLocator locator(fs, repo.path(), {"web"}, {});

  CHECK(locator.Find({"apps", "Deployment", "team-a", "web"}));
  CHECK(locator.Find({"apps", "Deployment", "other", "pinned"}));
  CHECK_FALSE(locator.Find({"apps", "Deployment", "team-a", "pinned"}));
}

TEST_CASE("an overlay's namePrefix, nameSuffix and namespace name the base's manifest") {
  TempDir repo;
  WriteFile(repo / "base/kustomization.yaml", "namePrefix: base-\nresources: [deploy.yaml]\n");
  WriteFile(repo / "base/deploy.yaml", Deployment("web", "dev"));
  WriteFile(repo / "overlays/prod/kustomization.yaml",
            "namePrefix: prod-\nnameSuffix: -v2\nnamespace: prod\n"
            "resources: [../../base]\npatches: [{path: patch.yaml}]\n");
  WriteFile(repo / "overlays/prod/patch.yaml", Deployment("web"));
  fs::PosixFileSystem fs;
  ResourceLocator locator(fs, repo.path(), {"overlays/prod/"}, {});

  auto found = locator.Find({"apps", "Deployment", "prod", "prod-base-web-v2"});
  REQUIRE(found);
  CHECK(*found == ResourceLocation{"base/deploy.yaml", 4, 9, "/metadata/name"});
  // The untransformed identity is not what the cluster holds, and the patch is no resource.
  CHECK(locator.Candidates({"apps", "Deployment", "dev", "base-web"}).empty());
  CHECK(locator.Candidates({"apps", "Deployment", "prod", "web"}).empty());
}

TEST_CASE("cluster-scoped resources match without a namespace, Namespace takes the namespace") {
  TempDir repo;
  WriteFile(repo / "app/kustomization.yaml",
            "namespace: shop\nnamePrefix: x-\nresources: [ns.yaml, rbac.yaml]\n");
  WriteFile(repo / "app/ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: _\n");
  WriteFile(repo / "app/rbac.yaml",
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n"
            "  name: reader\n");
  fs::PosixFileSystem fs;
  ResourceLocator locator(fs, repo.path(), {"app"}, {});

  auto ns = locator.Find({"", "Namespace", "", "shop"});
  REQUIRE(ns);
  CHECK(ns->file == "app/ns.yaml");
  auto role = locator.Find({"rbac.authorization.k8s.io", "ClusterRole", "", "x-reader"});
  REQUIRE(role);
  CHECK(role->file == "app/rbac.yaml");
}

TEST_CASE("two manifests declaring one resource are ambiguous: Find answers none") {
  TempDir repo;
  WriteFile(repo / "web/a.yaml", Deployment("web"));
  WriteFile(repo / "web/old/b.yaml", Deployment("web"));
  fs::PosixFileSystem fs;
  ResourceLocator locator(fs, repo.path(), {"web"}, {});

  CHECK_FALSE(locator.Find({"apps", "Deployment", "prod", "web"}));
  auto all = locator.Candidates({"apps", "Deployment", "prod", "web"});
  REQUIRE(all.size() == 2);
  CHECK(all[0].file == "web/a.yaml");
  CHECK(all[1].file == "web/old/b.yaml");
}

TEST_CASE("an exact namespace match wins over a manifest without one") {
  TempDir repo;
  WriteFile(repo / "web/a.yaml", Deployment("web"));
  WriteFile(repo / "web/b.yaml", Deployment("web", "prod"));
  fs::PosixFileSystem fs;
  ResourceLocator locator(fs, repo.path(), {"."}, {});

  auto found = locator.Find({"apps", "Deployment", "prod", "web"});
  REQUIRE(found);
  CHECK(found->file == "web/b.yaml");
}

TEST_CASE("the same base reached along two paths counts once") {
  TempDir repo;
  WriteFile(repo / "base/kustomization.yaml", "resources: [deploy.yaml]\n");
  WriteFile(repo / "base/deploy.yaml", Deployment("web"));
  WriteFile(repo / "mid/kustomization.yaml", "resources: [../base]\n");
  WriteFile(repo / "top/kustomization.yaml", "resources: [../base, ../mid]\n");
  fs::PosixFileSystem fs;
  ResourceLocator locator(fs, repo.path(), {"top"}, {});

  CHECK(locator.Find({"apps", "Deployment", "", "web"}));
}

TEST_CASE("a file the kustomization leaves out answers only when nothing built matches") {
  TempDir repo;
  WriteFile(repo / "app/kustomization.yaml", "resources: [deploy.yaml]\n");
  WriteFile(repo / "app/deploy.yaml", Deployment("web"));
  WriteFile(repo / "app/unused/copy.yaml", Deployment("web"));
  WriteFile(repo / "app/unused/old.yaml", Deployment("old"));
  fs::PosixFileSystem fs;
  ResourceLocator locator(fs, repo.path(), {"app"}, {});

  auto web = locator.Find({"apps", "Deployment", "", "web"});
  REQUIRE(web);
  CHECK(web->file == "app/deploy.yaml");
  auto old = locator.Find({"apps", "Deployment", "", "old"});
  REQUIRE(old);
  CHECK(old->file == "app/unused/old.yaml");
}

TEST_CASE("List items are found at their own metadata.name") {
  TempDir repo;
  WriteFile(repo / "app/list.yaml",
            "apiVersion: v1\nkind: List\nitems:\n"
            "- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n"
            "- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: b\n");
  fs::PosixFileSystem fs;
  ResourceLocator locator(fs, repo.path(), {"app"}, {});

  auto b = locator.Find({"", "ConfigMap", "", "b"});
  REQUIRE(b);
  CHECK(*b == ResourceLocation{"app/list.yaml", 8, 11, "/items/1/metadata/name"});
  CHECK(locator.Find({"", "ConfigMap", "", "a"}));
}

TEST_CASE("templates, generated names, kustomizations and hidden or nested builds are skipped") {
  TempDir repo;
  WriteFile(repo / "chart/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\n");
  WriteFile(repo / "chart/templates/deploy.yaml", Deployment("{{ .Release.Name }}"));
  WriteFile(repo / "chart/values.yaml", "kind: Deployment\nmetadata: {name: web}\n");
  WriteFile(repo / "plain/job.yaml",
            "apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: migrate-\n");
  WriteFile(repo / "plain/templated.yaml", Deployment("\"{{ name }}\""));
  WriteFile(repo / "plain/.git/x.yaml", Deployment("hidden"));
  WriteFile(repo / "plain/nested/kustomization.yaml", "resources: [d.yaml]\n");
  WriteFile(repo / "plain/nested/d.yaml", Deployment("nested"));
  fs::PosixFileSystem fs;
  ResourceLocator locator(fs, repo.path(), {"chart", "plain"}, {});

  CHECK(locator.Candidates({"apps", "Deployment", "", "{{ .Release.Name }}"}).empty());
  CHECK(locator.Candidates({"apps", "Deployment", "", "{{ name }}"}).empty());
  CHECK(locator.Candidates({"apps", "Deployment", "", "web"}).empty());
  CHECK(locator.Candidates({"batch", "Job", "", "migrate-"}).empty());
  CHECK(locator.Candidates({"apps", "Deployment", "", "hidden"}).empty());
  CHECK(locator.Candidates({"apps", "Deployment", "", "nested"}).empty());
}

TEST_CASE("broken, oversized, missing and remote inputs are skipped with a note") {
  TempDir repo;
  WriteFile(repo / "app/kustomization.yaml",
            "resources:\n- good.yaml\n- broken.yaml\n- big.yaml\n- gone.yaml\n"
            "- ../../outside\n- github.com/acme/base?ref=v1\n");
  WriteFile(repo / "app/good.yaml", Deployment("good"));
  WriteFile(repo / "app/broken.yaml", Deployment("first") + "---\nkind: [unclosed\n");
  WriteFile(repo / "app/big.yaml", Deployment("big") + std::string(300, '#') + "\n");
  fs::PosixFileSystem fs;
  ResourceLocator locator(fs, repo.path(), {"app", "../elsewhere"}, {.max_file_bytes = 256});

  CHECK(locator.Find({"apps", "Deployment", "", "good"}));
  CHECK(locator.Find({"apps", "Deployment", "", "first"}));
  CHECK_FALSE(locator.Find({"apps", "Deployment", "", "big"}));
  CHECK(HasNote(locator, "'app/big.yaml' is larger than 256 bytes: not indexed"));
  CHECK(HasNote(locator, "'app/gone.yaml' named in 'app/kustomization.yaml' does not exist"));
  CHECK(HasNote(locator, "'../outside' in 'app/kustomization.yaml' leaves the repository"));
  CHECK(HasNote(locator,
                "remote resource 'github.com/acme/base?ref=v1' in "
                "'app/kustomization.yaml' is not followed"));
  CHECK(HasNote(locator, "source path '../elsewhere' leaves the repository"));
  bool broken_noted = false;
  for (const std::string& note : locator.notes())
    broken_noted |= note.starts_with("'app/broken.yaml' is not indexed past line 7: ");
  CHECK(broken_noted);
}

TEST_CASE("nothing is read before the first lookup, and no file twice") {
  TempDir repo;
  WriteFile(repo / "base/kustomization.yaml", "resources: [a.yaml, b.yaml]\n");
  WriteFile(repo / "base/a.yaml", Deployment("a"));
  WriteFile(repo / "base/b.yaml", Deployment("b"));
  WriteFile(repo / "app/kustomization.yaml", "resources: [../base]\n");
  WriteFile(repo / "app/extra.yaml", Deployment("extra"));
  CountingFileSystem fs;
  ResourceLocator locator(fs, repo.path(), {"app"}, {});
  CHECK(fs.reads.empty());

  CHECK(locator.Find({"apps", "Deployment", "", "a"}));
  CHECK(fs.reads.count(repo / "app/extra.yaml") == 0);  // stray files wait for a miss
  CHECK(locator.Find({"apps", "Deployment", "", "b"}));
  CHECK(locator.Find({"apps", "Deployment", "", "extra"}));
  CHECK_FALSE(locator.Find({"apps", "Deployment", "", "missing"}));
  for (const auto& [path, count] : fs.reads) {
    INFO(path);
    CHECK(count == 1);
  }
  CHECK(locator.files_read() == 3);
}

TEST_CASE("the file cap stops indexing with a note") {
  TempDir repo;
  WriteFile(repo / "app/a.yaml", Deployment("a"));
  WriteFile(repo / "app/b.yaml", Deployment("b"));
  fs::PosixFileSystem fs;
  ResourceLocator locator(fs, repo.path(), {"app"}, {.max_files = 1});

  CHECK(locator.Find({"apps", "Deployment", "", "a"}));
  CHECK_FALSE(locator.Find({"apps", "Deployment", "", "b"}));
  CHECK(HasNote(locator, "stopped indexing after 1 files"));
}

TEST_CASE("corpus: Argo CD's kustomize-guestbook and Flux's staging overlay map back") {
  if (!testing::RequireSharedData("corpus")) return;
  fs::PosixFileSystem fs;
  {
    ResourceLocator locator(
        fs, std::string(CAPSTAN_SHARED_DIR) + "/corpus/argoproj__argocd-example-apps",
        {"kustomize-guestbook"}, {});
    auto ui = locator.Find({"apps", "Deployment", "default", "kustomize-guestbook-ui"});
    REQUIRE(ui);
    CHECK(*ui == ResourceLocation{"kustomize-guestbook/guestbook-ui-deployment.yaml", 4, 9,
                                  "/metadata/name"});
  }
  {
    ResourceLocator locator(
        fs, std::string(CAPSTAN_SHARED_DIR) + "/corpus/fluxcd__flux2-kustomize-helm-example",
        {"apps/staging"}, {});
    auto release = locator.Find({"helm.toolkit.fluxcd.io", "HelmRelease", "podinfo", "podinfo"});
    REQUIRE(release);  // the base's manifest, not the overlay's values patch
    CHECK(*release == ResourceLocation{"apps/base/podinfo/release.yaml", 4, 9, "/metadata/name"});
    auto ns = locator.Find({"", "Namespace", "", "podinfo"});
    REQUIRE(ns);
    CHECK(ns->file == "apps/base/podinfo/namespace.yaml");
    CHECK(locator.notes().empty());
  }
}

TEST_CASE("corpus: home-ops' components and its `name: _` Namespace map back") {
  if (!testing::RequireSharedData("corpus")) return;
  fs::PosixFileSystem fs;
  ResourceLocator locator(fs, std::string(CAPSTAN_SHARED_DIR) + "/corpus/onedr0p__home-ops",
                          {"kubernetes/apps/default"}, {});
  auto alert = locator.Find({"notification.toolkit.fluxcd.io", "Alert", "default", "alertmanager"});
  REQUIRE(alert);
  CHECK(alert->file == "kubernetes/components/alerts/alertmanager/alert.yaml");
  auto ns = locator.Find({"", "Namespace", "", "default"});
  REQUIRE(ns);
  CHECK(*ns == ResourceLocation{"kubernetes/apps/default/namespace.yaml", 5, 9, "/metadata/name"});
  CHECK(locator.notes().empty());
}

}  // namespace
}  // namespace capstan::k8s
