#include "registry/protocol.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <optional>
#include <string>

namespace capstan::registry {
namespace {

using std::chrono::seconds;
using std::chrono::system_clock;

struct ChallengeCase {
  std::string header;
  std::string scheme, realm, service, scope;
  std::map<std::string, std::string> params;
};

TEST_CASE("challenge headers of real registries parse", "[registry]") {
  ChallengeCase c = GENERATE(values<ChallengeCase>({
      {R"(Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull")",
       "bearer",
       "https://auth.docker.io/token",
       "registry.docker.io",
       "repository:library/nginx:pull",
       {}},
      {R"(Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:user/image:pull")",
       "bearer",
       "https://ghcr.io/token",
       "ghcr.io",
       "repository:user/image:pull",
       {}},
      {R"(Basic realm="Registry Realm")", "basic", "Registry Realm", "", "", {}},
      {"basic", "basic", "", "", "", {}},
      {R"(BEARER Realm="https://r/t", SERVICE = "s" ,scope=token-value)",
       "bearer",
       "https://r/t",
       "s",
       "token-value",
       {}},
      {R"(Bearer realm="https://r/t",error="insufficient_scope",scope="a:b:push")",
       "bearer",
       "https://r/t",
       "",
       "a:b:push",
       {{"error", "insufficient_scope"}}},
      {R"(Bearer realm="a \"quoted\" \\ realm",service="x,y")",
       "bearer",
       R"(a "quoted" \ realm)",
       "x,y",
       "",
       {}},
      {"\tBearer   realm=https://r/t ,, service=s", "bearer", "https://r/t", "s", "", {}},
      {R"(Bearer realm="https://r/t", Basic realm="other")", "bearer", "https://r/t", "", "", {}},
      {R"(Bearer realm="https://r/t",service="")", "bearer", "https://r/t", "", "", {}},
  }));
  CAPTURE(c.header);
  Result<Challenge> got = ParseChallenge(c.header);
  REQUIRE(got.ok());
  CHECK(got->scheme == c.scheme);
  CHECK(got->realm == c.realm);
  CHECK(got->service == c.service);
  CHECK(got->scope == c.scope);
  CHECK(got->params == c.params);
}

TEST_CASE("malformed challenge headers are invalid arguments with a reason", "[registry]") {
  auto [header, why] = GENERATE(table<std::string, std::string>({
      {"", "missing auth scheme"},
      {"   ", "missing auth scheme"},
      {R"(Digest realm="x")", "unsupported auth scheme 'Digest'"},
      {R"(Negotiate)", "unsupported auth scheme 'Negotiate'"},
      {R"(Bearer realm="https://r/t)", "unterminated quoted value of 'realm'"},
      {R"(Bearer realm=)", "missing value of 'realm'"},
      {R"(Bearer realm)", "expected '=' after 'realm'"},
      {R"(Bearer realm="a" service="b")", "unexpected character after the value of 'realm'"},
      {R"(Bearer realm="a",realm="b")", "duplicate parameter 'realm'"},
      {R"(Bearer service="s")", "bearer challenge has no realm"},
      {R"(Bearer="x")", "expected a space after the auth scheme"},
      {R"(Bearer ="x")", "expected a parameter name"},
  }));
  CAPTURE(header);
  Result<Challenge> got = ParseChallenge(header);
  REQUIRE_FALSE(got.ok());
  CHECK(got.status().code() == StatusCode::kInvalidArgument);
  CHECK(got.status().message() == "invalid WWW-Authenticate header: " + why);
}

TEST_CASE("token url percent-encodes service and every scope", "[registry]") {
  auto [realm, service, scopes, want] =
      GENERATE(table<std::string, std::string, std::vector<std::string>, std::string>({
          {"https://auth.docker.io/token",
           "registry.docker.io",
           {"repository:library/nginx:pull"},
           "https://auth.docker.io/"
           "token?service=registry.docker.io&scope=repository%3Alibrary%2Fnginx%3Apull"},
          {"https://r/t",
           "s",
           {"repository:a/b:pull", "repository:c/d:pull,push"},
           "https://r/"
           "t?service=s&scope=repository%3Aa%2Fb%3Apull&scope=repository%3Ac%2Fd%3Apull%2Cpush"},
          {"https://r/t?client=capstan",
           "my service~1.0_x-y",
           {},
           "https://r/t?client=capstan&service=my%20service~1.0_x-y"},
          {"https://r/t?", "", {"a b"}, "https://r/t?scope=a%20b"},
          {"https://r/t", "", {}, "https://r/t"},
      }));
  Challenge challenge{"bearer", realm, service, "", {}};
  CHECK(TokenUrl(challenge, scopes) == want);
}

TEST_CASE("repository scope defaults to pull", "[registry]") {
  CHECK(RepositoryScope("acme/api") == "repository:acme/api:pull");
  CHECK(RepositoryScope("acme/api", "pull,push") == "repository:acme/api:pull,push");
}

TEST_CASE("token responses yield the token and its expiry", "[registry]") {
  const system_clock::time_point now = system_clock::from_time_t(1'700'000'000);
  const system_clock::time_point issued =
      system_clock::from_time_t(1'600'000'000);  // 2020-09-13T12:26:40Z
  auto [json, token, expires] =
      GENERATE_REF(table<std::string, std::string, system_clock::time_point>({
          {R"({"token":"t1"})", "t1", now + seconds(60)},
          {R"({"access_token":"a1","expires_in":300})", "a1", now + seconds(300)},
          {R"({"token":"t1","access_token":"a1","expires_in":300})", "t1", now + seconds(300)},
          {R"({"token":"","access_token":"a1"})", "a1", now + seconds(60)},
          {R"({"token":"t1","expires_in":10})", "t1", now + seconds(60)},
          {R"({"token":"t1","expires_in":0})", "t1", now + seconds(60)},
          {R"({"token":"t1","expires_in":86400})", "t1", now + seconds(86400)},
          {R"({"token":"t1","expires_in":300.9})", "t1", now + seconds(300)},
          {R"({"token":"t1","expires_in":null})", "t1", now + seconds(60)},
          {R"({"token":"t1","expires_in":300,"issued_at":"2020-09-13T12:26:40Z"})", "t1",
           issued + seconds(300)},
          {R"({"token":"t1","expires_in":300,"issued_at":"2020-09-13T12:26:40.5Z"})", "t1",
           issued + seconds(300) + std::chrono::milliseconds(500)},
          {R"({"token":"t1","expires_in":300,"issued_at":"2020-09-13T14:26:40+02:00"})", "t1",
           issued + seconds(300)},
          {R"({"token":"t1","expires_in":300,"issued_at":"2020-09-13T07:56:40-04:30"})", "t1",
           issued + seconds(300)},
          {R"({"token":"t1","expires_in":300,"issued_at":"yesterday"})", "t1", now + seconds(300)},
          {R"({"token":"t1","expires_in":300,"issued_at":"2020-02-30T00:00:00Z"})", "t1",
           now + seconds(300)},
          {R"({"token":"t1","expires_in":300,"issued_at":12})", "t1", now + seconds(300)},
      }));
  CAPTURE(json);
  Result<TokenResponse> got = ParseTokenResponse(json, now);
  REQUIRE(got.ok());
  CHECK(got->token == token);
  CHECK(got->expires == expires);
}

TEST_CASE("bad token responses fail without echoing the token", "[registry]") {
  auto [json, code, message] = GENERATE(table<std::string, StatusCode, std::string>({
      {"", StatusCode::kParseError, "invalid token response: not a JSON object"},
      {"<html>", StatusCode::kParseError, "invalid token response: not a JSON object"},
      {R"(["secret-token"])", StatusCode::kParseError, "invalid token response: not a JSON object"},
      {R"({"expires_in":300})", StatusCode::kInvalidArgument, "invalid token response: no token"},
      {R"({"token":42})", StatusCode::kInvalidArgument, "invalid token response: no token"},
      {R"({"token":"secret-token","expires_in":"300"})", StatusCode::kInvalidArgument,
       "invalid token response: expires_in is not a number"},
  }));
  CAPTURE(json);
  Result<TokenResponse> got = ParseTokenResponse(json, system_clock::now());
  REQUIRE_FALSE(got.ok());
  CHECK(got.status().code() == code);
  CHECK(got.status().message() == message);
  CHECK(got.status().message().find("secret") == std::string::npos);
}

std::string RegistryError(const std::string& code, const std::string& message) {
  return R"({"errors":[{"code":")" + code + R"(","message":")" + message +
         R"(","detail":{"Name":"x"}}]})";
}

TEST_CASE("registry error responses become one-line statuses", "[registry]") {
  const std::string long_message(201, 'm');
  auto [http, body, code, message] = GENERATE_REF(table<int, std::string, StatusCode, std::string>({
      {404, RegistryError("NAME_UNKNOWN", "repository name not known to registry"),
       StatusCode::kNotFound, "w: repository not found (NAME_UNKNOWN)"},
      {404, RegistryError("MANIFEST_UNKNOWN", "manifest unknown"), StatusCode::kNotFound,
       "w: manifest not found (MANIFEST_UNKNOWN)"},
      {401, RegistryError("UNAUTHORIZED", "authentication required"), StatusCode::kUnauthenticated,
       "w: authentication required or credentials refused (UNAUTHORIZED)"},
      {403, RegistryError("DENIED", "requested access to the resource is denied"),
       StatusCode::kUnauthenticated, "w: access denied (DENIED)"},
      {429, RegistryError("TOOMANYREQUESTS", "You have reached your pull rate limit."),
       StatusCode::kLimitExceeded, "w: rate limited by the registry (TOOMANYREQUESTS)"},
      {200, RegistryError("TOOMANYREQUESTS", ""), StatusCode::kLimitExceeded,
       "w: rate limited by the registry (TOOMANYREQUESTS)"},
      {401, "", StatusCode::kUnauthenticated,
       "w: authentication required or credentials refused (HTTP 401)"},
      {403, "<html>Forbidden</html>", StatusCode::kUnauthenticated, "w: access denied (HTTP 403)"},
      {404, "404 page not found", StatusCode::kNotFound, "w: not found (HTTP 404)"},
      {404, RegistryError("BLOB_UNKNOWN", "blob unknown to registry"), StatusCode::kNotFound,
       "w: not found (HTTP 404 BLOB_UNKNOWN): blob unknown to registry"},
      {429, "", StatusCode::kLimitExceeded, "w: rate limited by the registry (HTTP 429)"},
      {500, "", StatusCode::kIoError, "w: registry error HTTP 500"},
      {503, R"({"errors":[]})", StatusCode::kIoError, "w: registry error HTTP 503"},
      {500, RegistryError("UNKNOWN", "unknown error"), StatusCode::kIoError,
       "w: registry error HTTP 500 (UNKNOWN): unknown error"},
      {502, R"({"errors":[{"message":"upstream down"}]})", StatusCode::kIoError,
       "w: registry error HTTP 502: upstream down"},
      {500, RegistryError("UNKNOWN", long_message), StatusCode::kIoError,
       "w: registry error HTTP 500 (UNKNOWN)"},
      {500, RegistryError("UNKNOWN", R"(line one\nline two)"), StatusCode::kIoError,
       "w: registry error HTTP 500 (UNKNOWN)"},
      {500, RegistryError("UNKNOWN", "caf\u00e9"), StatusCode::kIoError,
       "w: registry error HTTP 500 (UNKNOWN)"},
      {400, RegistryError("MANIFEST_INVALID", "manifest invalid"), StatusCode::kIoError,
       "w: registry error HTTP 400 (MANIFEST_INVALID): manifest invalid"},
  }));
  CAPTURE(http, body);
  Status got = ErrorFromResponse(http, body, "w");
  CHECK(got.code() == code);
  CHECK(got.message() == message);
}

TEST_CASE("link headers yield the absolute next page url", "[registry]") {
  const std::string base = "https://registry.example:5000/v2/acme/api/tags/list?n=100";
  auto [link, want] = GENERATE_REF(table<std::string, std::optional<std::string>>({
      {R"(</v2/acme/api/tags/list?n=100&last=x>; rel="next")",
       "https://registry.example:5000/v2/acme/api/tags/list?n=100&last=x"},
      {"</v2/acme/api/tags/list?n=100&last=x>;rel=next",
       "https://registry.example:5000/v2/acme/api/tags/list?n=100&last=x"},
      {R"(</v2/a?last=1>; REL="prev next")", "https://registry.example:5000/v2/a?last=1"},
      {R"(</v2/a?p=1>; rel="prev", </v2/a?p=3>; rel="next")",
       "https://registry.example:5000/v2/a?p=3"},
      {R"(</v2/a?p=3>; title="a, b; c"; rel="next"; type="text/plain")",
       "https://registry.example:5000/v2/a?p=3"},
      {R"(<https://other.example/v2/a?last=x>; rel="next")", "https://other.example/v2/a?last=x"},
      {R"(<//cdn.example/v2/a>; rel="next")", "https://cdn.example/v2/a"},
      {R"(<list?last=x>; rel="next")",
       "https://registry.example:5000/v2/acme/api/tags/list?last=x"},
      {R"(</v2/a?p=1>; rel="prev")", std::nullopt},
      {R"(</v2/a?p=1>; rel="nextpage")", std::nullopt},
      {"", std::nullopt},
      {R"(/v2/a; rel="next")", std::nullopt},
      {R"(</v2/a; rel="next")", std::nullopt},
  }));
  CAPTURE(link);
  CHECK(NextPageUrl(link, base) == want);
}

TEST_CASE("next page url needs an absolute base for path links", "[registry]") {
  CHECK(NextPageUrl(R"(</v2/a>; rel="next")", "/v2/acme") == std::nullopt);
  CHECK(NextPageUrl(R"(</v2/a>; rel="next")", "http://localhost") == "http://localhost/v2/a");
}

TEST_CASE("docker hub ratelimit-remaining values parse", "[registry]") {
  auto [header, want] = GENERATE(table<std::string, std::optional<int>>({
      {"76;w=21600", 76},
      {"76", 76},
      {" 0 ; w=21600", 0},
      {"ratelimit-remaining: 76;w=21600", 76},
      {"RateLimit-Remaining:100;w=21600", 100},
      {"", std::nullopt},
      {";w=21600", std::nullopt},
      {"-1;w=21600", std::nullopt},
      {"many", std::nullopt},
      {"7 6", std::nullopt},
      {"99999999999999999999", std::nullopt},
  }));
  CAPTURE(header);
  CHECK(RateLimitRemaining(header) == want);
}

TEST_CASE("manifest accept types cover oci and docker, index types first", "[registry]") {
  const std::vector<std::string>& types = ManifestAcceptTypes();
  REQUIRE(types.size() == 5);
  CHECK(types[0] == "application/vnd.oci.image.index.v1+json");
  CHECK(types[1] == "application/vnd.oci.image.manifest.v1+json");
  CHECK(types[2] == "application/vnd.docker.distribution.manifest.list.v2+json");
  CHECK(types[3] == "application/vnd.docker.distribution.manifest.v2+json");
  CHECK(types[4] == "application/vnd.docker.distribution.manifest.v1+prettyjws");
}

}  // namespace
}  // namespace capstan::registry
