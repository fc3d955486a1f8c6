// Flux ImagePolicy objects as update policies. Reading the objects and resolving policy ->
// repository -> image is lib/image's (image/flux_objects.h), so markers and policies agree on
// namespace-less objects.
#include <algorithm>

#include "policy/sources.h"

namespace capstan::policy {
namespace {

// "flux-system:api" -> "flux-system/api"; ":api" (no namespace written) -> "api".
std::string Display(std::string_view key) {
  std::size_t colon = key.find(':');
  if (colon == 0) return std::string(key.substr(1));
  std::string out(key);
  out[colon] = '/';
  return out;
}

}  // namespace

void FluxPolicies(const image::FluxObjects& objects, const std::vector<std::string>& claimed,
                  std::vector<ImagePolicy>& into, std::vector<SourceProblem>& problems) {
  std::map<std::string, image::Reference> resolved = image::ResolveFluxPolicies(objects);

  for (const auto& entry : objects.policies) {
    // Not a structured binding: clang 14 (the fuzz build) cannot capture one in a lambda.
    const std::string& key = entry.first;
    const auto& p = entry.second;
    std::string name = key.substr(key.find(':') + 1);
    // A policy written without a namespace is claimed by any entry naming it in some namespace.
    bool is_claimed = std::any_of(claimed.begin(), claimed.end(), [&](const std::string& c) {
      return c == key || (key.front() == ':' && c.substr(c.find(':') + 1) == name);
    });
    if (is_claimed) continue;
    PolicySource source{p.file, p.line, p.column, "ImagePolicy " + Display(key)};
    if (!p.problem.empty()) {
      problems.push_back(SourceProblem{source, p.problem});
      continue;
    }
    auto it = resolved.find(key);
    if (it == resolved.end()) {
      auto repository = objects.repository_image.find(p.repository);
      if (repository != objects.repository_image.end()) {
        Result<image::Reference> ref = image::ParseReference(repository->second);
        if (!ref.ok()) {
          problems.push_back(SourceProblem{source, ref.status().message()});
          continue;
        }
      }
      problems.push_back(SourceProblem{
          source, "ImageRepository " + Display(p.repository) + " not found in the repository"});
      continue;
    }
    ImagePolicy policy;
    policy.source = source;
    policy.image = it->second;
    policy.image.tag.clear();
    policy.image.digest.clear();
    policy.tags = p.tags;
    policy.flux_policies = {key};
    into.push_back(std::move(policy));
  }
}

}  // namespace capstan::policy
