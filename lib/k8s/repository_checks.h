// The checks of one capstan-validate run that look across files: kustomize-missing-path,
// kustomize-deprecated and kustomize-cycle (k8s/kustomize_checks.h) on the selected
// kustomizations, and duplicate-resource (k8s/duplicate_resources.h) on the builds of the
// directories that hold selected files and on the directories the selected Applications
// deploy. Files the run did not select are read only as far as those builds reach, so a
// pre-commit run over one file reads one directory's kustomization and what it names, not the
// repository.
//
// The run's kustomizations are parsed once: the selected ones by the caller (AddKustomization),
// the others through kustomizations() on demand, which the caller also asks for the
// kustomization beside each selected file (KustomizationIndex facts).
//
//   k8s::RepositoryChecks checks({env.fs, cwd}, {}, repo_root);
//   for (each selected kustomization) checks.AddKustomization(ParseKustomization(name, text));
//   ... validate the files ...
//   for (each file i) checks.Select(inputs[i].name, &results[i]);
//   for (report::Finding& f : checks.Run()) ...
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/env.h"
#include "k8s/kustomization_index.h"
#include "k8s/repository_view.h"
#include "k8s/validator.h"
#include "report/finding.h"

namespace capstan::k8s {

class RepositoryChecks {
 public:
  // Where files the run did not select are read: a FileSystem and the directory report names
  // are relative to (absolute).
  struct Tree {
    FileSystem* fs = nullptr;
    std::string base;
  };

  // tree: the working tree, or for --staged the git index (git::IndexFileSystem).
  // working_tree: for --staged, the working tree, so that a path only there is reported as not
  // staged; nullopt otherwise. repository_root: the absolute root of the repository (Argo CD
  // source paths are relative to it); "" when there is none, and they are read relative to
  // tree.base. REQUIRES: the file systems outlive the checks.
  RepositoryChecks(Tree tree, std::optional<Tree> working_tree, std::string repository_root,
                   std::uint64_t max_file_bytes);

  // A selected kustomization file, parsed from what the run read.
  void AddKustomization(Kustomization k);

  // Every kustomization the run knows: the added ones, the others read on demand.
  KustomizationGraph& kustomizations() { return view_.kustomizations(); }

  // A selected file and its validation report (kept by pointer: it must outlive Run). Files
  // not selected are read only as builds reach them.
  void Select(const std::string& name, const FileReport* report);

  // Runs the checks. Findings name files as they were selected; those about files not selected
  // are left out (see k8s/duplicate_resources.h for where a duplicate is reported instead).
  std::vector<report::Finding> Run();

 private:
  // The view name of a repository-relative path (an Argo CD source path).
  std::string FromRepository(std::string_view path) const;

  RepositoryView view_;
  std::unique_ptr<RepositoryView> working_tree_;
  std::string base_;
  std::string root_;
  std::vector<Kustomization> added_;
  struct Selected {
    std::string name;    // as selected
    std::string normal;  // RepositoryView::Normal(name)
    const FileReport* report;
  };
  std::vector<Selected> selected_;
};

}  // namespace capstan::k8s
