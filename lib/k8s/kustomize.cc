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

// What kustomize's loader would fetch rather than read from disk (api/internal/git RepoSpec).
bool IsRemote(std::string_view entry) {
  for (std::string_view prefix : {"git@", "git::", "github.com/", "gitlab.com/", "bitbucket.org/"})
    if (entry.starts_with(prefix)) return true;
  return entry.find("://") != std::string_view::npos ||
         entry.find("?ref=") != std::string_view::npos ||
         entry.find("?version=") != std::string_view::npos;
}

bool IsMapping(const yaml::Document& doc, yaml::NodeId id) {
  id = doc.Resolve(id);
  return id != yaml::kNoNode && doc.node(id).type == yaml::NodeType::kMapping;
}

// Collects the PathRefs of one document, keeping the JSON pointer of where it is.
class PathWalk {
 public:
  explicit PathWalk(const yaml::Document& doc) : doc_(doc) {}

  // How the items of a field are read.
  enum class Items {
    kSequence,  // a sequence only
    kOneOrMore  // a sequence, or a single scalar as one item
  };
  // How an item names its path.
  enum class Entry {
    kScalar,      // the item is the path
    kFile,        // the item is the path unless it is inline YAML text (FileEntry)
    kKeyValue,    // "key=path" or "path"
    kPathOrBare,  // a mapping's `path`, or (legacy) the item itself
  };

  // The items at key of mapping (at pointer), each added as a path of `use`.
  void Field(yaml::NodeId mapping, const std::string& pointer, std::string_view key, PathUse use,
             Items items, Entry entry) {
    yaml::NodeId v = doc_.Resolve(doc_.Get(mapping, key));
    if (v == yaml::kNoNode) return;
    std::string at = pointer + "/" + std::string(key);
    const yaml::Node& node = doc_.node(v);
    if (node.type == yaml::NodeType::kSequence) {
      for (std::size_t i = 0; i < node.children.size(); ++i)
        Item(node.children[i], at + "/" + std::to_string(i), use, entry);
    } else if (node.type == yaml::NodeType::kScalar && items == Items::kOneOrMore) {
      Item(doc_.Get(mapping, key), at, use, entry);
    }
  }

  // Each mapping item of the sequence at key, with its pointer.
  template <typename F>
  void EachMapping(yaml::NodeId mapping, std::string_view key, F&& f) {
    yaml::NodeId v = doc_.Resolve(doc_.Get(mapping, key));
    if (v == yaml::kNoNode || doc_.node(v).type != yaml::NodeType::kSequence) return;
    const std::vector<yaml::NodeId>& children = doc_.node(v).children;
    for (std::size_t i = 0; i < children.size(); ++i)
      if (IsMapping(doc_, children[i]))
        f(doc_.Resolve(children[i]), "/" + std::string(key) + "/" + std::to_string(i));
  }

  std::vector<PathRef> out;

 private:
  void Item(yaml::NodeId item, std::string pointer, PathUse use, Entry entry) {
    const std::string* value = nullptr;
    yaml::NodeId at = item;
    switch (entry) {
      case Entry::kScalar:
      case Entry::kKeyValue:
        value = doc_.ScalarValue(item);
        break;
      case Entry::kFile:
        value = FileEntry(doc_, item);
        break;
      case Entry::kPathOrBare:
        if (yaml::NodeId path = doc_.Get(item, "path"); doc_.ScalarValue(path) != nullptr) {
          at = path;
          pointer += "/path";
          value = doc_.ScalarValue(path);
        } else {
          value = doc_.ScalarValue(item);
        }
        break;
    }
    if (value == nullptr || value->empty()) return;
    std::string_view path = *value;
    if (entry == Entry::kKeyValue)
      if (std::size_t eq = path.find('='); eq != std::string_view::npos) path.remove_prefix(eq + 1);
    if (path.empty()) return;
    PathRef ref;
    ref.use = use;
    ref.written = std::string(path);
    ref.pointer = std::move(pointer);
    ref.pos = doc_.node(at).pos;
    ref.remote = IsRemote(path);
    out.push_back(std::move(ref));
  }

  const yaml::Document& doc_;
};

}  // namespace

std::vector<PathRef> KustomizationPaths(const yaml::Document& doc) {
  using Items = PathWalk::Items;
  using Entry = PathWalk::Entry;
  PathWalk walk(doc);
  yaml::NodeId root = doc.Resolve(doc.root());
  if (!IsMapping(doc, root)) return {};
  const std::string top;
  walk.Field(root, top, "resources", PathUse::kResource, Items::kOneOrMore, Entry::kScalar);
  walk.Field(root, top, "bases", PathUse::kResource, Items::kOneOrMore, Entry::kScalar);
  walk.Field(root, top, "components", PathUse::kComponent, Items::kOneOrMore, Entry::kScalar);
  walk.Field(root, top, "patches", PathUse::kPatch, Items::kSequence, Entry::kPathOrBare);
  walk.Field(root, top, "patchesJson6902", PathUse::kPatch, Items::kSequence, Entry::kPathOrBare);
  walk.Field(root, top, "patchesStrategicMerge", PathUse::kPatch, Items::kSequence, Entry::kFile);
  for (const char* key : {"generators", "transformers", "validators"})
    walk.Field(root, top, key, PathUse::kPluginConfig, Items::kSequence, Entry::kFile);
  walk.EachMapping(root, "secretGenerator", [&](yaml::NodeId gen, const std::string& at) {
    for (const char* key : {"envs", "env"})
      walk.Field(gen, at, key, PathUse::kSecretEnv, Items::kOneOrMore, Entry::kScalar);
    walk.Field(gen, at, "files", PathUse::kSecretFile, Items::kOneOrMore, Entry::kKeyValue);
  });
  walk.EachMapping(root, "configMapGenerator", [&](yaml::NodeId gen, const std::string& at) {
    for (const char* key : {"envs", "env"})
      walk.Field(gen, at, key, PathUse::kConfigMapInput, Items::kOneOrMore, Entry::kScalar);
    walk.Field(gen, at, "files", PathUse::kConfigMapInput, Items::kOneOrMore, Entry::kKeyValue);
  });
  walk.Field(root, top, "crds", PathUse::kCrd, Items::kOneOrMore, Entry::kScalar);
  walk.Field(root, top, "configurations", PathUse::kConfiguration, Items::kOneOrMore,
             Entry::kScalar);
  if (yaml::NodeId openapi = doc.Get(root, "openapi"); IsMapping(doc, openapi))
    walk.Field(doc.Resolve(openapi), "/openapi", "path", PathUse::kOpenApi, Items::kOneOrMore,
               Entry::kScalar);
  walk.EachMapping(root, "replacements", [&](yaml::NodeId r, const std::string& at) {
    walk.Field(r, at, "path", PathUse::kReplacement, Items::kOneOrMore, Entry::kScalar);
  });
  walk.EachMapping(root, "helmCharts", [&](yaml::NodeId chart, const std::string& at) {
    for (const char* key : {"valuesFile", "additionalValuesFiles"})
      walk.Field(chart, at, key, PathUse::kHelmValues, Items::kOneOrMore, Entry::kScalar);
  });
  return std::move(walk.out);
}

bool IsKustomizationFile(std::string_view path) {
  std::size_t slash = path.rfind('/');
  std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  return std::find(std::begin(kKustomizationFileNames), std::end(kKustomizationFileNames), base) !=
         std::end(kKustomizationFileNames);
}

std::vector<std::string> PatchFiles(const yaml::Document& doc, std::string_view dir) {
  std::vector<std::string> files;
  for (const PathRef& ref : KustomizationPaths(doc))
    if (ref.use == PathUse::kPatch) files.push_back(JoinPath(dir, ref.written));
  return files;
}

std::vector<std::string> PluginConfigFiles(const yaml::Document& doc, std::string_view dir) {
  std::vector<std::string> files;
  for (const PathRef& ref : KustomizationPaths(doc))
    if (ref.use == PathUse::kPluginConfig) files.push_back(JoinPath(dir, ref.written));
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
  for (const PathRef& ref : KustomizationPaths(doc)) {
    if (ref.use == PathUse::kSecretEnv)
      out.emplace_back(JoinPath(dir, ref.written), Payload::kEnvFile);
    if (ref.use == PathUse::kSecretFile)
      out.emplace_back(JoinPath(dir, ref.written), Payload::kFile);
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
