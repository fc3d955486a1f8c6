// capstan-sync --repo PATH --changed REV1..REV2 on real git repositories built here: which
// Applications a commit range selects (--plan), the commit the sync pins, and failed resources
// mapped back to file:line.

#include <httplib.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <thread>

#include "support/fake_argocd.h"
#include "support/run_tool.h"
#include "support/shared_data.h"
#include "support/temp_repo.h"
#include "sync/sync.h"

namespace capstan::testing {
namespace {

using nlohmann::json;

constexpr const char* kSwagger = "data/argocd/swagger.json";
const std::string kToken = "t0ken";
const std::string kUrl = "https://github.com/acme/gitops.git";

// apps/web: a kustomization over ../../base/common; apps/api: plain manifests; charts/values.
struct Repo {
  TempDir dir;
  std::string before, after;
  Repo() {
    InitRepo(dir.path());
    WriteFile(dir / "apps/web/kustomization.yaml",
              "resources:\n  - deployment.yaml\n  - ../../base/common\n");
    WriteFile(dir / "apps/web/deployment.yaml",
              "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec: {}\n");
    WriteFile(dir / "apps/api/deployment.yaml",
              "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n");
    WriteFile(dir / "base/common/kustomization.yaml", "resources:\n  - cm.yaml\n");
    WriteFile(dir / "base/common/cm.yaml",
              "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: common\ndata: {a: '1'}\n");
    WriteFile(dir / "docs/README.md", "docs\n");
    RunGit(dir.path(), "remote add origin " + kUrl);
    before = CommitAll(dir.path(), "start");
  }
  void Change(const std::string& file, const std::string& content) {
    WriteFile(dir / file, content);
    after = CommitAll(dir.path(), "change " + file);
  }
};

struct World {
  ManualClock clock;
  FakeArgoCd argo{clock, {.token = kToken}};
  Repo repo;
  World() {
    argo.AddApp(AppSpec{.name = "web", .path = "apps/web", .revision = repo.before});
    argo.AddApp(AppSpec{.name = "api", .path = "apps/api", .revision = repo.before});
    argo.AddApp(AppSpec{.name = "elsewhere",
                        .repo_url = "https://github.com/acme/other.git",
                        .path = "apps/web",
                        .revision = repo.before});
    argo.AddApp(AppSpec{.name = "release",
                        .path = "apps/web",
                        .target_revision = "release-1",
                        .revision = repo.before});
  }
  ToolResult Run(std::vector<std::string> args) {
    ToolRun run;
    args.insert(args.begin(), {"--server", argo.host(), "--plaintext", "--repo", repo.dir.path(),
                               "--default-branch", "main"});
    run.args = std::move(args);
    run.clock = &clock;
    run.environment = {{"ARGOCD_AUTH_TOKEN", kToken}};
    return RunTool(tools::RunSync, run);
  }
};

TEST_CASE(
    "capstan-sync --plan says for every application why a change selects it or not, and sends "
    "nothing",
    "[sync]") {
  if (!RequireSharedData(kSwagger)) return;
  World w;
  w.repo.Change("base/common/cm.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: common\ndata: {a: '2'}\n");
  ToolResult r = w.Run({"--changed", w.repo.before + ".." + w.repo.after, "--plan"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(w.argo.ViolationsText() == "");
  CHECK(w.argo.Count("list") == 1);
  CHECK(w.argo.Count("sync") == 0);
  CHECK(w.argo.Requests().size() == 1);
  CHECK(r.out.find("argocd/web: in: 'base/common/cm.yaml' under 'base/common', named by "
                   "'apps/web/kustomization.yaml'") != std::string::npos);
  CHECK(r.out.find("argocd/api: out: no changed path under 'apps/api'") != std::string::npos);
  CHECK(r.out.find("argocd/elsewhere: out: repo") != std::string::npos);
  CHECK(r.out.find("argocd/release: out: tracks branch 'release-1', the change is on 'main'") !=
        std::string::npos);
  CHECK(r.out.find("1 of 4 applications selected to deploy " + w.repo.after.substr(0, 7) +
                   " (1 changed paths); --plan: nothing was sent") != std::string::npos);

  ToolResult j = w.Run({"--changed", w.repo.before + ".." + w.repo.after, "--plan", "-o", "json"});
  json plan = json::parse(j.out);
  CHECK(plan["revision"] == w.repo.after);
  CHECK(plan["selected"] == 1);
  CHECK(plan["applications"].size() == 4);
}

TEST_CASE(
    "capstan-sync --changed syncs only the affected apps to the range's end, pinned to that commit",
    "[sync]") {
  if (!RequireSharedData(kSwagger)) return;
  World w;
  w.repo.Change("apps/api/deployment.yaml",
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec: {}\n");
  ToolResult r = w.Run({"--changed", w.repo.before + ".." + w.repo.after});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(w.argo.ViolationsText() == "");
  CHECK(w.argo.Count("list") == 1);
  CHECK(w.argo.Count("sync", "api") == 1);
  CHECK(w.argo.Count("sync") == 1);
  CHECK(w.argo.App("api")["status"]["sync"]["revision"] == w.repo.after);
  CHECK(r.out.find("deployed  argocd/api  " + w.repo.after.substr(0, 7)) == 0);
}

TEST_CASE(
    "capstan-sync --affected argocd selects every app of the branch without "
    "manifest-generate-paths",
    "[sync]") {
  if (!RequireSharedData(kSwagger)) return;
  World w;
  w.repo.Change("docs/README.md", "more docs\n");
  ToolResult r =
      w.Run({"--changed", w.repo.before + ".." + w.repo.after, "--plan", "--affected", "argocd"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("argocd/web: in: tracks HEAD, the default branch 'main'; without "
                   "manifest-generate-paths Argo CD refreshes every app") != std::string::npos);
  CHECK(r.out.find("argocd/api: in: tracks HEAD, the default branch 'main'") != std::string::npos);
  CHECK(r.out.find("2 of 4 applications selected") != std::string::npos);
  // --branch and --repo-url name the change when the checkout cannot: another branch, another URL.
  ToolResult other =
      w.Run({"--changed", w.repo.before + ".." + w.repo.after, "--plan", "--affected", "argocd",
             "--branch", "release-1", "--repo-url", "git@github.com:acme/gitops"});
  CHECK(other.out.find("argocd/release: in: tracks branch 'release-1'") != std::string::npos);
  CHECK(other.out.find("1 of 4 applications selected") != std::string::npos);
}

TEST_CASE("a change touching no app's files deploys nothing and says so", "[sync]") {
  if (!RequireSharedData(kSwagger)) return;
  World w;
  w.repo.Change("docs/README.md", "more docs\n");
  ToolResult r = w.Run({"--changed", w.repo.before + ".." + w.repo.after});
  CHECK(r.exit_code == 0);
  CHECK(w.argo.Count("sync") == 0);
  CHECK(r.err.find("nothing to deploy: no application is affected by") != std::string::npos);
}

TEST_CASE("a failed sync names the failed resource at its file:line in the repository", "[sync]") {
  if (!RequireSharedData(kSwagger)) return;
  ManualClock clock;
  FakeArgoCd argo(clock, {.token = kToken});
  Repo repo;
  argo.AddApp(AppSpec{.name = "web", .path = "apps/web", .revision = repo.before},
              {.operation_end = OperationEnd::kFailed});
  repo.Change("apps/web/deployment.yaml",
              "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec: {x: 1}\n");
  ToolRun run;
  run.args = {"--server",
              argo.host(),
              "--plaintext",
              "--repo",
              ".",
              "--changed",
              repo.before + ".." + repo.after,
              "--default-branch",
              "main"};
  run.cwd = repo.dir.path();
  run.clock = &clock;
  run.environment = {{"ARGOCD_AUTH_TOKEN", kToken}};
  ToolResult r = RunTool(tools::RunSync, run);
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("apps/web/deployment.yaml:4:9: error sync-failed: Deployment web/web:") !=
        std::string::npos);
}

TEST_CASE(
    "capstan-sync --changed needs the range's revisions: unknown ones are a one-line usage error",
    "[sync]") {
  if (!RequireSharedData(kSwagger)) return;
  World w;
  ToolResult r = w.Run({"--changed", "nope..HEAD"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--changed:") != std::string::npos);
  CHECK(r.err.find("unknown revision 'nope'") != std::string::npos);
  CHECK(w.argo.Requests().empty());
}

TEST_CASE(
    "a webhook with a server and a token waits for the auto-sync it triggers, syncing nothing",
    "[sync]") {
  if (!RequireSharedData(kSwagger)) return;
  ManualClock clock;
  FakeArgoCd argo(clock, {.token = kToken});
  Repo repo;
  repo.Change("apps/web/deployment.yaml",
              "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec: {x: 1}\n");
  // Auto-sync notices the new head 20 s later (what the webhook's refresh starts in Argo CD).
  argo.AddApp(
      AppSpec{.name = "web", .path = "apps/web", .revision = repo.before, .automated = true},
      {.heads = {repo.after}, .notice_delay = std::chrono::seconds(20)});
  httplib::Server receiver;
  int deliveries = 0;
  receiver.Post("/api/webhook", [&](const httplib::Request&, httplib::Response& res) {
    ++deliveries;
    res.status = 200;
  });
  const int port = receiver.bind_to_any_port("127.0.0.1");
  std::thread serving([&] { receiver.listen_after_bind(); });
  while (!receiver.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  WriteFile(repo.dir / ".secret", "s3cret\n");
  ToolRun run;
  run.args = {"--server",
              argo.host(),
              "--plaintext",
              "--repo",
              repo.dir.path(),
              "--changed",
              repo.before + ".." + repo.after,
              "--default-branch",
              "main",
              "--webhook",
              "http://127.0.0.1:" + std::to_string(port) + "/api/webhook",
              "--webhook-secret-file",
              repo.dir / ".secret"};
  run.clock = &clock;
  run.environment = {{"ARGOCD_AUTH_TOKEN", kToken}};
  ToolResult r = RunTool(tools::RunSync, run);
  receiver.stop();
  serving.join();
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(deliveries == 1);
  CHECK(argo.Count("sync") == 0);
  CHECK(argo.ViolationsText() == "");
  CHECK(r.out.find("requested  argocd-webhook") == 0);
  CHECK(r.out.find("deployed  argocd/web  " + repo.after.substr(0, 7)) != std::string::npos);
  CHECK(r.err.find("after the webhook (no sync sent)") != std::string::npos);
}

}  // namespace
}  // namespace capstan::testing
