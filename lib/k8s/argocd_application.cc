// An Application's spec (rules argocd-sync-option, argocd-destination, argocd-source), as Argo
// CD 3 reads it: util/argo/argo.go (GetDestinationServer, GetRefSources), reposerver/repository/
// repository.go (resolveReferencedSources), util/versions/tags.go (targetRevision constraints),
// pkg/apis/application/v1alpha1/types.go (HasMultipleSources).
#include <map>
#include <optional>

#include "core/strings.h"
#include "k8s/application_sources.h"
#include "k8s/argocd_options.h"
#include "k8s/argocd_walk.h"
#include "semver/constraint.h"
#include "semver/version.h"

namespace capstan::k8s {
namespace {

using yaml::NodeId;
using Path = std::vector<std::string>;

Path Append(Path path, std::initializer_list<std::string> more) {
  path.insert(path.end(), more);
  return path;
}

bool IsMapping(const yaml::Document& doc, NodeId id) {
  return id != yaml::kNoNode && doc.node(id).type == yaml::NodeType::kMapping;
}

// The items of a sequence (aliases resolved), or none.
std::vector<NodeId> Items(const yaml::Document& doc, NodeId id) {
  id = doc.Resolve(id);
  if (id == yaml::kNoNode || doc.node(id).type != yaml::NodeType::kSequence) return {};
  std::vector<NodeId> out;
  for (NodeId item : doc.node(id).children) out.push_back(doc.Resolve(item));
  return out;
}

// Argo CD resolves a targetRevision that parses as a Masterminds/semver constraint (and not as
// a plain version) against the tags; anything else is a branch, tag or commit. A revision that
// starts with a constraint operator, holds "||", or holds a character no git ref name may hold
// (~ ^ * space) and does not parse is a constraint gone wrong: Argo CD would look for a ref of
// that name and fail. ("release=1" and "a,b" are legal branch names.)
bool LooksLikeConstraint(std::string_view revision) {
  return std::string_view("^~<>=!*").find(revision.front()) != std::string_view::npos ||
         revision.find_first_of("~^* ") != std::string_view::npos ||
         revision.find("||") != std::string_view::npos;
}

std::optional<std::string> TargetRevisionProblem(std::string_view revision) {
  if (revision.empty() || IsPlaceholder(revision) || !LooksLikeConstraint(revision))
    return std::nullopt;
  if (semver::ParseCoerce(revision).ok()) return std::nullopt;
  Result<semver::Constraint> c = semver::ParseConstraint(revision);
  if (c.ok()) return std::nullopt;
  return "targetRevision " + QuoteForMessage(revision) +
         " looks like a semver constraint but does not parse (" + c.status().message() +
         "), so Argo CD would look for a branch or tag of that name";
}

bool ValidRefName(std::string_view ref) {
  for (char c : ref) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-';
    if (!ok) return false;
  }
  return !ref.empty();
}

class SpecChecker {
 public:
  SpecChecker(ArgoCdWalk& walk, NodeId spec, const Path& base, bool partial)
      : walk_(walk), doc_(walk.doc()), spec_(spec), base_(base), partial_(partial) {}

  void SyncOptions();
  void Destination();
  void Sources();
  void Project(std::vector<ProjectReference>& projects);

 private:
  yaml::Position At(NodeId id) const { return doc_.node(id).pos; }
  void ValueFileRefs(const std::vector<std::pair<NodeId, Path>>& sources);

  ArgoCdWalk& walk_;
  const yaml::Document& doc_;
  NodeId spec_;
  const Path& base_;
  bool partial_;
};

void SpecChecker::SyncOptions() {
  NodeId policy = doc_.Resolve(doc_.Get(spec_, "syncPolicy"));
  if (!IsMapping(doc_, policy)) return;
  std::vector<NodeId> items = Items(doc_, doc_.Get(policy, "syncOptions"));
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string* item = doc_.ScalarValue(items[i]);
    if (item == nullptr || IsPlaceholder(*item)) continue;
    if (std::optional<std::string> m = SyncOptionProblem(*item, SyncOptionPlace::kApplication))
      walk_.Add("argocd-sync-option", At(items[i]), *m,
                Append(base_, {"syncPolicy", "syncOptions", std::to_string(i)}));
  }
}

// Argo CD refuses a destination with both a server and a name ("application destination can't
// have both name and server defined") and one with neither ("Destination server missing from
// app spec").
void SpecChecker::Destination() {
  NodeId key = doc_.GetKey(spec_, "destination");
  NodeId dest = doc_.Resolve(doc_.Get(spec_, "destination"));
  if (!IsMapping(doc_, dest)) return;
  // A value that is not a scalar (an unquoted "{{ .Values.server }}" reads as a mapping) is the
  // schema rule's.
  for (std::string_view field : {"server", "name"}) {
    NodeId value = doc_.Resolve(doc_.Get(dest, field));
    if (value != yaml::kNoNode && doc_.node(value).type != yaml::NodeType::kScalar &&
        doc_.node(value).type != yaml::NodeType::kNull)
      return;
  }
  std::string server = doc_.StringAt(dest, "server");
  std::string name = doc_.StringAt(dest, "name");
  if (IsPlaceholder(server) || IsPlaceholder(name)) return;
  if (!server.empty() && !name.empty()) {
    walk_.Add("argocd-destination", At(doc_.GetKey(dest, "name")),
              "destination names both server " + QuoteForMessage(server, kQuotePathLimit) +
                  " and name " + QuoteForMessage(name) +
                  ": Argo CD refuses an Application with both; keep one",
              Append(base_, {"destination", "name"}));
  } else if (server.empty() && name.empty() && !partial_) {
    walk_.Add("argocd-destination", At(key),
              "destination names neither a server nor a name: Argo CD cannot tell which cluster "
              "to deploy to",
              Append(base_, {"destination"}));
  }
}

void SpecChecker::Sources() {
  NodeId source = doc_.Resolve(doc_.Get(spec_, "source"));
  std::vector<NodeId> list = Items(doc_, doc_.Get(spec_, "sources"));
  bool multi = !list.empty() && doc_.Get(spec_, "sourceHydrator") == yaml::kNoNode;
  if (multi && IsMapping(doc_, source) && !partial_) {
    walk_.Add("argocd-source", At(doc_.GetKey(spec_, "source")),
              "spec.source and spec.sources are both set: Argo CD deploys spec.sources and "
              "ignores spec.source",
              Append(base_, {"source"}));
  }
  std::vector<std::pair<NodeId, Path>> listed;  // spec.sources
  for (std::size_t i = 0; i < list.size(); ++i)
    if (IsMapping(doc_, list[i]))
      listed.push_back({list[i], Append(base_, {"sources", std::to_string(i)})});
  std::vector<std::pair<NodeId, Path>> all = listed;
  if (IsMapping(doc_, source)) all.insert(all.begin(), {source, Append(base_, {"source"})});
  for (const auto& [node, path] : all) {
    NodeId revision = doc_.Get(node, "targetRevision");
    const std::string* text = doc_.ScalarValue(revision);
    if (text == nullptr) continue;
    if (std::optional<std::string> m = TargetRevisionProblem(*text))
      walk_.Add("argocd-source", At(revision), *m, Append(path, {"targetRevision"}));
  }
  if (multi && !partial_) ValueFileRefs(listed);
}

// In a multi-source Application, a Helm value file (or file parameter) starting with '$' names
// the source whose `ref` is the text up to the first '/'; Argo CD fails the sync when none is.
void SpecChecker::ValueFileRefs(const std::vector<std::pair<NodeId, Path>>& sources) {
  std::map<std::string, std::string> refs;  // "$name" -> the defining source's path
  for (const auto& [node, path] : sources) {
    NodeId ref = doc_.Get(node, "ref");
    const std::string* name = doc_.ScalarValue(ref);
    if (name == nullptr || name->empty()) continue;
    if (IsPlaceholder(*name)) return;  // unknown names: no reference can be judged
    Path ref_path = Append(path, {"ref"});
    if (!ValidRefName(*name)) {
      walk_.Add(
          "argocd-source", At(ref),
          "source ref " + QuoteForMessage(*name) + " may hold only letters, digits, '_' and '-'",
          ref_path);
      continue;
    }
    auto [it, fresh] = refs.emplace("$" + *name, walk_.Pointer(path));
    if (!fresh) {
      walk_.Add("argocd-source", At(ref),
                "source ref " + QuoteForMessage(*name) + " is already the ref of " + it->second +
                    ": Argo CD refuses sources with the same ref",
                ref_path);
    }
  }
  std::vector<std::string_view> names;
  for (const auto& [name, where] : refs) names.push_back(name);
  for (const auto& [node, path] : sources) {
    NodeId helm = doc_.Resolve(doc_.Get(node, "helm"));
    if (!IsMapping(doc_, helm)) continue;
    std::vector<std::pair<NodeId, Path>> files;
    std::vector<NodeId> value_files = Items(doc_, doc_.Get(helm, "valueFiles"));
    for (std::size_t i = 0; i < value_files.size(); ++i)
      files.push_back({value_files[i], Append(path, {"helm", "valueFiles", std::to_string(i)})});
    std::vector<NodeId> params = Items(doc_, doc_.Get(helm, "fileParameters"));
    for (std::size_t i = 0; i < params.size(); ++i) {
      if (!IsMapping(doc_, params[i])) continue;
      files.push_back({doc_.Get(params[i], "path"),
                       Append(path, {"helm", "fileParameters", std::to_string(i), "path"})});
    }
    for (const auto& [file_node, file_path] : files) {
      const std::string* file = doc_.ScalarValue(file_node);
      if (file == nullptr || !file->starts_with('$') || IsPlaceholder(*file)) continue;
      std::string ref = file->substr(0, file->find('/'));
      if (refs.count(ref)) continue;
      std::string hint = Closest(ref, names);
      walk_.Add("argocd-source", At(file_node),
                "value file " + QuoteForMessage(*file, kQuotePathLimit) + " refers to source " +
                    QuoteForMessage(ref) + ", but " +
                    (refs.empty() ? std::string("no source in spec.sources has a ref")
                                  : "no source has ref " + QuoteForMessage(ref.substr(1))) +
                    (hint.empty() ? "" : " (did you mean '" + hint + "'?)"),
                file_path);
    }
  }
}

void SpecChecker::Project(std::vector<ProjectReference>& projects) {
  NodeId node = doc_.Get(spec_, "project");
  const std::string* project = doc_.ScalarValue(node);
  if (project == nullptr || project->empty() || *project == "default" || IsPlaceholder(*project))
    return;
  projects.push_back(ProjectReference{*project, At(node), walk_.Pointer(Append(base_, {"project"})),
                                      walk_.resource().identity});
}

}  // namespace

std::vector<std::string> SourcePaths(const yaml::Document& doc, NodeId spec) {
  std::vector<std::string> out;
  for (const SourceNode& source : DeployedSources(doc, spec))
    out.push_back(doc.StringAt(source.node, "path"));
  return out;
}

void CheckApplicationSpec(ArgoCdWalk& walk, NodeId spec, const std::vector<std::string>& base,
                          bool partial, std::vector<ProjectReference>& projects) {
  if (!IsMapping(walk.doc(), spec)) return;
  SpecChecker checker(walk, spec, base, partial);
  checker.SyncOptions();
  checker.Destination();
  checker.Sources();
  checker.Project(projects);
}

}  // namespace capstan::k8s
