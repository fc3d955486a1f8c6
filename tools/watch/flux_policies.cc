// Flux ImagePolicy and ImageRepository objects. The policy -> repository -> image resolution is
// lib/image's (ResolveFluxPolicies), so markers and policies agree on namespace-less objects.
#include <algorithm>

#include "core/strings.h"
#include "image/targets.h"
#include "watch/policy_sources.h"
#include "yaml/parser.h"

namespace capstan::tools::watch {
namespace {

using yaml::NodeId;
using yaml::NodeType;

// "flux-system:api" -> "flux-system/api"; ":api" (no namespace written) -> "api".
std::string Display(std::string_view key) {
  std::size_t colon = key.find(':');
  if (colon == 0) return std::string(key.substr(1));
  std::string out(key);
  out[colon] = '/';
  return out;
}

// Reads spec.policy and spec.filterTags; returns the reason the policy cannot be used, or "".
std::string ReadTags(const yaml::Document& doc, NodeId spec, image::TagPolicy& tags) {
  NodeId policy = doc.Resolve(doc.Get(spec, "policy"));
  const char* chosen = nullptr;
  int count = 0;
  for (const char* name : {"semver", "alphabetical", "numerical"})
    if (doc.Get(policy, name) != yaml::kNoNode) {
      chosen = name;
      ++count;
    }
  if (count != 1) return "spec.policy must set exactly one of semver, alphabetical or numerical";
  NodeId body = doc.Resolve(doc.Get(policy, chosen));
  if (std::string_view(chosen) == "semver") {
    tags.strategy = image::Strategy::kSemver;
    const std::string* range = doc.ScalarValue(doc.Get(body, "range"));
    if (range == nullptr || range->empty()) return "spec.policy.semver.range is required";
    tags.constraint = *range;
  } else {
    tags.strategy = std::string_view(chosen) == "alphabetical" ? image::Strategy::kAlphabetical
                                                               : image::Strategy::kNumerical;
    std::string order = doc.StringAt(body, "order");
    if (order == "desc")
      return "spec.policy." + std::string(chosen) +
             ".order desc is not supported: capstan-watch only moves to tags that sort later";
    if (!order.empty() && order != "asc")
      return "spec.policy." + std::string(chosen) + ".order must be asc or desc, not " +
             QuoteForMessage(order);
  }
  NodeId filter = doc.Resolve(doc.Get(spec, "filterTags"));
  tags.allow_regex = doc.StringAt(filter, "pattern");
  tags.extract = doc.StringAt(filter, "extract");
  // Flux reads an extract without a pattern as "use the whole tag"; so does an empty extract.
  if (tags.allow_regex.empty()) tags.extract.clear();
  Status s = image::ValidatePolicy(tags);
  return s.ok() ? "" : s.message();
}

}  // namespace

void CollectFluxDeclarations(std::string_view file, std::string_view text, FluxDeclarations& into) {
  yaml::ParsedFile parsed = yaml::Parse(text);
  for (const yaml::Document& doc : parsed.documents) {
    NodeId root = doc.Resolve(doc.root());
    if (root == yaml::kNoNode || doc.node(root).type != NodeType::kMapping) continue;
    if (!doc.StringAt(root, "apiVersion").starts_with("image.toolkit.fluxcd.io/")) continue;
    std::string kind = doc.StringAt(root, "kind");
    NodeId metadata = doc.Resolve(doc.Get(root, "metadata"));
    std::string ns = doc.StringAt(metadata, "namespace"), name = doc.StringAt(metadata, "name");
    if (name.empty()) continue;
    std::string key = ns + ":" + name;
    NodeId spec = doc.Resolve(doc.Get(root, "spec"));
    if (kind == "ImageRepository") {
      std::string image = doc.StringAt(spec, "image");
      if (!image.empty()) into.repositories[key] = image;
      continue;
    }
    if (kind != "ImagePolicy") continue;
    FluxDeclarations::Policy p;
    const yaml::Node& at = doc.node(root);
    p.source =
        PolicySource{std::string(file), at.pos.line, at.pos.column, "ImagePolicy " + Display(key)};
    NodeId ref = doc.Resolve(doc.Get(spec, "imageRepositoryRef"));
    std::string repository = doc.StringAt(ref, "name");
    std::string repository_ns = doc.StringAt(ref, "namespace");
    if (repository.empty()) {
      p.problem = "spec.imageRepositoryRef.name is required";
    } else {
      p.repository = (repository_ns.empty() ? ns : repository_ns) + ":" + repository;
      p.problem = ReadTags(doc, spec, p.tags);
    }
    into.policies[key] = std::move(p);
  }
}

void FluxPolicies(const FluxDeclarations& declarations, const std::vector<std::string>& claimed,
                  std::vector<ImagePolicy>& into, std::vector<SourceProblem>& problems) {
  image::FluxObjects objects;
  objects.repository_image = declarations.repositories;
  for (const auto& [key, p] : declarations.policies)
    if (!p.repository.empty()) objects.policy_repository[key] = p.repository;
  std::map<std::string, image::Reference> resolved = image::ResolveFluxPolicies(objects);

  for (const auto& [key, p] : declarations.policies) {
    std::string name = key.substr(key.find(':') + 1);
    // A policy written without a namespace is claimed by any entry naming it in some namespace.
    bool is_claimed = std::any_of(claimed.begin(), claimed.end(), [&](const std::string& c) {
      return c == key || (key.front() == ':' && c.substr(c.find(':') + 1) == name);
    });
    if (is_claimed) continue;
    if (!p.problem.empty()) {
      problems.push_back(SourceProblem{p.source, p.problem});
      continue;
    }
    auto it = resolved.find(key);
    if (it == resolved.end()) {
      auto repository = declarations.repositories.find(p.repository);
      if (repository != declarations.repositories.end()) {
        Result<image::Reference> ref = image::ParseReference(repository->second);
        if (!ref.ok()) {
          problems.push_back(SourceProblem{p.source, ref.status().message()});
          continue;
        }
      }
      problems.push_back(SourceProblem{
          p.source, "ImageRepository " + Display(p.repository) + " not found in the repository"});
      continue;
    }
    ImagePolicy policy;
    policy.source = p.source;
    policy.image = it->second;
    policy.image.tag.clear();
    policy.image.digest.clear();
    policy.tags = p.tags;
    policy.flux_policies = {key};
    into.push_back(std::move(policy));
  }
}

}  // namespace capstan::tools::watch
