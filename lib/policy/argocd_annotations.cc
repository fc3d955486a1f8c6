// Argo CD Image Updater annotations on Application documents, read once for two audiences:
// capstan-watch (policies; lenient per alias: a bad annotation costs its alias, or at the
// Application level the Application, never the cycle) and capstan-validate (what Image Updater
// itself would refuse, misread or ignore). Each problem says which of the two it is
// (ProblemKind); capstan-validate's further checks of values run only for it.
#include <algorithm>
#include <map>
#include <optional>
#include <span>

#include "argocd/application.h"
#include "core/glob.h"
#include "core/path.h"
#include "core/strings.h"
#include "image/platform.h"
#include "policy/image_updater_values.h"
#include "policy/sources.h"
#include "yaml/parser.h"

namespace capstan::policy {
namespace {

using yaml::NodeId;

constexpr std::string_view kPrefix = "argocd-image-updater.argoproj.io/";
// The per-alias options capstan-watch follows.
constexpr std::string_view kAliasOptions[] = {
    "update-strategy", "allow-tags",     "ignore-tags",         "platforms",
    "helm.image-name", "helm.image-tag", "kustomize.image-name"};
// Every per-alias option and Application-level key Argo CD Image Updater reads (v0.17
// docs/configuration/images.md appendix, v1 pkg/argocd/annotations.go).
constexpr std::string_view kImageUpdaterAliasOptions[] = {
    "update-strategy", "allow-tags",           "ignore-tags",     "platforms",    "helm.image-name",
    "helm.image-tag",  "kustomize.image-name", "helm.image-spec", "force-update", "pull-secret"};
constexpr std::string_view kImageUpdaterKeys[] = {
    "image-list",      "write-back-method", "write-back-target", "git-branch",  "git-repository",
    "update-strategy", "force-update",      "allow-tags",        "ignore-tags", "pull-secret"};
// The Application-wide defaults among them, which images without their own setting take.
constexpr std::string_view kApplicationSettings[] = {"update-strategy", "force-update",
                                                     "allow-tags", "ignore-tags", "pull-secret"};

enum class Audience { kWatch, kImageUpdater };

bool Listed(std::span<const std::string_view> list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// A value some tool fills in before Argo CD sees it (a template, envsubst, Flux): not judged.
bool Unrendered(std::string_view value) {
  return value.find("{{") != std::string_view::npos || value.find("${") != std::string_view::npos;
}

struct Annotation {
  std::string key;  // after the prefix
  std::string value;
  NodeId node = yaml::kNoNode;        // the key
  NodeId value_node = yaml::kNoNode;  // the value
};

struct Entry {
  std::string alias;
  bool aliased = false;    // the alias was written ("<alias>=<image>")
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
    e.aliased = true;
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
            Audience audience, std::vector<SourceProblem>& problems)
      : file_(file), doc_(doc), app_(app), audience_(audience), problems_(problems) {}

  void Read(std::vector<ImagePolicy>& into);

 private:
  PolicySource Where(NodeId node, const std::string& alias) const {
    const yaml::Node& n = doc_.node(node);
    std::string label = "Application " + name_;
    if (!alias.empty()) label += " (alias " + alias + ")";
    return PolicySource{file_, n.pos.line, n.pos.column, std::move(label)};
  }
  // A problem about `about` (nullptr: the Application as a whole). capstan-validate hears only
  // of kInvalid ones.
  void Problem(NodeId node, const std::string& alias, std::string message,
               ProblemKind kind = ProblemKind::kInvalid, const Annotation* about = nullptr) {
    if (audience_ == Audience::kImageUpdater && kind != ProblemKind::kInvalid) return;
    SourceProblem p;
    p.where = Where(node, alias);
    p.message = std::move(message);
    p.kind = kind;
    if (about != nullptr) p.annotation = std::string(kPrefix) + about->key;
    p.object = ProblemObject{app_.api_version, "Application", app_.namespace_, app_.name};
    problems_.push_back(std::move(p));
  }
  // About an annotation: at its key.
  void Problem(const Annotation& a, const std::string& alias, std::string message,
               ProblemKind kind = ProblemKind::kInvalid) {
    Problem(a.node, alias, std::move(message), kind, &a);
  }
  // About an image-list entry: at the image-list value.
  void EntryProblem(const std::string& alias, std::string message,
                    ProblemKind kind = ProblemKind::kInvalid) {
    Problem(list_->value_node, alias, std::move(message), kind, list_);
  }
  const Annotation* Find(std::string_view key) const {
    for (const Annotation& a : annotations_)
      if (a.key == key) return &a;
    return nullptr;
  }
  bool ReadSource();
  bool ReadWriteBack();
  void Classify(const Annotation& a, std::vector<Entry>& entries);
  std::optional<ImagePolicy> Policy(const Entry& e);
  // Image Updater's own reading of the values (Audience::kImageUpdater only).
  bool JudgeSettings(const std::map<std::string, const Annotation*>& options,
                     const std::string& alias, image::Strategy* strategy);
  void JudgeValues(const std::vector<Entry>& entries);

  std::string file_;
  const yaml::Document& doc_;
  const argocd::Application& app_;
  Audience audience_;
  std::vector<SourceProblem>& problems_;
  std::string name_;
  NodeId root_ = yaml::kNoNode;
  NodeId list_node_ = yaml::kNoNode;  // the image-list value
  const Annotation* list_ = nullptr;  // the image-list annotation
  std::vector<Annotation> annotations_;
  // Application-wide settings Image Updater applies to images without their own.
  std::map<std::string, const Annotation*> settings_;
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
                " leaves the repository",
            ProblemKind::kUnsupported);
    return false;
  }
  helm_source_ = source->helm;
  return true;
}

bool AppReader::ReadWriteBack() {
  bool ok = true;
  if (const Annotation* a = Find("write-back-method")) {
    if (a->value == "argocd") {
      Problem(*a, "",
              "write-back-method argocd writes to the cluster, not Git; capstan-watch needs git",
              ProblemKind::kUnsupported);
      ok = false;
    } else if (a->value != "git" && !a->value.starts_with("git:")) {
      Problem(*a, "",
              "unknown write-back-method " + QuoteForMessage(a->value) +
                  ": expected git or git:<credentials>",
              internal::WriteBackMethodProblem(a->value) ? ProblemKind::kInvalid
                                                         : ProblemKind::kUnsupported);
      ok = false;
    }
  }
  if (const Annotation* a = Find("git-branch")) {
    Problem(*a, "", "git-branch is not supported: use --push-branch", ProblemKind::kUnsupported);
    ok = false;
  }
  if (const Annotation* a = Find("write-back-target")) {
    std::string_view v = a->value;
    std::size_t colon = v.find(':');
    target_ = std::string(v.substr(0, colon));
    target_path_ = colon == std::string_view::npos ? "" : std::string(v.substr(colon + 1));
    // Image Updater takes any other target as the file to write its overrides to.
    if (target_ != "kustomization" && target_ != "helmvalues") {
      Problem(*a, "",
              "unknown write-back-target " + QuoteForMessage(a->value) +
                  ": expected kustomization, kustomization:<path>, helmvalues or helmvalues:<path>",
              ProblemKind::kUnsupported);
      ok = false;
    } else if (colon != std::string_view::npos && target_path_.empty()) {
      Problem(*a, "", "write-back-target " + QuoteForMessage(a->value) + " has an empty path",
              ProblemKind::kUnsupported);
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
    EntryProblem(e.alias, ref.status().message());
    return std::nullopt;
  }
  p.image = *ref;
  if (const Annotation* a = option("update-strategy")) {
    Result<image::Strategy> s = image::ParseStrategy(a->value);
    if (!s.ok()) {
      image::Strategy ignored;
      Problem(*a, e.alias, s.status().message(),
              internal::UpdateStrategyProblem(a->value, &ignored) ? ProblemKind::kInvalid
                                                                  : ProblemKind::kUnsupported);
      return std::nullopt;
    }
    p.tags.strategy = *s;
  }
  if (!e.constraint.empty()) {
    // Image Updater ignores it.
    if (p.tags.strategy != image::Strategy::kSemver &&
        p.tags.strategy != image::Strategy::kDigest) {
      EntryProblem(e.alias,
                   "version constraint " + QuoteForMessage(e.constraint) +
                       " is used by the semver and digest strategies only, not " +
                       image::StrategyName(p.tags.strategy),
                   ProblemKind::kUnsupported);
      return std::nullopt;
    }
    p.tags.constraint = e.constraint;
    if (p.tags.strategy == image::Strategy::kDigest) p.image.tag = e.constraint;
  }
  if (const Annotation* a = option("allow-tags")) {
    if (a->value.starts_with("regexp:")) {
      p.tags.allow_regex = a->value.substr(7);
    } else if (a->value != "any") {
      Problem(
          *a, e.alias,
          "allow-tags " + QuoteForMessage(a->value) + " must be regexp:<pattern> or any",
          internal::AllowTagsProblem(a->value) ? ProblemKind::kInvalid : ProblemKind::kUnsupported);
      return std::nullopt;
    }
  }
  if (const Annotation* a = option("ignore-tags")) p.tags.ignore_tags = SplitList(a->value);
  if (Status s = image::ValidatePolicy(p.tags); !s.ok()) {
    EntryProblem(e.alias, s.message());
    return std::nullopt;
  }
  if (const Annotation* a = option("platforms")) {
    p.platforms = SplitList(a->value);
    for (const std::string& platform : p.platforms) {
      Result<image::Platform> parsed = image::ParsePlatform(platform);
      if (!parsed.ok()) {
        Problem(*a, e.alias, parsed.status().message());
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

// Which entry an annotation belongs to, or what is wrong with its key.
void AppReader::Classify(const Annotation& a, std::vector<Entry>& entries) {
  std::string full = std::string(kPrefix) + a.key;
  std::string quoted = QuoteForMessage(full, kQuotePathLimit);
  bool judge = audience_ == Audience::kImageUpdater;
  Entry* owner = nullptr;
  for (Entry& e : entries)
    if (a.key.size() > e.alias.size() + 1 && a.key.starts_with(e.alias) &&
        a.key[e.alias.size()] == '.' && (owner == nullptr || e.alias.size() > owner->alias.size()))
      owner = &e;
  if (owner == nullptr) {
    std::size_t dot = a.key.find('.');
    if (dot != std::string::npos) {
      Problem(a, "",
              "annotation " + quoted + " names alias " + QuoteForMessage(a.key.substr(0, dot)) +
                  ", which image-list does not list");
    } else if (Listed(kImageUpdaterKeys, a.key)) {
      Problem(a, "", "annotation " + quoted + " is not supported by capstan-watch",
              ProblemKind::kUnsupported);
      if (Listed(kApplicationSettings, a.key)) settings_[a.key] = &a;
    } else {
      std::vector<std::string> keys;
      for (std::string_view k : kImageUpdaterKeys)
        keys.push_back(std::string(kPrefix) + std::string(k));
      std::string hint = Closest(full, std::vector<std::string_view>(keys.begin(), keys.end()));
      Problem(a, "",
              judge ? "unknown Image Updater annotation " + quoted +
                          (hint.empty() ? "" : " (did you mean '" + hint + "'?)")
                    : "annotation " + quoted + " is not supported by capstan-watch");
    }
    return;
  }
  std::string option = a.key.substr(owner->alias.size() + 1);
  if (Listed(kAliasOptions, option)) {
    owner->options[option] = &a;
    return;
  }
  owner->bad = true;
  if (Listed(kImageUpdaterAliasOptions, option)) {
    owner->options[option] = &a;
    Problem(a, owner->alias, "annotation " + quoted + " is not supported by capstan-watch",
            ProblemKind::kUnsupported);
    return;
  }
  std::string hint =
      Closest(option, std::vector<std::string_view>(std::begin(kImageUpdaterAliasOptions),
                                                    std::end(kImageUpdaterAliasOptions)));
  Problem(a, owner->alias,
          judge ? "unknown Image Updater annotation " + quoted +
                      (hint.empty() ? ""
                                    : " (did you mean '" + std::string(kPrefix) + owner->alias +
                                          "." + hint + "'?)")
                : "annotation " + quoted + " is not supported by capstan-watch");
}

// One set of settings (an alias's, or the Application-wide defaults when alias is ""), as
// Image Updater reads them. Sets *strategy to a valid update-strategy; false when some value
// is invalid.
bool AppReader::JudgeSettings(const std::map<std::string, const Annotation*>& options,
                              const std::string& alias, image::Strategy* strategy) {
  bool ok = true;
  auto judge = [&](const Annotation& a, std::optional<std::string> problem) {
    if (!problem) return;
    Problem(a, alias, std::move(*problem));
    ok = false;
  };
  for (const auto& [option, a] : options) {
    std::string_view value = Trim(a->value);
    if (Unrendered(value)) continue;
    if (option == "update-strategy") {
      judge(*a, internal::UpdateStrategyProblem(value, strategy));
    } else if (option == "allow-tags") {
      judge(*a, internal::AllowTagsProblem(value));
    } else if (option == "force-update") {
      judge(*a, internal::ForceUpdateProblem(value));
    } else if (option == "pull-secret") {
      judge(*a, internal::PullSecretProblem(value));
    } else if (option == "ignore-tags") {
      for (const std::string& glob : SplitList(a->value)) {
        Status s = CheckGlob(glob);
        judge(*a, s.ok() ? std::nullopt : std::optional<std::string>(s.message()));
      }
    } else if (option == "platforms") {
      for (const std::string& platform : SplitList(a->value)) {
        Result<image::Platform> parsed = image::ParsePlatform(platform);
        judge(*a,
              parsed.ok() ? std::nullopt : std::optional<std::string>(parsed.status().message()));
      }
    }
  }
  return ok;
}

void AppReader::JudgeValues(const std::vector<Entry>& entries) {
  if (const Annotation* a = Find("write-back-method"); a != nullptr && !Unrendered(a->value))
    if (std::optional<std::string> m = internal::WriteBackMethodProblem(a->value))
      Problem(*a, "", std::move(*m));
  // An unknown update-strategy reads as semver, the Application-wide one included.
  image::Strategy common = image::Strategy::kSemver;
  JudgeSettings(settings_, "", &common);
  for (const Entry& e : entries) {
    if (Unrendered(e.image) || Unrendered(e.constraint)) continue;
    if (Result<image::Reference> ref = image::ParseReference(e.image); !ref.ok()) {
      EntryProblem(e.alias, ref.status().message());
      continue;
    }
    image::TagPolicy tags;
    tags.strategy = common;
    if (!JudgeSettings(e.options, e.alias, &tags.strategy)) continue;
    if (tags.strategy != image::Strategy::kSemver && tags.strategy != image::Strategy::kDigest)
      continue;  // Image Updater ignores the constraint
    tags.constraint = e.constraint;
    Status s = image::ValidatePolicy(tags);
    if (s.ok()) continue;
    std::string message = s.message();
    // "nginx:latest" under semver: a tag to follow, not a range.
    if (tags.strategy == image::Strategy::kSemver &&
        e.constraint.find_first_of("0123456789") == std::string::npos)
      message +=
          " (to follow the tag " + QuoteForMessage(e.constraint) + ", set update-strategy: digest)";
    EntryProblem(e.alias, std::move(message));
  }
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

  list_ = Find("image-list");
  if (list_ == nullptr) {
    Problem(annotations_.front(), "", "Image Updater annotations without an image-list");
    return;
  }
  list_node_ = list_->value_node;
  bool judge = audience_ == Audience::kImageUpdater;
  std::vector<Entry> entries;
  for (const std::string& item : SplitList(list_->value)) {
    Result<Entry> e = ParseEntry(item);
    if (!e.ok()) {
      EntryProblem("", e.status().message(), ProblemKind::kUnsupported);
      continue;
    }
    // Image Updater splits every entry at its first '=', so ">=1.2" needs an alias before it.
    if (judge && !e->aliased && item.find('=') != std::string::npos) {
      EntryProblem(e->alias, "image-list entry " + QuoteForMessage(item, kQuotePathLimit) +
                                 " holds '=' but no alias: Image Updater reads the text before "
                                 "the first '=' as the alias; write <alias>=" +
                                 item);
      continue;
    }
    bool duplicate = std::any_of(entries.begin(), entries.end(),
                                 [&](const Entry& o) { return o.alias == e->alias; });
    if (duplicate) {
      EntryProblem(e->alias,
                   "alias " + QuoteForMessage(e->alias) + " is listed twice in image-list");
      continue;
    }
    entries.push_back(std::move(*e));
  }
  if (judge && SplitList(list_->value).empty()) EntryProblem("", "image-list names no image");

  for (const Annotation& a : annotations_) {
    if (a.key == "image-list" || a.key == "write-back-method" || a.key == "write-back-target" ||
        a.key == "git-branch")
      continue;
    Classify(a, entries);
  }
  if (judge) {
    JudgeValues(entries);
    return;
  }

  bool ok = ReadWriteBack();
  ok = ReadSource() && ok;
  if (!ok) return;
  if (!path_ && !target_path_.starts_with('/')) {
    Problem(root_, "", "the Application has no spec.source.path to write back to",
            ProblemKind::kUnsupported);
    return;
  }
  if (target_.empty() && name_.empty()) {
    Problem(root_, "", "the Application has no metadata.name to name its .argocd-source file",
            ProblemKind::kUnsupported);
    return;
  }
  if (!target_.empty()) {
    std::optional<std::string> resolved = argocd::ResolveRepositoryPath(
        path_.value_or(""), target_path_.empty() ? "." : target_path_);
    if (!resolved) {
      Problem(*Find("write-back-target"), "",
              "write-back-target path " + QuoteForMessage(target_path_, kQuotePathLimit) +
                  " leaves the repository",
              ProblemKind::kUnsupported);
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
      AppReader(file, doc, *app, Audience::kWatch, problems).Read(into);
  }
}

std::vector<SourceProblem> ImageUpdaterProblems(std::string_view file, std::string_view text) {
  std::vector<SourceProblem> problems;
  std::vector<ImagePolicy> unused;
  yaml::ParsedFile parsed = yaml::Parse(text);
  for (const yaml::Document& doc : parsed.documents) {
    if (std::optional<argocd::Application> app = argocd::ReadApplication(doc))
      AppReader(file, doc, *app, Audience::kImageUpdater, problems).Read(unused);
  }
  return problems;
}

}  // namespace capstan::policy
