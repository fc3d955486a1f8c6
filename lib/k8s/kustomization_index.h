// What the kustomizations of a set of checked files say about those files, each kustomization
// parsed once: which files are patches, which get their selector from a label transformer,
// which are plugin configurations, which are secretGenerator payloads, and which directories
// hold a kustomization. capstan-validate and capstan-scan build one per run; a tool that maps a
// changed path to what it affects asks the same index.
//
// The index learns of kustomizations two ways:
//  - the selected ones, which the caller has read (from disk, the git index or history) and
//    parsed with ParseKustomization, possibly on worker threads, then hands to Add;
//  - the ones beside a selected file on disk, which AddBeside reads through the FileSystem, so
//    checking one overlay file alone still knows it is a patch.
// A directory is looked in on disk at most once, and not at all when a kustomization of it
// was selected. Several versions of one file (history) may all be added.
//
// Paths are as reported ('/'-separated, relative to where the tool runs, or repository paths)
// and normalised (core/path.h NormalizePath); every answer is in that form.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/env.h"
#include "k8s/kustomize.h"

namespace capstan::k8s {

// Which answers a caller needs. kSecretGeneratorsOnly skips parsing a kustomization whose
// text does not mention `secretGenerator` (most of them), so only FileFacts::payload and
// HasKustomization are complete; the other facts may be missing.
enum class KustomizationFacts { kAll, kSecretGeneratorsOnly };

// What one kustomization file names, with paths joined to its directory and normalised.
struct Kustomization {
  std::string file;  // the kustomization's own name, normalised
  std::string api_version = "kustomize.config.k8s.io/v1beta1";  // as written, when written
  std::string kind = "Kustomization";                           // or "Component"
  std::vector<std::string> patches;                             // PatchFiles
  std::vector<std::string> selector_filled;                     // SelectorFilledFiles
  std::vector<std::string> plugin_configs;                      // PluginConfigFiles
  std::vector<std::pair<std::string, Payload>> payloads;        // GeneratorPayloads
  // `resources` and legacy `bases` entries that are local paths: files, or directories that
  // hold a kustomization.
  std::vector<std::string> resources;
  std::vector<std::string> components;  // `components` entries that are local paths
  // The other local files and directories the build reads: configMapGenerator `files` (the
  // path of "key=path"), `envs` and `env`; `crds`; `configurations`; `openapi.path`;
  // `replacements[].path`; helmCharts' `valuesFile` and `additionalValuesFiles`; and, when there
  // are helmCharts, the chart home directory (helmGlobals.chartHome, default "charts").
  std::vector<std::string> inputs;
  // `resources`, `bases` and `components` entries that are remote (a URL, `git@...`,
  // `github.com/...`, or a `?ref=` query), as written; kustomize fetches them, capstan does not.
  std::vector<std::string> remote;
  // The transformer fields, as written ("" when absent or not a string): kustomize prefixes
  // and suffixes the names of what this kustomization builds (CustomResourceDefinition,
  // APIService and Namespace excepted) and sets the namespace of its namespaced resources.
  std::string name_prefix;  // namePrefix
  std::string name_suffix;  // nameSuffix
  std::string namespace_;   // namespace

  // Every path entry (KustomizationPaths), remote ones included, with where it is written.
  struct Path {
    PathRef ref;
    std::string path;  // ref.written joined to the kustomization's directory and normalised
  };
  std::vector<Path> paths;
  // The top-level fields set to something other than null, in document order, at their keys.
  struct Field {
    std::string name;
    yaml::Position pos;
  };
  std::vector<Field> fields;
  // The build may rename resources or move them to another namespace in ways the transformer
  // fields above do not say: it has `transformers` or `replacements`, or an inline patch that
  // touches /metadata/name or /metadata/namespace.
  bool may_rename = false;
};

// Parses the kustomization file reported as `name` (every YAML document of text; what does
// not parse names nothing). Never fails. Pass "" as text for a kustomization that exists but
// could not be read: it then names nothing. Pure and thread-safe. With kSecretGeneratorsOnly,
// a kustomization without `secretGenerator` names nothing at all.
Kustomization ParseKustomization(std::string_view name, std::string_view text,
                                 KustomizationFacts wanted = KustomizationFacts::kAll);

class KustomizationIndex {
 public:
  struct Options {
    // Kustomizations AddBeside reads that are larger than this are left out.
    std::uint64_t max_file_bytes = 1u << 20;
    KustomizationFacts facts = KustomizationFacts::kAll;
  };

  // What the kustomizations added so far say about one file.
  struct FileFacts {
    bool patch = false;            // a patch: partial resource (PatchFiles)
    bool selector_filled = false;  // kustomize writes its spec.selector (SelectorFilledFiles)
    bool plugin_config = false;    // a generator/transformer/validator config (PluginConfigFiles)
    // How a secretGenerator reads it; when kustomizations disagree, the one added last wins.
    Payload payload = Payload::kNone;
  };

  // REQUIRES: fs outlives the index.
  KustomizationIndex(FileSystem& fs, Options options) : fs_(fs), options_(options) {}

  const Options& options() const { return options_; }

  // Records a selected kustomization (from ParseKustomization, with options().facts).
  void Add(const Kustomization& kustomization);

  // For a selected file on disk, reported as `name` and read from `path` (a file-system path):
  // unless a kustomization of name's directory was added or the directory was looked in
  // before, reads each of kKustomizationFileNames in path's directory and adds those that
  // exist, are readable and within options().max_file_bytes, as kustomizations of name's
  // directory. A missing or unreadable one is skipped silently: the files it would describe
  // are checked as plain files.
  // REQUIRES: every selected kustomization was added first.
  void AddBeside(std::string_view name, std::string_view path);

  // What is known about the file at path (normalised here), or nullptr when no kustomization
  // added names it. The pointer is valid until the next Add or AddBeside.
  const FileFacts* Find(std::string_view path) const;

  // Every file some kustomization names, by normalised path.
  const std::map<std::string, FileFacts>& files() const { return files_; }

  // Whether a kustomization of directory dir ("" for the top; normalised here) was added,
  // readable or not.
  bool HasKustomization(std::string_view dir) const;

  // Const members are safe to call from several threads while nothing is added.

 private:
  FileSystem& fs_;
  Options options_;
  std::map<std::string, FileFacts> files_;
  std::set<std::string> dirs_;       // directories of the kustomizations added
  std::set<std::string> looked_in_;  // directories AddBeside has read
};

// The local paths a kustomization's build depends on, found by following `resources`,
// `bases`, `components` and generator/transformer/validator entries that are directories with a
// kustomization, transitively: what a change must touch to change the build's output. Each
// directory is read at most once per graph, each closure computed once; a cycle of references
// is followed once around. Paths are repository-relative ('/'-separated, normalised, "" for
// the top), read from the file system under a root directory (a work tree); an absolute path
// is read as it is.
class KustomizationGraph {
 public:
  struct Options {
    std::uint64_t max_file_bytes = 1u << 20;  // larger kustomizations are not followed (a note)
  };

  // A path a kustomization names, and which kustomization file named it (for messages).
  struct Dependency {
    std::string path;
    std::string via;
  };

  struct Closure {
    // Every path some kustomization of the closure names that lies outside both the start
    // directory and the naming kustomization's own directory (what is inside them changes only
    // with them), in breadth-first order, each path once. A directory followed appears here
    // (unless inside the start directory), so a change anywhere under it is a change to it.
    std::vector<Dependency> dependencies;
    // What was not followed, one line each: "remote resource 'github.com/x/y?ref=v1' in
    // 'base/kustomization.yaml' is not followed", "'../../x' in 'a/kustomization.yaml' leaves
    // the repository", "cannot read 'a/kustomization.yaml': <why>".
    std::vector<std::string> notes;
  };

  // REQUIRES: fs outlives the graph. root is the file-system directory that repository paths
  // are relative to.
  KustomizationGraph(FileSystem& fs, std::string root, Options options)
      : fs_(fs), root_(std::move(root)), options_(options) {}

  // Records a kustomization the caller has read (a selected file, from disk, the git index or
  // stdin): its directory is answered with it and never looked in. A second one for the same
  // directory is ignored (kustomize refuses a directory with two).
  // REQUIRES: nothing has been read from its directory yet.
  void Add(Kustomization kustomization);

  // The closure of the kustomization in directory dir (normalised here). Empty when dir holds
  // no kustomization (a plain or Helm directory, or a deleted one). The reference stays valid
  // for the graph's lifetime. Not thread-safe (it fills caches).
  const Closure& DependenciesOf(std::string_view dir);

  // The kustomization in directory dir (normalised here) as read, or nullptr when dir holds
  // none. A kustomization that could not be read names nothing; ReadNote says why. The
  // pointer stays valid for the graph's lifetime. Not thread-safe.
  const Kustomization* KustomizationIn(std::string_view dir);
  // Why the kustomization in dir could not be read (the line DependenciesOf notes), or "" when
  // it could or there is none.
  std::string ReadNote(std::string_view dir);

 private:
  // One directory as read: its kustomization, if it has one.
  // (Most directories hold none, so the kustomization is kept apart.)
  struct Node {
    std::unique_ptr<Kustomization> kustomization;  // null when the directory holds none
    std::string note;  // why the kustomization could not be read; "" when it could
  };
  const Node& Read(const std::string& dir);

  FileSystem& fs_;
  std::string root_;
  Options options_;
  std::map<std::string, Node> nodes_;
  std::map<std::string, Closure> closures_;
};

}  // namespace capstan::k8s
