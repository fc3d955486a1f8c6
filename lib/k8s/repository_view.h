// The repository as the checks that span files see it (kustomize paths and cycles, duplicate
// resources): what lies at a path, what a file holds, which kustomization a directory has. The
// files a run selected are known by their report names; everything else is read through a
// FileSystem: the working tree, or, for --staged, the git index (what the commit will hold).
// Each path is looked at and each file parsed at most once per run.
//
// Names are report names ('/'-separated; relative to `base`, or absolute) and are normalised
// here; every answer uses the normalised form.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/env.h"
#include "k8s/kustomization_index.h"
#include "k8s/validator.h"

namespace capstan::k8s {

class RepositoryView {
 public:
  struct Options {
    // Files larger than this are not read: a kustomization names nothing, a manifest defines
    // no resources.
    std::uint64_t max_file_bytes = 16u << 20;
  };

  // REQUIRES: fs outlives the view. base is the file-system directory relative names are
  // relative to (absolute, or "" for the process's working directory).
  RepositoryView(FileSystem& fs, std::string base, Options options);

  // The normalised form of a report name ("./a//b/../c.yaml" -> "a/c.yaml", "." -> "").
  static std::string Normal(std::string_view name);

  // Records a file the run selected, with the resources the validator found in it (nullptr
  // when it defines none or was not validated). Selected files are never read here.
  // REQUIRES: resources outlives the view.
  void Select(std::string_view name, const std::vector<ResourceAt>* resources);
  bool IsSelected(std::string_view name) const;

  // kRegular or kDirectory (symlinks followed); nullopt when nothing is there, it is of
  // another type, or it cannot be told.
  std::optional<FileType> TypeOf(std::string_view name);

  // The entries of the directory at name, sorted; empty when it cannot be listed.
  const std::vector<DirEntry>& List(std::string_view name);

  // The resources the file at name defines: the validator's for a selected file, else read and
  // classified here (documents and List items, as FileValidator records them). Empty when the
  // file cannot be read, is too large, is a Helm template or a kustomization.
  const std::vector<ResourceAt>& ResourcesIn(std::string_view name);

  // From now on, a file not selected whose text contains none of `words` is taken to define no
  // resources, without parsing it: for a caller that only needs the resources that could match
  // the selected ones (their kinds). Empty words: every file is parsed (the default).
  void OnlyFilesMentioning(std::vector<std::string> words) { words_ = std::move(words); }

  // The kustomizations, selected ones (added by the caller) and the others, read on demand.
  KustomizationGraph& kustomizations() { return graph_; }

 private:
  std::string OnDisk(const std::string& name) const;

  FileSystem& fs_;
  std::string base_;
  Options options_;
  KustomizationGraph graph_;
  std::map<std::string, const std::vector<ResourceAt>*, std::less<>> selected_;
  std::map<std::string, std::optional<FileType>, std::less<>> types_;
  std::map<std::string, std::vector<DirEntry>, std::less<>> listings_;
  std::map<std::string, std::vector<ResourceAt>, std::less<>> read_;
  std::vector<std::string> words_;
};

}  // namespace capstan::k8s
