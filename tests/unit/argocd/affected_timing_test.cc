// A quick figure for the selection's cost (issue 16: at most 50 ms for 500 Applications and a
// 1,000-file diff). Hidden: run by hand with `capstan_tests "[timing]"`; the benchmark proper
// lives in tests/bench/.
#include <catch2/catch.hpp>
#include <chrono>
#include <iostream>

#include "argocd/affected.h"
#include "fs/posix_file_system.h"
#include "support/temp_repo.h"

namespace capstan::argocd {
namespace {

TEST_CASE("selecting among 500 apps for a 1,000-file diff", "[.][timing]") {
  testing::TempDir dir;
  constexpr int kApps = 500;
  std::vector<Application> apps;
  for (int i = 0; i < kApps; ++i) {
    std::string app = "apps/app-" + std::to_string(i);
    testing::WriteFile(dir / (app + "/overlays/prod/kustomization.yaml"),
                       "resources: [../../base, ingress.yaml]\n"
                       "patches: [{path: replicas.yaml}]\n");
    testing::WriteFile(dir / (app + "/base/kustomization.yaml"),
                       "resources: [deploy.yaml, ../../../shared/base-" + std::to_string(i % 20) +
                           "]\ncomponents: [../../../components/c-" + std::to_string(i % 10) +
                           "]\nconfigMapGenerator: [{name: cfg, files: [app.properties]}]\n");
    testing::WriteFile(dir / ("shared/base-" + std::to_string(i % 20) + "/kustomization.yaml"),
                       "resources: [svc.yaml]\n");
    testing::WriteFile(dir / ("components/c-" + std::to_string(i % 10) + "/kustomization.yaml"),
                       "kind: Component\npatches: [{path: p.yaml}]\n");
    Application a;
    a.name = "app-" + std::to_string(i);
    Source s;
    s.repo_url = i % 50 == 0 ? "https://github.com/acme/other" : "git@github.com:acme/config.git";
    s.target_revision = i % 25 == 0 ? "release-1" : "HEAD";
    s.path = app + "/overlays/prod";
    a.sources.push_back(std::move(s));
    if (i % 7 == 0)
      a.annotations.push_back(Annotation{std::string(kManifestGeneratePaths), ".;/shared/*.yaml"});
    apps.push_back(std::move(a));
  }
  std::vector<std::string> changed;
  for (int i = 0; i < 5; ++i)
    changed.push_back("apps/app-" + std::to_string(i * 97) + "/base/deploy.yaml");
  for (int i = 0; changed.size() < 1000; ++i)
    changed.push_back("docs/section-" + std::to_string(i % 40) + "/page-" + std::to_string(i) +
                      ".md");

  fs::PosixFileSystem fs;
  for (AffectedMode mode : {AffectedMode::kPaths, AffectedMode::kArgoCd}) {
    auto start = std::chrono::steady_clock::now();
    AffectedRules rules(Change{"https://github.com/acme/config", "main", "main", changed}, fs,
                        dir.path(), {.mode = mode});
    int selected = 0;
    for (const Application& a : apps) selected += rules.Decide(a).selected ? 1 : 0;
    auto cold = std::chrono::steady_clock::now() - start;
    start = std::chrono::steady_clock::now();
    for (const Application& a : apps) selected -= rules.Decide(a).selected ? 1 : 0;
    auto warm = std::chrono::steady_clock::now() - start;
    using Ms = std::chrono::duration<double, std::milli>;
    std::cout << (mode == AffectedMode::kPaths ? "paths" : "argocd") << ": " << kApps << " apps, "
              << changed.size() << " changed paths: " << Ms(cold).count()
              << " ms (kustomizations read from disk), " << Ms(warm).count()
              << " ms again (cached)\n";
    CHECK(selected == 0);
  }
}

}  // namespace
}  // namespace capstan::argocd
