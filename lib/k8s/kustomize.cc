#include "k8s/kustomize.h"

#include <algorithm>
#include <iterator>

#include "core/path.h"

namespace capstan::k8s {

std::vector<std::string> PatchFiles(const yaml::Document& doc, std::string_view dir) {
  std::vector<std::string> files;
  yaml::NodeId root = doc.root();
  auto add_paths = [&](std::string_view key) {
    yaml::NodeId list = doc.Resolve(doc.Get(root, key));
    if (list == yaml::kNoNode || doc.node(list).type != yaml::NodeType::kSequence) return;
    for (yaml::NodeId item : doc.node(list).children) {
      const std::string* path = doc.ScalarValue(doc.Get(item, "path"));
      if (path == nullptr) path = doc.ScalarValue(item);  // legacy: a bare file name
      if (path != nullptr && !path->empty()) files.push_back(JoinPath(dir, *path));
    }
  };
  add_paths("patches");
  add_paths("patchesJson6902");
  yaml::NodeId smp = doc.Resolve(doc.Get(root, "patchesStrategicMerge"));
  if (smp != yaml::kNoNode && doc.node(smp).type == yaml::NodeType::kSequence) {
    for (yaml::NodeId item : doc.node(smp).children) {
      const std::string* s = doc.ScalarValue(item);
      // An entry holding the patch inline is YAML text, not a file name.
      if (s != nullptr && !s->empty() && s->find('\n') == std::string::npos &&
          s->find(": ") == std::string::npos) {
        files.push_back(JoinPath(dir, *s));
      }
    }
  }
  return files;
}

std::vector<std::string> PluginConfigFiles(const yaml::Document& doc, std::string_view dir) {
  std::vector<std::string> files;
  for (const char* key : {"generators", "transformers", "validators"}) {
    yaml::NodeId list = doc.Resolve(doc.Get(doc.root(), key));
    if (list == yaml::kNoNode || doc.node(list).type != yaml::NodeType::kSequence) continue;
    for (yaml::NodeId item : doc.node(list).children) {
      const std::string* s = doc.ScalarValue(item);
      // An entry may hold the configuration inline, as YAML text.
      if (s != nullptr && !s->empty() && s->find('\n') == std::string::npos &&
          s->find(": ") == std::string::npos) {
        files.push_back(JoinPath(dir, *s));
      }
    }
  }
  return files;
}

bool IsBuiltinPlugin(std::string_view kind) {
  static constexpr std::string_view kBuiltins[] = {
      "AnnotationsTransformer",     "ConfigMapGenerator",
      "IAMPolicyGenerator",         "HashTransformer",
      "ImageTagTransformer",        "LabelTransformer",
      "LegacyOrderTransformer",     "NamespaceTransformer",
      "PatchJson6902Transformer",   "PatchStrategicMergeTransformer",
      "PatchTransformer",           "PrefixSuffixTransformer",
      "PrefixTransformer",          "SuffixTransformer",
      "ReplicaCountTransformer",    "SecretGenerator",
      "ValueAddTransformer",        "HelmChartInflationGenerator",
      "ReplacementTransformer",     "SortOrderTransformer",
  };
  return std::find(std::begin(kBuiltins), std::end(kBuiltins), kind) != std::end(kBuiltins);
}

std::vector<std::string> SelectorFilledFiles(const yaml::Document& doc, std::string_view dir) {
  yaml::NodeId root = doc.root();
  bool fills = false;
  yaml::NodeId common = doc.Resolve(doc.Get(root, "commonLabels"));
  if (common != yaml::kNoNode && doc.node(common).type == yaml::NodeType::kMapping &&
      !doc.node(common).children.empty()) {
    fills = true;
  }
  yaml::NodeId labels = doc.Resolve(doc.Get(root, "labels"));
  if (labels != yaml::kNoNode && doc.node(labels).type == yaml::NodeType::kSequence) {
    for (yaml::NodeId item : doc.node(labels).children) {
      const std::string* inc = doc.ScalarValue(doc.Get(item, "includeSelectors"));
      if (inc != nullptr && *inc == "true") fills = true;
    }
  }
  std::vector<std::string> files;
  if (!fills) return files;
  for (const char* key : {"resources", "bases"}) {
    yaml::NodeId list = doc.Resolve(doc.Get(root, key));
    if (list == yaml::kNoNode || doc.node(list).type != yaml::NodeType::kSequence) continue;
    for (yaml::NodeId item : doc.node(list).children)
      if (const std::string* s = doc.ScalarValue(item)) files.push_back(JoinPath(dir, *s));
  }
  return files;
}

}  // namespace capstan::k8s
