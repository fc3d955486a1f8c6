// An update policy: one ImagePolicy per image to keep current (what capstan-watch watches),
// from whichever source declared it (.capstan.yaml `images:`, Argo CD Image Updater
// annotations, Flux ImagePolicy objects; see policy/sources.h), and where to write the chosen
// tag. Plain data.
#pragma once

#include <string>
#include <vector>

#include "image/reference.h"
#include "image/tag_select.h"

namespace capstan::policy {

// Where the policy was declared, for messages: "<file>:<line>:<col>" plus a label.
struct PolicySource {
  std::string file;  // relative to the repository root
  int line = 0;
  int column = 0;
  std::string label;  // ".capstan.yaml images[2]", "Application guestbook (alias api)",
                      // "ImagePolicy flux-system/api"
};

// How the chosen tag is written. Each field narrows or extends what capstan-bump's planner does
// for the image (image::BumpRequest).
struct WriteBack {
  // Files to plan, relative to the repository root; empty = every file of the repository.
  std::vector<std::string> files;
  // Helm value paths of the tag (BumpRequest::helm_keys), e.g. "image.tag".
  std::vector<std::string> helm_keys;
  // Set when the file to write is an Argo CD Image Updater override file
  // (`<app path>/.argocd-source-<app>.yaml`) that may not exist yet: created with a
  // kustomize.images entry (override_kind "kustomize") or helm.parameters (override_kind
  // "helm", using helm_keys[0] for the tag and override_name_key for the image name) when the
  // image has no target in the repository yet. Empty otherwise.
  std::string override_file;
  std::string override_kind;      // "kustomize" | "helm"
  std::string override_name_key;  // helm parameter naming the image, e.g. "image.repository"
  // Kustomize: the name the kustomization's images[] entry uses when it differs from the
  // watched image (Image Updater's `<alias>.kustomize.image-name`); "" = the image's name.
  std::string kustomize_name;
};

struct ImagePolicy {
  PolicySource source;
  std::string alias;       // Image Updater alias or .capstan.yaml `name`; "" when none
  image::Reference image;  // registry + repository (tag: the tag to follow for kDigest)
  image::TagPolicy tags;
  std::vector<std::string> platforms;  // "linux/amd64"...; empty = any
  bool pin_digest = false;             // write tag@digest (one HEAD for the chosen tag)
  // Flux policies ("namespace:name") whose $imagepolicy markers name this image.
  std::vector<std::string> flux_policies;
  WriteBack write;
};

}  // namespace capstan::policy
