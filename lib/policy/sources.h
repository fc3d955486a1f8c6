// The three places capstan-watch reads its update policies from, all read from file texts (the
// files at the branch tip), never from the working tree or the environment:
//
//  1. .capstan.yaml `images:` (and `registries:`), e.g.
//       images:
//         - name: api                          # optional label, used in commit messages
//           image: ghcr.io/acme/api            # required (":latest" = the tag to follow for
//           digest) strategy: semver                   # semver (default) | newest-build | digest |
//                                              # alphabetical | numerical
//           constraint: "~1.4"                 # semver range
//           allow-tags: '^v?(\d+\.\d+\.\d+)$'  # RE2, partial match
//           extract: '\1'                      # or Flux's "$1" / "$name"
//           ignore-tags: ["*-rc*", latest]     # globs
//           platforms: [linux/amd64, linux/arm64]
//           pin-digest: true                   # write tag@digest
//           files: [apps/api/kustomization.yaml]   # where to write; default: wherever the repo
//           names it helm-keys: [image.tag] flux-policies: [flux-system:api]   # $imagepolicy
//           markers that belong to this image
//       registries:
//         - host: registry.internal:5000
//           insecure: true                     # plain HTTP
//           credentials: env:REGISTRY_CREDS    # env:NAME | file:PATH | ext:PATH, each giving
//                                              # "user:password"; default: the Docker config
//
//  2. Argo CD Image Updater annotations on Application documents (argoproj.io/v1alpha1,
//     kind Application) anywhere in the repository:
//       argocd-image-updater.argoproj.io/image-list: api=ghcr.io/acme/api:~1.4, web=nginx
//       argocd-image-updater.argoproj.io/<alias>.update-strategy: semver|newest-build|latest|
//                                                                 digest|alphabetical|name
//       argocd-image-updater.argoproj.io/<alias>.allow-tags: regexp:<re> | any
//       argocd-image-updater.argoproj.io/<alias>.ignore-tags: <glob>, <glob>
//       argocd-image-updater.argoproj.io/<alias>.platforms: linux/amd64,linux/arm64
//       argocd-image-updater.argoproj.io/<alias>.helm.image-name: image.repository
//       argocd-image-updater.argoproj.io/<alias>.helm.image-tag: image.tag
//       argocd-image-updater.argoproj.io/<alias>.kustomize.image-name: original/name
//       argocd-image-updater.argoproj.io/write-back-method: git | git:<credentials>
//       argocd-image-updater.argoproj.io/write-back-target: kustomization[:<path>] |
//                                                           helmvalues[:<path>]
//     The image-list entry's version constraint is the semver range (or the tag to follow for
//     digest; other strategies take none). Write-back: `kustomization` writes the
//     kustomization.yaml of spec.source.path (or of <path>); `helmvalues:<path>` that values
//     file (default values.yaml), with paths relative to spec.source.path, or to the repository
//     root when they start with '/'; without write-back-target, the Application's
//     `<spec.source.path>/.argocd-source-<name>.yaml`, created when missing (see
//     WriteBack::override_file). spec.source.path is that of spec.source, else of the first
//     spec.sources entry with a path. Annotations capstan does not support (pull-secret,
//     write-back-method argocd, git-branch, force-update, helm.image-spec, ...) are problems,
//     not silently ignored.
//
//  3. Flux image automation objects (image.toolkit.fluxcd.io ImagePolicy + ImageRepository) in
//     the repository: spec.policy.semver.range, spec.policy.alphabetical / numerical (order asc;
//     desc is a problem), spec.filterTags.pattern / extract. The policy's $imagepolicy markers
//     ("namespace:name") are its write targets. A .capstan.yaml entry listing the same Flux
//     policy in flux-policies wins over the object (the object is then not read). The objects
//     are read by lib/image (image/flux_objects.h), which capstan-bump shares.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "image/bump_plan.h"
#include "image/flux_objects.h"
#include "policy/image_policy.h"

namespace capstan::policy {

// The project config's name, at the repository root.
inline constexpr std::string_view kProjectConfigFile = ".capstan.yaml";

// How a problem bears on the tool the declaration was written for.
enum class ProblemKind {
  kInvalid,      // malformed for its own tool too: Argo CD Image Updater (or Flux, or the
                 // .capstan.yaml schema) refuses, misreads or ignores it
  kUnsupported,  // a setting Argo CD Image Updater accepts that capstan-watch cannot follow
};

// The Kubernetes object a problem is about, as written (an Application for Image Updater
// annotations); empty fields when unknown.
struct ProblemObject {
  std::string api_version;
  std::string kind;
  std::string namespace_;
  std::string name;
};

// A declaration that could not be read. The other declarations still count.
struct SourceProblem {
  PolicySource where;
  std::string message;  // one line, without position
  ProblemKind kind = ProblemKind::kInvalid;
  // Image Updater annotations: the annotation's full key ("" when the problem is the
  // Application's as a whole), and the Application.
  std::string annotation{};
  ProblemObject object{};
};

struct RegistrySettings {
  std::string host;         // as written, normalised (image::NormalizeRegistryHost)
  bool insecure = false;    // plain HTTP allowed
  std::string credentials;  // "env:NAME", "file:PATH", "ext:PATH" or "" (Docker config)
  PolicySource source;
};

struct ProjectConfig {
  std::vector<ImagePolicy> images;
  std::vector<RegistrySettings> registries;
};

// The keys ParseProjectConfig reads from an `images:` entry and from a `registries:` entry.
// Which keys the file may hold is decided by schemas/capstan-config.schema.json, which the
// caller checks the text against first (tools/common/config_file.h); a test keeps these lists
// and the schema's equal.
inline constexpr std::string_view kImageKeys[] = {
    "name",        "image",     "strategy",   "constraint", "allow-tags", "extract",
    "ignore-tags", "platforms", "pin-digest", "files",      "helm-keys",  "flux-policies"};
inline constexpr std::string_view kRegistryKeys[] = {"host", "insecure", "credentials"};

// Parses the `images:` and `registries:` sections of a .capstan.yaml text (other sections are
// read by tools/common/config_file and ignored here). Keys outside kImageKeys / kRegistryKeys
// are ignored too: the schema check refuses them before. Fails with kInvalidArgument
// "<file>:<line>:<col>: <why>" for YAML errors and for the first malformed entry (missing image,
// bad strategy, regex, glob, platform, constraint, credentials form): a broken config stops the
// whole cycle, unlike a broken annotation.
Result<ProjectConfig> ParseProjectConfig(std::string_view file, std::string_view text);

// Appends the policies of the Argo CD Image Updater annotations on the Application documents
// of one file (other documents and files that are not YAML are ignored). An Application whose
// annotations cannot be read adds a problem for each bad one and no policy for that alias:
// kInvalid problems, and kUnsupported ones for the settings capstan-watch cannot follow.
void CollectArgoCdPolicies(std::string_view file, std::string_view text,
                           std::vector<ImagePolicy>& into, std::vector<SourceProblem>& problems);

// What Argo CD Image Updater itself would refuse, misread or silently ignore in the Image
// Updater annotations of the Application documents of one file, read by the parser
// CollectArgoCdPolicies uses, but as Image Updater reads the values (update-strategy and
// allow-tags without regard to case, numerical not a strategy, application-wide settings,
// force-update, pull-secret, write-back credentials, an entry with '=' but no alias) and with
// a "did you mean" for an unknown key. Only kInvalid problems, all of them (not only the
// first per Application); every one names its annotation, and its position is the
// annotation's key (image-list entries: the image-list value).
std::vector<SourceProblem> ImageUpdaterProblems(std::string_view file, std::string_view text);

// Every policy the files declare (the YAML files at a branch tip, repository-relative names;
// image::FileText::path unused): the root .capstan.yaml's images first, then the Argo CD Image
// Updater annotations in the order of `files`, then the Flux ImagePolicy objects (FluxPolicies,
// those the .capstan.yaml claims left out). Unusable annotations and objects are appended to
// `problems`; a broken .capstan.yaml fails with ParseProjectConfig's error.
Result<ProjectConfig> ReadPolicies(const std::vector<image::FileText>& files,
                                   std::vector<SourceProblem>& problems);

// One ImagePolicy per Flux ImagePolicy object (collected from every file with
// image::CollectFluxObjects) whose ImageRepository is known and whose image parses, in key
// order, except the policies already listed in a .capstan.yaml entry's flux-policies
// (`claimed`; a policy written without a namespace is claimed by an entry naming it in any
// namespace). The others are problems: the object's own (FluxPolicyObject::problem), "invalid
// image reference ..." or "ImageRepository flux-system/api not found in the repository".
void FluxPolicies(const image::FluxObjects& objects, const std::vector<std::string>& claimed,
                  std::vector<ImagePolicy>& into, std::vector<SourceProblem>& problems);

}  // namespace capstan::policy
