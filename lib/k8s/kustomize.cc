#include "k8s/kustomize.h"

#include <algorithm>
#include <iterator>

#include "core/path.h"

namespace capstan::k8s {
namespace {

// The items of the sequence at `key` of mapping; none when it is absent or not a sequence.
const std::vector<yaml::NodeId>& ItemsAt(const yaml::Document& doc, yaml::NodeId mapping,
                                         std::string_view key) {
  static const std::vector<yaml::NodeId> kNone;
  yaml::NodeId list = doc.Resolve(doc.Get(mapping, key));
  if (list == yaml::kNoNode || doc.node(list).type != yaml::NodeType::kSequence) return kNone;
  return doc.node(list).children;
}

// The file an entry names, or nullptr for an entry that holds its YAML inline.
const std::string* FileEntry(const yaml::Document& doc, yaml::NodeId item) {
  const std::string* s = doc.ScalarValue(item);
  if (s == nullptr || s->empty() || s->find('\n') != std::string::npos ||
      s->find(": ") != std::string::npos)
    return nullptr;
  return s;
}

}  // namespace

bool IsKustomizationFile(std::string_view path) {
  std::size_t slash = path.rfind('/');
  std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  return std::find(std::begin(kKustomizationFileNames), std::end(kKustomizationFileNames), base) !=
         std::end(kKustomizationFileNames);
}

std::vector<std::string> PatchFiles(const yaml::Document& doc, std::string_view dir) {
  std::vector<std::string> files;
  for (const char* key : {"patches", "patchesJson6902"}) {
    for (yaml::NodeId item : ItemsAt(doc, doc.root(), key)) {
      const std::string* path = doc.ScalarValue(doc.Get(item, "path"));
      if (path == nullptr) path = doc.ScalarValue(item);  // legacy: a bare file name
      if (path != nullptr && !path->empty()) files.push_back(JoinPath(dir, *path));
    }
  }
  for (yaml::NodeId item : ItemsAt(doc, doc.root(), "patchesStrategicMerge"))
    if (const std::string* file = FileEntry(doc, item)) files.push_back(JoinPath(dir, *file));
  return files;
}

std::vector<std::string> PluginConfigFiles(const yaml::Document& doc, std::string_view dir) {
  std::vector<std::string> files;
  for (const char* key : {"generators", "transformers", "validators"}) {
    for (yaml::NodeId item : ItemsAt(doc, doc.root(), key))
      if (const std::string* file = FileEntry(doc, item)) files.push_back(JoinPath(dir, *file));
  }
  return files;
}

std::vector<std::string> SelectorFilledFiles(const yaml::Document& doc, std::string_view dir) {
  yaml::NodeId root = doc.root();
  bool fills = false;
  yaml::NodeId common = doc.Resolve(doc.Get(root, "commonLabels"));
  if (common != yaml::kNoNode && doc.node(common).type == yaml::NodeType::kMapping &&
      !doc.node(common).children.empty()) {
    fills = true;
  }
  for (yaml::NodeId item : ItemsAt(doc, root, "labels")) {
    const std::string* inc = doc.ScalarValue(doc.Get(item, "includeSelectors"));
    if (inc != nullptr && *inc == "true") fills = true;
  }
  std::vector<std::string> files;
  if (!fills) return files;
  for (const char* key : {"resources", "bases"}) {
    for (yaml::NodeId item : ItemsAt(doc, root, key))
      if (const std::string* s = doc.ScalarValue(item)) files.push_back(JoinPath(dir, *s));
  }
  return files;
}

std::vector<std::pair<std::string, Payload>> GeneratorPayloads(const yaml::Document& doc,
                                                               std::string_view dir) {
  std::vector<std::pair<std::string, Payload>> out;
  yaml::NodeId root = doc.Resolve(doc.root());
  if (root == yaml::kNoNode || doc.node(root).type != yaml::NodeType::kMapping) return out;
  for (yaml::NodeId gen : ItemsAt(doc, root, "secretGenerator")) {
    gen = doc.Resolve(gen);
    if (gen == yaml::kNoNode || doc.node(gen).type != yaml::NodeType::kMapping) continue;
    auto add = [&](const char* field, Payload kind) {
      yaml::NodeId list = doc.Resolve(doc.Get(gen, field));
      if (list == yaml::kNoNode) return;
      std::vector<yaml::NodeId> entries;
      if (doc.node(list).type == yaml::NodeType::kSequence) {
        entries = doc.node(list).children;
      } else {
        entries.push_back(list);  // legacy `env: file.env`
      }
      for (yaml::NodeId e : entries) {
        const std::string* s = doc.ScalarValue(e);
        if (s == nullptr || s->empty()) continue;
        std::string_view path = *s;
        if (kind == Payload::kFile && path.find('=') != std::string_view::npos)
          path = path.substr(path.find('=') + 1);  // "key=path"
        out.emplace_back(JoinPath(dir, path), kind);
      }
    };
    add("envs", Payload::kEnvFile);
    add("env", Payload::kEnvFile);
    add("files", Payload::kFile);
  }
  return out;
}

bool IsBuiltinPlugin(std::string_view kind) {
  static constexpr std::string_view kBuiltins[] = {
      "AnnotationsTransformer",   "ConfigMapGenerator",
      "IAMPolicyGenerator",       "HashTransformer",
      "ImageTagTransformer",      "LabelTransformer",
      "LegacyOrderTransformer",   "NamespaceTransformer",
      "PatchJson6902Transformer", "PatchStrategicMergeTransformer",
      "PatchTransformer",         "PrefixSuffixTransformer",
      "PrefixTransformer",        "SuffixTransformer",
      "ReplicaCountTransformer",  "SecretGenerator",
      "ValueAddTransformer",      "HelmChartInflationGenerator",
      "ReplacementTransformer",   "SortOrderTransformer",
  };
  return std::find(std::begin(kBuiltins), std::end(kBuiltins), kind) != std::end(kBuiltins);
}

}  // namespace capstan::k8s
