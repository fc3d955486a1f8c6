#include "support/oci_registry.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <utility>

#include "core/base64.h"
#include "core/sha256.h"
#include "http/curl_client.h"
#include "support/shell.h"
#include "support/temp_repo.h"

namespace capstan::testing {
namespace {

constexpr char kOciManifest[] = "application/vnd.oci.image.manifest.v1+json";
constexpr char kOciIndex[] = "application/vnd.oci.image.index.v1+json";
constexpr char kOciConfig[] = "application/vnd.oci.image.config.v1+json";
constexpr char kOciLayer[] = "application/vnd.oci.image.layer.v1.tar";
constexpr char kInToto[] = "application/vnd.in-toto+json";

// A JSON string is a valid YAML double-quoted scalar, so this quotes any path for config.yml.
std::string YamlString(const std::string& s) { return nlohmann::json(s).dump(); }

std::string Digest(const std::string& bytes) { return "sha256:" + Sha256Hex(bytes); }

std::string Header(const HttpResponse& response, const std::string& name) {
  auto it = response.headers.find(name);
  return it == response.headers.end() ? "" : it->second;
}

// Sends one request and fails the test unless the registry answers want_status.
HttpResponse Expect(HttpRequest request, int want_status,
                    const std::optional<BasicCredentials>& credentials) {
  if (credentials) request.headers.emplace_back("Authorization", BasicAuthorization(*credentials));
  http::CurlHttpClient client;
  Result<HttpResponse> response = client.Send(request);
  if (!response.ok()) {
    FAIL("cannot " << request.method << " " << request.url << ": " << response.status().message());
  }
  if (response->status != want_status) {
    FAIL("cannot " << request.method << " " << request.url << ": registry answered HTTP "
                   << response->status << " (expected " << want_status << "): " << response->body);
  }
  return std::move(response).value();
}

std::string Url(const std::string& host, const std::string& path) {
  return "http://" + host + path;
}

// PUTs a manifest or index under reference; returns its digest after checking the registry
// computed the same one.
std::string PushManifest(const std::string& host, const std::string& repo,
                         const std::string& reference, const std::string& media_type,
                         const std::string& body,
                         const std::optional<BasicCredentials>& credentials) {
  HttpRequest put;
  put.method = "PUT";
  put.url = Url(host, "/v2/" + repo + "/manifests/" + reference);
  put.headers.emplace_back("Content-Type", media_type);
  put.body = body;
  HttpResponse response = Expect(put, 201, credentials);
  std::string digest = Digest(body);
  std::string stored = Header(response, "docker-content-digest");
  if (stored != digest) {
    FAIL("registry stored " << put.url << " as '" << stored << "', expected " << digest);
  }
  return digest;
}

nlohmann::json Descriptor(const std::string& media_type, const std::string& bytes) {
  return {{"mediaType", media_type}, {"digest", Digest(bytes)}, {"size", bytes.size()}};
}

nlohmann::json PlatformOf(const TestImage& image) {
  nlohmann::json platform = {{"architecture", image.architecture}, {"os", image.os}};
  if (!image.variant.empty()) platform["variant"] = image.variant;
  return platform;
}

// The manifest bytes of image after pushing its blobs.
std::string PushImageBlobs(const std::string& host, const std::string& repo, const TestImage& image,
                           const std::optional<BasicCredentials>& credentials) {
  std::string layer = "capstan test layer " + image.os + "/" + image.architecture + "/" +
                      image.variant + " " + image.salt + "\n";
  // An uncompressed layer's diff_id is its own digest.
  nlohmann::json config = PlatformOf(image);
  config["created"] = image.created;
  config["rootfs"]["type"] = "layers";
  config["rootfs"]["diff_ids"] = nlohmann::json::array({Digest(layer)});
  config["config"] = nlohmann::json::object();
  std::string config_bytes = config.dump();

  PushBlob(host, repo, layer, credentials);
  PushBlob(host, repo, config_bytes, credentials);
  nlohmann::json manifest = {
      {"schemaVersion", 2},
      {"mediaType", kOciManifest},
      {"config", Descriptor(kOciConfig, config_bytes)},
      {"layers", nlohmann::json::array({Descriptor(kOciLayer, layer)})},
  };
  return manifest.dump();
}

}  // namespace

DockerRegistry::DockerRegistry(std::string root, std::optional<BasicCredentials> credentials)
    : root_(std::move(root)),
      credentials_(std::move(credentials)),
      process_([this](int port) { return WriteConfig(port); }, {}, root_ + "/registry.log",
               "listening on ") {}

std::vector<std::string> DockerRegistry::WriteConfig(int port) const {
  std::filesystem::create_directories(root_ + "/storage");
  std::string config =
      "version: 0.1\n"
      "log:\n"
      "  level: info\n"
      "storage:\n"
      "  filesystem:\n"
      "    rootdirectory: " +
      YamlString(root_ + "/storage") +
      "\n"
      "  delete:\n"
      "    enabled: true\n"
      "http:\n"
      "  addr: 127.0.0.1:" +
      std::to_string(port) + "\n";
  if (credentials_) {
    std::string htpasswd = root_ + "/htpasswd";
    // The script names the password, so a failure reports only the exit code and output.
    ShellResult r =
        RunShell(root_, "htpasswd -Bbn " + ShellQuote(credentials_->user) + " " +
                            ShellQuote(credentials_->password) + " > " + ShellQuote(htpasswd));
    if (r.exit_code != 0) {
      FAIL("cannot create " << htpasswd << ": htpasswd exited with " << r.exit_code << ": "
                            << r.output);
    }
    config +=
        "auth:\n"
        "  htpasswd:\n"
        "    realm: capstan-test\n"
        "    path: " +
        YamlString(htpasswd) + "\n";
  }
  WriteFile(root_ + "/config.yml", config);
  return {"/usr/bin/docker-registry", "serve", root_ + "/config.yml"};
}

std::string BasicAuthorization(const BasicCredentials& credentials) {
  return "Basic " + EncodeBase64(credentials.user + ":" + credentials.password);
}

std::string PushBlob(const std::string& host, const std::string& repo, const std::string& bytes,
                     const std::optional<BasicCredentials>& credentials) {
  HttpRequest start;
  start.method = "POST";
  start.url = Url(host, "/v2/" + repo + "/blobs/uploads/");
  HttpResponse started = Expect(start, 202, credentials);
  std::string location = Header(started, "location");
  if (location.empty()) FAIL("registry answered POST " << start.url << " without a Location");
  if (location.rfind("http://", 0) != 0 && location.rfind("https://", 0) != 0) {
    location = Url(host, location);
  }

  std::string digest = Digest(bytes);
  HttpRequest put;
  put.method = "PUT";
  put.url = location + (location.find('?') == std::string::npos ? "?" : "&") + "digest=" + digest;
  put.headers.emplace_back("Content-Type", "application/octet-stream");
  put.body = bytes;
  Expect(put, 201, credentials);
  return digest;
}

std::string PushImage(const std::string& host, const std::string& repo, const std::string& tag,
                      const TestImage& image, const std::optional<BasicCredentials>& credentials) {
  std::string manifest = PushImageBlobs(host, repo, image, credentials);
  return PushManifest(host, repo, tag, kOciManifest, manifest, credentials);
}

std::string PushIndex(const std::string& host, const std::string& repo, const std::string& tag,
                      const std::vector<TestImage>& platforms,
                      const std::optional<BasicCredentials>& credentials) {
  if (platforms.empty()) FAIL("PushIndex needs at least one platform");
  nlohmann::json manifests = nlohmann::json::array();
  for (const TestImage& image : platforms) {
    std::string manifest = PushImageBlobs(host, repo, image, credentials);
    PushManifest(host, repo, Digest(manifest), kOciManifest, manifest, credentials);
    nlohmann::json entry = Descriptor(kOciManifest, manifest);
    entry["platform"] = PlatformOf(image);
    manifests.push_back(entry);
  }

  // Shaped like BuildKit's provenance attestation, which registries list next to the platforms.
  std::string first = manifests[0]["digest"].get<std::string>();
  nlohmann::json subject;
  subject["name"] = repo;
  subject["digest"]["sha256"] = first.substr(first.find(':') + 1);
  nlohmann::json statement_json;
  statement_json["_type"] = "https://in-toto.io/Statement/v0.1";
  statement_json["predicateType"] = "https://slsa.dev/provenance/v0.2";
  statement_json["subject"] = nlohmann::json::array({subject});
  std::string statement = statement_json.dump();
  nlohmann::json config;
  config["architecture"] = "unknown";
  config["os"] = "unknown";
  config["config"] = nlohmann::json::object();
  config["rootfs"]["type"] = "layers";
  config["rootfs"]["diff_ids"] = nlohmann::json::array({Digest(statement)});
  std::string config_bytes = config.dump();
  PushBlob(host, repo, statement, credentials);
  PushBlob(host, repo, config_bytes, credentials);
  nlohmann::json attestation_manifest = {
      {"schemaVersion", 2},
      {"mediaType", kOciManifest},
      {"config", Descriptor(kOciConfig, config_bytes)},
      {"layers", nlohmann::json::array({Descriptor(kInToto, statement)})},
  };
  std::string attestation = attestation_manifest.dump();
  PushManifest(host, repo, Digest(attestation), kOciManifest, attestation, credentials);
  nlohmann::json attestation_entry = Descriptor(kOciManifest, attestation);
  attestation_entry["platform"] = {{"architecture", "unknown"}, {"os", "unknown"}};
  attestation_entry["annotations"] = {
      {"vnd.docker.reference.digest", first},
      {"vnd.docker.reference.type", "attestation-manifest"},
  };
  manifests.push_back(attestation_entry);

  nlohmann::json index = {
      {"schemaVersion", 2},
      {"mediaType", kOciIndex},
      {"manifests", manifests},
  };
  return PushManifest(host, repo, tag, kOciIndex, index.dump(), credentials);
}

void DeleteManifest(const std::string& host, const std::string& repo, const std::string& digest,
                    const std::optional<BasicCredentials>& credentials) {
  HttpRequest request;
  request.method = "DELETE";
  request.url = Url(host, "/v2/" + repo + "/manifests/" + digest);
  Expect(request, 202, credentials);
}

}  // namespace capstan::testing
