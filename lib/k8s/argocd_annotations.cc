// The argocd.argoproj.io/* annotations of a resource (rules argocd-annotation and, for
// sync-options, argocd-sync-option).
#include <algorithm>

#include "core/glob.h"
#include "core/path.h"
#include "core/strings.h"
#include "k8s/argocd_options.h"
#include "k8s/argocd_walk.h"
#include "yaml/path.h"

namespace capstan::k8s {
namespace {

using yaml::NodeId;

constexpr std::string_view kAnnotationPrefix = "argocd.argoproj.io/";

// The argocd.argoproj.io/ annotation keys Argo CD reads or writes (docs/user-guide/
// annotations-and-labels.md, common/common.go, application_annotations.go, gitops-engine
// sync/common/types.go), and its label keys, which some write as annotations too.
constexpr std::string_view kKnownKeys[] = {
    "application-set-refresh",
    "compare-options",
    "hook",
    "hook-delete-policy",
    "hydrate",
    "hydrate-timestamp",
    "manifest-generate-paths",
    "managed-by-url",
    "refresh",
    "refresh-timestamp",
    "skip-reconcile",
    "sync-options",
    "sync-wave",
    "tracking-id",
    "ignore-default-links",
    "ignore-resource-updates",
    "ignore-restart-policy",
    "ignore-healthcheck",
    "installation-id",
    "client-side-apply-migration-manager",
    "deletion-approved",
    "instance",
    "secret-type",
    "managed-by",
    "kubernetes-version",
    "auto-label-cluster-info",
};

// Calls fn(item, offset) for each non-empty part of value split at `sep`, trimmed as Argo CD
// trims it; offset is where the trimmed item starts in value.
template <typename Fn>
void ForEachItem(std::string_view value, char sep, Fn fn) {
  std::size_t start = 0;
  while (start <= value.size()) {
    std::size_t end = std::min(value.find(sep, start), value.size());
    std::string_view raw = value.substr(start, end - start);
    std::string_view item = Trim(raw);
    if (!item.empty()) fn(item, start + static_cast<std::size_t>(item.data() - raw.data()));
    start = end + 1;
  }
}

class AnnotationChecker {
 public:
  AnnotationChecker(ArgoCdWalk& walk, bool on_application,
                    const std::vector<std::string>& source_paths)
      : walk_(walk), on_application_(on_application), source_paths_(source_paths) {}

  void Check(NodeId key_node, NodeId value_node, const std::string& key,
             const std::vector<std::string>& path);

 private:
  void ManifestGeneratePaths(NodeId value_node, std::string_view value,
                             const std::vector<std::string>& path);

  ArgoCdWalk& walk_;
  bool on_application_;
  const std::vector<std::string>& source_paths_;
};

void AnnotationChecker::Check(NodeId key_node, NodeId value_node, const std::string& key,
                              const std::vector<std::string>& path) {
  std::string_view name = std::string_view(key).substr(kAnnotationPrefix.size());
  bool known = false;
  for (std::string_view k : kKnownKeys) known = known || k == name;
  if (!known) {
    std::vector<std::string> full;
    for (std::string_view k : kKnownKeys)
      full.push_back(std::string(kAnnotationPrefix) + std::string(k));
    std::string hint = Closest(key, std::vector<std::string_view>(full.begin(), full.end()));
    walk_.Add("argocd-annotation", walk_.doc().node(key_node).pos,
              "unknown Argo CD annotation " + QuoteForMessage(key, kQuotePathLimit) +
                  ": Argo CD ignores it" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)"),
              path, report::Severity::kWarning);
    return;
  }
  const std::string* value = walk_.doc().ScalarValue(value_node);
  if (value == nullptr) return;
  auto each = [&](std::string_view rule, auto problem) {
    ForEachItem(*value, ',', [&](std::string_view item, std::size_t offset) {
      if (IsPlaceholder(item)) return;
      if (std::optional<std::string> m = problem(item))
        walk_.Add(std::string(rule), walk_.PositionIn(value_node, offset), *m, path);
    });
  };
  if (name == "sync-options") {
    each("argocd-sync-option", [](std::string_view item) {
      return SyncOptionProblem(item, SyncOptionPlace::kAnnotation);
    });
  } else if (name == "compare-options") {
    each("argocd-annotation",
         [&](std::string_view item) { return CompareOptionProblem(item, on_application_); });
  } else if (name == "hook") {
    each("argocd-annotation", HookProblem);
  } else if (name == "hook-delete-policy") {
    each("argocd-annotation", HookDeletePolicyProblem);
  } else if (name == "sync-wave") {
    if (IsPlaceholder(*value)) return;
    if (std::optional<std::string> m = SyncWaveProblem(*value))
      walk_.Add("argocd-annotation", walk_.doc().node(value_node).pos, *m, path);
  } else if (name == "manifest-generate-paths") {
    ManifestGeneratePaths(value_node, *value, path);
  }
}

// Argo CD splits the value at ';', trims each entry and matches changed files against it with
// Go's filepath.Match: absolute entries from the repository root, relative ones from each
// source's path (util/app/path GetSourceRefreshPaths).
void AnnotationChecker::ManifestGeneratePaths(NodeId value_node, std::string_view value,
                                              const std::vector<std::string>& path) {
  ForEachItem(value, ';', [&](std::string_view entry, std::size_t offset) {
    if (IsPlaceholder(entry)) return;
    yaml::Position pos = walk_.PositionIn(value_node, offset);
    std::string quoted = QuoteForMessage(entry, kQuotePathLimit);
    if (entry.find(',') != std::string_view::npos) {
      walk_.Add(
          "argocd-annotation", pos,
          "manifest-generate-paths entry " + quoted + " holds a ',': entries are separated by ';'",
          path);
      return;
    }
    if (Status s = CheckGlob(entry); !s.ok()) {
      walk_.Add("argocd-annotation", pos, "manifest-generate-paths entry: " + s.message(), path);
      return;
    }
    if (entry.starts_with('/') || !on_application_ || source_paths_.empty()) return;
    for (const std::string& base : source_paths_) {
      if (IsPlaceholder(base)) return;
      std::string joined = JoinPath(base, entry);
      if (joined != ".." && !joined.starts_with("../")) return;
    }
    std::string from =
        source_paths_.size() > 1 ? "every source's path"
        : source_paths_[0].empty()
            ? "the repository root (the source has no path)"
            : "the source path " + QuoteForMessage(source_paths_[0], kQuotePathLimit);
    walk_.Add("argocd-annotation", pos,
              "manifest-generate-paths entry " + quoted + " leads outside the repository from " +
                  from + ", so no change ever matches it",
              path);
  });
}

}  // namespace

void CheckAnnotations(ArgoCdWalk& walk, NodeId metadata, const std::vector<std::string>& base,
                      bool on_application, const std::vector<std::string>& source_paths) {
  const yaml::Document& doc = walk.doc();
  NodeId annotations = doc.Resolve(doc.Get(metadata, "annotations"));
  if (annotations == yaml::kNoNode || doc.node(annotations).type != yaml::NodeType::kMapping)
    return;
  AnnotationChecker checker(walk, on_application, source_paths);
  yaml::ForEachEntry(doc, annotations, [&](NodeId key_node, NodeId value_node) {
    const std::string* key = doc.ScalarValue(key_node);
    if (key == nullptr || !key->starts_with(kAnnotationPrefix)) return;
    std::vector<std::string> path = base;
    path.push_back("annotations");
    path.push_back(*key);
    checker.Check(key_node, doc.Resolve(value_node), *key, path);
  });
}

}  // namespace capstan::k8s
