// capstan-sync's webhook modes end to end, in-process: --webhook (Argo CD's /api/webhook) and
// --flux-receiver against a receiver run here that records each request, the push event built
// from a real git repository, its signature checked with the openssl CLI's HMAC (not
// lib/core/hmac), and the Flux wait against the fake Kubernetes API (support/fake_kube.h) on a
// ManualClock. Every run checks that no secret reaches stdout or stderr.

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <thread>

#include "support/fake_kube.h"
#include "support/run_tool.h"
#include "support/shell.h"
#include "support/temp_repo.h"
#include "sync/sync.h"

namespace capstan::testing {
namespace {

using nlohmann::json;
using std::chrono::seconds;

const std::string kSecret = "wh-s3cret-value-9f2";
const std::string kKubeToken = "kube-t0ken-7c1e";
// A Receiver's webhook digest: for a generic Receiver the URL is the credential.
const std::string kDigest = "1a2b3c4d" + std::string(56, 'e');

// The HMAC-SHA256 of body keyed by key, in hex, computed by the openssl CLI.
std::string OpensslHmac(const std::string& key, const std::string& body) {
  TempDir dir;
  WriteFile(dir / "body", body);
  ShellResult r =
      RunShell(dir.path(), "openssl dgst -sha256 -hmac " + ShellQuote(key) + " -r body");
  REQUIRE(r.exit_code == 0);
  return r.output.substr(0, r.output.find(' '));
}

struct Received {
  std::string method, path, body;
  httplib::Headers headers;

  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
  bool Has(const std::string& name) const { return headers.count(name) > 0; }
};

// A webhook receiver on 127.0.0.1 and an ephemeral port: answers the n-th request with the n-th
// status of `statuses` (the last one from then on) and records every request.
class Receiver {
 public:
  explicit Receiver(std::vector<int> statuses = {200}, std::string body = "")
      : statuses_(std::move(statuses)), body_(std::move(body)) {
    auto handle = [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mu_);
      requests_.push_back({req.method, req.path, req.body, req.headers});
      res.status = statuses_[std::min(requests_.size(), statuses_.size()) - 1];
      if (!body_.empty()) res.set_content(body_, "text/plain");
    };
    server_.Post(".*", handle);
    server_.Put(".*", handle);
    server_.Get(".*", handle);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~Receiver() {
    server_.stop();
    thread_.join();
  }

  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  std::vector<Received> Requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

 private:
  std::vector<int> statuses_;
  std::string body_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::vector<Received> requests_;
};

// A loopback port nobody listens on.
int ClosedPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

// A GitOps repository on branch main whose change before..after modifies, renames, deletes and
// adds a file, with an origin remote whose HEAD is main (as a clone records it), and the secret
// file and kubeconfig the runs name.
struct Fixture {
  TempDir dir;
  std::string repo = dir / "config";
  std::string before, after;
  ManualClock clock;
  std::map<std::string, std::string> environment;

  Fixture() {
    InitRepo(repo);
    WriteFile(repo + "/apps/web/deployment.yaml", "kind: Deployment\nreplicas: 1\n");
    WriteFile(repo + "/apps/web/old-service.yaml",
              "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n"
              "  - port: 80\n    targetPort: 8080\n");
    WriteFile(repo + "/apps/api/config.yaml", "kind: ConfigMap\ndata: {a: b}\n");
    WriteFile(repo + "/README.md", "config\n");
    before = CommitAll(repo, "initial");
    WriteFile(repo + "/apps/web/deployment.yaml", "kind: Deployment\nreplicas: 3\n");
    RunGit(repo, "mv apps/web/old-service.yaml apps/web/service.yaml");
    RunGit(repo, "rm -q apps/api/config.yaml");
    WriteFile(repo + "/apps/db/statefulset.yaml", "kind: StatefulSet\n");
    after = CommitAll(repo, "change");
    RunGit(repo, "remote add origin git@github.com:acme/config.git");
    RunGit(repo, "update-ref refs/remotes/origin/main " + after);
    RunGit(repo, "symbolic-ref refs/remotes/origin/HEAD refs/remotes/origin/main");
    WriteFile(dir / "webhook-secret", kSecret + "\n");
  }

  std::string Changed() const { return before + ".." + after; }

  ToolResult Run(std::vector<std::string> args) {
    ToolRun run;
    run.args = std::move(args);
    run.cwd = dir.path();
    run.clock = &clock;
    run.environment = environment;
    ToolResult r = RunTool(tools::RunSync, run);
    INFO(r.err);
    for (const std::string& secret : {kSecret, kKubeToken, kDigest}) {
      CHECK(r.out.find(secret) == std::string::npos);
      CHECK(r.err.find(secret) == std::string::npos);
    }
    return r;
  }
  ToolResult Webhook(const std::string& url, std::vector<std::string> more = {}) {
    std::vector<std::string> args = {"--webhook",      url,      "--webhook-secret-file",
                                     "webhook-secret", "--repo", "config",
                                     "--changed",      Changed()};
    args.insert(args.end(), more.begin(), more.end());
    return Run(std::move(args));
  }
};

// The one request a run sent, its signature checked.
json SignedEvent(const Received& r) {
  CHECK(r.method == "POST");
  CHECK(r.Header("X-GitHub-Event") == "push");
  CHECK(r.Header("Content-Type") == "application/json");
  CHECK(r.Header("X-Hub-Signature-256") == "sha256=" + OpensslHmac(kSecret, r.body));
  return json::parse(r.body);
}

TEST_CASE(
    "capstan-sync --webhook sends Argo CD a push event of the change, signed, and says it was "
    "requested",
    "[sync][webhook]") {
  Fixture f;
  Receiver argo;
  ToolResult r = f.Webhook(argo.Url("/api/webhook"));
  INFO(r.err);
  CHECK(r.exit_code == 0);
  std::vector<Received> got = argo.Requests();
  REQUIRE(got.size() == 1);
  CHECK(got[0].path == "/api/webhook");
  json event = SignedEvent(got[0]);
  CHECK(event["ref"] == "refs/heads/main");
  CHECK(event["before"] == f.before);
  CHECK(event["after"] == f.after);
  CHECK(event["repository"]["html_url"] == "https://github.com/acme/config");
  CHECK(event["repository"]["default_branch"] == "main");
  REQUIRE(event["commits"].size() == 1);
  const json& commit = event["commits"][0];
  CHECK(commit["id"] == f.after);
  CHECK(Sorted(commit["added"]) ==
        std::vector<std::string>{"apps/db/statefulset.yaml", "apps/web/service.yaml"});
  CHECK(Sorted(commit["modified"]) == std::vector<std::string>{"apps/web/deployment.yaml"});
  CHECK(Sorted(commit["removed"]) ==
        std::vector<std::string>{"apps/api/config.yaml", "apps/web/old-service.yaml"});
  CHECK(r.err == "capstan-sync: the Argo CD webhook accepted the push of " + f.after.substr(0, 7) +
                     " on refs/heads/main; nothing was waited for (give --server and a token "
                     "to wait)\n");
  CHECK(r.out.find("requested") != std::string::npos);
}

TEST_CASE("capstan-sync --webhook's report says requested with the commit in json",
          "[sync][webhook]") {
  Fixture f;
  Receiver argo;
  ToolResult r = f.Webhook(argo.Url("/api/webhook"), {"--format", "json"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  json report = json::parse(r.out);
  REQUIRE(report["deployments"].size() == 1);
  CHECK(report["deployments"][0]["outcome"] == "requested");
  CHECK(report["deployments"][0]["revision"] == f.after);
  CHECK(report["findings"].empty());
}

TEST_CASE(
    "capstan-sync --webhook names the origin's default branch when the push is on another branch",
    "[sync][webhook]") {
  Fixture f;
  RunGit(f.repo, "checkout -q -b release");
  WriteFile(f.repo + "/apps/web/deployment.yaml", "kind: Deployment\nreplicas: 5\n");
  const std::string release = CommitAll(f.repo, "release change");
  Receiver argo;
  ToolResult r = f.Run({"--webhook", argo.Url("/api/webhook"), "--webhook-secret-file",
                        "webhook-secret", "--repo", "config", "--changed", f.after + "..release"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  std::vector<Received> got = argo.Requests();
  REQUIRE(got.size() == 1);
  json event = SignedEvent(got[0]);
  CHECK(event["ref"] == "refs/heads/release");
  CHECK(event["after"] == release);
  CHECK(event["repository"]["default_branch"] == "main");
  CHECK(event["commits"][0]["modified"] == json::array({"apps/web/deployment.yaml"}));
  CHECK(event["commits"][0]["added"].empty());
  CHECK(event["commits"][0]["removed"].empty());
}

TEST_CASE("a webhook that refuses the signature exits 3 with one line and no secret",
          "[sync][webhook]") {
  Fixture f;
  Receiver argo({400}, "Webhook processing failed: HMAC verification failed");
  ToolResult r = f.Webhook(argo.Url("/api/webhook"));
  INFO(r.err);
  CHECK(r.exit_code == 3);
  CHECK(argo.Requests().size() == 1);  // a 400 is final
  REQUIRE(Lines(r.err).size() == 1);
  CHECK(r.err.find("capstan-sync: ") == 0);
  CHECK(r.err.find("rejected the push event (HTTP 400)") != std::string::npos);
  CHECK(r.err.find("HMAC verification failed") != std::string::npos);
}

TEST_CASE("a webhook answering 503 is asked again and a later 200 exits 0", "[sync][webhook]") {
  Fixture f;
  Receiver argo({503, 503, 200});
  ToolResult r = f.Webhook(argo.Url("/api/webhook"));
  INFO(r.err);
  CHECK(r.exit_code == 0);
  std::vector<Received> got = argo.Requests();
  REQUIRE(got.size() == 3);
  for (const Received& g : got) {
    SignedEvent(g);
    CHECK(g.body == got[0].body);
  }
  CHECK(f.clock.Sleeps().size() == 2);
  CHECK(r.err.find("accepted the push") != std::string::npos);
}

TEST_CASE("a webhook that stays at 503 exits 3 after the retries", "[sync][webhook]") {
  Fixture f;
  Receiver argo({503});
  ToolResult r = f.Webhook(argo.Url("/api/webhook"));
  INFO(r.err);
  CHECK(r.exit_code == 3);
  CHECK(argo.Requests().size() == 4);
  REQUIRE(Lines(r.err).size() == 1);
  CHECK(r.err.find("answered HTTP 503") != std::string::npos);
}

TEST_CASE("a webhook nobody listens at exits 3", "[sync][webhook]") {
  Fixture f;
  ToolResult r = f.Webhook("http://127.0.0.1:" + std::to_string(ClosedPort()) + "/api/webhook");
  INFO(r.err);
  CHECK(r.exit_code == 3);
  REQUIRE(Lines(r.err).size() == 1);
  CHECK(r.err.find("capstan-sync: error: cannot deliver the push event to http://127.0.0.1:") == 0);
}

TEST_CASE("webhook usage errors exit 2 and send nothing", "[sync][webhook]") {
  Fixture f;
  Receiver argo;
  const std::string url = argo.Url("/api/webhook");
  const std::string changed = f.Changed();
  const std::string to_nowhere = f.before + "..no-such-branch";
  WriteFile(f.dir / "empty-secret", "\n  \n");
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"--webhook", url, "--webhook-secret-file", "webhook-secret", "--repo", "config"},
       "--webhook needs --repo PATH and --changed REV1..REV2"},
      {{"--webhook", url, "--repo", "config", "--changed", changed},
       "--webhook needs --webhook-secret-file FILE"},
      {{"--webhook", url, "--flux-receiver", url, "--webhook-secret-file", "webhook-secret",
        "--repo", "config", "--changed", changed},
       "--webhook and --flux-receiver exclude each other"},
      {{"--webhook", url, "--webhook-secret-file", "empty-secret", "--repo", "config", "--changed",
        changed},
       "--webhook-secret-file"},
      {{"--webhook", url, "--webhook-secret-file", "missing-secret", "--repo", "config",
        "--changed", changed},
       "cannot read --webhook-secret-file 'missing-secret'"},
      {{"--flux-receiver", url, "--repo", "config", "--changed", changed},
       "--flux-receiver needs --webhook-secret-file FILE"},
      {{"--flux-receiver", url, "--flux-receiver-type", "gitlab", "--webhook-secret-file",
        "webhook-secret", "--repo", "config", "--changed", changed},
       "--flux-receiver-type must be generic, generic-hmac or github"},
      {{"--flux-receiver", url, "--kubeconfig", "kubeconfig", "--webhook-secret-file",
        "webhook-secret", "--repo", "config", "--changed", changed},
       "--kubeconfig needs --flux-kustomization"},
      {{"--webhook", url, "--webhook-secret-file", "webhook-secret", "--repo", "config",
        "--changed", to_nowhere},
       "--changed: "},
  };
  for (const auto& [args, message] : cases) {
    INFO("expecting " << message);
    ToolResult r = f.Run(args);
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("capstan-sync: ") == 0);
    CHECK(r.err.find(message) != std::string::npos);
    CHECK(Lines(r.err).size() <= 2);  // the error, then perhaps "run '... --help' for usage"
  }
  CHECK(argo.Requests().empty());
}

// Flux: the receiver's URL is /hook/<digest>.
struct Flux : Fixture {
  Receiver receiver;
  explicit Flux(std::vector<int> statuses = {200}) : receiver(std::move(statuses)) {}
  std::string Url() const { return receiver.Url("/hook/" + kDigest); }
  ToolResult Trigger(const std::string& type, std::vector<std::string> more = {}) {
    std::vector<std::string> args = {
        "--flux-receiver", Url(),    "--flux-receiver-type", type, "--repo", "config",
        "--changed",       Changed()};
    args.insert(args.end(), more.begin(), more.end());
    return Run(std::move(args));
  }
};

TEST_CASE("a generic-hmac Flux receiver gets X-Signature sha256 of the raw body",
          "[sync][webhook]") {
  Flux f;
  ToolResult r = f.Trigger("generic-hmac", {"--webhook-secret-file", "webhook-secret"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  std::vector<Received> got = f.receiver.Requests();
  REQUIRE(got.size() == 1);
  CHECK(got[0].method == "POST");
  CHECK(got[0].path == "/hook/" + kDigest);
  CHECK(got[0].Header("X-Signature") == "sha256=" + OpensslHmac(kSecret, got[0].body));
  CHECK_FALSE(got[0].Has("X-Hub-Signature-256"));
  CHECK(json::parse(got[0].body)["after"] == f.after);
  CHECK(r.err == "capstan-sync: the Flux receiver accepted the push of " + f.after.substr(0, 7) +
                     " on refs/heads/main; nothing was waited for (give --kubeconfig and "
                     "--flux-kustomization to wait)\n");
}

TEST_CASE("a generic Flux receiver gets no signature and needs no secret", "[sync][webhook]") {
  Flux f;
  ToolResult r = f.Trigger("generic");
  INFO(r.err);
  CHECK(r.exit_code == 0);
  std::vector<Received> got = f.receiver.Requests();
  REQUIRE(got.size() == 1);
  CHECK(got[0].method == "POST");
  CHECK(got[0].path == "/hook/" + kDigest);
  CHECK_FALSE(got[0].Has("X-Signature"));
  CHECK_FALSE(got[0].Has("X-Hub-Signature-256"));
  CHECK_FALSE(got[0].Has("X-Hub-Signature"));
}

TEST_CASE("a github Flux receiver gets the signed GitHub push event", "[sync][webhook]") {
  Flux f;
  ToolResult r = f.Trigger("github", {"--webhook-secret-file", "webhook-secret"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  std::vector<Received> got = f.receiver.Requests();
  REQUIRE(got.size() == 1);
  CHECK(got[0].path == "/hook/" + kDigest);
  json event = SignedEvent(got[0]);
  CHECK(event["ref"] == "refs/heads/main");
  CHECK(event["before"] == f.before);
}

TEST_CASE("a Flux receiver that is not there exits 2 without showing its whole URL",
          "[sync][webhook]") {
  Flux f({404});
  ToolResult r = f.Trigger("generic");
  INFO(r.err);
  CHECK(r.exit_code == 2);
  CHECK(f.receiver.Requests().size() == 1);
  REQUIRE(Lines(r.err).size() == 1);
  CHECK(r.err.find("no flux receiver http://127.0.0.1:") != std::string::npos);
  CHECK(r.err.find("/hook/1a2b3c4d") != std::string::npos);
}

TEST_CASE("a Flux receiver refusing the signature exits 3", "[sync][webhook]") {
  Flux f({400});
  ToolResult r = f.Trigger("github", {"--webhook-secret-file", "webhook-secret"});
  INFO(r.err);
  CHECK(r.exit_code == 3);
  CHECK(f.receiver.Requests().size() == 1);
  REQUIRE(Lines(r.err).size() == 1);
  CHECK(r.err.find("refused the request (400)") != std::string::npos);
}

// The Flux wait: a kubeconfig whose context "ci" reaches the fake API with a bearer token.
struct FluxWait : Flux {
  FakeKube kube{clock, {.token = kKubeToken}};

  FluxWait() {
    WriteKubeconfig(kube.url());
    kube.AddKustomization("flux-system", "apps", FakeKube::Ready(Rev(before)));
  }
  void WriteKubeconfig(const std::string& server) {
    WriteFile(dir / "kubeconfig",
              "apiVersion: v1\nkind: Config\ncurrent-context: ci\n"
              "clusters:\n- name: k\n  cluster:\n    server: " +
                  server +
                  "\n"
                  "contexts:\n- name: ci\n  context: {cluster: k, user: u}\n"
                  "users:\n- name: u\n  user:\n    token: " +
                  kKubeToken + "\n");
  }
  static std::string Rev(const std::string& sha) { return "main@sha1:" + sha; }
  ToolResult Wait(std::vector<std::string> more = {}) {
    std::vector<std::string> args = {"--webhook-secret-file", "webhook-secret",
                                     "--kubeconfig",          "kubeconfig",
                                     "--flux-kustomization",  "flux-system/apps"};
    args.insert(args.end(), more.begin(), more.end());
    ToolResult r = Trigger("github", args);
    INFO(r.err);
    CHECK(kube.ViolationsText() == "");
    CHECK(receiver.Requests().size() == 1);
    return r;
  }
};

TEST_CASE("the Flux wait exits 0 once the Kustomization is Ready at the pushed commit",
          "[sync][webhook]") {
  FluxWait f;
  f.kube.Then("flux-system", "apps", seconds(10),
              FakeKube::Progressing(FluxWait::Rev(f.before), FluxWait::Rev(f.after)));
  f.kube.Then("flux-system", "apps", seconds(20), FakeKube::Ready(FluxWait::Rev(f.after)));
  ToolResult r = f.Wait({"--format", "json"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(f.kube.Count() == 11);  // every 2s from 0s to 20s
  for (const KubeRequest& k : f.kube.Requests()) {
    CHECK(k.path ==
          "/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/apps");
  }
  json report = json::parse(r.out);
  REQUIRE(report["deployments"].size() == 1);
  CHECK(report["deployments"][0]["name"] == "flux-system/apps");
  CHECK(report["deployments"][0]["outcome"] == "deployed");
  CHECK(report["deployments"][0]["revision"] == f.after);
  CHECK(report["deployments"][0]["durationMs"] == 20000);
  CHECK(report["findings"].empty());
}

TEST_CASE("the Flux wait counts a Kustomization Ready at a later commit as deployed",
          "[sync][webhook]") {
  FluxWait f;
  WriteFile(f.repo + "/apps/web/deployment.yaml", "kind: Deployment\nreplicas: 4\n");
  const std::string later = CommitAll(f.repo, "later");
  f.kube.Then("flux-system", "apps", seconds(4), FakeKube::Ready(FluxWait::Rev(later)));
  ToolResult r = f.Wait();
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(f.kube.Count() == 3);
}

TEST_CASE("the Flux wait exits 1 with the reason when the Kustomization fails at the commit",
          "[sync][webhook]") {
  FluxWait f;
  f.kube.Then("flux-system", "apps", seconds(6),
              FakeKube::Failed(FluxWait::Rev(f.before), FluxWait::Rev(f.after), "HealthCheckFailed",
                               "Deployment/web/web: timeout"));
  ToolResult r = f.Wait();
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("kustomization flux-system/apps: failed: HealthCheckFailed at main@" +
                   f.after.substr(0, 7) + ": Deployment/web/web: timeout") != std::string::npos);
  CHECK(r.out.find("HealthCheckFailed") != std::string::npos);
}

TEST_CASE("the Flux wait exits 4 with the last state when the commit never arrives",
          "[sync][webhook]") {
  FluxWait f;
  f.kube.Then("flux-system", "apps", seconds(10),
              FakeKube::Progressing(FluxWait::Rev(f.before), FluxWait::Rev(f.after)));
  ToolResult r = f.Wait({"--timeout", "1m"});
  INFO(r.err);
  CHECK(r.exit_code == 4);
  CHECK(r.err.find("kustomization flux-system/apps: timeout: timed out after 1m: applied main@" +
                   f.before.substr(0, 7) + ", want " + f.after.substr(0, 7)) != std::string::npos);
  CHECK(f.clock.Now() - ManualClock::DefaultStart() == std::chrono::minutes(1));
  for (std::chrono::milliseconds d : f.clock.Sleeps()) CHECK(d <= seconds(2));
}

TEST_CASE("a kubeconfig without the named context exits 2 with one line", "[sync][webhook]") {
  FluxWait f;
  ToolResult r = f.Wait({"--kube-context", "staging"});
  INFO(r.err);
  CHECK(r.exit_code == 2);
  REQUIRE(Lines(r.err).size() == 1);
  CHECK(r.err.find("context 'staging' not found") != std::string::npos);
  CHECK(f.kube.Count() == 0);
}

TEST_CASE("a Kubernetes API refusing the user (403) exits 3", "[sync][webhook]") {
  FluxWait f;
  f.kube.Forbid("flux-system", "apps");
  ToolResult r = f.Wait();
  INFO(r.err);
  CHECK(r.exit_code == 3);
  REQUIRE(Lines(r.err).size() == 1);
  CHECK(r.err.find("refused to get kustomization flux-system/apps (403)") != std::string::npos);
}

TEST_CASE("a Kubernetes API nobody listens at exits 3 at once, not 4 after the timeout",
          "[sync][webhook]") {
  FluxWait f;
  f.WriteKubeconfig("http://127.0.0.1:" + std::to_string(ClosedPort()));
  ToolResult r = f.Wait();
  INFO(r.err);
  CHECK(r.exit_code == 3);
  REQUIRE(Lines(r.err).size() == 1);
  CHECK(r.err.find("kustomization flux-system/apps: error: ") != std::string::npos);
  CHECK(f.clock.Now() - ManualClock::DefaultStart() < std::chrono::minutes(1));
}

}  // namespace
}  // namespace capstan::testing
