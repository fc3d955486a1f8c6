#include "argocd/flux_client.h"

#include "core/strings.h"
#include "core/url.h"

namespace capstan::argocd {
namespace {

std::string OneLine(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return std::string(Trim(text));
}

// The host of an http(s) URL without port or brackets; "" when it has none.
std::string HostOf(std::string_view url) {
  size_t start = url.find("://");
  if (start == std::string_view::npos) return "";
  std::string_view rest = url.substr(start + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (size_t at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  if (!rest.empty() && rest.front() == '[') return AsciiLower(rest.substr(1, rest.find(']') - 1));
  return AsciiLower(rest.substr(0, rest.find(':')));
}

// The Kubernetes Status body of an error answer: its message, and whether it is about one
// object (details.name set) rather than an unknown path.
struct ApiStatus {
  std::string message;
  bool about_object = false;
};

ApiStatus ReadStatus(const HttpResponse& response) {
  ApiStatus s;
  nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
  if (body.is_object()) {
    if (auto m = body.find("message"); m != body.end() && m->is_string()) {
      s.message = OneLine(m->get<std::string>());
    }
    if (auto d = body.find("details"); d != body.end() && d->is_object()) {
      auto name = d->find("name");
      s.about_object = name != d->end() && name->is_string() && !name->get<std::string>().empty();
    }
  }
  if (s.message.empty()) {
    s.message = body.is_discarded() && !response.body.empty()
                    ? OneLine(response.body.substr(0, 200))
                    : "HTTP " + std::to_string(response.status);
  }
  return s;
}

}  // namespace

Result<KubeConnection> KubeConnectionFor(const k8s::KubeAccess& access) {
  if (!access.tls_server_name.empty() &&
      AsciiLower(access.tls_server_name) != HostOf(access.server)) {
    return Status::InvalidArgument(
        "context " + QuoteForMessage(access.context) + ": tls-server-name " +
        QuoteForMessage(access.tls_server_name) +
        " is not supported: use a server URL whose host the certificate names");
  }
  KubeConnection c;
  c.curl.ca_pem = access.ca_pem;
  c.curl.insecure_skip_verify = access.insecure_skip_verify;
  c.curl.client_cert_pem = access.client_cert_pem;
  c.curl.client_key_pem = access.client_key_pem;
  c.api.server = access.server;
  while (!c.api.server.empty() && c.api.server.back() == '/') c.api.server.pop_back();
  if (std::string auth = k8s::AuthorizationHeader(access); !auth.empty()) {
    c.api.headers.emplace_back("Authorization", std::move(auth));
  }
  return c;
}

std::string KustomizationPath(const std::string& kustomization_namespace, const std::string& name,
                              const std::string& version) {
  return "/apis/kustomize.toolkit.fluxcd.io/" + version + "/namespaces/" +
         PercentEncode(kustomization_namespace) + "/kustomizations/" + PercentEncode(name);
}

FluxClient::FluxClient(HttpClient* http, KubeApi api) : http_(http), api_(std::move(api)) {}

Result<HttpResponse> FluxClient::Get(const std::string& path) {
  HttpRequest request;
  request.url = api_.server + path;
  request.headers = api_.headers;
  request.headers.emplace_back("Accept", "application/json");
  request.timeout = api_.request_timeout;
  request.kind = "kustomization";
  return http_->Send(request);
}

Result<Kustomization> FluxClient::GetKustomization(const std::string& kustomization_namespace,
                                                   const std::string& name) {
  const std::string what = "kustomization " + kustomization_namespace + "/" + name;
  std::string version = version_;
  Result<HttpResponse> response = Get(KustomizationPath(kustomization_namespace, name, version));
  if (!response.ok()) return response.status();
  if (response->status == 404 && version == "v1" && !ReadStatus(*response).about_object) {
    version = "v1beta2";
    response = Get(KustomizationPath(kustomization_namespace, name, version));
    if (!response.ok()) return response.status();
    if (response->status == 404 && !ReadStatus(*response).about_object) {
      return Status::NotFound(what +
                              " not found: the API serves no Flux kustomizations (v1 or "
                              "v1beta2); is Flux installed?");
    }
  }
  const int code = response->status;
  if (code >= 200 && code < 300) {
    nlohmann::json body = nlohmann::json::parse(response->body, nullptr, false);
    if (body.is_discarded()) return Status::ParseError(what + ": the API's answer is not JSON");
    Result<Kustomization> k = ReadKustomization(body);
    if (!k.ok()) return k.status().WithPrefix(what);
    version_ = version;
    return k;
  }
  const ApiStatus status = ReadStatus(*response);
  if (code == 404) return Status::NotFound(what + " not found");
  if (code == 401) {
    return Status::Unauthenticated("kubernetes API rejected the credentials (401): " +
                                   status.message);
  }
  if (code == 403) {
    return Status::Unauthenticated("kubernetes API refused to get " + what +
                                   " (403): " + status.message);
  }
  return Status::IoError(
      "GET " + RedactUrl(api_.server + KustomizationPath(kustomization_namespace, name, version)) +
      ": HTTP " + std::to_string(code) + ": " + status.message);
}

}  // namespace capstan::argocd
