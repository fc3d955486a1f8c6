// The test registry (support/oci_registry.h) checked with plain HTTP requests: what Push* returns
// is what the registry serves, the tag list, deletion, the Accept quirk of distribution 2.8, and
// htpasswd basic auth.
#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "http/curl_client.h"
#include "registry/protocol.h"
#include "support/oci_registry.h"
#include "support/temp_repo.h"

namespace capstan::testing {
namespace {

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

HttpResponse Send(const std::string& method, const std::string& url,
                  std::vector<std::pair<std::string, std::string>> headers = {}) {
  http::CurlHttpClient client;
  HttpRequest request;
  request.method = method;
  request.url = url;
  request.headers = std::move(headers);
  Result<HttpResponse> response = client.Send(request);
  INFO(method << " " << url);
  REQUIRE(response.status().message() == "");
  return std::move(response).value();
}

std::string Header(const HttpResponse& response, const std::string& name) {
  auto it = response.headers.find(name);
  return it == response.headers.end() ? "" : it->second;
}

std::vector<std::string> Tags(const DockerRegistry& registry, const std::string& repo) {
  HttpResponse r = Send("GET", "http://" + registry.host() + "/v2/" + repo + "/tags/list");
  INFO(r.body);
  REQUIRE(r.status == 200);
  nlohmann::json body = nlohmann::json::parse(r.body);
  REQUIRE(body["name"] == repo);
  std::vector<std::string> tags;
  if (body["tags"].is_array()) tags = body["tags"].get<std::vector<std::string>>();
  std::sort(tags.begin(), tags.end());
  return tags;
}

HttpResponse HeadManifest(const DockerRegistry& registry, const std::string& repo,
                          const std::string& reference, const std::vector<std::string>& accept,
                          const std::optional<BasicCredentials>& credentials = std::nullopt) {
  std::vector<std::pair<std::string, std::string>> headers = {{"Accept", Join(accept)}};
  if (credentials) headers.emplace_back("Authorization", BasicAuthorization(*credentials));
  return Send("HEAD", "http://" + registry.host() + "/v2/" + repo + "/manifests/" + reference,
              headers);
}

TEST_CASE("test registry serves pushed images and indexes by tag and digest",
          "[integration][oci_registry]") {
  TempDir root;
  DockerRegistry registry(root.path());
  const std::vector<std::string>& accept_all = registry::ManifestAcceptTypes();

  std::string image = PushImage(registry.host(), "acme/api", "1.0.0", TestImage{});
  std::string index = PushIndex(registry.host(), "acme/api", "2.0.0",
                                {TestImage{"linux", "amd64", "", "2026-02-01T00:00:00Z", "two"},
                                 TestImage{"linux", "arm64", "v8", "2026-02-01T00:00:00Z", "two"}});
  CHECK(image.rfind("sha256:", 0) == 0);
  CHECK(image.size() == 7 + 64);
  CHECK(index != image);
  CHECK(Tags(registry, "acme/api") == std::vector<std::string>{"1.0.0", "2.0.0"});

  HttpResponse head = HeadManifest(registry, "acme/api", "1.0.0", accept_all);
  CHECK(head.status == 200);
  CHECK(Header(head, "docker-content-digest") == image);
  CHECK(Header(head, "content-type") == "application/vnd.oci.image.manifest.v1+json");
  head = HeadManifest(registry, "acme/api", "2.0.0", accept_all);
  CHECK(head.status == 200);
  CHECK(Header(head, "docker-content-digest") == index);
  CHECK(Header(head, "content-type") == "application/vnd.oci.image.index.v1+json");

  SECTION("the index lists each platform and an unknown/unknown attestation") {
    HttpResponse get = Send("GET", "http://" + registry.host() + "/v2/acme/api/manifests/" + index,
                            {{"Accept", Join(accept_all)}});
    REQUIRE(get.status == 200);
    nlohmann::json body = nlohmann::json::parse(get.body);
    REQUIRE(body["manifests"].size() == 3);
    CHECK(body["manifests"][0]["platform"] ==
          nlohmann::json({{"architecture", "amd64"}, {"os", "linux"}}));
    CHECK(body["manifests"][1]["platform"] ==
          nlohmann::json({{"architecture", "arm64"}, {"os", "linux"}, {"variant", "v8"}}));
    CHECK(body["manifests"][2]["platform"] ==
          nlohmann::json({{"architecture", "unknown"}, {"os", "unknown"}}));
    for (const nlohmann::json& entry : body["manifests"]) {
      HttpResponse child = HeadManifest(registry, "acme/api", entry["digest"], accept_all);
      CHECK(child.status == 200);
    }
  }

  SECTION("distribution 2.8 hides an OCI manifest whose type is missing from Accept") {
    head = HeadManifest(registry, "acme/api", "1.0.0",
                        {"application/vnd.docker.distribution.manifest.v2+json"});
    CHECK(head.status == 404);
  }

  SECTION("deleting a manifest removes it and its tag") {
    DeleteManifest(registry.host(), "acme/api", image);
    CHECK(HeadManifest(registry, "acme/api", image, accept_all).status == 404);
    CHECK(HeadManifest(registry, "acme/api", "1.0.0", accept_all).status == 404);
    CHECK(Tags(registry, "acme/api") == std::vector<std::string>{"2.0.0"});
  }

  SECTION("images differing only in salt get different digests") {
    TestImage salted;
    salted.salt = "other";
    CHECK(PushImage(registry.host(), "acme/api", "1.0.1", salted) != image);
    CHECK(PushImage(registry.host(), "acme/api", "1.0.2", TestImage{}) == image);
  }
}

TEST_CASE("test registry with htpasswd requires the right basic credentials",
          "[integration][oci_registry]") {
  TempDir root;
  const BasicCredentials alice{"alice", "s3cret pass:word"};
  DockerRegistry registry(root.path(), alice);
  const std::string ping = "http://" + registry.host() + "/v2/";

  HttpResponse anonymous = Send("GET", ping);
  CHECK(anonymous.status == 401);
  CHECK(Header(anonymous, "www-authenticate").rfind("Basic realm=", 0) == 0);

  CHECK(Send("GET", ping, {{"Authorization", BasicAuthorization(alice)}}).status == 200);
  CHECK(Send("GET", ping, {{"Authorization", BasicAuthorization({"alice", "wrong"})}}).status ==
        401);
  CHECK(
      Send("GET", ping, {{"Authorization", BasicAuthorization({"bob", alice.password})}}).status ==
      401);

  std::string digest = PushImage(registry.host(), "acme/api", "1.0.0", TestImage{}, alice);
  const std::vector<std::string>& accept_all = registry::ManifestAcceptTypes();
  CHECK(HeadManifest(registry, "acme/api", "1.0.0", accept_all).status == 401);
  HttpResponse head = HeadManifest(registry, "acme/api", "1.0.0", accept_all, alice);
  CHECK(head.status == 200);
  CHECK(Header(head, "docker-content-digest") == digest);
  DeleteManifest(registry.host(), "acme/api", digest, alice);
  CHECK(HeadManifest(registry, "acme/api", digest, accept_all, alice).status == 404);
  CHECK(registry.log().find(alice.password) == std::string::npos);
}

TEST_CASE("basic authorization header is base64 as in RFC 7617's example",
          "[integration][oci_registry]") {
  CHECK(BasicAuthorization({"Aladdin", "open sesame"}) == "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
  CHECK(BasicAuthorization({"a", ""}) == "Basic YTo=");
  CHECK(BasicAuthorization({"ab", ""}) == "Basic YWI6");
}

}  // namespace
}  // namespace capstan::testing
