#include "k8s/kustomization_index.h"

#include <deque>

#include "core/path.h"
#include "core/strings.h"
#include "yaml/parser.h"

namespace capstan::k8s {
namespace {

using yaml::NodeId;
using yaml::NodeType;

// What one kustomization document names, added to k.
void AddReferences(const yaml::Document& doc, std::string_view dir, Kustomization& k) {
  NodeId root = doc.Resolve(doc.root());
  if (root == yaml::kNoNode || doc.node(root).type != NodeType::kMapping) return;
  for (auto [key, to] :
       {std::pair{"namePrefix", &k.name_prefix}, std::pair{"nameSuffix", &k.name_suffix},
        std::pair{"namespace", &k.namespace_}})
    if (std::string v = doc.StringAt(root, key); !v.empty()) *to = std::move(v);
  if (std::string v = doc.StringAt(root, "apiVersion"); !v.empty()) k.api_version = std::move(v);
  if (std::string v = doc.StringAt(root, "kind"); !v.empty()) k.kind = std::move(v);
  const std::vector<NodeId>& entries = doc.node(root).children;
  for (std::size_t i = 0; i + 1 < entries.size(); i += 2) {
    const std::string* key = doc.ScalarValue(entries[i]);
    if (key == nullptr || doc.node(doc.Resolve(entries[i + 1])).type == NodeType::kNull) continue;
    k.fields.push_back({*key, doc.node(entries[i]).pos});
    if (*key == "transformers" || *key == "replacements") k.may_rename = true;
  }
  for (const char* field : {"patches", "patchesJson6902"}) {
    NodeId patches = doc.Resolve(doc.Get(root, field));
    if (patches == yaml::kNoNode || doc.node(patches).type != NodeType::kSequence) continue;
    for (NodeId p : doc.node(patches).children) {
      const std::string* text = doc.ScalarValue(doc.Get(p, "patch"));
      if (text != nullptr && (text->find("/metadata/name") != std::string::npos ||
                              text->find("/metadata/namespace") != std::string::npos))
        k.may_rename = true;
    }
  }
  for (PathRef& ref : KustomizationPaths(doc)) {
    std::string path = JoinPath(dir, ref.written);
    switch (ref.use) {
      case PathUse::kResource:
      case PathUse::kComponent:
        if (ref.remote) {
          k.remote.push_back(ref.written);
        } else {
          (ref.use == PathUse::kResource ? k.resources : k.components).push_back(path);
        }
        break;
      case PathUse::kConfigMapInput:
      case PathUse::kCrd:
      case PathUse::kConfiguration:
      case PathUse::kOpenApi:
      case PathUse::kReplacement:
      case PathUse::kHelmValues:
        if (!ref.remote) k.inputs.push_back(path);
        break;
      case PathUse::kPatch:
        k.patches.push_back(path);
        break;
      case PathUse::kPluginConfig:
        k.plugin_configs.push_back(path);
        break;
      case PathUse::kSecretEnv:
        k.payloads.emplace_back(path, Payload::kEnvFile);
        break;
      case PathUse::kSecretFile:
        k.payloads.emplace_back(path, Payload::kFile);
        break;
    }
    k.paths.push_back({std::move(ref), std::move(path)});
  }
  if (NodeId charts = doc.Resolve(doc.Get(root, "helmCharts"));
      charts != yaml::kNoNode && doc.node(charts).type == NodeType::kSequence &&
      !doc.node(charts).children.empty()) {
    std::string home = doc.StringAt(doc.Get(root, "helmGlobals"), "chartHome");
    k.inputs.push_back(JoinPath(dir, home.empty() ? "charts" : home));
  }
}

}  // namespace

Kustomization ParseKustomization(std::string_view name, std::string_view text,
                                 KustomizationFacts wanted) {
  Kustomization k;
  k.file = NormalizePath(name);
  if (wanted == KustomizationFacts::kSecretGeneratorsOnly &&
      text.find("secretGenerator") == std::string_view::npos)
    return k;
  std::string dir = DirName(k.file);
  yaml::ParsedFile parsed = yaml::Parse(text);
  for (const yaml::Document& doc : parsed.documents) {
    for (std::string& f : SelectorFilledFiles(doc, dir)) k.selector_filled.push_back(std::move(f));
    AddReferences(doc, dir, k);
  }
  return k;
}

void KustomizationIndex::Add(const Kustomization& k) {
  dirs_.insert(DirName(k.file));
  for (const std::string& f : k.patches) files_[f].patch = true;
  for (const std::string& f : k.selector_filled) files_[f].selector_filled = true;
  for (const std::string& f : k.plugin_configs) files_[f].plugin_config = true;
  for (const auto& [f, payload] : k.payloads) files_[f].payload = payload;
}

void KustomizationIndex::AddBeside(std::string_view name, std::string_view path) {
  std::string dir = DirName(NormalizePath(name));
  // Kustomize refuses a directory with two kustomization files, so one known is all there is.
  if (dirs_.count(dir) > 0 || !looked_in_.insert(dir).second) return;
  std::string path_dir = DirName(path);
  for (std::string_view base : kKustomizationFileNames) {
    auto text = fs_.ReadFile(AppendPath(path_dir, base), options_.max_file_bytes);
    if (text.ok()) Add(ParseKustomization(JoinPath(dir, base), *text, options_.facts));
  }
}

const KustomizationIndex::FileFacts* KustomizationIndex::Find(std::string_view path) const {
  auto it = files_.find(NormalizePath(path));
  return it == files_.end() ? nullptr : &it->second;
}

bool KustomizationIndex::HasKustomization(std::string_view dir) const {
  return dirs_.count(NormalizePath(dir)) > 0;
}

namespace {

bool LeavesTree(std::string_view path) {
  return path == ".." || path.starts_with("../") || path.starts_with('/');
}

}  // namespace

const KustomizationGraph::Node& KustomizationGraph::Read(const std::string& dir) {
  auto [it, inserted] = nodes_.try_emplace(dir);
  Node& node = it->second;
  if (!inserted) return node;
  // A manifest file named as a resource holds no kustomization; skipping it saves the system
  // calls that would find so (most resources are files).
  for (std::string_view ext : {".yaml", ".yml", ".json"})
    if (dir.ends_with(ext)) return node;
  std::string on_disk = dir.empty() ? root_ : dir.starts_with('/') ? dir : AppendPath(root_, dir);
  for (std::string_view base : kKustomizationFileNames) {
    std::string name = JoinPath(dir, base);
    Result<std::string> text = fs_.ReadFile(AppendPath(on_disk, base), options_.max_file_bytes);
    // kNotFound also when dir is a file or is gone (ENOTDIR, ENOENT).
    if (!text.ok() && text.status().code() == StatusCode::kNotFound) continue;
    node.kustomization = std::make_unique<Kustomization>();
    if (text.ok()) {
      *node.kustomization = ParseKustomization(name, *text);
    } else {
      node.kustomization->file = name;
      node.note = text.status().code() == StatusCode::kLimitExceeded
                      ? QuoteForMessage(name, kQuotePathLimit) + " is larger than " +
                            std::to_string(options_.max_file_bytes) +
                            " bytes: its references are not followed"
                      : "cannot read " + QuoteForMessage(name, kQuotePathLimit) + ": " +
                            text.status().message();
    }
    break;  // kustomize refuses a directory with two: the first found is the one
  }
  return node;
}

void KustomizationGraph::Add(Kustomization kustomization) {
  std::string dir = DirName(kustomization.file);
  auto [it, inserted] = nodes_.try_emplace(dir);
  if (!inserted) return;
  it->second.kustomization = std::make_unique<Kustomization>(std::move(kustomization));
}

const Kustomization* KustomizationGraph::KustomizationIn(std::string_view dir_in) {
  std::string dir = NormalizePath(dir_in);
  if (dir == ".") dir.clear();
  const Node& node = Read(dir);
  return node.kustomization.get();
}

std::string KustomizationGraph::ReadNote(std::string_view dir_in) {
  std::string dir = NormalizePath(dir_in);
  if (dir == ".") dir.clear();
  return Read(dir).note;
}

const KustomizationGraph::Closure& KustomizationGraph::DependenciesOf(std::string_view dir_in) {
  std::string start = NormalizePath(dir_in);
  if (start == ".") start.clear();
  auto cached = closures_.find(start);
  if (cached != closures_.end()) return cached->second;
  Closure closure;
  std::set<std::string> listed;
  std::set<std::string> visited{start};
  std::deque<std::string> queue{start};
  while (!queue.empty()) {
    std::string dir = std::move(queue.front());
    queue.pop_front();
    const Node& node = Read(dir);
    if (node.kustomization == nullptr) continue;
    if (!node.note.empty()) closure.notes.push_back(node.note);
    const Kustomization& k = *node.kustomization;
    for (const std::string& r : k.remote)
      closure.notes.push_back("remote resource " + QuoteForMessage(r, kQuotePathLimit) + " in " +
                              QuoteForMessage(k.file, kQuotePathLimit) + " is not followed");
    auto add = [&](const std::string& path, bool follow) {
      if (LeavesTree(path)) {
        closure.notes.push_back(QuoteForMessage(path, kQuotePathLimit) + " in " +
                                QuoteForMessage(k.file, kQuotePathLimit) +
                                " leaves the repository");
        return;
      }
      if (follow && visited.insert(path).second) queue.push_back(path);
      if (AtOrUnder(path, start) || AtOrUnder(path, dir) || !listed.insert(path).second) return;
      closure.dependencies.push_back(Dependency{path, k.file});
    };
    for (const std::string& p : k.resources) add(p, true);
    for (const std::string& p : k.components) add(p, true);
    for (const std::string& p : k.plugin_configs) add(p, true);
    for (const std::string& p : k.patches) add(p, false);
    for (const auto& [p, kind] : k.payloads) add(p, false);
    for (const std::string& p : k.inputs) add(p, false);
  }
  return closures_.emplace(std::move(start), std::move(closure)).first->second;
}

}  // namespace capstan::k8s
