// capstan-watch's Run() in-process against Debian's docker-registry and a bare git remote, with a
// fault-injecting HttpClient between the tool and the registry (DESIGN "Seams").

#include "watch/watch.h"

#include <catch2/catch.hpp>
#include <functional>
#include <mutex>

#include "http/curl_client.h"
#include "support/git_servers.h"
#include "support/oci_registry.h"
#include "support/run_tool.h"
#include "support/temp_repo.h"

namespace capstan::testing {
namespace {

// Passes requests to a real client unless `fault` answers them first.
class FaultyHttp final : public HttpClient {
 public:
  using Fault = std::function<std::optional<Result<HttpResponse>>(const HttpRequest&)>;
  explicit FaultyHttp(Fault fault) : fault_(std::move(fault)) {}
  Result<HttpResponse> Send(const HttpRequest& request) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      seen_.push_back(request.method + " " + request.url);
    }
    if (auto injected = fault_(request)) return *injected;
    return real_.Send(request);
  }
  std::vector<std::string> seen() {
    std::lock_guard<std::mutex> lock(mu_);
    return seen_;
  }

 private:
  Fault fault_;
  http::CurlHttpClient real_;
  std::mutex mu_;
  std::vector<std::string> seen_;
};

std::string Deployment(const std::string& a, const std::string& b) {
  return "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec:\n  template:\n    "
         "spec:\n"
         "      containers:\n        - name: a\n          image: " +
         a + "\n        - name: b\n          image: " + b + "\n";
}

struct World {
  TempDir root, work;
  DockerRegistry registry{root.path() + "/registry"};
  std::string a, b, bare;
  explicit World(const std::string& config_extra = "") {
    a = registry.host() + "/acme/a";
    b = registry.host() + "/acme/b";
    for (std::string repo : {"acme/a", "acme/b"}) {
      for (const char* tag : {"1.0.0", "1.1.0"}) {
        TestImage image;
        image.salt = repo + tag;
        PushImage(registry.host(), repo, tag, image);
      }
    }
    bare = CreateBareRepo(
        root.path() + "/git", "config.git",
        {{".capstan.yaml", "images:\n  - image: " + a + "\n  - image: " + b + "\n" + config_extra},
         {"deploy.yaml", Deployment(a + ":1.0.0", b + ":1.0.0")}});
  }
  std::vector<std::string> Args() const {
    return {"--once",
            "--repo",
            "file://" + bare,
            "--branch",
            "main",
            "--cache-dir",
            work.path() + "/cache",
            "--author",
            "Watch <w@example.com>"};
  }
};

HttpResponse Unauthorized() {
  HttpResponse r;
  r.status = 401;
  r.body = R"({"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]})";
  return r;
}

TEST_CASE("a failed image does not stop the others, and the exit code says it failed",
          "[watch][tool]") {
  World w;
  FaultyHttp http([&](const HttpRequest& r) -> std::optional<Result<HttpResponse>> {
    if (r.url.find("/acme/a/") != std::string::npos) return Result<HttpResponse>(Unauthorized());
    return std::nullopt;
  });
  ToolResult r = RunTool(tools::RunWatch, w.Args(), w.work.path(), "", nullptr, &http);
  INFO(r.out << r.err);
  CHECK(r.exit_code == 3);
  CHECK(r.err.find(w.a + ": cannot list tags of " + w.a +
                   ": authentication required or credentials refused") != std::string::npos);
  CHECK(RunGit(w.bare, "show main:deploy.yaml") == Deployment(w.a + ":1.0.0", w.b + ":1.1.0"));
  CHECK(RunGit(w.bare, "log -1 --format=%s main") == "capstan-watch: " + w.b + " 1.0.0 -> 1.1.0\n");
}

TEST_CASE("a registry that cannot be reached leaves the remote as it was", "[watch][tool]") {
  World w;
  const std::string tip = RunGit(w.bare, "rev-parse main");
  FaultyHttp http([](const HttpRequest& r) -> std::optional<Result<HttpResponse>> {
    return Result<HttpResponse>(Status::IoError("cannot reach " + r.url + ": connection refused"));
  });
  std::vector<std::string> args = w.Args();
  args.insert(args.end(), {"--log-format", "json"});
  ToolResult r = RunTool(tools::RunWatch, args, w.work.path(), "", nullptr, &http);
  INFO(r.out << r.err);
  CHECK(r.exit_code == 3);
  CHECK(RunGit(w.bare, "rev-parse main") == tip);
  CHECK(r.out.find(R"("errors":2)") != std::string::npos);
  // Each image tried its ping (with retries) and nothing else.
  for (const std::string& line : http.seen()) CHECK(line.find("/v2/") != std::string::npos);
}

TEST_CASE("a broken .capstan.yaml stops the cycle with its line and exit 2", "[watch][tool]") {
  World w("  - image: ghcr.io/acme/c\n    strategy: newest\n");
  const std::string tip = RunGit(w.bare, "rev-parse main");
  FaultyHttp http([](const HttpRequest&) { return std::optional<Result<HttpResponse>>(); });
  ToolResult r = RunTool(tools::RunWatch, w.Args(), w.work.path(), "", nullptr, &http);
  INFO(r.out << r.err);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find(".capstan.yaml:5:15: 'images[2].strategy' must be semver, newest-build, digest, "
                   "alphabetical, numerical, latest or name, not 'newest'") != std::string::npos);
  CHECK(http.seen().empty());
  CHECK(RunGit(w.bare, "rev-parse main") == tip);
}

TEST_CASE("capstan-watch --dry-run prints one diff for all images and pushes nothing",
          "[watch][tool]") {
  World w;
  const std::string tip = RunGit(w.bare, "rev-parse main");
  FaultyHttp http([](const HttpRequest&) { return std::optional<Result<HttpResponse>>(); });
  std::vector<std::string> args = w.Args();
  args.push_back("--dry-run");
  ToolResult r = RunTool(tools::RunWatch, args, w.work.path(), "", nullptr, &http);
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("--- a/deploy.yaml\n+++ b/deploy.yaml\n") != std::string::npos);
  CHECK(r.out.find("+          image: " + w.a + ":1.1.0\n") != std::string::npos);
  CHECK(r.out.find("+          image: " + w.b + ":1.1.0\n") != std::string::npos);
  CHECK(RunGit(w.bare, "rev-parse main") == tip);
}

}  // namespace
}  // namespace capstan::testing
