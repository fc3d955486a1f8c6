// The OCI distribution (registry v2) client of capstan-watch, over an HttpClient (normally
// http::PolicyClient, which retries, paces and counts; this client never retries by itself).
//
// Per registry host it pings `/v2/` once to learn how to authenticate (200: anonymous; 401 with
// a Bearer or Basic challenge), then per repository:
//   - Bearer: one token request (GET realm?service=..&scope=repository:<name>:pull with Basic
//     credentials when there are any; POST grant_type=refresh_token for an identity token),
//     cached per (host, scope) until 30 s before it expires; a 401 on a cached token drops it
//     and fetches one new token, once;
//   - Basic: the credential on every request;
// and then the registry calls below. Docker Hub (docker.io) is spoken to at
// registry-1.docker.io. The scheme is https, except http for loopback hosts (localhost,
// 127.0.0.0/8, ::1) and ClientOptions::plain_http_hosts, as Docker does for insecure registries.
//
// Requests carry HttpRequest::kind "ping", "token", "tags", "manifest-head", "manifest" or
// "blob" so the caller's PolicyClient counts them by kind.
//
// Rate limits: when a response carries RateLimit-Remaining (Docker Hub), the client remembers
// it per host. At or below ClientOptions::slow_down_below remaining requests it sleeps
// (Clock::Sleep) slow_down_pause before each further request to that host; at 0 it fails at
// once with kLimitExceeded "<host>: registry rate limit exhausted" instead of provoking a 429.
//
// Errors are one line, prefixed with what was asked ("cannot list tags of ghcr.io/acme/api: ...",
// "cannot get digest of ghcr.io/acme/api:1.2.3: ..."), mapped by registry::ErrorFromResponse.
// No credential or token ever appears in an error message.
//
// Thread-safe: several threads may query different (or the same) repositories at once.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/env.h"
#include "core/result.h"
#include "image/platform.h"
#include "image/reference.h"
#include "registry/docker_config.h"

namespace capstan::registry {

struct ClientOptions {
  // Hosts (host or host:port, as in the image reference) spoken to over plain http besides
  // loopback; CurlHttpClient must allow them too (CurlOptions::insecure_hosts).
  std::set<std::string> plain_http_hosts;
  // `n` asked for per tags/list page.
  int page_size = 1000;
  // Tag list pages followed per repository; more fails with kLimitExceeded
  // "cannot list tags of <image>: more than <n> pages of tags".
  int max_tag_pages = 50;
  // RateLimit-Remaining at or below which requests to that host are spaced out.
  int slow_down_below = 10;
  std::chrono::milliseconds slow_down_pause{2000};
  std::chrono::milliseconds timeout{30000};
  // Largest manifest, index or config blob read.
  std::size_t max_document_bytes = 4u << 20;
};

// The credential for a registry host (as NormalizeRegistryHost gives it: "docker.io",
// "ghcr.io", "localhost:5000"); nullopt means anonymous. Called once per host, then cached until
// Client::ForgetCredentials, so a helper program runs once per cycle.
using CredentialLookup =
    std::function<Result<std::optional<RegistryCredential>>(const std::string& host)>;

// Platforms are lib/image's (image/platform.h): policies name them without a registry.
using image::ParsePlatform;
using image::Platform;

struct ImageInfo {
  std::string digest;  // of what the tag points at (manifest or index), "sha256:<hex>"
  // Platforms the tag offers: every index entry except "unknown/unknown" (attestations), or the
  // single manifest's config os/architecture/variant.
  std::vector<Platform> platforms;
  // The config's `created` of the chosen platform's image (the first entry of `want` the tag
  // offers, or the first offered platform when `want` is empty); nullopt when the config has
  // no parseable `created`.
  std::optional<std::chrono::system_clock::time_point> created;
};

class Client {
 public:
  // http, clock: borrowed, must outlive the client.
  Client(HttpClient* http, Clock* clock, CredentialLookup credentials, ClientOptions options = {});
  ~Client();

  // Every tag of image.registry/image.repository (tag and digest of `image` ignored), in the
  // registry's order, following Link rel="next" pages. A repository without tags gives an
  // empty list ("tags": null). kNotFound for NAME_UNKNOWN.
  Result<std::vector<std::string>> ListTags(const image::Reference& image);

  // The digest of image:tag from one HEAD of /v2/<name>/manifests/<tag> with the full Accept
  // list (ManifestAcceptTypes), read from Docker-Content-Digest. When the registry sends no such
  // header, a GET of the manifest and the sha256 of its body. kNotFound when the tag does not
  // exist (e.g. deleted since it was listed).
  Result<std::string> Digest(const image::Reference& image, std::string_view tag);

  // GET of the manifest or index of image:tag; for an index, GET of the chosen platform's
  // manifest; then GET of its config blob (following a redirect to blob storage, without the
  // Authorization header when it leaves the registry's host). Used only by strategies that need
  // the creation time or platforms. kNotFound when `want` is not empty and the tag offers none
  // of those platforms ("... offers linux/amd64, not linux/s390x").
  Result<ImageInfo> Inspect(const image::Reference& image, std::string_view tag,
                            const std::vector<Platform>& want);

  // Drops the cached credentials (not the tokens, which stay until they expire): the next
  // request to each host looks its credential up again. capstan-watch calls it every cycle, so
  // short-lived credentials (ECR) are renewed. The remembered RateLimit-Remaining counts are
  // dropped too, so a host exhausted in one cycle is tried again in the next.
  void ForgetCredentials();

 private:
  // For Inspect (inspect.cc): a GET of the manifest `reference` (tag or digest) with the Accept
  // list, or of the blob `digest` following redirects, authenticated as above. Fail with
  // kInvalidArgument for a malformed reference or digest, ErrorFromResponse's status for any
  // status but 200 and kLimitExceeded past max_document_bytes, each prefixed with `what`.
  Result<HttpResponse> GetManifest(const image::Reference& image, const std::string& what,
                                   std::string_view reference);
  Result<HttpResponse> GetBlob(const image::Reference& image, const std::string& what,
                               std::string_view digest);

  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace capstan::registry
