// Argo CD Image Updater annotations on Application documents. Lenient per alias: a bad
// annotation costs its alias (or, at the Application level, the Application), never the cycle.
#include <algorithm>
#include <optional>

#include "argocd/application.h"
#include "core/path.h"
#include "core/strings.h"
#include "image/platform.h"
#include "policy/sources.h"
#include "yaml/parser.h"

namespace capstan::policy {
namespace {

using yaml::NodeId;

constexpr std::string_view kPrefix = "argocd-image-updater.argoproj.io/";
constexpr std::string_view kAliasOptions[] = {
    "update-strategy", "allow-tags",     "ignore-tags",         "platforms",
    "helm.image-name", "helm.image-tag", "kustomize.image-name"};

struct Annotation {
  std::string key;  // after the prefix
  std::string value;
  NodeId node = yaml::kNoNode;        // the key
  NodeId value_node = yaml::kNoNode;  // the value
};

struct Entry {
  std::string alias;
  std::string image;       // as written, without the constraint
  std::string constraint;  // "" when none
  std::map<std::string, const Annotation*> options;
  bool bad = false;
};

std::vector<std::string> SplitList(std::string_view s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    std::size_t end = std::min(s.find(',', start), s.size());
    std::string_view item = Trim(s.substr(start, end - start));
    if (!item.empty()) out.emplace_back(item);
    start = end + 1;
  }
  return out;
}

// `[<alias>=]<image>[:<constraint>]`. An '=' belongs to the alias only when what precedes it
// cannot be part of an image name, so a constraint such as ">=1.2" survives.
Result<Entry> ParseEntry(std::string_view item) {
  Entry e;
  std::string_view rest = item;
  std::size_t eq = item.find('=');
  if (eq != std::string_view::npos &&
      item.substr(0, eq).find_first_of("/:") == std::string_view::npos) {
    e.alias = std::string(Trim(item.substr(0, eq)));
    rest = Trim(item.substr(eq + 1));
    if (e.alias.empty())
      return Status::InvalidArgument("image-list entry " + QuoteForMessage(item, kQuotePathLimit) +
                                     " has an empty alias");
  }
  if (rest.find('@') != std::string_view::npos)
    return Status::InvalidArgument("image-list entry " + QuoteForMessage(item, kQuotePathLimit) +
                                   " pins a digest");
  std::size_t slash = rest.rfind('/');
  std::size_t colon = rest.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    e.constraint = std::string(Trim(rest.substr(colon + 1)));
    rest = rest.substr(0, colon);
    if (e.constraint.empty())
      return Status::InvalidArgument("image-list entry " + QuoteForMessage(item, kQuotePathLimit) +
                                     " has an empty version constraint");
  }
  e.image = std::string(Trim(rest));
  if (e.alias.empty()) e.alias = e.image;
  return e;
}

class AppReader {
 public:
  AppReader(std::string_view file, const yaml::Document& doc, const argocd::Application& app,
            std::vector<SourceProblem>& problems)
      : file_(file), doc_(doc), app_(app), problems_(problems) {}

  void Read(std::vector<ImagePolicy>& into);

 private:
  PolicySource Where(NodeId node, const std::string& alias) const {
    const yaml::Node& n = doc_.node(node);
    std::string label = "Application " + name_;
    if (!alias.empty()) label += " (alias " + alias + ")";
    return PolicySource{file_, n.pos.line, n.pos.column, std::move(label)};
  }
  void Problem(NodeId node, const std::string& alias, std::string message) {
    problems_.push_back(SourceProblem{Where(node, alias), std::move(message)});
  }
  const Annotation* Find(std::string_view key) const {
    for (const Annotation& a : annotations_)
      if (a.key == key) return &a;
    return nullptr;
  }
  bool ReadSource();
  bool ReadWriteBack();
  std::optional<ImagePolicy> Policy(const Entry& e);

  std::string file_;
  const yaml::Document& doc_;
  const argocd::Application& app_;
  std::vector<SourceProblem>& problems_;
  std::string name_;
  NodeId root_ = yaml::kNoNode;
  NodeId list_node_ = yaml::kNoNode;  // the image-list value
  std::vector<Annotation> annotations_;
  // The Application's source: path relative to the repository root, and whether it is Helm.
  std::optional<std::string> path_;
  bool helm_source_ = false;
  // write-back-target: "" (the override file), "kustomization" or "helmvalues", and its path.
  std::string target_;
  std::string target_path_;
  std::string target_resolved_;  // target_path_ relative to the repository root
};

bool AppReader::ReadSource() {
  const argocd::Source* source = app_.FirstSourceWithPath();
  if (source == nullptr) return true;
  path_ = argocd::ResolveRepositoryPath("", *source->path);
  if (!path_) {
    Problem(root_, "",
            "spec.source.path " + QuoteForMessage(*source->path, kQuotePathLimit) +
                " leaves the repository");
    return false;
  }
  helm_source_ = source->helm;
  return true;
}

bool AppReader::ReadWriteBack() {
  bool ok = true;
  if (const Annotation* a = Find("write-back-method")) {
    if (a->value == "argocd") {
      Problem(a->node, "",
              "write-back-method argocd writes to the cluster, not Git; capstan-watch needs git");
      ok = false;
    } else if (a->value != "git" && !a->value.starts_with("git:")) {
      Problem(a->node, "",
              "unknown write-back-method " + QuoteForMessage(a->value) +
                  ": expected git or git:<credentials>");
      ok = false;
    }
  }
  if (const Annotation* a = Find("git-branch")) {
    Problem(a->node, "", "git-branch is not supported: use --push-branch");
    ok = false;
  }
  if (const Annotation* a = Find("write-back-target")) {
    std::string_view v = a->value;
    std::size_t colon = v.find(':');
    target_ = std::string(v.substr(0, colon));
    target_path_ = colon == std::string_view::npos ? "" : std::string(v.substr(colon + 1));
    if (target_ != "kustomization" && target_ != "helmvalues") {
      Problem(
          a->node, "",
          "unknown write-back-target " + QuoteForMessage(a->value) +
              ": expected kustomization, kustomization:<path>, helmvalues or helmvalues:<path>");
      ok = false;
    } else if (colon != std::string_view::npos && target_path_.empty()) {
      Problem(a->node, "", "write-back-target " + QuoteForMessage(a->value) + " has an empty path");
      ok = false;
    }
  }
  return ok;
}

std::optional<ImagePolicy> AppReader::Policy(const Entry& e) {
  ImagePolicy p;
  p.source = Where(list_node_, e.alias);
  p.alias = e.alias;
  auto option = [&](std::string_view name) -> const Annotation* {
    auto it = e.options.find(std::string(name));
    return it == e.options.end() ? nullptr : it->second;
  };

  Result<image::Reference> ref = image::ParseReference(e.image);
  if (!ref.ok()) {
    Problem(list_node_, e.alias, ref.status().message());
    return std::nullopt;
  }
  p.image = *ref;
  if (const Annotation* a = option("update-strategy")) {
    Result<image::Strategy> s = image::ParseStrategy(a->value);
    if (!s.ok()) {
      Problem(a->node, e.alias, s.status().message());
      return std::nullopt;
    }
    p.tags.strategy = *s;
  }
  if (!e.constraint.empty()) {
    if (p.tags.strategy != image::Strategy::kSemver &&
        p.tags.strategy != image::Strategy::kDigest) {
      Problem(list_node_, e.alias,
              "version constraint " + QuoteForMessage(e.constraint) +
                  " is used by the semver and digest strategies only, not " +
                  image::StrategyName(p.tags.strategy));
      return std::nullopt;
    }
    p.tags.constraint = e.constraint;
    if (p.tags.strategy == image::Strategy::kDigest) p.image.tag = e.constraint;
  }
  if (const Annotation* a = option("allow-tags")) {
    if (a->value.starts_with("regexp:")) {
      p.tags.allow_regex = a->value.substr(7);
    } else if (a->value != "any") {
      Problem(a->node, e.alias,
              "allow-tags " + QuoteForMessage(a->value) + " must be regexp:<pattern> or any");
      return std::nullopt;
    }
  }
  if (const Annotation* a = option("ignore-tags")) p.tags.ignore_tags = SplitList(a->value);
  if (Status s = image::ValidatePolicy(p.tags); !s.ok()) {
    Problem(list_node_, e.alias, s.message());
    return std::nullopt;
  }
  if (const Annotation* a = option("platforms")) {
    p.platforms = SplitList(a->value);
    for (const std::string& platform : p.platforms) {
      Result<image::Platform> parsed = image::ParsePlatform(platform);
      if (!parsed.ok()) {
        Problem(a->node, e.alias, parsed.status().message());
        return std::nullopt;
      }
    }
  }

  const Annotation* helm_tag = option("helm.image-tag");
  const Annotation* helm_name = option("helm.image-name");
  const Annotation* kustomize_name = option("kustomize.image-name");
  bool helm = helm_tag != nullptr || helm_name != nullptr || helm_source_;
  std::string tag_key = helm_tag ? helm_tag->value : "image.tag";
  if (kustomize_name && !helm) p.write.kustomize_name = kustomize_name->value;
  if (target_.empty()) {
    std::string file = AppendPath(path_.value_or(""), ".argocd-source-" + name_ + ".yaml");
    p.write.files = {file};
    p.write.override_file = file;
    p.write.override_kind = helm ? "helm" : "kustomize";
    if (helm) {
      p.write.helm_keys = {tag_key};
      p.write.override_name_key = helm_name ? helm_name->value : "image.name";
    }
    return p;
  }
  if (target_ == "kustomization") {
    // The caller maps kustomization.yaml to kustomization.yml or Kustomization when needed.
    p.write.files = {AppendPath(target_resolved_, "kustomization.yaml")};
  } else {
    p.write.files = {target_path_.empty() ? AppendPath(target_resolved_, "values.yaml")
                                          : target_resolved_};
    p.write.helm_keys = {tag_key};
  }
  return p;
}

void AppReader::Read(std::vector<ImagePolicy>& into) {
  root_ = app_.root;
  name_ = app_.name;
  for (const argocd::Annotation& a : app_.annotations) {
    if (!a.key.starts_with(kPrefix)) continue;
    annotations_.push_back(
        Annotation{a.key.substr(kPrefix.size()), a.value, a.key_node, a.value_node});
  }
  if (annotations_.empty()) return;

  const Annotation* list = Find("image-list");
  if (list == nullptr) {
    Problem(annotations_.front().node, "", "Image Updater annotations without an image-list");
    return;
  }
  list_node_ = list->value_node;
  std::vector<Entry> entries;
  for (const std::string& item : SplitList(list->value)) {
    Result<Entry> e = ParseEntry(item);
    if (!e.ok()) {
      Problem(list_node_, "", e.status().message());
      continue;
    }
    bool duplicate = std::any_of(entries.begin(), entries.end(),
                                 [&](const Entry& o) { return o.alias == e->alias; });
    if (duplicate) {
      Problem(list_node_, e->alias,
              "alias " + QuoteForMessage(e->alias) + " is listed twice in image-list");
      continue;
    }
    entries.push_back(std::move(*e));
  }

  for (const Annotation& a : annotations_) {
    if (a.key == "image-list" || a.key == "write-back-method" || a.key == "write-back-target" ||
        a.key == "git-branch")
      continue;
    Entry* owner = nullptr;
    for (Entry& e : entries)
      if (a.key.size() > e.alias.size() + 1 && a.key.starts_with(e.alias) &&
          a.key[e.alias.size()] == '.' &&
          (owner == nullptr || e.alias.size() > owner->alias.size()))
        owner = &e;
    if (owner == nullptr) {
      std::size_t dot = a.key.find('.');
      Problem(a.node, "",
              dot == std::string::npos
                  ? "annotation " + QuoteForMessage(std::string(kPrefix) + a.key, kQuotePathLimit) +
                        " is not supported by capstan-watch"
                  : "annotation " + QuoteForMessage(std::string(kPrefix) + a.key, kQuotePathLimit) +
                        " names alias " + QuoteForMessage(a.key.substr(0, dot)) +
                        ", which image-list does not list");
      continue;
    }
    std::string option = a.key.substr(owner->alias.size() + 1);
    if (std::find(std::begin(kAliasOptions), std::end(kAliasOptions), option) ==
        std::end(kAliasOptions)) {
      Problem(a.node, owner->alias,
              "annotation " + QuoteForMessage(std::string(kPrefix) + a.key, kQuotePathLimit) +
                  " is not supported by capstan-watch");
      owner->bad = true;
      continue;
    }
    owner->options[option] = &a;
  }

  bool ok = ReadWriteBack();
  ok = ReadSource() && ok;
  if (!ok) return;
  if (!path_ && !target_path_.starts_with('/')) {
    Problem(root_, "", "the Application has no spec.source.path to write back to");
    return;
  }
  if (target_.empty() && name_.empty()) {
    Problem(root_, "", "the Application has no metadata.name to name its .argocd-source file");
    return;
  }
  if (!target_.empty()) {
    std::optional<std::string> resolved = argocd::ResolveRepositoryPath(
        path_.value_or(""), target_path_.empty() ? "." : target_path_);
    if (!resolved) {
      Problem(Find("write-back-target")->node, "",
              "write-back-target path " + QuoteForMessage(target_path_, kQuotePathLimit) +
                  " leaves the repository");
      return;
    }
    target_resolved_ = *resolved;
  }
  for (const Entry& e : entries) {
    if (e.bad) continue;
    if (std::optional<ImagePolicy> p = Policy(e)) into.push_back(std::move(*p));
  }
}

}  // namespace

void CollectArgoCdPolicies(std::string_view file, std::string_view text,
                           std::vector<ImagePolicy>& into, std::vector<SourceProblem>& problems) {
  // Files that are not YAML, or stop being YAML part way, give what parsed: their issues are
  // other tools' findings, not policy problems.
  yaml::ParsedFile parsed = yaml::Parse(text);
  for (const yaml::Document& doc : parsed.documents) {
    if (std::optional<argocd::Application> app = argocd::ReadApplication(doc))
      AppReader(file, doc, *app, problems).Read(into);
  }
}

}  // namespace capstan::policy
