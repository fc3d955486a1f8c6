#include "k8s/kustomize_checks.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string_view>

#include "core/path.h"
#include "core/strings.h"

namespace capstan::k8s {
namespace {

using report::Finding;
using report::Severity;

Finding KustomizationFinding(const Kustomization& k, std::string rule, Severity severity,
                             const yaml::Position& pos, std::string pointer, std::string message) {
  Finding f;
  f.rule = std::move(rule);
  f.severity = severity;
  f.message = std::move(message);
  f.file = k.file;
  f.line = pos.line;
  f.column = pos.column;
  f.path = std::move(pointer);
  f.resource.api_version = k.api_version;
  f.resource.kind = k.kind;
  return f;
}

// What an entry is called in messages.
std::string_view UseName(PathUse use) {
  switch (use) {
    case PathUse::kResource:
      return "resource";
    case PathUse::kComponent:
      return "component";
    case PathUse::kPatch:
      return "patch";
    case PathUse::kPluginConfig:
      return "plugin configuration";
    case PathUse::kSecretEnv:
    case PathUse::kSecretFile:
      return "secretGenerator file";
    case PathUse::kConfigMapInput:
      return "configMapGenerator file";
    case PathUse::kCrd:
      return "CRD file";
    case PathUse::kConfiguration:
      return "configuration file";
    case PathUse::kOpenApi:
      return "OpenAPI schema";
    case PathUse::kReplacement:
      return "replacement file";
    case PathUse::kHelmValues:
      return "Helm values file";
  }
  return "path";
}

constexpr std::string_view kNoKustomization =
    "is a directory without kustomization.yaml, kustomization.yml or Kustomization";

// What kustomize would find wrong with the entry in view ("does not exist", ...), or "" when
// nothing.
std::string Problem(const Kustomization::Path& p, RepositoryView& view) {
  std::optional<FileType> type = view.TypeOf(p.path);
  if (!type) {
    // Listed in its directory, yet neither a file nor a directory: never "does not exist (did
    // you mean <itself>?)".
    std::string_view name = p.path;
    name.remove_prefix(name.rfind('/') == std::string_view::npos ? 0 : name.rfind('/') + 1);
    for (const DirEntry& e : view.List(DirName(p.path)))
      if (e.name == name)
        return "is neither a file nor a directory (a FIFO, a device, or a symlink that leads "
               "nowhere)";
    return "does not exist";
  }
  bool dir = *type == FileType::kDirectory;
  switch (p.ref.use) {
    case PathUse::kComponent:
      if (!dir) return "is a file: a component is a directory with a kustomization";
      [[fallthrough]];
    case PathUse::kResource:
      if (dir && view.kustomizations().KustomizationIn(p.path) == nullptr)
        return std::string(kNoKustomization);
      return "";
    default:
      return "";
  }
}

// " (did you mean '../base'?)" for a missing entry whose last component is a near miss of a
// name in its directory; "" when there is none.
std::string Suggestion(const Kustomization::Path& p, RepositoryView& view) {
  std::string_view written = p.ref.written;
  while (written.size() > 1 && written.back() == '/') written.remove_suffix(1);
  std::size_t slash = written.rfind('/');
  std::string_view last = slash == std::string_view::npos ? written : written.substr(slash + 1);
  if (last.empty() || last == "." || last == "..") return "";
  std::vector<std::string_view> names;
  for (const DirEntry& e : view.List(DirName(p.path))) names.push_back(e.name);
  std::string near = Closest(last, names);
  if (near.empty()) return "";
  std::string fixed =
      std::string(written.substr(0, slash == std::string_view::npos ? 0 : slash + 1));
  return " (did you mean " + QuoteForMessage(fixed + near, kQuotePathLimit) + "?)";
}

struct Deprecation {
  std::string_view field;
  std::string_view instead;
};

// kustomize v5's CheckDeprecatedFields (api/types/kustomization.go), with what replaces each.
constexpr Deprecation kDeprecations[] = {
    {"bases", "list the entries under 'resources' (kustomize edit fix moves them)"},
    {"patchesStrategicMerge",
     "use 'patches' with {path: FILE} or {patch: INLINE} (kustomize edit fix moves them)"},
    {"patchesJson6902",
     "use 'patches', with the same path or patch and target (kustomize edit "
     "fix moves them)"},
    {"commonLabels",
     "use 'labels' with includeSelectors: true, which does what commonLabels "
     "does (kustomize edit fix rewrites it)"},
    {"vars", "use 'replacements' (kustomize edit fix --vars converts them, experimentally)"},
    {"imageTags", "use 'images' (kustomize edit fix moves them)"},
};

// A directory for messages: "." for the top.
std::string Shown(const std::string& dir) { return dir.empty() ? "." : dir; }

// Depth-first walks of the resources/components directories from each selected kustomization.
class CycleWalk {
 public:
  CycleWalk(RepositoryView& view, std::vector<Finding>& out) : view_(view), out_(out) {}

  void From(const Kustomization& start) {
    done_.clear();
    stack_.clear();
    Visit(DirName(start.file), start);
  }

 private:
  // One kustomization on the walk, and the entry it was left by.
  struct Frame {
    std::string dir;
    const Kustomization* k;
    const Kustomization::Path* entry = nullptr;
  };

  void Visit(const std::string& dir, const Kustomization& k) {
    if (stack_.size() >= kMaxDepth) return;
    stack_.push_back({dir, &k});
    for (const Kustomization::Path& p : k.paths) {
      if (p.ref.remote || (p.ref.use != PathUse::kResource && p.ref.use != PathUse::kComponent))
        continue;
      stack_.back().entry = &p;
      std::size_t closed = stack_.size();
      for (std::size_t i = 0; i < stack_.size(); ++i) {
        if (AtOrUnder(stack_[i].dir, p.path)) {
          closed = i;
          break;
        }
      }
      if (closed < stack_.size()) {
        if (view_.TypeOf(p.path) == FileType::kDirectory) Report(closed, p.path);
        continue;
      }
      if (done_.count(p.path) > 0) continue;
      if (const Kustomization* next = view_.kustomizations().KustomizationIn(p.path))
        Visit(p.path, *next);
    }
    done_.insert(dir);
    stack_.pop_back();
  }

  // The cycle from stack_[from] through the top of the stack to `target`, which is
  // stack_[from]'s directory or one above it.
  void Report(std::size_t from, const std::string& target) {
    std::set<std::string> members{target};
    for (std::size_t i = from; i < stack_.size(); ++i) members.insert(stack_[i].dir);
    if (!seen_.insert(Join({members.begin(), members.end()}, "\n")).second) return;
    // Report at the cycle's entry in the selected file that sorts first, if any.
    std::size_t at = stack_.size();
    for (std::size_t i = from; i < stack_.size(); ++i)
      if (view_.IsSelected(stack_[i].k->file) &&
          (at == stack_.size() || stack_[i].k->file < stack_[at].k->file))
        at = i;
    bool inside = at < stack_.size();
    bool exact = target == stack_[from].dir;
    // A cycle is named from the reporting directory round to it again.
    std::size_t begin = inside && exact ? at : from;
    std::vector<std::string> dirs;
    for (std::size_t i = begin; i < stack_.size(); ++i) dirs.push_back(Shown(stack_[i].dir));
    if (exact) {
      for (std::size_t i = from; i <= begin; ++i) dirs.push_back(Shown(stack_[i].dir));
    } else {
      dirs.push_back(Shown(target));
    }
    std::string cycle = Join(dirs, " -> ");
    if (!exact)
      cycle += ", which contains " + QuoteForMessage(Shown(stack_[from].dir), kQuotePathLimit) +
               " (kustomize refuses a base at or above a kustomization it builds)";
    const Frame& frame = stack_[inside ? at : 0];
    const Kustomization::Path& entry = *frame.entry;
    std::string message = inside ? "kustomization cycle: " + cycle
                                 : QuoteForMessage(entry.ref.written, kQuotePathLimit) +
                                       " leads into a kustomization cycle: " + cycle;
    out_.push_back(KustomizationFinding(*frame.k, "kustomize-cycle", Severity::kError,
                                        entry.ref.pos, entry.ref.pointer, std::move(message)));
  }

  static constexpr std::size_t kMaxDepth = 64;

  RepositoryView& view_;
  std::vector<Finding>& out_;
  std::vector<Frame> stack_;
  std::set<std::string> done_;  // explored from the current start without a new cycle
  std::set<std::string> seen_;  // cycles reported, by their member directories
};

}  // namespace

void CheckKustomizationPaths(const Kustomization& k, RepositoryView& view,
                             RepositoryView* working_tree, std::vector<Finding>& out) {
  // A kustomization beside a Chart.yaml is built after the chart is rendered into it (Argo CD's
  // kustomized-helm plugin: `helm template . > all.yaml && kustomize build`), so a resource
  // file it names may not exist yet.
  std::optional<bool> chart;
  for (const Kustomization::Path& p : k.paths) {
    if (p.ref.remote) continue;
    std::string problem = Problem(p, view);
    if (problem.empty()) continue;
    if (p.ref.use == PathUse::kResource && problem == "does not exist") {
      if (!chart)
        chart = view.TypeOf(JoinPath(DirName(k.file), "Chart.yaml")) == FileType::kRegular;
      if (*chart) continue;
    }
    std::string message = std::string(UseName(p.ref.use)) + " " +
                          QuoteForMessage(p.ref.written, kQuotePathLimit) + " " + problem;
    if (working_tree != nullptr && Problem(p, *working_tree).empty()) {
      message += " in the git index; the working tree has it, but the commit will not: git add it";
    } else if (problem == "does not exist") {
      message += Suggestion(p, view);
    }
    out.push_back(KustomizationFinding(k, "kustomize-missing-path", Severity::kError, p.ref.pos,
                                       p.ref.pointer, std::move(message)));
  }
}

void CheckDeprecatedFields(const Kustomization& k, std::vector<Finding>& out) {
  for (const Kustomization::Field& field : k.fields) {
    for (const Deprecation& d : kDeprecations) {
      if (field.name != d.field) continue;
      out.push_back(KustomizationFinding(
          k, "kustomize-deprecated", Severity::kWarning, field.pos, "/" + field.name,
          "'" + field.name + "' is deprecated: " + std::string(d.instead)));
    }
  }
}

void FindKustomizationCycles(std::span<const Kustomization* const> selected, RepositoryView& view,
                             std::vector<Finding>& out) {
  CycleWalk walk(view, out);
  for (const Kustomization* k : selected) walk.From(*k);
}

std::vector<report::RuleInfo> KustomizeGraphRules() {
  return {
      {"kustomize-missing-path",
       "A path a kustomization names does not exist, or is not what kustomize expects there.",
       "A local path named by resources, bases, components, patches, configMapGenerator or "
       "secretGenerator files and envs, crds, configurations, openapi.path, replacements, "
       "Helm values files or generators/transformers/validators does not exist relative to the "
       "kustomization; or a directory named as a resource or component holds no "
       "kustomization.yaml, kustomization.yml or Kustomization; or a component is a file. "
       "kustomize build fails, so Argo CD or Flux cannot render the application. With --staged "
       "the git index is what counts: a file only in the working tree is not in the commit. "
       "Remote resources (URLs, git@, ?ref=) are not fetched and not judged.",
       "Correct the path (it is relative to the kustomization's directory; the message "
       "suggests a near name when there is one), add the missing file or the directory's "
       "kustomization, or `git add` a file that is only in the working tree.",
       "",
       {"kubernetes", "kustomize", "correctness"}},
      {"kustomize-deprecated",
       "The kustomization uses a field kustomize v5 deprecates.",
       "bases, patchesStrategicMerge, patchesJson6902, commonLabels, vars and imageTags still "
       "work, but kustomize v5 warns on every build that they are deprecated and will be "
       "removed: bases in favour of resources, the two patch lists in favour of patches, "
       "commonLabels in favour of labels, vars in favour of replacements, imageTags in favour "
       "of images.",
       "Move the entries to the field the message names; `kustomize edit fix` does it for all "
       "but vars (`kustomize edit fix --vars` converts simple vars, experimentally). "
       "commonLabels becomes labels with includeSelectors: true, which keeps its behaviour.",
       "",
       {"kubernetes", "kustomize", "deprecation"}},
      {"kustomize-cycle",
       "Following the kustomizations' resources and components leads back to itself.",
       "A kustomization's resources or components lead, directly or through other "
       "kustomizations, back to a directory being built, or to a directory above one (such as "
       "'..'). kustomize refuses both (\"cycle detected: candidate root ... contains visited "
       "root ...\"), so nothing that includes the cycle builds. The message names the "
       "directories of the cycle in order.",
       "Break the cycle: a base must not include the overlays built on it, and no "
       "kustomization may name its own directory or one above it. Move shared resources into "
       "a directory of their own that both sides name.",
       "",
       {"kubernetes", "kustomize", "correctness"}},
      {"duplicate-resource",
       "Two documents define the same resource in one build.",
       "Two documents with the same group, kind, namespace and name end up in one kustomize "
       "build (its resources and components, transitively, after namespace, namePrefix and "
       "nameSuffix), or in one directory an Argo CD Application applies as plain manifests. "
       "kustomize fails with \"may not add resource with an already registered id\"; Argo CD "
       "applies one over the other and reports a RepeatedResourceWarning. The finding is at "
       "the second document and names the first; when the same file is reached along two "
       "paths, it is at the entry that brings it in the second time.",
       "Remove one of the two definitions, give them different names or namespaces (a "
       "namePrefix or namespace in one of the kustomizations that include them), or patch the "
       "base resource in the overlay instead of defining it again.",
       "",
       {"kubernetes", "kustomize", "argocd", "correctness"}},
  };
}

}  // namespace capstan::k8s
