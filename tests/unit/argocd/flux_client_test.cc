#include "argocd/flux_client.h"

#include <httplib.h>

#include <catch2/catch.hpp>
#include <thread>

#include "core/base64.h"
#include "fs/posix_file_system.h"
#include "http/curl_client.h"
#include "support/fake_kube.h"
#include "support/manual_clock.h"
#include "support/temp_repo.h"
#include "support/test_certs.h"

namespace capstan::argocd {
namespace {

using std::chrono::seconds;
using testing::FakeKube;
using testing::ManualClock;

const std::string kOld = "1111111111111111111111111111111111111111";
const std::string kNew = "2222222222222222222222222222222222222222";

KubeApi Api(const FakeKube& kube, const std::string& token = "kube-token") {
  return KubeApi{kube.url(), {{"Authorization", "Bearer " + token}}, std::chrono::seconds(5)};
}

TEST_CASE("the kustomization path names group, version, namespace and name") {
  CHECK(KustomizationPath("flux-system", "apps") ==
        "/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/apps");
  CHECK(KustomizationPath("ns", "a b", "v1beta2") ==
        "/apis/kustomize.toolkit.fluxcd.io/v1beta2/namespaces/ns/kustomizations/a%20b");
}

TEST_CASE("polling a kustomization on the fake API sees it reach the commit in fake time") {
  ManualClock clock;
  FakeKube kube(clock);
  kube.AddKustomization("flux-system", "apps", FakeKube::Ready("main@sha1:" + kOld));
  kube.Then("flux-system", "apps", seconds(10),
            FakeKube::Progressing("main@sha1:" + kOld, "main@sha1:" + kNew));
  kube.Then("flux-system", "apps", seconds(20), FakeKube::Ready("main@sha1:" + kNew));
  http::CurlHttpClient curl;
  FluxClient flux(&curl, Api(kube));

  std::vector<std::string> summaries;
  WaitVerdict verdict;
  for (int poll = 0; poll < 10; ++poll) {
    Result<Kustomization> k = flux.GetKustomization("flux-system", "apps");
    REQUIRE(k.ok());
    verdict = JudgeKustomization(*k, FluxTarget{kNew}, nullptr);
    summaries.push_back(verdict.summary);
    if (verdict.outcome != WaitOutcome::kWaiting) break;
    clock.Sleep(std::chrono::milliseconds(5000));
  }
  CHECK(verdict.outcome == WaitOutcome::kSucceeded);
  CHECK(summaries.size() == 5);
  CHECK(summaries.front() ==
        "applied main@1111111, want 2222222; Ready True: ReconciliationSucceeded: Applied "
        "revision: main@sha1:" +
            kOld);
  CHECK(summaries[2] ==
        "applied main@1111111, want 2222222, attempted main@2222222; Ready Unknown: "
        "Progressing: Reconciliation in progress");
  CHECK(summaries.back() == "Ready at main@2222222: Applied revision: main@sha1:" + kNew);
  CHECK(kube.Count() == 5);
  CHECK(kube.ViolationsText() == "");
  for (const testing::KubeRequest& r : kube.Requests()) {
    CHECK(r.method == "GET");
    CHECK(r.accept == "application/json");
    CHECK(r.authorization == "Bearer kube-token");
  }
}

TEST_CASE("a failed reconciliation at the commit is a failure with the controller's reason") {
  ManualClock clock;
  FakeKube kube(clock);
  kube.AddKustomization(
      "flux-system", "apps",
      FakeKube::Failed("main@sha1:" + kOld, "main@sha1:" + kNew, "ReconciliationFailed",
                       "Deployment/web dry-run failed: field is immutable"));
  http::CurlHttpClient curl;
  FluxClient flux(&curl, Api(kube));
  Result<Kustomization> k = flux.GetKustomization("flux-system", "apps");
  REQUIRE(k.ok());
  WaitVerdict v = JudgeKustomization(*k, FluxTarget{kNew}, nullptr);
  CHECK(v.outcome == WaitOutcome::kFailed);
  CHECK(v.summary ==
        "ReconciliationFailed at main@2222222: Deployment/web dry-run failed: field is immutable");
}

TEST_CASE("the API's refusals become one-line statuses") {
  ManualClock clock;
  FakeKube kube(clock);
  kube.AddKustomization("flux-system", "apps", FakeKube::Ready("main@sha1:" + kOld));
  kube.Forbid("flux-system", "secret-apps");
  http::CurlHttpClient curl;

  FluxClient flux(&curl, Api(kube));
  Result<Kustomization> missing = flux.GetKustomization("flux-system", "nope");
  CHECK(missing.status().code() == StatusCode::kNotFound);
  CHECK(missing.status().message() == "kustomization flux-system/nope not found");

  Result<Kustomization> forbidden = flux.GetKustomization("flux-system", "secret-apps");
  CHECK(forbidden.status().code() == StatusCode::kUnauthenticated);
  CHECK(forbidden.status().message() ==
        "kubernetes API refused to get kustomization flux-system/secret-apps (403): "
        "kustomizations.kustomize.toolkit.fluxcd.io \"secret-apps\" is forbidden: User "
        "\"system:serviceaccount:ci:capstan\" cannot get resource \"kustomizations\" in API "
        "group \"kustomize.toolkit.fluxcd.io\" in the namespace \"flux-system\"");

  FluxClient wrong(&curl, Api(kube, "wrong-token"));
  Result<Kustomization> rejected = wrong.GetKustomization("flux-system", "apps");
  CHECK(rejected.status().code() == StatusCode::kUnauthenticated);
  CHECK(rejected.status().message() ==
        "kubernetes API rejected the credentials (401): Unauthorized");
  CHECK(rejected.status().message().find("wrong-token") == std::string::npos);
  CHECK(kube.ViolationsText() == "");
}

TEST_CASE("an API without kustomize v1 is asked for v1beta2 once, then kept to it") {
  ManualClock clock;
  FakeKube kube(clock, {.token = "kube-token", .versions = {"v1beta2"}});
  kube.AddKustomization("flux-system", "apps", FakeKube::Ready("main/" + kNew));
  http::CurlHttpClient curl;
  FluxClient flux(&curl, Api(kube));
  Result<Kustomization> k = flux.GetKustomization("flux-system", "apps");
  REQUIRE(k.ok());
  CHECK(flux.version() == "v1beta2");
  CHECK(JudgeKustomization(*k, FluxTarget{kNew}, nullptr).outcome == WaitOutcome::kSucceeded);
  REQUIRE(flux.GetKustomization("flux-system", "apps").ok());
  std::vector<std::string> paths;
  for (const auto& r : kube.Requests()) paths.push_back(r.path);
  CHECK(paths == std::vector<std::string>{KustomizationPath("flux-system", "apps", "v1"),
                                          KustomizationPath("flux-system", "apps", "v1beta2"),
                                          KustomizationPath("flux-system", "apps", "v1beta2")});

  FakeKube none(clock, {.token = "kube-token", .versions = {}});
  FluxClient flux_none(&curl, Api(none));
  Result<Kustomization> absent = flux_none.GetKustomization("flux-system", "apps");
  CHECK(absent.status().code() == StatusCode::kNotFound);
  CHECK(absent.status().message() ==
        "kustomization flux-system/apps not found: the API serves no Flux kustomizations (v1 or "
        "v1beta2); is Flux installed?");
}

TEST_CASE("a kubeconfig's CA and client certificate reach a TLS API server that requires them") {
  testing::TempDir dir;
  testing::TestCerts certs = testing::MakeTestCerts(dir.path());
  httplib::SSLServer server(certs.server_crt.c_str(), certs.server_key.c_str(),
                            certs.ca_crt.c_str());
  REQUIRE(server.is_valid());
  server.Get(".*", [](const httplib::Request& req, httplib::Response& res) {
    res.set_content(R"({"metadata":{"name":"apps","namespace":"flux-system","generation":1},)"
                    R"("status":{"observedGeneration":1,"lastAppliedRevision":"main@sha1:)" +
                        kNew +
                        R"(","conditions":[{"type":"Ready","status":"True","reason":"x",)"
                        R"("message":")" +
                        req.get_header_value("Authorization") + R"("}]}})",
                    "application/json");
  });
  int port = server.bind_to_any_port("127.0.0.1");
  std::thread thread([&] { server.listen_after_bind(); });
  while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));

  testing::WriteFile(
      dir / "kubeconfig",
      "apiVersion: v1\nkind: Config\ncurrent-context: c\n"
      "clusters:\n- name: k\n  cluster:\n    server: https://127.0.0.1:" +
          std::to_string(port) +
          "\n    certificate-authority: ca.crt\n"
          "contexts:\n- name: c\n  context: {cluster: k, user: u}\n"
          "users:\n- name: u\n  user:\n    client-certificate-data: " +
          EncodeBase64(testing::ReadFile(certs.client_crt)) +
          "\n    client-key-data: " + EncodeBase64(testing::ReadFile(certs.client_key)) + "\n");
  fs::PosixFileSystem fs;
  Result<k8s::KubeAccess> access = k8s::ReadKubeconfig(&fs, dir / "kubeconfig");
  REQUIRE(access.ok());
  Result<KubeConnection> conn = KubeConnectionFor(*access);
  REQUIRE(conn.ok());
  CHECK(conn->api.headers.empty());
  http::CurlHttpClient curl(conn->curl);
  FluxClient flux(&curl, conn->api);
  Result<Kustomization> k = flux.GetKustomization("flux-system", "apps");
  server.stop();
  thread.join();
  REQUIRE(k.ok());
  CHECK(JudgeKustomization(*k, FluxTarget{kNew}, nullptr).outcome == WaitOutcome::kSucceeded);
}

TEST_CASE(
    "a kubeconfig's token becomes the bearer header and its tls-server-name must be the server's "
    "host") {
  k8s::KubeAccess access;
  access.context = "prod";
  access.server = "https://api.example.com:6443/";
  access.token = "t0k";
  access.insecure_skip_verify = true;
  access.tls_server_name = "API.example.com";
  Result<KubeConnection> conn = KubeConnectionFor(access);
  REQUIRE(conn.ok());
  CHECK(conn->api.server == "https://api.example.com:6443");
  CHECK(conn->curl.insecure_skip_verify);
  CHECK(conn->api.headers ==
        std::vector<std::pair<std::string, std::string>>{{"Authorization", "Bearer t0k"}});
  access.tls_server_name = "kubernetes.default";
  Result<KubeConnection> other = KubeConnectionFor(access);
  CHECK(other.status().code() == StatusCode::kInvalidArgument);
  CHECK(other.status().message() ==
        "context 'prod': tls-server-name 'kubernetes.default' is not supported: use a server URL "
        "whose host the certificate names");
}

}  // namespace
}  // namespace capstan::argocd
