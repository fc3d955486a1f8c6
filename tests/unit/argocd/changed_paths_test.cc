#include "argocd/changed_paths.h"

#include <catch2/catch.hpp>

namespace capstan::argocd {
namespace {

TEST_CASE("changed paths are normalised, sorted and de-duplicated once", "[argocd]") {
  ChangedPaths c({"b/x.yaml", "/a/./y.yaml", "", "b/x.yaml", "a//z.yaml"});
  CHECK(c.paths() == std::vector<std::string>{"a/y.yaml", "a/z.yaml", "b/x.yaml"});
  CHECK_FALSE(c.empty());
  CHECK(ChangedPaths({}).empty());
}

TEST_CASE("a changed path is at or under a directory only on a component boundary", "[argocd]") {
  ChangedPaths c(
      {"apps/web/deploy.yaml", "apps/web2/deploy.yaml", "apps/web-values.yaml", "base/cm.env"});
  auto first = [&](std::string_view dir) {
    const std::string* f = c.FirstAtOrUnder(dir);
    return f ? *f : std::string("<none>");
  };
  CHECK(first("apps/web") == "apps/web/deploy.yaml");
  CHECK(first("apps/web2") == "apps/web2/deploy.yaml");
  CHECK(first("apps/we") == "<none>");
  CHECK(first("apps") == "apps/web-values.yaml");
  CHECK(first("base/cm.env") == "base/cm.env");
  CHECK(first("base/cm") == "<none>");
  CHECK(first("") == "apps/web-values.yaml");  // the root holds everything
  CHECK(first("other") == "<none>");
}

TEST_CASE("refresh paths match as Argo CD's AppFilesHaveChanged matches them", "[argocd]") {
  ChangedPaths c({"apps/web/deploy.yaml", "apps/web/values-prod.yaml", "shared/common.yaml",
                  "docs/README.md"});
  auto [item, want] = GENERATE(table<std::string_view, std::string_view>({
      {"apps/web", "apps/web/deploy.yaml"},                   // a parent directory
      {"apps/web/", "apps/web/deploy.yaml"},                  // cleaned first
      {"/apps/web", "apps/web/deploy.yaml"},                  // already absolute
      {"shared/common.yaml", "shared/common.yaml"},           // the file itself
      {"apps/*/values-*.yaml", "apps/web/values-prod.yaml"},  // a glob
      {"*/web/*.yaml", "apps/web/deploy.yaml"},
      {"*.md", ""},  // '*' does not cross '/'
      {"docs/*.md", "docs/README.md"},
      {"apps/we", ""},                // not a component boundary
      {"apps/*", ""},                 // matches directories, never the files below them
      {".", "apps/web/deploy.yaml"},  // the root
      {"apps/web/../../shared", "shared/common.yaml"},
      {"apps/[", ""},  // a malformed pattern matches nothing by itself
      {"other", ""},
  }));
  CAPTURE(item);
  const std::string* f = c.FirstMatchingRefreshPath(item);
  CHECK((f ? *f : std::string()) == want);
}

}  // namespace
}  // namespace capstan::argocd
