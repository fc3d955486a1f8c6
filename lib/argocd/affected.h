// Which Applications a change reaches (capstan-sync `--repo PATH --changed A..B`): an
// Application is a candidate when one of the sources Argo CD deploys from (ArgoSources) is this
// repository (argocd/repo_url.h) and follows the change's branch (argocd/revision.h); then
//
//  - mode kArgoCd, Argo CD's own rule (util/webhook HandleEvent with util/app/path
//    GetAppRefreshPaths / AppFilesHaveChanged): with a non-empty
//    `argocd.argoproj.io/manifest-generate-paths` annotation, selected when a changed path
//    matches one of its entries (ManifestGeneratePaths, ChangedPaths::FirstMatchingRefreshPath);
//    without one, always selected: Argo CD refreshes every such app on every push.
//  - mode kPaths, capstan's narrower default: selected when a changed path is, or lies under,
//    the path of such a source (no path: the repository root); a directory or file the
//    kustomization there names, transitively (k8s::KustomizationGraph: `resources`, `bases`,
//    `components`, patches, generators, configMapGenerator/secretGenerator files, helmCharts
//    values files...); one of the source's kustomize.components, and what they name; one of the
//    source's helm.valueFiles; or a `$ref/...` value file of any source naming a `ref` source of
//    this repository and branch (`$values/charts/web/values.yaml` with a source
//    `ref: values`). Or when a changed path matches a manifest-generate-paths entry as in
//    kArgoCd.
//
// Deleted files are changed paths like any other, so a deletion selects the Application that
// had the file; a move selects the Applications of both sides. Only the kustomization at a
// source path is followed, not kustomizations elsewhere under it (Argo CD builds that one).
//
// One deliberate difference from Argo CD: its AppFilesHaveChanged reads an empty list of
// changed files as "the push did not say" and refreshes; capstan always knows the list, and a
// change that touches no file selects nothing in either mode.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "argocd/application.h"
#include "argocd/changed_paths.h"
#include "core/env.h"
#include "k8s/kustomization_index.h"

namespace capstan::argocd {

enum class AffectedMode { kArgoCd, kPaths };

// The annotation Argo CD reads the paths that affect an app's manifests from.
inline constexpr std::string_view kManifestGeneratePaths =
    "argocd.argoproj.io/manifest-generate-paths";

// One refresh path of an Application, as Argo CD's GetAppRefreshPaths builds it.
struct RefreshPath {
  std::string path;   // "apps/web/values.yaml", "/shared/*.yaml" (see below)
  std::string entry;  // the annotation entry it came from, as written

  bool operator==(const RefreshPath&) const = default;
};

// The refresh paths of app's manifest-generate-paths annotation, as GetAppRefreshPaths builds
// them: entries split on ';' (empty ones skipped, nothing trimmed); an entry starting with '/'
// gives itself without that '/' (not cleaned); any other entry gives, for every source in
// ArgoSources (of any repository, with or without a path), the source path joined to it and
// cleaned ("." on a source without a path is the repository root, ""). Empty when the
// annotation is absent or empty.
std::vector<RefreshPath> ManifestGeneratePaths(const Application& app);

// The change a selection is about.
struct Change {
  std::string repo_url;  // this repository's URL, in any form SameRepository accepts
  std::string branch;    // the branch the change is on: "main" or "refs/heads/main"
  // What HEAD means for this repository (its default branch); "" when unknown, and then
  // sources at HEAD follow nothing (TracksBranch).
  std::string default_branch;
  std::vector<std::string> changed_paths;  // as ChangedPaths takes them
};

// The verdict on one Application, for `--plan` and for the sync request.
struct Decision {
  bool selected = false;
  // One line, starting "in: " or "out: ", values quoted, e.g.
  //   in: 'apps/web/deployment.yaml' under source path 'apps/web'
  //   in: 'base/deploy.yaml' under 'base', named by 'apps/web/kustomization.yaml'
  //   in: 'components/x/hpa.yaml' under 'components/x', kustomize component '../../components/x'
  //       of the app
  //   in: 'charts/web/values.yaml' is value file '$values/charts/web/values.yaml'
  //   in: 'apps/web/x.yaml' matches manifest-generate-paths entry '/apps/*/x.yaml'
  //   in: tracks branch 'main'; without manifest-generate-paths Argo CD refreshes every app ...
  //   out: repo 'https://github.com/acme/other' is not this repository
  //   out: tracks branch 'release-1', the change is on 'main'
  //   out: no changed path under 'apps/web' or 'base' (at most 4 paths, then "and N more")
  //   out: the change touches no file
  std::string reason;
  // Indexes into app.sources of the sources on this repository that follow the branch
  // (filled whether or not the app is selected), e.g. to pin per-source revisions; their
  // Source::position is what a sync request's sourcePositions take.
  std::vector<std::size_t> sources;
  // What the decision could not look into, one line each: remote kustomize resources,
  // unreadable kustomizations, source paths or value files leaving the repository.
  std::vector<std::string> notes;
};

// Decides, for one change, which Applications it affects. Work shared between Applications is
// done once: the changed paths are sorted at construction, the repository URL normalised once,
// and each kustomization directory read and each closure computed at most once, so a decision
// costs a few binary searches per source once the kustomizations it names were read.
// Not thread-safe (Decide fills caches).
class AffectedRules {
 public:
  struct Options {
    AffectedMode mode = AffectedMode::kPaths;
    std::uint64_t max_kustomization_bytes = 1u << 20;
  };

  // REQUIRES: fs outlives the rules. work_tree is the file-system directory of this
  // repository's work tree at the change's end revision, where kustomizations are read
  // (kPaths only; kArgoCd reads nothing).
  AffectedRules(Change change, FileSystem& fs, std::string work_tree, Options options);

  const ChangedPaths& changed() const { return changed_; }
  AffectedMode mode() const { return options_.mode; }

  // Never fails: what cannot be read is a note, and the decision is made on the rest.
  Decision Decide(const Application& app);

 private:
  // A path a change must touch to affect the app, and why it counts.
  struct Root {
    std::string path;
    std::string label;     // "source path 'apps/web'"; "" for a kustomization's reference
    std::string named_by;  // the kustomization file that names path, for a reference
  };
  void AddSourceRoots(const Source& source, std::vector<Root>& roots, Decision& decision);
  // The paths the kustomization in dir names, transitively.
  void AddKustomizationRoots(const std::string& dir, std::vector<Root>& roots, Decision& decision);
  void AddRefRoots(const Application& app, const Source& ref_source, std::vector<Root>& roots,
                   Decision& decision);
  bool MatchAnnotation(const Application& app, Decision& decision) const;

  Change change_;
  std::string repo_key_;
  ChangedPaths changed_;
  Options options_;
  k8s::KustomizationGraph graph_;
};

}  // namespace capstan::argocd
