#include "argocd/affected.h"

#include <algorithm>

#include "argocd/go_match.h"
#include "argocd/repo_url.h"
#include "argocd/revision.h"
#include "core/path.h"
#include "core/strings.h"
#include "core/url.h"

namespace capstan::argocd {
namespace {

std::string Q(std::string_view s) { return QuoteForMessage(s, kQuotePathLimit); }

void AddOnce(std::vector<std::string>& to, std::string line) {
  if (std::find(to.begin(), to.end(), line) == to.end()) to.push_back(std::move(line));
}

// "'a', 'b' or 'c'", at most `shown` items and then "and N more".
std::string QuotedList(const std::vector<std::string>& items, std::string_view last_sep) {
  constexpr std::size_t kShown = 4;
  std::string out;
  std::size_t shown = std::min(items.size(), kShown);
  for (std::size_t i = 0; i < shown; ++i) {
    if (i > 0) out += (i + 1 == shown && items.size() <= kShown) ? last_sep : ", ";
    out += Q(items[i]);
  }
  if (items.size() > kShown) out += " and " + std::to_string(items.size() - kShown) + " more";
  return out;
}

}  // namespace

std::vector<RefreshPath> ManifestGeneratePaths(const Application& app) {
  std::vector<RefreshPath> out;
  const Annotation* a = app.FindAnnotation(kManifestGeneratePaths);
  if (a == nullptr) return out;
  std::string_view rest = a->value;
  while (!rest.empty()) {
    std::size_t semi = rest.find(';');
    std::string_view item = rest.substr(0, semi);
    rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
    if (item.empty()) continue;
    if (item.starts_with('/')) {
      out.push_back(RefreshPath{std::string(item.substr(1)), std::string(item)});
      continue;
    }
    for (const Source& s : app.ArgoSources()) {
      // filepath.Clean(filepath.Join(source.Path, item)): "." for the root, as Go writes it
      std::string joined = JoinPath(s.path.value_or(""), item);
      out.push_back(RefreshPath{joined.empty() ? "." : joined, std::string(item)});
    }
  }
  return out;
}

AffectedRules::AffectedRules(Change change, FileSystem& fs, std::string work_tree, Options options)
    : change_(std::move(change)),
      repo_key_(NormalizeRepoUrl(change_.repo_url)),
      changed_(std::move(change_.changed_paths)),
      options_(options),
      graph_(fs, std::move(work_tree), {.max_file_bytes = options.max_kustomization_bytes}) {
  change_.changed_paths.clear();
}

Decision AffectedRules::Decide(const Application& app) {
  Decision d;
  std::vector<const Source*> tracking;
  std::string tracks;  // the first tracking source's explanation
  std::vector<std::string> other_repos;
  std::vector<std::string> not_tracking;
  for (const Source& s : app.ArgoSources()) {
    if (!s.chart.empty() || repo_key_.empty() || NormalizeRepoUrl(s.repo_url) != repo_key_) {
      AddOnce(other_repos, RedactUrl(s.repo_url));
      continue;
    }
    BranchMatch m = TracksBranch(s.target_revision, change_.branch, change_.default_branch);
    if (!m.tracks) {
      AddOnce(not_tracking, std::move(m.explanation));
      continue;
    }
    if (tracking.empty()) tracks = std::move(m.explanation);
    tracking.push_back(&s);
    d.sources.push_back(static_cast<std::size_t>(&s - app.sources.data()));
  }
  if (tracking.empty()) {
    if (!not_tracking.empty()) {
      d.reason = "out: " + Join(not_tracking, "; ");
    } else if (other_repos.empty()) {
      d.reason = "out: the application has no source";
    } else if (other_repos.size() == 1) {
      d.reason = "out: repo " + Q(other_repos[0]) + " is not this repository";
    } else {
      d.reason =
          "out: no source is this repository (repos " + QuotedList(other_repos, " and ") + ")";
    }
    return d;
  }
  if (changed_.empty()) {
    d.reason = "out: the change touches no file";
    return d;
  }

  if (options_.mode == AffectedMode::kArgoCd) {
    if (ManifestGeneratePaths(app).empty()) {
      d.selected = true;
      d.reason = "in: " + tracks +
                 "; without manifest-generate-paths Argo CD refreshes every app of this "
                 "repository and branch";
    } else if (!MatchAnnotation(app, d)) {
      d.reason = "out: no changed path matches manifest-generate-paths " +
                 Q(app.FindAnnotation(kManifestGeneratePaths)->value);
    }
    return d;
  }

  std::vector<Root> roots;
  for (const Source* s : tracking) {
    AddSourceRoots(*s, roots, d);
    if (!s->ref.empty()) AddRefRoots(app, *s, roots, d);
  }
  for (const Root& r : roots) {
    const std::string* f = changed_.FirstAtOrUnder(r.path);
    if (f == nullptr) continue;
    d.selected = true;
    if (r.named_by.empty()) {
      d.reason = "in: " + Q(*f) + (*f == r.path ? " is " : " under ") + r.label;
    } else {
      d.reason = "in: " + Q(*f) + (*f == r.path ? "" : " under " + Q(r.path)) + ", named by " +
                 Q(r.named_by);
    }
    return d;
  }
  if (MatchAnnotation(app, d)) return d;
  std::vector<std::string> paths;
  for (const Root& r : roots) AddOnce(paths, r.path.empty() ? "." : r.path);
  d.reason = paths.empty() ? "out: the app uses no path of this repository"
                           : "out: no changed path under " + QuotedList(paths, " or ");
  if (const Annotation* a = app.FindAnnotation(kManifestGeneratePaths); a && !a->value.empty())
    d.reason += " nor matching manifest-generate-paths " + Q(a->value);
  return d;
}

void AffectedRules::AddSourceRoots(const Source& source, std::vector<Root>& roots, Decision& d) {
  // A values-only source (a ref without a path) deploys nothing of its own.
  if (!source.path && !source.ref.empty()) return;
  std::optional<std::string> path = ResolveRepositoryPath("", source.path.value_or(""));
  if (!path) {
    AddOnce(d.notes, "source path " + Q(*source.path) + " leaves the repository");
    return;
  }
  roots.push_back(Root{
      *path, path->empty() ? "the repository root (the source path)" : "source path " + Q(*path),
      ""});
  AddKustomizationRoots(*path, roots, d);
  for (const std::string& component : source.kustomize_components) {
    std::optional<std::string> resolved = ResolveRepositoryPath(*path, component);
    if (!resolved) {
      AddOnce(d.notes, "kustomize component " + Q(component) + " leaves the repository");
      continue;
    }
    // The resolved path first: "../../../../components/x" alone does not say where it lands.
    roots.push_back(Root{
        *resolved, Q(*resolved) + ", kustomize component " + Q(component) + " of the app", ""});
    AddKustomizationRoots(*resolved, roots, d);
  }
  for (const std::string& file : source.value_files) {
    if (file.starts_with('$') || file.find("://") != std::string::npos) continue;
    std::optional<std::string> resolved = ResolveRepositoryPath(*path, file);
    if (!resolved) {
      AddOnce(d.notes, "value file " + Q(file) + " leaves the repository");
      continue;
    }
    roots.push_back(Root{*resolved, "value file " + Q(file) + " of source path " + Q(*path), ""});
  }
}

void AffectedRules::AddKustomizationRoots(const std::string& dir, std::vector<Root>& roots,
                                          Decision& d) {
  const k8s::KustomizationGraph::Closure& closure = graph_.DependenciesOf(dir);
  for (const k8s::KustomizationGraph::Dependency& dep : closure.dependencies)
    roots.push_back(Root{dep.path, "", dep.via});
  for (const std::string& note : closure.notes) AddOnce(d.notes, note);
}

void AffectedRules::AddRefRoots(const Application& app, const Source& ref_source,
                                std::vector<Root>& roots, Decision& d) {
  std::string prefix = "$" + ref_source.ref + "/";
  for (const Source& s : app.ArgoSources()) {
    for (const std::string& file : s.value_files) {
      if (!file.starts_with(prefix)) continue;
      // `$ref/...` is relative to the root of the ref source's repository.
      std::optional<std::string> resolved = ResolveRepositoryPath("", file.substr(prefix.size()));
      if (!resolved) {
        AddOnce(d.notes, "value file " + Q(file) + " leaves the repository");
        continue;
      }
      roots.push_back(Root{*resolved, "value file " + Q(file), ""});
    }
  }
}

bool AffectedRules::MatchAnnotation(const Application& app, Decision& d) const {
  for (const RefreshPath& p : ManifestGeneratePaths(app)) {
    std::string pattern = p.path.starts_with('/') ? p.path : "/" + p.path;
    if (GoPathMatch(pattern, "") == GoMatch::kBadPattern)
      AddOnce(d.notes, "manifest-generate-paths entry " + Q(p.entry) +
                           " is not a valid pattern: only its exact path counts");
    if (const std::string* f = changed_.FirstMatchingRefreshPath(p.path)) {
      d.selected = true;
      d.reason = "in: " + Q(*f) + " matches manifest-generate-paths entry " + Q(p.entry);
      return true;
    }
  }
  return false;
}

}  // namespace capstan::argocd
