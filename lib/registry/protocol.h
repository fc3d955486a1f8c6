// The pure parsing parts of an OCI distribution (registry v2) client: the 401 challenge and the
// token exchange of the Docker token auth spec, registry error bodies, Link pagination, Docker
// Hub's rate-limit header and the manifest Accept list. No I/O here; callers feed in headers and
// bodies they fetched through lib/http.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/status.h"

namespace capstan::registry {

// One challenge of a WWW-Authenticate header (RFC 7235 section 4.1).
struct Challenge {
  std::string scheme;  // "bearer" or "basic", lowercased
  std::string realm;
  std::string service;
  std::string scope;
  // Every auth-param other than realm, service and scope, keyed by lowercased name.
  std::map<std::string, std::string> params;
};

// Parses the WWW-Authenticate header of a 401, e.g.
//   Bearer
//   realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:x:pull"
// The scheme (Bearer or Basic) and parameter names are case-insensitive; values are quoted-strings
// with backslash escapes or bare values (any visible characters but ',' and '"', so an unquoted
// realm URL is accepted); parameters are comma-separated with optional whitespace.
// Only the first challenge is read; a second scheme after it is ignored. A Bearer challenge must
// carry a realm. Returns kInvalidArgument "invalid WWW-Authenticate header: <why>" when the header
// is empty, has another scheme, or is malformed (unterminated quote, missing '=', duplicate
// parameter...).
Result<Challenge> ParseChallenge(std::string_view www_authenticate);

// The token endpoint URL for a Bearer challenge: realm + "?service=<s>&scope=<a>&scope=<b>", each
// value percent-encoded (RFC 3986 unreserved characters kept). Appends with '&' when realm already
// has a query; omits service when empty. Scopes come from the caller, not from challenge.scope.
std::string TokenUrl(const Challenge& challenge, const std::vector<std::string>& scopes);

// "repository:<repository>:<actions>", e.g. RepositoryScope("acme/api") ==
// "repository:acme/api:pull".
std::string RepositoryScope(std::string_view repository, std::string_view actions = "pull");

struct TokenResponse {
  std::string token;
  std::chrono::system_clock::time_point expires;
};

// Parses a token endpoint's JSON reply (Docker token auth spec). The token is "token" or, failing
// that, "access_token". expires = base + expires_in seconds, where base is "issued_at" (RFC 3339)
// when present and parseable and `now` otherwise; expires_in defaults to 60 and is raised to 60
// when smaller, as the spec requires. Returns kParseError when the body is not a JSON object and
// kInvalidArgument when it has no non-empty string token or expires_in is not a number. Error
// messages never contain the token.
Result<TokenResponse> ParseTokenResponse(std::string_view json,
                                         std::chrono::system_clock::time_point now);

// Maps a failed registry response to a one-line Status prefixed with `what` (e.g.
// "cannot fetch manifest 'acme/api:1.2'"). The first entry of the body's {"errors":[{"code":...,
// "message":...}]} decides when its code is known:
//   NAME_UNKNOWN      kNotFound        "<what>: repository not found (NAME_UNKNOWN)"
//   MANIFEST_UNKNOWN  kNotFound        "<what>: manifest not found (MANIFEST_UNKNOWN)"
//   UNAUTHORIZED      kUnauthenticated "<what>: authentication required or credentials refused
//   (UNAUTHORIZED)" DENIED            kUnauthenticated "<what>: access denied (DENIED)"
//   TOOMANYREQUESTS   kLimitExceeded   "<what>: rate limited by the registry (TOOMANYREQUESTS)"
// Otherwise (other codes, no or unparseable body) the HTTP status decides, naming the status and
// any unknown code:
//   401  kUnauthenticated "<what>: authentication required or credentials refused (HTTP 401)"
//   403  kUnauthenticated "<what>: access denied (HTTP 403)"
//   404  kNotFound        "<what>: not found (HTTP 404 BLOB_UNKNOWN)"
//   429  kLimitExceeded   "<what>: rate limited by the registry (HTTP 429)"
//   else kIoError         "<what>: registry error HTTP 500 (SOME_CODE)"
// In these fallback cases the registry's own message is appended as ": <message>" when it is
// printable ASCII of at most 200 characters; otherwise it is dropped.
Status ErrorFromResponse(int http_status, std::string_view body, std::string_view what);

// The rel="next" target of an RFC 8288 Link header, e.g.
//   </v2/acme/api/tags/list?n=100&last=x>; rel="next"
// resolved against base_url's scheme://host[:port] when path-absolute and returned as is when
// already absolute (http:// or https://). The header may hold several comma-separated links; rel
// may be quoted or not and hold several space-separated relation types (compared
// case-insensitively). Returns nullopt when there is no next link or the header is malformed.
std::optional<std::string> NextPageUrl(std::string_view link_header, std::string_view base_url);

// The count from Docker Hub's "ratelimit-remaining: 76;w=21600" header value ("76;w=21600" or
// "76"); nullopt when empty or not a non-negative integer.
std::optional<int> RateLimitRemaining(std::string_view header_value);

// The Accept list for HEAD/GET of manifests, OCI index and manifest first. Every type is listed
// explicitly: a registry answers only with types the client accepts, and some (Debian's
// docker-registry 2.8) report 404 MANIFEST_UNKNOWN for an OCI manifest when its type is missing
// from Accept. The schema 1 type is last so only registries with nothing else fall back to it.
const std::vector<std::string>& ManifestAcceptTypes();

}  // namespace capstan::registry
