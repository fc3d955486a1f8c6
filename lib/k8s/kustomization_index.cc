#include "k8s/kustomization_index.h"

#include <deque>

#include "core/path.h"
#include "core/strings.h"
#include "yaml/parser.h"

namespace capstan::k8s {
namespace {

using yaml::NodeId;
using yaml::NodeType;

// The items of the sequence at key; a single scalar counts as one item (legacy `env: x.env`).
std::vector<NodeId> Items(const yaml::Document& doc, NodeId mapping, std::string_view key) {
  NodeId v = doc.Resolve(doc.Get(mapping, key));
  if (v == yaml::kNoNode) return {};
  if (doc.node(v).type == NodeType::kSequence) return doc.node(v).children;
  if (doc.node(v).type == NodeType::kScalar) return {v};
  return {};
}

bool IsMapping(const yaml::Document& doc, NodeId id) {
  id = doc.Resolve(id);
  return id != yaml::kNoNode && doc.node(id).type == NodeType::kMapping;
}

// What kustomize's loader would fetch rather than read from disk (api/internal/git RepoSpec).
bool IsRemote(std::string_view entry) {
  for (std::string_view prefix : {"git@", "git::", "github.com/", "gitlab.com/", "bitbucket.org/"})
    if (entry.starts_with(prefix)) return true;
  return entry.find("://") != std::string_view::npos ||
         entry.find("?ref=") != std::string_view::npos ||
         entry.find("?version=") != std::string_view::npos;
}

// Appends the local paths of the scalar items at key, joined to dir; remote ones go to remote
// when it is given, and are dropped otherwise.
void AddPaths(const yaml::Document& doc, NodeId mapping, std::string_view key, std::string_view dir,
              std::vector<std::string>& to, std::vector<std::string>* remote) {
  for (NodeId item : Items(doc, mapping, key)) {
    const std::string* s = doc.ScalarValue(item);
    if (s == nullptr || s->empty()) continue;
    if (IsRemote(*s)) {
      if (remote != nullptr) remote->push_back(*s);
      continue;
    }
    to.push_back(JoinPath(dir, *s));
  }
}

// The references ParseKustomization adds beyond patches, plugins and secret payloads.
void AddReferences(const yaml::Document& doc, std::string_view dir, Kustomization& k) {
  NodeId root = doc.Resolve(doc.root());
  if (!IsMapping(doc, root)) return;
  for (auto [key, to] :
       {std::pair{"namePrefix", &k.name_prefix}, std::pair{"nameSuffix", &k.name_suffix},
        std::pair{"namespace", &k.namespace_}})
    if (std::string v = doc.StringAt(root, key); !v.empty()) *to = std::move(v);
  AddPaths(doc, root, "resources", dir, k.resources, &k.remote);
  AddPaths(doc, root, "bases", dir, k.resources, &k.remote);
  AddPaths(doc, root, "components", dir, k.components, &k.remote);
  for (NodeId gen : Items(doc, root, "configMapGenerator")) {
    if (!IsMapping(doc, gen)) continue;
    AddPaths(doc, gen, "envs", dir, k.inputs, nullptr);
    AddPaths(doc, gen, "env", dir, k.inputs, nullptr);
    for (NodeId item : Items(doc, gen, "files")) {
      const std::string* s = doc.ScalarValue(item);
      if (s == nullptr || s->empty()) continue;
      std::string_view path = *s;
      if (std::size_t eq = path.find('='); eq != std::string_view::npos) path.remove_prefix(eq + 1);
      k.inputs.push_back(JoinPath(dir, path));
    }
  }
  AddPaths(doc, root, "crds", dir, k.inputs, nullptr);
  AddPaths(doc, root, "configurations", dir, k.inputs, nullptr);
  if (NodeId openapi = doc.Resolve(doc.Get(root, "openapi")); IsMapping(doc, openapi))
    AddPaths(doc, openapi, "path", dir, k.inputs, nullptr);
  for (NodeId r : Items(doc, root, "replacements"))
    if (IsMapping(doc, r)) AddPaths(doc, r, "path", dir, k.inputs, nullptr);
  std::vector<NodeId> charts = Items(doc, root, "helmCharts");
  for (NodeId chart : charts) {
    if (!IsMapping(doc, chart)) continue;
    AddPaths(doc, chart, "valuesFile", dir, k.inputs, nullptr);
    AddPaths(doc, chart, "additionalValuesFiles", dir, k.inputs, nullptr);
  }
  if (!charts.empty()) {
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
    auto append = [](std::vector<std::string>& to, std::vector<std::string> from) {
      for (std::string& f : from) to.push_back(std::move(f));
    };
    append(k.patches, PatchFiles(doc, dir));
    append(k.selector_filled, SelectorFilledFiles(doc, dir));
    append(k.plugin_configs, PluginConfigFiles(doc, dir));
    for (auto& entry : GeneratorPayloads(doc, dir)) k.payloads.push_back(std::move(entry));
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

// Whether path is dir itself or lies under it ("" is the top, which holds everything).
bool AtOrUnder(std::string_view path, std::string_view dir) {
  if (dir.empty()) return true;
  return path.starts_with(dir) && (path.size() == dir.size() || path[dir.size()] == '/');
}

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
  std::string on_disk = dir.empty() ? root_ : AppendPath(root_, dir);
  for (std::string_view base : kKustomizationFileNames) {
    std::string name = JoinPath(dir, base);
    Result<std::string> text = fs_.ReadFile(AppendPath(on_disk, base), options_.max_file_bytes);
    // kNotFound also when dir is a file or is gone (ENOTDIR, ENOENT).
    if (!text.ok() && text.status().code() == StatusCode::kNotFound) continue;
    node.has_kustomization = true;
    if (text.ok()) {
      node.kustomization = ParseKustomization(name, *text);
    } else {
      node.kustomization.file = name;
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

const Kustomization* KustomizationGraph::KustomizationIn(std::string_view dir_in) {
  std::string dir = NormalizePath(dir_in);
  if (dir == ".") dir.clear();
  const Node& node = Read(dir);
  return node.has_kustomization ? &node.kustomization : nullptr;
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
    if (!node.has_kustomization) continue;
    if (!node.note.empty()) closure.notes.push_back(node.note);
    const Kustomization& k = node.kustomization;
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
