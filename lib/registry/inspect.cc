#include <algorithm>
#include <cctype>
#include <charconv>
#include <nlohmann/json.hpp>

#include "core/rfc3339.h"
#include "core/sha256.h"
#include "core/strings.h"
#include "registry/client.h"

namespace capstan::registry {
namespace {

using Json = nlohmann::json;
using TimePoint = std::chrono::system_clock::time_point;

bool IsIndexType(std::string_view media_type) {
  return media_type == "application/vnd.oci.image.index.v1+json" ||
         media_type == "application/vnd.docker.distribution.manifest.list.v2+json";
}

bool Matches(const Platform& offered, const Platform& wanted) {
  return offered.os == wanted.os && offered.architecture == wanted.architecture &&
         (wanted.variant.empty() || offered.variant == wanted.variant);
}

std::string JoinPlatforms(const std::vector<Platform>& platforms, std::string_view separator) {
  std::string out;
  for (const Platform& p : platforms) {
    if (!out.empty()) out += separator;
    out += p.ToString();
  }
  return out;
}

std::string StringField(const Json& object, const char* name) {
  auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Result<Json> ParseDocument(const std::string& what, const HttpResponse& r,
                           std::string_view document) {
  Json j = Json::parse(r.body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::ParseError(what + ": " + std::string(document) + " is not a JSON object");
  }
  return j;
}

}  // namespace

Result<ImageInfo> Client::Inspect(const image::Reference& image, std::string_view tag,
                                  const std::vector<Platform>& want) {
  const std::string what = "cannot inspect " + image.Name() + ":" + std::string(tag);
  Result<HttpResponse> top = GetManifest(image, what, tag);
  if (!top.ok()) return top.status();
  ImageInfo info;
  info.digest = top->Header("docker-content-digest");
  if (info.digest.rfind("sha256:", 0) != 0) info.digest = "sha256:" + Sha256Hex(top->body);
  Result<Json> doc = ParseDocument(what, *top, "manifest");
  if (!doc.ok()) return doc.status();

  auto media_type = [&](const Json& j, const HttpResponse& r) {
    std::string type = StringField(j, "mediaType");
    if (type.empty()) {
      type = r.Header("content-type");
      type = type.substr(0, type.find(';'));
      while (!type.empty() && type.back() == ' ') type.pop_back();
    }
    return type;
  };
  auto not_offered = [&](const std::vector<Platform>& offered) {
    return Status::NotFound(
        what + ": offers " +
        (offered.empty() ? std::string("no platform") : JoinPlatforms(offered, ", ")) + ", not " +
        JoinPlatforms(want, " or "));
  };

  Json manifest = *doc;
  std::string type = media_type(manifest, *top);
  bool is_index = IsIndexType(type) || (type.empty() && manifest.contains("manifests"));
  bool chosen_from_index = false;
  if (is_index) {
    auto entries = manifest.find("manifests");
    if (entries == manifest.end() || !entries->is_array()) {
      return Status::ParseError(what + ": index has no manifests array");
    }
    std::vector<std::pair<Platform, std::string>> offered;
    for (const Json& entry : *entries) {
      if (!entry.is_object()) continue;
      auto platform = entry.find("platform");
      if (platform == entry.end() || !platform->is_object()) continue;
      Platform p{StringField(*platform, "os"), StringField(*platform, "architecture"),
                 StringField(*platform, "variant")};
      if (p.os.empty() || p.architecture.empty() || p.os == "unknown" ||
          p.architecture == "unknown") {
        continue;
      }
      offered.emplace_back(p, StringField(entry, "digest"));
      info.platforms.push_back(p);
    }
    const std::pair<Platform, std::string>* chosen = nullptr;
    for (const Platform& w : want) {
      for (const auto& candidate : offered) {
        if (Matches(candidate.first, w)) {
          chosen = &candidate;
          break;
        }
      }
      if (chosen != nullptr) break;
    }
    if (want.empty() && !offered.empty()) chosen = &offered.front();
    if (!want.empty() && chosen == nullptr) return not_offered(info.platforms);
    if (chosen == nullptr) return info;
    Result<HttpResponse> child = GetManifest(image, what, chosen->second);
    if (!child.ok()) return child.status();
    Result<Json> child_doc = ParseDocument(what, *child, "manifest");
    if (!child_doc.ok()) return child_doc.status();
    manifest = std::move(*child_doc);
    if (IsIndexType(media_type(manifest, *child))) {
      return Status::ParseError(what + ": nested index for " + chosen->first.ToString());
    }
    chosen_from_index = true;
  } else if (type == "application/vnd.docker.distribution.manifest.v1+prettyjws" ||
             type == "application/vnd.docker.distribution.manifest.v1+json") {
    return Status::InvalidArgument(what + ": schema 1 manifests are not supported");
  }

  auto config = manifest.find("config");
  std::string config_digest =
      config != manifest.end() && config->is_object() ? StringField(*config, "digest") : "";
  if (config_digest.empty()) {
    return Status::ParseError(what + ": manifest has no config digest");
  }
  Result<HttpResponse> blob = GetBlob(image, what, config_digest);
  if (!blob.ok()) return blob.status();
  Result<Json> config_doc = ParseDocument(what, *blob, "config");
  if (!config_doc.ok()) return config_doc.status();
  if (!chosen_from_index) {
    Platform p{StringField(*config_doc, "os"), StringField(*config_doc, "architecture"),
               StringField(*config_doc, "variant")};
    if (!p.os.empty() && !p.architecture.empty()) info.platforms.push_back(p);
    bool matched = want.empty() || (!info.platforms.empty() &&
                                    std::any_of(want.begin(), want.end(), [&](const Platform& w) {
                                      return Matches(info.platforms.front(), w);
                                    }));
    if (!matched) return not_offered(info.platforms);
  }
  info.created = ParseRfc3339(StringField(*config_doc, "created"));
  return info;
}

}  // namespace capstan::registry
