#include "k8s/repository_checks.h"

#include <map>
#include <set>

#include "core/path.h"
#include "k8s/duplicate_resources.h"
#include "k8s/kustomize_checks.h"

namespace capstan::k8s {

RepositoryChecks::RepositoryChecks(Tree tree, std::optional<Tree> working_tree,
                                   std::string repository_root, std::uint64_t max_file_bytes)
    : view_(*tree.fs, tree.base, {max_file_bytes}),
      base_(NormalizePath(tree.base)),
      root_(repository_root.empty() ? std::string() : NormalizePath(repository_root)) {
  if (working_tree)
    working_tree_ = std::make_unique<RepositoryView>(*working_tree->fs, working_tree->base,
                                                     RepositoryView::Options{max_file_bytes});
}

void RepositoryChecks::AddKustomization(Kustomization k) {
  if (working_tree_) working_tree_->kustomizations().Add(k);
  added_.push_back(k);
  view_.kustomizations().Add(std::move(k));
}

void RepositoryChecks::Select(const std::string& name, const FileReport* report) {
  std::string normal = RepositoryView::Normal(name);
  view_.Select(normal, report == nullptr ? nullptr : &report->resources);
  if (working_tree_) working_tree_->Select(normal, nullptr);
  selected_.push_back({name, std::move(normal), report});
}

std::string RepositoryChecks::FromRepository(std::string_view path) const {
  std::string rel = RepositoryView::Normal(path.starts_with('/') ? path.substr(1) : path);
  if (root_.empty() || root_ == base_) return rel;
  if (base_.starts_with(root_ + "/")) {
    // The run started below the root: names are relative to base_.
    std::string below = base_.substr(root_.size() + 1);
    if (rel == below) return "";
    if (rel.starts_with(below + "/")) return rel.substr(below.size() + 1);
    std::string up;
    for (char c : "/" + below)
      if (c == '/') up += "../";
    return JoinPath(up, rel);
  }
  return JoinPath(root_, rel);  // absolute
}

std::vector<report::Finding> RepositoryChecks::Run() {
  std::vector<report::Finding> out;
  std::vector<const Kustomization*> kustomizations;
  for (const Kustomization& k : added_) {
    // Only what was checked: a selected kustomization that could not be read names nothing.
    kustomizations.push_back(&k);
    CheckKustomizationPaths(k, view_, working_tree_.get(), out);
    CheckDeprecatedFields(k, out);
  }
  FindKustomizationCycles(kustomizations, view_, out);

  // With no kustomization and no Application selected (a pre-commit run over changed
  // manifests), a duplicate is reported only where a selected document is one of the pair, so a
  // file that does not even mention the kind of a selected resource need not be parsed.
  bool apps = false;
  std::set<std::string> kinds;
  for (const Selected& s : selected_) {
    if (s.report == nullptr) continue;
    apps = apps || !s.report->application_sources.empty();
    for (const ResourceAt& r : s.report->resources) kinds.insert(r.identity.kind);
  }
  bool any_report = true;
  if (added_.empty() && !apps) {
    any_report = !kinds.empty();
    view_.OnlyFilesMentioning({kinds.begin(), kinds.end()});
  }
  DuplicateFinder duplicates(view_);
  std::set<std::string> roots;
  for (const Selected& s : selected_) roots.insert(DirName(s.normal));
  if (any_report)
    for (const std::string& dir : roots) duplicates.CheckBuild(dir);
  for (const Selected& s : selected_) {
    if (s.report == nullptr) continue;
    for (const ApplicationSource& source : s.report->application_sources)
      duplicates.CheckApplication(s.normal, source, FromRepository(source.path));
  }
  for (report::Finding& f : duplicates.findings()) out.push_back(std::move(f));

  if (out.empty()) return out;
  // Back to the names the files were selected by ("./a.yaml" stays so).
  std::map<std::string, const std::string*> names;
  for (const Selected& s : selected_) names.emplace(s.normal, &s.name);
  std::vector<report::Finding> kept;
  for (report::Finding& f : out) {
    auto it = names.find(RepositoryView::Normal(f.file));
    if (it == names.end()) continue;
    f.file = *it->second;
    kept.push_back(std::move(f));
  }
  return kept;
}

}  // namespace capstan::k8s
