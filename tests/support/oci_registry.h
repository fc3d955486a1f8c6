// A real OCI registry on 127.0.0.1 for integration tests (STYLE 9): Debian's docker-registry
// (distribution 2.8, /usr/bin/docker-registry) with filesystem storage, optionally behind htpasswd
// basic auth, plus helpers that push test images and indexes into it through the registry upload
// API (lib/http's CurlHttpClient, plain http to loopback). Images pushed here are small fakes:
// the layer is a few bytes, not a tar, which the registry never looks into.
//
// Typical use:
//   TempDir root;                      // declared first so it outlives the registry
//   DockerRegistry registry(root.path(), BasicCredentials{"alice", "s3cret"});
//   std::string digest = PushImage(registry.host(), "acme/api", "1.2.3", TestImage{},
//                                  BasicCredentials{"alice", "s3cret"});
//
// Every helper fails the test (Catch2 FAIL) when the registry cannot be started or a request
// fails, naming the request and quoting the registry's response body. No message or log line
// carries a password.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "support/git_servers.h"

namespace capstan::testing {

// HTTP basic credentials for the registry.
// REQUIRES: user has no ':'; neither field has a newline.
struct BasicCredentials {
  std::string user;
  std::string password;
};

// docker-registry serving /v2/ on 127.0.0.1:<ephemeral port> with storage.delete enabled (so
// manifests can be deleted), logging at level info. Its config.yml, storage directory
// (root/storage), htpasswd file and log (root/registry.log) live under root. With credentials,
// every request needs them (auth.htpasswd, realm "capstan-test"; the password is stored as a
// bcrypt hash made by `htpasswd -Bbn`); without, anonymous pull and push are allowed. Stopped by
// ServerProcess's destructor.
// REQUIRES: root exists and outlives the registry; running as a user that may write root.
class DockerRegistry {
 public:
  explicit DockerRegistry(std::string root,
                          std::optional<BasicCredentials> credentials = std::nullopt);

  // "127.0.0.1:<port>", the registry host as an image reference names it.
  std::string host() const { return "127.0.0.1:" + std::to_string(port()); }
  int port() const { return process_.port(); }
  const std::string& root() const { return root_; }
  // The registry's log (stdout and stderr).
  std::string log() const { return process_.log(); }

 private:
  std::vector<std::string> WriteConfig(int port) const;

  std::string root_;
  std::optional<BasicCredentials> credentials_;
  ServerProcess process_;
};

// What PushImage makes: a one-layer image whose config names this platform and creation time.
// Two images differing only in salt get different layers, configs and manifests.
struct TestImage {
  std::string os = "linux";
  std::string architecture = "amd64";
  std::string variant;                           // "" leaves "variant" out of config and platform
  std::string created = "2026-01-01T00:00:00Z";  // RFC 3339
  std::string salt;                              // put into the layer bytes
};

// Uploads bytes as a blob of repo (POST /v2/<repo>/blobs/uploads/, then one monolithic PUT to the
// returned Location, relative or absolute, with digest=sha256:<hex> appended). Returns the digest
// "sha256:<hex>". Fails the test unless the registry answers 202 then 201.
std::string PushBlob(const std::string& host, const std::string& repo, const std::string& bytes,
                     const std::optional<BasicCredentials>& credentials = std::nullopt);

// Pushes image's layer and config blobs and an OCI image manifest
// (application/vnd.oci.image.manifest.v1+json, schemaVersion 2) under `tag` (a tag or a
// "sha256:..." digest). Returns the manifest digest "sha256:<hex>". Fails the test unless the
// registry answers 201 with a Docker-Content-Digest equal to the digest of the bytes sent.
std::string PushImage(const std::string& host, const std::string& repo, const std::string& tag,
                      const TestImage& image,
                      const std::optional<BasicCredentials>& credentials = std::nullopt);

// Pushes each platform image by digest, then one attestation-like image manifest (as BuildKit
// adds: platform unknown/unknown, annotated as the attestation of the first platform), then an
// OCI image index (application/vnd.oci.image.index.v1+json) listing the platforms in order with
// their platform objects, followed by the attestation, under `tag`. Returns the index digest
// "sha256:<hex>". Fails the test as PushImage does.
// REQUIRES: platforms is not empty.
std::string PushIndex(const std::string& host, const std::string& repo, const std::string& tag,
                      const std::vector<TestImage>& platforms,
                      const std::optional<BasicCredentials>& credentials = std::nullopt);

// Deletes the manifest `digest` ("sha256:<hex>") of repo; the registry also drops the tags that
// pointed to it. Fails the test unless the registry answers 202.
void DeleteManifest(const std::string& host, const std::string& repo, const std::string& digest,
                    const std::optional<BasicCredentials>& credentials = std::nullopt);

// The value of an Authorization header for credentials: "Basic <base64(user:password)>".
std::string BasicAuthorization(const BasicCredentials& credentials);

}  // namespace capstan::testing
