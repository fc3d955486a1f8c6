// Flux image automation objects (image.toolkit.fluxcd.io ImagePolicy and ImageRepository) read
// from file texts, and the policy -> repository -> image resolution that tells which image a
// `$imagepolicy` marker's policy follows. One reader for capstan-bump (which only resolves
// markers) and capstan-watch (which also follows the policies' tag rules).
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "image/reference.h"
#include "image/tag_select.h"

namespace capstan::image {

// One ImagePolicy document.
struct FluxPolicyObject {
  std::string file;  // as given to CollectFluxObjects
  int line = 0;      // 1-based, of the document's root mapping
  int column = 0;
  // "namespace:name" of spec.imageRepositoryRef (its namespace defaults to the policy's own);
  // "" when spec.imageRepositoryRef.name is missing.
  std::string repository;
  // spec.policy.semver.range, spec.policy.alphabetical / numerical (order asc), and
  // spec.filterTags.pattern / extract, validated with ValidatePolicy.
  TagPolicy tags;
  // Why the policy cannot be followed as written ("spec.imageRepositoryRef.name is required",
  // "spec.policy must set exactly one of semver, alphabetical or numerical", an order desc,
  // ValidatePolicy's message...); "" when it can. A policy with a problem still resolves to its
  // repository's image, so its markers keep working for capstan-bump.
  std::string problem;
};

// Keys are "namespace:name", with an empty namespace (":name") for objects written without
// metadata.namespace (a kustomization gives them theirs).
struct FluxObjects {
  std::map<std::string, FluxPolicyObject> policies;
  std::map<std::string, std::string> repository_image;  // ImageRepository -> spec.image as written
};

// Adds the ImagePolicy and ImageRepository documents of one file to `into` (a later object with
// the same key replaces the earlier one). Documents of other kinds, objects without
// metadata.name, ImageRepositories without spec.image and texts that are not YAML add nothing.
// Call for every file, then ResolveFluxPolicies.
void CollectFluxObjects(std::string_view file, std::string_view text, FluxObjects& into);

// "namespace:policy" -> image for every policy whose ImageRepository is known and whose
// spec.image parses; others are left out. An object written without a namespace matches its
// counterpart by name when exactly one object has that name.
std::map<std::string, Reference> ResolveFluxPolicies(const FluxObjects& objects);

}  // namespace capstan::image
