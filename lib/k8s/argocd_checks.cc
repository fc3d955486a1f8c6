#include "k8s/argocd_checks.h"

#include "k8s/argocd_walk.h"
#include "k8s/substitution.h"
#include "yaml/path.h"

namespace capstan::k8s {
namespace {

using yaml::NodeId;

// Whether a generator (matrix and merge generators nest them) carries its own `template`,
// which Argo CD merges over spec.template.
bool GeneratorsHoldTemplate(const yaml::Document& doc, NodeId node, int depth) {
  node = doc.Resolve(node);
  if (node == yaml::kNoNode || depth > 8) return false;
  const yaml::Node& n = doc.node(node);
  if (n.type == yaml::NodeType::kMapping) {
    for (std::size_t i = 0; i + 1 < n.children.size(); i += 2) {
      const std::string* key = doc.ScalarValue(n.children[i]);
      if (key != nullptr && *key == "template") return true;
      if (GeneratorsHoldTemplate(doc, n.children[i + 1], depth + 1)) return true;
    }
  } else if (n.type == yaml::NodeType::kSequence) {
    for (NodeId item : n.children)
      if (GeneratorsHoldTemplate(doc, item, depth + 1)) return true;
  }
  return false;
}

}  // namespace

bool IsPlaceholder(std::string_view value) {
  return value.find("{{") != std::string_view::npos || HasSubstitutionVariable(value);
}

std::string ArgoCdWalk::Pointer(const std::vector<std::string>& path) const {
  std::vector<std::string> full(resource_.prefix.begin(), resource_.prefix.end());
  full.insert(full.end(), path.begin(), path.end());
  return yaml::JsonPointer(full);
}

void ArgoCdWalk::Add(std::string rule, const yaml::Position& pos, std::string message,
                     const std::vector<std::string>& path, report::Severity severity) {
  report::Finding f;
  f.rule = std::move(rule);
  f.severity = severity;
  f.message = std::move(message);
  f.file = file_;
  f.line = pos.line;
  f.column = pos.column;
  f.path = Pointer(path);
  f.resource = ToResource(resource_.identity);
  out_.push_back(std::move(f));
}

yaml::Position ArgoCdWalk::PositionIn(NodeId scalar, std::size_t offset) const {
  const yaml::Node& n = doc().node(scalar);
  std::size_t quotes = 0;
  if (n.style == yaml::ScalarStyle::kSingleQuoted || n.style == yaml::ScalarStyle::kDoubleQuoted)
    quotes = 2;
  else if (n.style != yaml::ScalarStyle::kPlain)
    return n.pos;
  if (n.end < n.pos.offset || n.end - n.pos.offset != n.value.size() + quotes ||
      offset > n.value.size() || n.value.find('\n') != std::string::npos)
    return n.pos;
  yaml::Position p = n.pos;
  p.offset += quotes / 2 + offset;
  p.column += static_cast<int>(quotes / 2);
  for (std::size_t i = 0; i < offset; ++i)
    if ((static_cast<unsigned char>(n.value[i]) & 0xC0) != 0x80) ++p.column;
  return p;
}

void CheckArgoCd(const ArgoCdResource& resource, const std::string& file,
                 std::vector<report::Finding>& findings, std::vector<ProjectReference>& projects) {
  ArgoCdWalk walk(resource, file, findings);
  const yaml::Document& doc = resource.doc;
  const Identity& id = resource.identity;
  bool argo = id.group == "argoproj.io";
  NodeId spec = doc.Resolve(doc.Get(resource.node, "spec"));
  if (argo && id.kind == "Application") {
    CheckAnnotations(walk, doc.Resolve(doc.Get(resource.node, "metadata")), {"metadata"}, true,
                     SourcePaths(doc, spec));
    CheckApplicationSpec(walk, spec, {"spec"}, resource.patch, projects);
    return;
  }
  CheckAnnotations(walk, doc.Resolve(doc.Get(resource.node, "metadata")), {"metadata"}, false, {});
  if (!argo || id.kind != "ApplicationSet") return;
  NodeId tmpl = doc.Resolve(doc.Get(spec, "template"));
  NodeId app_spec = doc.Resolve(doc.Get(tmpl, "spec"));
  CheckAnnotations(walk, doc.Resolve(doc.Get(tmpl, "metadata")), {"spec", "template", "metadata"},
                   true, SourcePaths(doc, app_spec));
  bool partial = resource.patch || doc.Get(spec, "templatePatch") != yaml::kNoNode ||
                 GeneratorsHoldTemplate(doc, doc.Get(spec, "generators"), 0);
  CheckApplicationSpec(walk, app_spec, {"spec", "template", "spec"}, partial, projects);
}

std::vector<report::RuleInfo> ArgoCdRules() {
  return {
      {"argocd-sync-option",
       "A sync option Argo CD does not know, or does not read where it is written.",
       "An item of an Application's spec.syncPolicy.syncOptions, or of the "
       "argocd.argoproj.io/sync-options annotation of a resource, is not an option Argo CD "
       "reads there: a misspelled key or value (they are case-sensitive), an item without "
       "'=', surrounding white space in a list item, or an option valid only in the other "
       "place (CreateNamespace and PrunePropagationPolicy only on the Application, Force only "
       "as the annotation). Argo CD ignores such an item silently, so the sync behaves as if "
       "it were not there.",
       "Write the option exactly as Argo CD's sync options documentation spells it, e.g. "
       "CreateNamespace=true, Prune=confirm, ServerSideApply=true, in the place it applies "
       "to; the message suggests the nearest known option.",
       "",
       {"kubernetes", "argocd", "correctness"}},
      {"argocd-annotation",
       "An argocd.argoproj.io annotation Argo CD would misread or ignore.",
       "An argocd.argoproj.io/* annotation holds a value Argo CD does not act on: a sync-wave "
       "that is not an integer (read as wave 0), a hook or hook-delete-policy that is not one "
       "Argo CD knows, an unknown compare option, a manifest-generate-paths entry that can "
       "never match a changed file (',' instead of ';', a broken glob, a relative path that "
       "leads out of the repository). These are errors. An annotation key Argo CD does not "
       "know at all, often a typo of one it does, is a warning.",
       "Correct the value as the message says (hooks: PreSync, Sync, PostSync, SyncFail, "
       "PreDelete, PostDelete, Skip; delete policies: HookSucceeded, HookFailed, "
       "BeforeHookCreation), or rename the annotation to the key suggested.",
       "",
       {"kubernetes", "argocd", "correctness"}},
      {"argocd-destination",
       "An Application's destination or project Argo CD would refuse.",
       "An Application's (or ApplicationSet template's) spec.destination names both a server "
       "and a cluster name, or neither, and Argo CD refuses it; or its spec.project names an "
       "AppProject that none of the validated files defines, so the Application would not "
       "reconcile: an error when the name is one letter away from an AppProject the files "
       "define (a typo), a warning otherwise (once per project), since projects are also "
       "created outside the manifests (Helm values, the CLI). The project check runs when "
       "capstan-validate walks directories, not for named files, --staged or --changed-since.",
       "Keep exactly one of destination.server and destination.name. Correct the project "
       "name, or add the AppProject manifest to the repository.",
       "",
       {"kubernetes", "argocd", "correctness"}},
      {"argocd-source",
       "An Application's sources Argo CD would ignore or fail to resolve.",
       "An Application sets both spec.source and spec.sources (Argo CD deploys spec.sources "
       "and ignores spec.source); a Helm value file '$name/...' of a multi-source Application "
       "names no source with ref: name, or refs are malformed or repeated (the sync fails); "
       "or a targetRevision that looks like a semver constraint does not parse as one, so Argo "
       "CD looks for a branch or tag of that name.",
       "Keep one of source and sources; give the values source `ref: name` matching the "
       "'$name/' prefix; fix the constraint (e.g. '>=1.2.0 <2.0.0', '~1.4', '1.x').",
       "",
       {"kubernetes", "argocd", "correctness"}},
      {"image-updater-annotation",
       "An Argo CD Image Updater annotation Image Updater would refuse or misread.",
       "An argocd-image-updater.argoproj.io/* annotation of an Application is malformed for "
       "Argo CD Image Updater: an image-list entry that does not parse, a repeated alias, or "
       "'=' in a constraint without an alias; a per-alias key naming an alias image-list does "
       "not list or an unknown option; an update-strategy other than semver, newest-build, "
       "digest or alphabetical (or the legacy latest and name); an allow-tags that is not "
       "'any' or 'regexp:' with a valid RE2 expression; an ignore-tags glob that does not "
       "compile; a version constraint that does not parse; a write-back-method other than "
       "argocd, git or git:<credentials>. Image Updater then skips the image or falls back "
       "to defaults, and no update arrives.",
       "Correct the annotation at the line given; the message names the value and what Image "
       "Updater expects. Settings Image Updater accepts but capstan-watch does not follow are "
       "not reported here.",
       "",
       {"kubernetes", "argocd", "image-updater", "correctness"}},
  };
}

}  // namespace capstan::k8s
