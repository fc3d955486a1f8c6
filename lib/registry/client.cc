#include "registry/client.h"

#include <cctype>
#include <nlohmann/json.hpp>
#include <utility>

#include "core/base64.h"
#include "core/sha256.h"
#include "core/strings.h"
#include "core/url.h"
#include "http/curl_client.h"
#include "http/policy.h"
#include "registry/protocol.h"

namespace capstan::registry {
namespace {

using Json = nlohmann::json;

constexpr std::chrono::seconds kTokenMargin{30};
constexpr int kMaxRedirects = 5;

// The host of "host[:port]" or "[v6]:port", for http::IsLoopbackHost.
std::string HostName(std::string_view host) {
  if (!host.empty() && host[0] == '[') return std::string(host.substr(0, host.find(']') + 1));
  return std::string(host.substr(0, host.find(':')));
}

bool IsRedirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// location resolved against url: absolute as is, path-absolute against its origin, otherwise
// against its directory.
std::string ResolveLocation(std::string_view url, std::string_view location) {
  if (location.rfind("http://", 0) == 0 || location.rfind("https://", 0) == 0) {
    return std::string(location);
  }
  size_t scheme_end = url.find("://");
  size_t path = url.find_first_of("/?#", scheme_end == std::string_view::npos ? 0 : scheme_end + 3);
  std::string_view origin = url.substr(0, path);
  if (location.rfind("//", 0) == 0) {
    return std::string(url.substr(0, scheme_end + 1)) + std::string(location);
  }
  if (!location.empty() && location[0] == '/') return std::string(origin) + std::string(location);
  std::string_view base = url.substr(0, url.find_first_of("?#", origin.size()));
  return std::string(base.substr(0, base.rfind('/') + 1)) + std::string(location);
}

bool ValidTag(std::string_view tag) {
  if (tag.empty() || tag.size() > 128) return false;
  for (char c : tag) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '-') {
      return false;
    }
  }
  return tag[0] != '.' && tag[0] != '-';
}

bool ValidDigest(std::string_view digest) {
  size_t colon = digest.find(':');
  if (colon == 0 || colon == std::string_view::npos || colon + 1 == digest.size()) return false;
  for (char c : digest) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != ':' && c != '+' && c != '.' &&
        c != '_' && c != '-') {
      return false;
    }
  }
  return true;
}

}  // namespace

struct Client::State {
  // A per-host answer found once and shared: `once` is held while the first caller finds it,
  // so concurrent queries of one host wait for that answer instead of each asking.
  template <typename T>
  struct Once {
    std::shared_ptr<std::mutex> once = std::make_shared<std::mutex>();
    bool known = false;
    T value{};
  };

  struct Host {
    Once<std::optional<Challenge>> challenge;  // the /v2/ ping; nullopt: anonymous
    Once<std::optional<RegistryCredential>> credential;
    std::optional<int> rate_remaining;
  };

  // What one registry call is about: the registry, the repository and the error prefix.
  struct Target {
    std::string host;  // as in the reference, e.g. "docker.io", "localhost:5000"
    std::string base;  // "https://registry-1.docker.io"
    std::string repository;
    std::string what;
  };

  HttpClient* http;
  Clock* clock;
  CredentialLookup lookup;
  ClientOptions options;

  std::mutex mu;  // guards hosts and tokens
  std::map<std::string, Host> hosts;
  std::map<std::pair<std::string, std::string>, TokenResponse> tokens;

  Target MakeTarget(const image::Reference& image, std::string what) const {
    Target t;
    t.host = image.registry;
    if (t.host == "docker.io") {
      t.base = "https://registry-1.docker.io";
    } else if (http::IsLoopbackHost(HostName(t.host)) ||
               options.plain_http_hosts.count(t.host) != 0) {
      t.base = "http://" + t.host;
    } else {
      t.base = "https://" + t.host;
    }
    t.repository = image.repository;
    t.what = std::move(what);
    return t;
  }

  HttpRequest NewRequest(std::string method, std::string url, std::string kind) const {
    HttpRequest r;
    r.method = std::move(method);
    r.url = std::move(url);
    r.kind = std::move(kind);
    r.timeout = options.timeout;
    return r;
  }

  // One request to the registry host itself, paced by the RateLimit-Remaining it last sent.
  Result<HttpResponse> SendToRegistry(const Target& t, const HttpRequest& request) {
    std::optional<int> remaining;
    {
      std::lock_guard<std::mutex> lock(mu);
      remaining = hosts[t.host].rate_remaining;
    }
    if (remaining && *remaining <= 0) {
      return Status::LimitExceeded(t.what + ": " + t.host + ": registry rate limit exhausted");
    }
    if (remaining && *remaining <= options.slow_down_below) clock->Sleep(options.slow_down_pause);
    Result<HttpResponse> r = http->Send(request);
    if (!r.ok()) return r.status().WithPrefix(t.what);
    if (auto it = r->headers.find("ratelimit-remaining"); it != r->headers.end()) {
      if (std::optional<int> n = RateLimitRemaining(it->second)) {
        std::lock_guard<std::mutex> lock(mu);
        hosts[t.host].rate_remaining = n;
      }
    }
    return r;
  }

  // hosts[t.host].*slot's value, found by `find` (returning Result<T>) for the first caller and
  // remembered for every later one. A failure is returned and not remembered.
  template <typename T, typename Find>
  Result<T> FindOnce(const Target& t, Once<T> Host::*slot, Find find) {
    std::shared_ptr<std::mutex> once;
    {
      std::lock_guard<std::mutex> lock(mu);
      Once<T>& known = hosts[t.host].*slot;
      if (known.known) return known.value;
      once = known.once;
    }
    std::lock_guard<std::mutex> first(*once);
    {
      std::lock_guard<std::mutex> lock(mu);
      Once<T>& known = hosts[t.host].*slot;
      if (known.known) return known.value;
    }
    Result<T> found = find();
    if (!found.ok()) return found.status();
    std::lock_guard<std::mutex> lock(mu);
    Once<T>& known = hosts[t.host].*slot;
    known.known = true;
    known.value = *found;
    return found;
  }

  Result<std::optional<RegistryCredential>> Credential(const Target& t) {
    return FindOnce(t, &Host::credential, [&]() -> Result<std::optional<RegistryCredential>> {
      Result<std::optional<RegistryCredential>> found =
          lookup ? lookup(NormalizeRegistryHost(t.host))
                 : Result<std::optional<RegistryCredential>>(std::nullopt);
      if (!found.ok()) return found.status().WithPrefix(t.what);
      return found;
    });
  }

  // Pings /v2/ once per host; returns the challenge to answer (nullopt: anonymous).
  Result<std::optional<Challenge>> HostChallenge(const Target& t) {
    return FindOnce(t, &Host::challenge, [&]() { return Ping(t); });
  }

  // The /v2/ request itself: the challenge of a 401, nullopt (anonymous) for a 2xx.
  Result<std::optional<Challenge>> Ping(const Target& t) {
    Result<HttpResponse> r = SendToRegistry(t, NewRequest("GET", t.base + "/v2/", "ping"));
    if (!r.ok()) return r.status();
    std::optional<Challenge> challenge;
    if (r->status == 401) {
      Result<Challenge> c = ParseChallenge(r->Header("www-authenticate"));
      if (!c.ok()) return c.status().WithPrefix(t.what);
      challenge = *c;
    } else if (r->status < 200 || r->status > 299) {
      return ErrorFromResponse(r->status, r->body, t.what);
    }
    return challenge;
  }

  // A Bearer token for t.repository, from the cache unless `fresh`.
  Result<std::string> Token(const Target& t, const Challenge& challenge, bool fresh) {
    std::string scope = RepositoryScope(t.repository);
    auto key = std::make_pair(t.host, scope);
    if (!fresh) {
      std::lock_guard<std::mutex> lock(mu);
      auto it = tokens.find(key);
      if (it != tokens.end() && clock->Now() < it->second.expires - kTokenMargin) {
        return it->second.token;
      }
    }
    Result<std::optional<RegistryCredential>> cred = Credential(t);
    if (!cred.ok()) return cred.status();
    HttpRequest request;
    if (cred->has_value() && !(*cred)->identity_token.empty()) {
      request = NewRequest("POST", challenge.realm, "token");
      request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
      request.body = "grant_type=refresh_token&service=" + PercentEncode(challenge.service) +
                     "&scope=" + PercentEncode(scope) +
                     "&refresh_token=" + PercentEncode((*cred)->identity_token) +
                     "&client_id=capstan";
    } else {
      request = NewRequest("GET", TokenUrl(challenge, {scope}), "token");
      if (cred->has_value() && !(*cred)->username.empty()) {
        request.headers.emplace_back(
            "Authorization", "Basic " + EncodeBase64((*cred)->username + ":" + (*cred)->password));
      }
    }
    Result<HttpResponse> r = http->Send(request);
    if (!r.ok()) return r.status().WithPrefix(t.what);
    if (r->status != 200) {
      return ErrorFromResponse(r->status, r->body, t.what + ": token request");
    }
    Result<TokenResponse> parsed = ParseTokenResponse(r->body, clock->Now());
    if (!parsed.ok()) return parsed.status().WithPrefix(t.what);
    std::lock_guard<std::mutex> lock(mu);
    tokens[key] = *parsed;
    return parsed->token;
  }

  // The Authorization header answering `challenge`; "" when there is nothing to send.
  Result<std::string> Authorization(const Target& t, const std::optional<Challenge>& challenge,
                                    bool fresh) {
    if (!challenge) return std::string();
    if (challenge->scheme == "bearer") {
      Result<std::string> token = Token(t, *challenge, fresh);
      if (!token.ok()) return token.status();
      return "Bearer " + *token;
    }
    Result<std::optional<RegistryCredential>> cred = Credential(t);
    if (!cred.ok()) return cred.status();
    if (!cred->has_value() || (*cred)->username.empty()) return std::string();
    return "Basic " + EncodeBase64((*cred)->username + ":" + (*cred)->password);
  }

  // Sends request to the registry with the authentication the host asks for. A 401 carrying a
  // challenge is answered once more: with a fresh token, or with the challenge the host asked
  // for after an anonymous ping. *authorization receives the header sent last.
  Result<HttpResponse> Call(const Target& t, HttpRequest request,
                            std::string* authorization = nullptr) {
    Result<std::optional<Challenge>> challenge = HostChallenge(t);
    if (!challenge.ok()) return challenge.status();
    std::optional<Challenge> current = *challenge;
    const std::vector<std::pair<std::string, std::string>> headers = request.headers;
    for (bool retried = false;; retried = true) {
      Result<std::string> auth = Authorization(t, current, retried);
      if (!auth.ok()) return auth.status();
      request.headers = headers;
      if (!auth->empty()) request.headers.emplace_back("Authorization", *auth);
      if (authorization != nullptr) *authorization = *auth;
      Result<HttpResponse> r = SendToRegistry(t, request);
      if (!r.ok() || r->status != 401 || retried) return r;
      Result<Challenge> asked = ParseChallenge(r->Header("www-authenticate"));
      if (!asked.ok()) return r;
      if (asked->scheme == "basic") {
        if (!auth->empty()) return r;  // what we sent was refused
        Result<std::optional<RegistryCredential>> cred = Credential(t);
        if (!cred.ok()) return cred.status();
        if (!cred->has_value() || (*cred)->username.empty()) return r;
      }
      if (!current) {
        std::lock_guard<std::mutex> lock(mu);
        hosts[t.host].challenge.value = *asked;
      }
      current = *asked;
    }
  }

  Status CheckSize(const Target& t, const HttpResponse& r, std::string_view document) const {
    if (r.body.size() > options.max_document_bytes) {
      return Status::LimitExceeded(t.what + ": " + std::string(document) + " is larger than " +
                                   std::to_string(options.max_document_bytes) + " bytes");
    }
    return Status::Ok();
  }

  Result<HttpResponse> GetManifest(const Target& t, std::string_view reference) {
    if (!ValidTag(reference) && !ValidDigest(reference)) {
      return Status::InvalidArgument(t.what + ": invalid tag or digest " +
                                     QuoteForMessage(reference));
    }
    HttpRequest request = NewRequest(
        "GET", t.base + "/v2/" + t.repository + "/manifests/" + std::string(reference), "manifest");
    request.headers.emplace_back("Accept", AcceptList());
    Result<HttpResponse> r = Call(t, std::move(request));
    if (!r.ok()) return r;
    if (r->status != 200) return ErrorFromResponse(r->status, r->body, t.what);
    CAPSTAN_RETURN_IF_ERROR(CheckSize(t, *r, "manifest"));
    return r;
  }

  // GET of a blob, following redirects to blob storage; Authorization goes only to the
  // registry's own host.
  Result<HttpResponse> GetBlob(const Target& t, std::string_view digest) {
    if (!ValidDigest(digest)) {
      return Status::InvalidArgument(t.what + ": invalid blob digest " + QuoteForMessage(digest));
    }
    std::string url = t.base + "/v2/" + t.repository + "/blobs/" + std::string(digest);
    std::string authorization;
    Result<HttpResponse> r = Call(t, NewRequest("GET", url, "blob"), &authorization);
    const std::string registry_host = http::HostOf(url);
    for (int hops = 0; r.ok() && IsRedirect(r->status); ++hops) {
      std::string location = r->Header("location");
      if (location.empty()) break;
      if (hops == kMaxRedirects) {
        return Status::IoError(t.what + ": more than " + std::to_string(kMaxRedirects) +
                               " redirects fetching blob " + std::string(digest));
      }
      url = ResolveLocation(url, location);
      HttpRequest next = NewRequest("GET", url, "blob");
      if (!authorization.empty() && http::HostOf(url) == registry_host) {
        next.headers.emplace_back("Authorization", authorization);
      }
      r = http->Send(next);
      if (!r.ok()) return r.status().WithPrefix(t.what);
    }
    if (!r.ok()) return r;
    if (r->status != 200) return ErrorFromResponse(r->status, r->body, t.what);
    CAPSTAN_RETURN_IF_ERROR(CheckSize(t, *r, "config blob"));
    return r;
  }

  static std::string AcceptList() {
    std::string out;
    for (const std::string& type : ManifestAcceptTypes()) {
      if (!out.empty()) out += ", ";
      out += type;
    }
    return out;
  }
};

Client::Client(HttpClient* http, Clock* clock, CredentialLookup credentials, ClientOptions options)
    : state_(std::make_unique<State>()) {
  state_->http = http;
  state_->clock = clock;
  state_->lookup = std::move(credentials);
  state_->options = std::move(options);
}

Client::~Client() = default;

void Client::ForgetCredentials() {
  std::lock_guard<std::mutex> lock(state_->mu);
  for (auto& [name, host] : state_->hosts) {
    host.credential.known = false;
    host.credential.value.reset();
    host.rate_remaining.reset();
  }
}

Result<std::vector<std::string>> Client::ListTags(const image::Reference& image) {
  State::Target t = state_->MakeTarget(image, "cannot list tags of " + image.Name());
  std::string url =
      t.base + "/v2/" + t.repository + "/tags/list?n=" + std::to_string(state_->options.page_size);
  std::vector<std::string> tags;
  for (int page = 1;; ++page) {
    Result<HttpResponse> r = state_->Call(t, state_->NewRequest("GET", url, "tags"));
    if (!r.ok()) return r.status();
    if (r->status != 200) return ErrorFromResponse(r->status, r->body, t.what);
    Json j = Json::parse(r->body, nullptr, false);
    auto list = j.is_object() ? j.find("tags") : j.end();
    if (j.is_discarded() || !j.is_object() ||
        (list != j.end() && !list->is_null() && !list->is_array())) {
      return Status::ParseError(t.what + ": tags list is not a JSON object with a tags array");
    }
    if (list != j.end() && list->is_array()) {
      for (const Json& tag : *list) {
        if (!tag.is_string()) return Status::ParseError(t.what + ": a tag is not a string");
        tags.push_back(tag.get<std::string>());
      }
    }
    std::optional<std::string> next = NextPageUrl(r->Header("link"), url);
    if (!next) return tags;
    if (page >= state_->options.max_tag_pages) {
      return Status::LimitExceeded(t.what + ": more than " +
                                   std::to_string(state_->options.max_tag_pages) +
                                   " pages of tags");
    }
    if (http::HostOf(*next) != http::HostOf(url)) {
      return Status::IoError(t.what + ": next page link leaves the registry");
    }
    url = *next;
  }
}

Result<std::string> Client::Digest(const image::Reference& image, std::string_view tag) {
  State::Target t =
      state_->MakeTarget(image, "cannot get digest of " + image.Name() + ":" + std::string(tag));
  if (!ValidTag(tag) && !ValidDigest(tag)) {
    return Status::InvalidArgument(t.what + ": invalid tag");
  }
  HttpRequest request = state_->NewRequest(
      "HEAD", t.base + "/v2/" + t.repository + "/manifests/" + std::string(tag), "manifest-head");
  request.headers.emplace_back("Accept", State::AcceptList());
  Result<HttpResponse> r = state_->Call(t, std::move(request));
  if (!r.ok()) return r.status();
  if (r->status != 200) return ErrorFromResponse(r->status, r->body, t.what);
  std::string digest = r->Header("docker-content-digest");
  if (!digest.empty()) {
    if (!ValidDigest(digest)) return Status::IoError(t.what + ": invalid Docker-Content-Digest");
    return digest;
  }
  Result<HttpResponse> manifest = state_->GetManifest(t, tag);
  if (!manifest.ok()) return manifest.status();
  return "sha256:" + Sha256Hex(manifest->body);
}

Result<HttpResponse> Client::GetManifest(const image::Reference& image, const std::string& what,
                                         std::string_view reference) {
  return state_->GetManifest(state_->MakeTarget(image, what), reference);
}

Result<HttpResponse> Client::GetBlob(const image::Reference& image, const std::string& what,
                                     std::string_view digest) {
  return state_->GetBlob(state_->MakeTarget(image, what), digest);
}

}  // namespace capstan::registry
