#include "k8s/resource_locator.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "core/path.h"
#include "core/strings.h"
#include "k8s/classify.h"
#include "k8s/kustomize.h"
#include "yaml/parser.h"

namespace capstan::k8s {
namespace {

std::string Quoted(std::string_view path) { return QuoteForMessage(path, kQuotePathLimit); }

std::string Normalized(std::string_view dir) {
  std::string out = NormalizePath(dir);
  if (out == ".") out.clear();
  return out;
}

bool LeavesTree(std::string_view path) {
  return path == ".." || path.starts_with("../") || path.starts_with('/');
}

// What Argo CD's directory source reads as manifests.
bool IsManifestName(std::string_view name) {
  return name.ends_with(".yaml") || name.ends_with(".yml") || name.ends_with(".json");
}

// kustomize's PrefixSuffixTransformer skip list (api/filters/prefixsuffix, builtins).
bool KeepsName(std::string_view group, std::string_view kind) {
  return kind == "CustomResourceDefinition" || kind == "Namespace" ||
         (kind == "APIService" && group == "apiregistration.k8s.io");
}

}  // namespace

ResourceLocator::ResourceLocator(FileSystem& fs, std::string root,
                                 std::vector<std::string> source_dirs, Options options)
    : fs_(fs),
      root_(std::move(root)),
      source_dirs_(std::move(source_dirs)),
      options_(options),
      graph_(fs, root_, KustomizationGraph::Options{options.max_file_bytes}) {}

std::optional<ResourceLocation> ResourceLocator::Find(const ResourceKey& key) {
  std::vector<ResourceLocation> found = Candidates(key);
  if (found.size() != 1) return std::nullopt;
  return std::move(found.front());
}

std::vector<ResourceLocation> ResourceLocator::Candidates(const ResourceKey& key) {
  BuildOnce();
  for (bool any_namespace : {false, true})
    if (auto found = Match(built_entries_, key, any_namespace); !found.empty()) return found;
  BuildStrayOnce();
  for (bool any_namespace : {false, true})
    if (auto found = Match(stray_entries_, key, any_namespace); !found.empty()) return found;
  return {};
}

std::vector<ResourceLocation> ResourceLocator::Match(const std::vector<Entry>& entries,
                                                     const ResourceKey& key,
                                                     bool any_namespace) const {
  std::vector<ResourceLocation> found;
  for (const Entry& e : entries) {
    const Declared& d = *e.declared;
    if (d.group != key.group || d.kind != key.kind || e.name != key.name) continue;
    bool ns_ok = any_namespace ? e.ns.empty() || key.namespace_.empty() : e.ns == key.namespace_;
    if (ns_ok) found.push_back(d.location);
  }
  auto order = [](const ResourceLocation& a, const ResourceLocation& b) {
    return std::tie(a.file, a.line, a.column) < std::tie(b.file, b.line, b.column);
  };
  std::sort(found.begin(), found.end(), order);
  found.erase(std::unique(found.begin(), found.end()), found.end());
  return found;
}

void ResourceLocator::BuildOnce() {
  if (built_) return;
  built_ = true;
  for (const std::string& source : source_dirs_) {
    std::string dir = Normalized(source);
    if (LeavesTree(dir)) {
      Note("source path " + Quoted(source) + " leaves the repository");
      continue;
    }
    std::vector<std::string> chain;
    Walk(dir, Transform{}, chain);
  }
}

void ResourceLocator::BuildStrayOnce() {
  if (stray_built_) return;
  stray_built_ = true;
  for (const std::string& source : source_dirs_) {
    std::string dir = Normalized(source);
    if (!LeavesTree(dir) && graph_.KustomizationIn(dir) != nullptr)
      IndexTree(dir, Transform{}, stray_entries_, true);
  }
}

void ResourceLocator::Walk(const std::string& dir, const Transform& outer,
                           std::vector<std::string>& chain) {
  // kustomize refuses a cycle; following it once around is enough to find what it names.
  if (std::find(chain.begin(), chain.end(), dir) != chain.end()) return;
  if (++walks_ > options_.max_files) {
    Note("stopped following kustomizations after " + std::to_string(options_.max_files) +
         " directories");
    return;
  }
  const Kustomization* k = graph_.KustomizationIn(dir);
  if (k == nullptr) {
    IndexTree(dir, outer, built_entries_, false);
    return;
  }
  if (std::string note = graph_.ReadNote(dir); !note.empty()) Note(std::move(note));
  for (const std::string& r : k->remote)
    Note("remote resource " + Quoted(r) + " in " + Quoted(k->file) + " is not followed");
  for (const auto* list : {&k->patches, &k->plugin_configs, &k->inputs})
    not_resources_.insert(list->begin(), list->end());
  for (const auto& [path, payload] : k->payloads) not_resources_.insert(path);

  Transform t{outer.prefix + k->name_prefix, k->name_suffix + outer.suffix,
              outer.ns.empty() ? k->namespace_ : outer.ns};
  chain.push_back(dir);
  for (const auto* list : {&k->resources, &k->components}) {
    for (const std::string& r : *list) {
      if (LeavesTree(r)) {
        Note(Quoted(r) + " in " + Quoted(k->file) + " leaves the repository");
        continue;
      }
      if (graph_.KustomizationIn(r) != nullptr) {
        Walk(r, t, chain);
        continue;
      }
      Result<FileInfo> info = fs_.Stat(r.empty() ? root_ : AppendPath(root_, r), true);
      if (!info.ok()) {
        Note(info.status().code() == StatusCode::kNotFound
                 ? Quoted(r) + " named in " + Quoted(k->file) + " does not exist"
                 : "cannot read " + Quoted(r) + ": " + info.status().message());
      } else if (info->type == FileType::kDirectory) {
        IndexTree(r, t, built_entries_, false);
      } else if (info->type == FileType::kRegular) {
        IndexFile(r, t, built_entries_);
      }
    }
  }
  chain.pop_back();
}

void ResourceLocator::IndexTree(const std::string& dir, const Transform& t,
                                std::vector<Entry>& into, bool stray) {
  Result<std::vector<DirEntry>> listed = fs_.ListDir(dir.empty() ? root_ : AppendPath(root_, dir));
  if (!listed.ok()) {
    Note("cannot list " + Quoted(dir.empty() ? "." : dir) + ": " + listed.status().message());
    return;
  }
  for (const DirEntry& e : *listed) {
    if (e.name.starts_with('.')) continue;
    std::string path = JoinPath(dir, e.name);
    FileType type = e.type;
    if (type == FileType::kSymlink) {
      // A symlinked file is read like its target; a symlinked directory could loop.
      Result<FileInfo> info = fs_.Stat(AppendPath(root_, path), true);
      type = info.ok() && info->type == FileType::kRegular ? FileType::kRegular : FileType::kOther;
    }
    if (type == FileType::kDirectory) {
      // Another build; it counts only when a kustomization names it.
      if (graph_.KustomizationIn(path) == nullptr) IndexTree(path, t, into, stray);
    } else if (type == FileType::kRegular && IsManifestName(e.name) &&
               !IsKustomizationFile(e.name)) {
      if (stray && (files_.count(path) > 0 || not_resources_.count(path) > 0)) continue;
      IndexFile(path, t, into);
    }
  }
}

void ResourceLocator::IndexFile(const std::string& file, const Transform& t,
                                std::vector<Entry>& into) {
  for (const Declared& d : Read(file)) {
    std::string name = KeepsName(d.group, d.kind) ? d.name : t.prefix + d.name + t.suffix;
    // kustomize's namespace transformer names the Namespace object itself too.
    if (d.kind == "Namespace" && d.group.empty() && !t.ns.empty()) name = t.ns;
    into.push_back(Entry{&d, t.ns.empty() ? d.ns : t.ns, std::move(name)});
  }
}

const std::vector<ResourceLocator::Declared>& ResourceLocator::Read(const std::string& file) {
  auto [it, inserted] = files_.try_emplace(file);
  std::vector<Declared>& out = it->second;
  if (!inserted) return out;
  if (files_read_ >= options_.max_files) {
    Note("stopped indexing after " + std::to_string(options_.max_files) + " files");
    return out;
  }
  ++files_read_;
  Result<std::string> text = fs_.ReadFile(AppendPath(root_, file), options_.max_file_bytes);
  if (!text.ok()) {
    Note(text.status().code() == StatusCode::kLimitExceeded
             ? Quoted(file) + " is larger than " + std::to_string(options_.max_file_bytes) +
                   " bytes: not indexed"
             : "cannot read " + Quoted(file) + ": " + text.status().message());
    return out;
  }
  FileRole role = RoleOf(file, *text);
  if (role != FileRole::kManifests) return out;
  yaml::Limits limits;
  limits.max_file_bytes = options_.max_file_bytes;
  yaml::ParsedFile parsed = yaml::Parse(*text, limits);

  auto declare = [&](const yaml::Document& doc, yaml::NodeId node, const std::string& pointer) {
    Classified c = Classify(doc, node, role);
    if (c.kind != DocKind::kResource) return c.kind;
    yaml::NodeId name = doc.Get(doc.Get(node, "metadata"), "name");
    // generateName: the cluster picks the name; a template: the file is not the manifest.
    if (name == yaml::kNoNode || c.identity.name.find("{{") != std::string::npos) return c.kind;
    const yaml::Position& pos = doc.node(name).pos;
    out.push_back(
        Declared{c.identity.group, c.identity.kind, c.identity.ns, c.identity.name,
                 ResourceLocation{file, pos.line, pos.column, pointer + "/metadata/name"}});
    return c.kind;
  };
  for (const yaml::Document& doc : parsed.documents) {
    if (declare(doc, doc.root(), "") != DocKind::kList) continue;
    yaml::NodeId items = doc.Resolve(doc.Get(doc.Resolve(doc.root()), "items"));
    if (doc.node(items).type != yaml::NodeType::kSequence) continue;
    const std::vector<yaml::NodeId>& children = doc.node(items).children;
    for (std::size_t i = 0; i < children.size(); ++i)
      declare(doc, children[i], "/items/" + std::to_string(i));
  }
  if (!parsed.complete) {
    for (const yaml::Issue& issue : parsed.issues) {
      if (issue.kind == yaml::IssueKind::kDuplicateKey) continue;
      Note(Quoted(file) + " is not indexed past line " + std::to_string(issue.pos.line) + ": " +
           issue.message);
      break;
    }
  }
  return out;
}

void ResourceLocator::Note(std::string note) {
  if (noted_.insert(note).second) notes_.push_back(std::move(note));
}

}  // namespace capstan::k8s
