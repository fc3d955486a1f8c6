// The write-back targets of capstan-bump and capstan-watch: every place in a YAML file that names
// an image and can be set to a new tag, digest or name, and the byte-exact edits that set it.
//
// Targets, in every document of a file:
//   - kustomization `images:` entries whose `name` or `newName` is the image: `newTag`, `digest`,
//     `newName` (inserted with the siblings' indentation when missing);
//   - `image:` scalars holding a reference to the image anywhere in a document: the containers,
//     initContainers and ephemeralContainers of workloads (Deployment, StatefulSet, DaemonSet,
//     Job, CronJob, Pod, ReplicaSet, Argo Rollouts Rollout), Helm values `image: "repo:tag"`,
//     and any other resource that names an image this way;
//   - Helm values mappings `{repository, tag}` and `{registry, repository, tag, digest}` whose
//     [registry/]repository is the image (missing `tag` / `digest` inserted);
//   - explicit Helm keys (BumpRequest::helm_keys), see there;
//   - Argo CD Applications (argoproj.io, kind Application): spec.source and spec.sources[i]
//     `kustomize.images` strings ("[old=]name[:tag][@digest]"), `helm.parameters` (a parameter
//     whose value is a matching "repo:tag", or the `<prefix>.tag` parameter beside a
//     `<prefix>.repository|name|image` parameter naming the image) and `helm.valuesObject`
//     (searched as Helm values);
//   - `.argocd-source-<app>.yaml` override files (Argo CD Image Updater's write-back format),
//     whose root is read as an Application's source;
//   - Flux setter markers `# {"$imagepolicy": "ns:policy[:tag|:name|:digest]"}`: the scalar on the
//     marker's line is the target when the policy's image is known (BumpRequest::flux_policies)
//     or the value itself names the image (markers without suffix or with `:name`).
// A scalar reached by several rules is changed once.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "image/reference.h"
#include "yaml/edit.h"

namespace capstan::image {

struct BumpRequest {
  Reference image;       // the image to set (its own tag and digest are ignored)
  std::string tag;       // new tag; "" leaves tags alone
  std::string digest;    // new digest "sha256:<hex>"; "" leaves digests alone
  std::string new_name;  // new image name (kustomize newName); "" keeps names as written
  // Explicit Helm value paths of the tag ("image.tag", "images[0].tag", "app.image.tag"), dot
  // separated with [i] indexes. In documents without `kind` (values files) and in Argo CD
  // helm.valuesObject, the scalar at the path is set to `tag` when the mapping holding it names
  // the image (a `repository` with optional `registry`, or `name`/`image`), or when
  // `explicit_file` is true (the user named the file). A scalar at the path holding a whole
  // reference ("ghcr.io/acme/api:1.0") is matched and edited like an `image:` value.
  std::vector<std::string> helm_keys;
  bool explicit_file = false;
  // Flux image policies whose image is known: "namespace:policy" -> image reference, as
  // ResolveFluxPolicies (image/flux_objects.h) finds them.
  std::map<std::string, Reference> flux_policies;
};

enum class TargetKind {
  kKustomizeImage,      // kustomization images[] entry
  kImageValue,          // an `image:` scalar ("repo:tag")
  kHelmValues,          // a {registry, repository, tag, digest} mapping
  kHelmKey,             // an explicit --helm-key path
  kArgoKustomizeImage,  // Application kustomize.images string
  kArgoHelmParameter,   // Application helm.parameters value
  kFluxMarker,          // the value on a $imagepolicy marker's line
};

// "kustomize-image", "image", "helm-values", "helm-key", "argocd-kustomize-image",
// "argocd-helm-parameter", "flux-marker".
const char* TargetKindName(TargetKind kind);

struct Change {
  TargetKind kind = TargetKind::kImageValue;
  int line = 0;           // 1-based, of the value changed (of the mapping for an inserted key)
  int column = 0;         // 1-based
  std::string path;       // JSON pointer of the value within its document ("/images/0/newTag")
  std::string old_value;  // the scalar's text before the edit; "" for an inserted key
  std::string new_value;  // the text after
  // The tag this target held and will hold, for downgrade checks; "" when the target carries
  // no tag (a digest or a name).
  std::string old_tag;
  std::string new_tag;
  // Empty replacement and length 0 when the target is already up to date. Keys inserted into one
  // mapping share one offset, so their text is folded into the edit of the first such change, in
  // order (newName, newTag, digest); the later ones keep an empty edit at that offset.
  yaml::Edit edit;
};

struct Refusal {
  int line = 0;
  int column = 0;
  std::string message;  // one line: what could not be edited and why
};

struct FilePlan {
  std::vector<Change> changes;     // targets whose value differs, with their edits
  std::vector<Change> up_to_date;  // targets already holding the requested values
  std::vector<Refusal> refused;    // targets found but not safely editable; nothing edited there
  // Edits of `changes`, applied to the text (equal to the input when there are none).
  std::string new_text;
};

// Plans the bump of one file. `path` is used to recognise `.argocd-source-*.yaml` files (its
// base name) and in nothing else. YAML syntax errors fail with kInvalidArgument
// "<line>:<col>: <libyaml's message>"; a file that parses but has no targets gives an empty
// plan. Refusals (a value behind an alias, a block scalar, a kustomize entry that pins a digest
// when only a tag is given ...) do not stop the other targets of the file from being planned.
Result<FilePlan> PlanBump(std::string_view path, std::string_view text, const BumpRequest& request);

}  // namespace capstan::image
