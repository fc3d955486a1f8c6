#include "support/corpus_docs.h"

#include <algorithm>
#include <filesystem>
#include <optional>

#include "core/embedded.h"
#include "fs/posix_file_system.h"
#include "k8s/openapi.h"
#include "yaml/parser.h"
#include "yaml/to_json.h"

namespace capstan::testing {
namespace {

using nlohmann::json;

std::optional<k8s::GroupVersionKind> GvkOf(const json& doc) {
  if (!doc.is_object() || !doc.contains("kind") || !doc["kind"].is_string()) return std::nullopt;
  k8s::GroupVersionKind gvk;
  gvk.kind = doc["kind"].get<std::string>();
  std::string api_version;
  if (doc.contains("apiVersion") && doc["apiVersion"].is_string()) {
    api_version = doc["apiVersion"].get<std::string>();
  } else if (gvk.kind == "Kustomization") {
    api_version = "kustomize.config.k8s.io/v1beta1";  // what the classifier assumes
  } else {
    return std::nullopt;
  }
  auto slash = api_version.find('/');
  if (slash == std::string::npos) {
    gvk.version = api_version;
  } else {
    gvk.group = api_version.substr(0, slash);
    gvk.version = api_version.substr(slash + 1);
  }
  return gvk;
}

}  // namespace

const std::vector<CorpusDoc>& Corpus() {
  static const std::vector<CorpusDoc> docs = [] {
    namespace fsys = std::filesystem;
    std::vector<CorpusDoc> out;
    std::vector<fsys::path> files;
    for (const auto& e :
         fsys::recursive_directory_iterator(std::string(CAPSTAN_SHARED_DIR) + "/corpus")) {
      const auto ext = e.path().extension();
      if (!e.is_regular_file() || (ext != ".yaml" && ext != ".yml")) continue;
      if (e.path().string().find("/templates/") != std::string::npos) continue;
      files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    fs::PosixFileSystem posix;
    for (const auto& path : files) {
      auto text = posix.ReadFile(path.string(), 16u << 20);
      if (!text.ok()) continue;
      yaml::ParsedFile parsed = yaml::Parse(*text);
      if (!parsed.issues.empty()) continue;
      for (const auto& d : parsed.documents) {
        yaml::ConvertError err;
        auto doc = yaml::ToJson(d, yaml::kNoNode, yaml::Limits{}, &err);
        if (!doc) continue;
        auto gvk = GvkOf(*doc);
        if (!gvk) continue;
        std::string name = k8s::SchemaFileName(*gvk);
        if (embedded::Find("k8s/" + name).empty()) continue;
        out.push_back({path.string(), std::move(*doc), name});
      }
    }
    return out;
  }();
  return docs;
}

}  // namespace capstan::testing
