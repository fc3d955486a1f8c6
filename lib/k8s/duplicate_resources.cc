#include "k8s/duplicate_resources.h"

#include <algorithm>

#include "core/path.h"
#include "core/strings.h"

namespace capstan::k8s {
namespace {

using report::Finding;

// The key kustomize compares (group, kind, effective namespace, name); namespaces "" and
// "default" are one (kyaml resid.EffectiveNamespace).
std::string IdKey(const std::string& group, const std::string& kind, const std::string& ns,
                  const std::string& name) {
  return group + "\n" + kind + "\n" + (ns.empty() ? "default" : ns) + "\n" + name;
}

// "ConfigMap shop/app-config", "ClusterRole reader".
std::string Label(const Identity& id, const std::string& ns, const std::string& name) {
  return id.kind + " " + (ns.empty() ? name : ns + "/" + name);
}

// "base/cm.yaml:3:7", or just the file for a line-independent fingerprint.
std::string Where(const std::string& file, const yaml::Position& pos, bool with_position) {
  if (!with_position) return file;
  return file + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column);
}

// Whether kustomize's PrefixTransformer and SuffixTransformer leave the kind's names alone.
bool KeepsName(const Identity& id) {
  return id.kind == "CustomResourceDefinition" || id.kind == "Namespace" ||
         (id.kind == "APIService" && id.group == "apiregistration.k8s.io");
}

bool IsManifestName(std::string_view name) {
  for (std::string_view ext : {".yaml", ".yml", ".json"})
    if (name.size() > ext.size() && name.ends_with(ext)) return true;
  return false;
}

}  // namespace

// The resources of one build so far, by the key kustomize compares.
class DuplicateFinder::Accumulator {
 public:
  explicit Accumulator(std::string build) : build_(std::move(build)) {}

  const std::string& build() const { return build_; }
  Built& all() { return all_; }

  // Adds inst, or returns the instance it duplicates (inst is then not added).
  const Instance* Add(Instance inst) {
    if (inst.comparable) {
      auto [it, fresh] = index_.try_emplace(KeyOf(inst), all_.size());
      if (!fresh) return &all_[it->second];
    }
    all_.push_back(std::move(inst));
    return nullptr;
  }

  // After the namespace changed: the pairs that now share a key, each second one removed.
  std::vector<std::pair<Instance, Instance>> Rekey() {
    std::vector<std::pair<Instance, Instance>> clashes;
    index_.clear();
    Built kept;
    for (Instance& inst : all_) {
      if (inst.comparable) {
        auto [it, fresh] = index_.try_emplace(KeyOf(inst), kept.size());
        if (!fresh) {
          clashes.emplace_back(kept[it->second], std::move(inst));
          continue;
        }
      }
      kept.push_back(std::move(inst));
    }
    all_ = std::move(kept);
    return clashes;
  }

 private:
  static std::string KeyOf(const Instance& inst) {
    return IdKey(inst.at->identity.group, inst.at->identity.kind, inst.ns, inst.name);
  }

  std::string build_;  // the kustomization file whose build this is, for messages
  Built all_;
  std::map<std::string, std::size_t> index_;
};

void DuplicateFinder::CheckBuild(std::string_view dir) { Build(RepositoryView::Normal(dir)); }

const DuplicateFinder::Built& DuplicateFinder::Build(const std::string& dir) {
  static const Built kEmpty;
  if (auto it = built_.find(dir); it != built_.end()) return it->second;
  // A cycle (kustomize-cycle) or a pathological depth builds nothing more.
  if (building_.count(dir) > 0 || building_.size() >= 64) return kEmpty;
  const Kustomization* k = view_.kustomizations().KustomizationIn(dir);
  if (k == nullptr) return built_[dir];
  building_.insert(dir);
  Accumulator acc(k->file);
  AddResources(*k, acc, {});
  for (const Kustomization::Path& p : k->paths)
    if (p.ref.use == PathUse::kComponent && !p.ref.remote) AddComponent(p.path, acc, {Step{k, &p}});
  Transform(*k, acc);
  building_.erase(dir);
  return built_[dir] = std::move(acc.all());
}

void DuplicateFinder::AddResources(const Kustomization& k, Accumulator& acc,
                                   const std::vector<Step>& prefix) {
  for (const Kustomization::Path& p : k.paths) {
    if (p.ref.use != PathUse::kResource || p.ref.remote) continue;
    std::vector<Step> chain = prefix;
    chain.push_back({&k, &p});
    std::optional<FileType> type = view_.TypeOf(p.path);
    if (type == FileType::kRegular) {
      for (const ResourceAt& r : view_.ResourcesIn(p.path)) {
        Instance inst{p.path, &r, r.identity.ns, r.identity.name, !r.identity.generated_name,
                      chain};
        if (const Instance* first = acc.Add(inst)) Report(*first, inst, acc.build(), "");
      }
    } else if (type == FileType::kDirectory) {
      for (const Instance& sub : Build(p.path)) {
        Instance inst = sub;
        inst.chain.insert(inst.chain.begin(), chain.begin(), chain.end());
        if (const Instance* first = acc.Add(inst)) Report(*first, inst, acc.build(), "");
      }
    }
  }
}

void DuplicateFinder::AddComponent(const std::string& dir, Accumulator& acc,
                                   const std::vector<Step>& prefix) {
  if (building_.count(dir) > 0 || building_.size() >= 64) return;
  const Kustomization* k = view_.kustomizations().KustomizationIn(dir);
  if (k == nullptr) return;
  building_.insert(dir);
  AddResources(*k, acc, prefix);
  for (const Kustomization::Path& p : k->paths) {
    if (p.ref.use != PathUse::kComponent || p.ref.remote) continue;
    std::vector<Step> chain = prefix;
    chain.push_back({k, &p});
    AddComponent(p.path, acc, chain);
  }
  Transform(*k, acc);
  building_.erase(dir);
}

void DuplicateFinder::Transform(const Kustomization& k, Accumulator& acc) {
  for (Instance& inst : acc.all()) {
    if (!KeepsName(inst.at->identity)) inst.name = k.name_prefix + inst.name + k.name_suffix;
    if (k.may_rename) inst.comparable = false;
  }
  if (k.namespace_.empty()) return;
  for (Instance& inst : acc.all()) inst.ns = k.namespace_;
  for (auto& [first, second] : acc.Rekey())
    Report(first, second, acc.build(), " (after namespace " + QuoteForMessage(k.namespace_) + ")");
}

void DuplicateFinder::Report(const Instance& first, const Instance& second,
                             const std::string& build, const std::string& why) {
  const Identity& id = second.at->identity;
  std::string label = Label(id, second.ns, second.name);
  bool same = first.file == second.file && first.at == second.at;
  std::string pair_key = first.file + "\n" + first.at->path + "\n" +
                         std::to_string(first.at->pos.offset) + "\n" + second.file + "\n" +
                         second.at->path + "\n" + std::to_string(second.at->pos.offset);
  std::string in_build = "the build of " + QuoteForMessage(build, kQuotePathLimit) + why;
  Finding f;
  f.rule = "duplicate-resource";
  f.resource = ToResource(id);
  f.resource.ns = second.ns;
  f.resource.name = second.name;
  auto at_document = [&](const Instance& here, const Instance& other, std::string_view word) {
    f.file = here.file;
    f.line = here.at->pos.line;
    f.column = here.at->pos.column;
    f.path = here.at->path + "/kind";
    auto text = [&](bool pos) {
      return label + " is defined twice in " + in_build + ": " + std::string(word) + " at " +
             Where(other.file, other.at->pos, pos);
    };
    f.message = text(true);
    Emit(std::move(f), pair_key, text(false));
  };
  if (!same && view_.IsSelected(second.file)) return at_document(second, first, "first");
  if (!same && view_.IsSelected(first.file)) return at_document(first, second, "again");
  // Neither document is in a selected file, or it is one document reached twice: report at
  // the entry that brings it in the second time, in the nearest selected kustomization from
  // where the two ways part towards the root.
  std::size_t parted = 0;
  while (parted < first.chain.size() && parted < second.chain.size() &&
         first.chain[parted].k == second.chain[parted].k &&
         first.chain[parted].entry == second.chain[parted].entry)
    ++parted;
  if (second.chain.empty()) return;
  for (std::size_t i = std::min(parted, second.chain.size() - 1) + 1; i-- > 0;) {
    const Step& step = second.chain[i];
    if (!view_.IsSelected(step.k->file)) continue;
    f.file = step.k->file;
    f.line = step.entry->ref.pos.line;
    f.column = step.entry->ref.pos.column;
    f.path = step.entry->ref.pointer;
    std::string brings =
        QuoteForMessage(step.entry->ref.written, kQuotePathLimit) + " brings in " + label;
    // The entry the first copy came through, when it is one of the same kustomization.
    const Kustomization::Path* other =
        i < first.chain.size() && first.chain[i].k == step.k ? first.chain[i].entry : nullptr;
    auto text = [&](bool pos) {
      std::string where = " (" + Where(second.file, second.at->pos, pos) + ")";
      if (!same)
        return brings + where + ", which " + in_build + " already has from " +
               Where(first.file, first.at->pos, pos);
      if (other != nullptr && other->ref.written == step.entry->ref.written)
        return brings + where +
               " a second time: " + QuoteForMessage(step.k->file, kQuotePathLimit) +
               " names it twice";
      return brings + where + " a second time: " + in_build + " already has it" +
             (other == nullptr
                  ? ""
                  : " through " + QuoteForMessage(other->ref.written, kQuotePathLimit));
    };
    f.message = text(true);
    // One document reached twice brings in all of its build twice: one finding per entry.
    return Emit(std::move(f),
                same ? "\n" + f.file + "\n" + f.path : pair_key + "\n" + f.file + "\n" + f.path,
                text(false));
  }
}

void DuplicateFinder::Emit(Finding f, const std::string& key, const std::string& stable_message) {
  if (!reported_.insert(key).second) return;
  Finding stable = f;
  stable.message = stable_message;
  f.fingerprint = report::Fingerprint(stable);
  findings_.push_back(std::move(f));
}

void DuplicateFinder::CheckApplication(const std::string& file, const ApplicationSource& source,
                                       std::string_view dir_in) {
  std::string dir = RepositoryView::Normal(dir_in);
  if (source.other || view_.TypeOf(dir) != FileType::kDirectory) return;
  if (view_.kustomizations().KustomizationIn(dir) != nullptr) return CheckBuild(dir);
  if (view_.TypeOf(JoinPath(dir, "Chart.yaml")) == FileType::kRegular) return;
  std::string app = source.application.ns.empty()
                        ? source.application.name
                        : source.application.ns + "/" + source.application.name;
  // One directory applied the same way by several Applications is checked once.
  if (!apps_checked_.insert(dir + "\n" + source.destination_ns + "\n" + (source.recurse ? "r" : ""))
           .second)
    return;
  Accumulator acc("");
  std::vector<std::string> dirs{dir};
  for (std::size_t d = 0; d < dirs.size(); ++d) {
    for (const DirEntry& e : view_.List(dirs[d])) {
      if (e.name.starts_with('.')) continue;
      std::string path = JoinPath(dirs[d], e.name);
      FileType type = e.type == FileType::kRegular || e.type == FileType::kDirectory
                          ? e.type
                          : view_.TypeOf(path).value_or(FileType::kOther);
      if (type == FileType::kDirectory) {
        if (source.recurse) dirs.push_back(path);
        continue;
      }
      if (type != FileType::kRegular || !IsManifestName(e.name)) continue;
      for (const ResourceAt& r : view_.ResourcesIn(path)) {
        std::string ns = r.identity.ns.empty() ? source.destination_ns : r.identity.ns;
        Instance inst{path, &r, ns, r.identity.name, !r.identity.generated_name, {}};
        const Instance* first = acc.Add(inst);
        if (first == nullptr) continue;
        std::string label = Label(r.identity, ns, r.identity.name);
        std::string applied = "Application " + QuoteForMessage(app, kQuotePathLimit) + " (path " +
                              QuoteForMessage(source.path, kQuotePathLimit) + ")";
        std::string key = first->file + "\n" + first->at->path + "\n" +
                          std::to_string(first->at->pos.offset) + "\n" + path + "\n" + r.path +
                          "\n" + std::to_string(r.pos.offset);
        Finding f;
        f.rule = "duplicate-resource";
        f.resource = ToResource(r.identity);
        f.resource.ns = ns;
        const Instance* here = &inst;
        const Instance* other = first;
        std::string word = "first";
        if (!view_.IsSelected(path)) {
          here = first;
          other = &inst;
          word = "again";
        }
        if (view_.IsSelected(here->file)) {
          f.file = here->file;
          f.line = here->at->pos.line;
          f.column = here->at->pos.column;
          f.path = here->at->path + "/kind";
          auto text = [&](bool pos) {
            return label + " is applied twice by " + applied + ": " + word + " at " +
                   Where(other->file, other->at->pos, pos);
          };
          f.message = text(true);
          Emit(std::move(f), key, text(false));
          continue;
        }
        f.file = file;
        f.line = source.pos.line;
        f.column = source.pos.column;
        f.path = source.pointer;
        f.resource = ToResource(source.application);
        auto text = [&](bool pos) {
          return applied + " applies " + label + " twice: at " +
                 Where(first->file, first->at->pos, pos) + " and " + Where(path, r.pos, pos);
        };
        f.message = text(true);
        Emit(std::move(f), key + "\n" + file, text(false));
      }
    }
  }
}

}  // namespace capstan::k8s
