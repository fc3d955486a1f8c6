// Reading Flux Kustomizations from the Kubernetes API, for capstan-sync's Flux wait; and the
// HTTP settings a kubeconfig asks for. Like argocd/client.h this builds the requests and reads
// the answers; polling and retrying are the caller's (retries: http::PolicyClient).
//
// Typical use (tools/sync):
//   Result<k8s::KubeAccess> access = k8s::ReadKubeconfig(env.fs, path, {.context = ctx});
//   Result<KubeConnection> conn = KubeConnectionFor(*access);
//   http::CurlHttpClient curl(conn->curl);        // wrapped in a PolicyClient
//   FluxClient flux(&policy_client, conn->api);
//   Result<Kustomization> k = flux.GetKustomization(ns, name);   // then JudgeKustomization
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "argocd/flux_wait.h"
#include "core/env.h"
#include "core/result.h"
#include "http/curl_client.h"
#include "k8s/kubeconfig.h"

namespace capstan::argocd {

// Where and how to call the Kubernetes API.
struct KubeApi {
  std::string server;  // "https://host:6443" (a path prefix allowed), without a trailing '/'
  // Sent on every request: `Authorization` when the user has a token or basic credentials.
  // Secret: never print them.
  std::vector<std::pair<std::string, std::string>> headers;
  std::chrono::milliseconds request_timeout{30000};
};

struct KubeConnection {
  http::CurlOptions curl;  // TLS: the cluster's CA, insecure-skip-tls-verify, client cert/key
  KubeApi api;
};

// The CurlOptions and KubeApi for a kubeconfig's access: ca_pem from the cluster's CA (the
// system store when it has none), insecure_skip_verify, the client certificate and key, and
// the Authorization header (k8s::AuthorizationHeader). A plain http:// server is allowed only
// to a loopback host (CurlHttpClient's rule; its host is not added to insecure_hosts).
// libcurl 7.88 cannot check a certificate against a name other than the URL's host, so a
// tls-server-name that differs from the server's host fails with kInvalidArgument
// ("context '<name>': tls-server-name '<n>' is not supported: ..."); the same name is fine.
Result<KubeConnection> KubeConnectionFor(const k8s::KubeAccess& access);

// "/apis/kustomize.toolkit.fluxcd.io/<version>/namespaces/<ns>/kustomizations/<name>", the
// names percent-encoded. version "v1" (Flux 2.0 and later) or "v1beta2".
std::string KustomizationPath(const std::string& kustomization_namespace, const std::string& name,
                              const std::string& version = "v1");

class FluxClient {
 public:
  // `http` is borrowed and must outlive the client.
  FluxClient(HttpClient* http, KubeApi api);

  // GET the Kustomization, with `Accept: application/json` and the KubeApi headers (request
  // kind "kustomization"). When the API serves no kustomize.toolkit.fluxcd.io/v1 (Flux before
  // 2.0: a 404 that is not about this object), asks v1beta2 once and keeps to it afterwards.
  // Fails with:
  //  kNotFound         "kustomization <ns>/<name> not found" (404 for the object); "kustomization
  //                    <ns>/<name> not found: the API serves no Flux kustomizations (v1 or
  //                    v1beta2); is Flux installed?"
  //  kUnauthenticated  401 "kubernetes API rejected the credentials (401): <API message>";
  //                    403 "kubernetes API refused to get kustomization <ns>/<name> (403):
  //                    <API message>" (RBAC: the user needs get on kustomizations)
  //  kIoError          other statuses "GET <url>: HTTP <n>: <API message>"; transport
  //                    failures as the HttpClient returns them (kIoError, kTimeout,
  //                    kInvalidArgument)
  //  kParseError       a 200 whose body is not a Kustomization (ReadKustomization)
  // API messages come from the Kubernetes Status body's `message`, one line.
  Result<Kustomization> GetKustomization(const std::string& kustomization_namespace,
                                         const std::string& name);

  // The version the last successful call used ("v1" until v1beta2 was needed).
  const std::string& version() const { return version_; }

 private:
  Result<HttpResponse> Get(const std::string& path);

  HttpClient* http_;
  KubeApi api_;
  std::string version_ = "v1";
};

}  // namespace capstan::argocd
