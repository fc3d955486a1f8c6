#include "image/flux_objects.h"

#include "core/strings.h"
#include "yaml/parser.h"

namespace capstan::image {
namespace {

using yaml::NodeId;
using yaml::NodeType;

// Reads spec.policy and spec.filterTags; returns the reason the policy cannot be used, or "".
std::string ReadTags(const yaml::Document& doc, NodeId spec, TagPolicy& tags) {
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
    tags.strategy = Strategy::kSemver;
    const std::string* range = doc.ScalarValue(doc.Get(body, "range"));
    if (range == nullptr || range->empty()) return "spec.policy.semver.range is required";
    tags.constraint = *range;
  } else {
    tags.strategy =
        std::string_view(chosen) == "alphabetical" ? Strategy::kAlphabetical : Strategy::kNumerical;
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
  Status s = ValidatePolicy(tags);
  return s.ok() ? "" : s.message();
}

}  // namespace

void CollectFluxObjects(std::string_view file, std::string_view text, FluxObjects& into) {
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
      if (!image.empty()) into.repository_image[key] = image;
      continue;
    }
    if (kind != "ImagePolicy") continue;
    FluxPolicyObject p;
    p.file = std::string(file);
    p.line = doc.node(root).pos.line;
    p.column = doc.node(root).pos.column;
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

std::map<std::string, Reference> ResolveFluxPolicies(const FluxObjects& objects) {
  std::map<std::string, Reference> out;
  for (const auto& [policy, object] : objects.policies) {
    const std::string& repository = object.repository;
    if (repository.empty()) continue;
    auto it = objects.repository_image.find(repository);
    std::string name = repository.substr(repository.find(':') + 1);
    // Objects without metadata.namespace get theirs from a kustomization: match them by name.
    if (it == objects.repository_image.end()) it = objects.repository_image.find(":" + name);
    if (it == objects.repository_image.end() && repository.front() == ':') {
      for (auto c = objects.repository_image.begin(); c != objects.repository_image.end(); ++c) {
        if (c->first.substr(c->first.find(':') + 1) != name) continue;
        if (it != objects.repository_image.end()) {  // ambiguous
          it = objects.repository_image.end();
          break;
        }
        it = c;
      }
    }
    if (it == objects.repository_image.end()) continue;
    auto ref = ParseReference(it->second);
    if (ref.ok()) out[policy] = *ref;
  }
  return out;
}

}  // namespace capstan::image
