// The structural rules: `image:` scalars, Helm values mappings, explicit Helm keys and
// kustomization `images:` entries.
#include <charconv>

#include "image/target_planner.h"

namespace capstan::image::internal {

using yaml::NodeId;
using yaml::NodeType;

namespace {

bool IsDockerHub(std::string_view registry) {
  return registry.empty() || registry == "docker.io" || registry == "index.docker.io" ||
         registry == "registry-1.docker.io";
}

// new_name split as written into a registry host (Docker's rule) and the rest.
std::pair<std::string, std::string> SplitRegistry(const std::string& name) {
  std::size_t slash = name.find('/');
  if (slash == std::string::npos) return {"", name};
  std::string first = name.substr(0, slash);
  if (first.find_first_of(".:") == std::string::npos && first != "localhost") return {"", name};
  return {first, name.substr(slash + 1)};
}

void Walk(Planner& p, NodeId id, int depth) {
  if (id == yaml::kNoNode || depth > 600) return;
  const yaml::Node& n = p.doc().node(id);
  if (n.type == NodeType::kSequence) {
    for (NodeId c : n.children) Walk(p, c, depth + 1);
    return;
  }
  if (n.type != NodeType::kMapping) return;
  PlanHelmValues(p, id);
  for (std::size_t i = 0; i + 1 < n.children.size(); i += 2) {
    NodeId key = n.children[i], value = n.children[i + 1];
    const std::string* k = p.doc().ScalarValue(key);
    if (k != nullptr && *k == "image" && p.NamesImage(value))
      p.SetReference(TargetKind::kImageValue, value);
    Walk(p, value, depth + 1);
  }
}

// "a.b[2].c" -> a, b, 2, c; empty on a malformed path.
std::vector<std::string> SplitKey(std::string_view key) {
  std::vector<std::string> out;
  std::string cur;
  for (std::size_t i = 0; i < key.size(); ++i) {
    char c = key[i];
    if (c == '.') {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
    } else if (c == '[') {
      std::size_t close = key.find(']', i);
      if (close == std::string_view::npos || close == i + 1) return {};
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
      out.emplace_back(key.substr(i + 1, close - i - 1));
      i = close;
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

bool IsKustomization(const Planner& p) {
  const yaml::Document& doc = p.doc();
  if (p.Scalar(doc.Get(doc.root(), "apiVersion"))
          .value_or("")
          .rfind("kustomize.config.k8s.io/", 0) == 0)
    return true;
  for (const char* key : {"resources",
                          "bases",
                          "components",
                          "patches",
                          "patchesStrategicMerge",
                          "patchesJson6902",
                          "namePrefix",
                          "nameSuffix",
                          "commonLabels",
                          "commonAnnotations",
                          "labels",
                          "configMapGenerator",
                          "secretGenerator",
                          "generatorOptions",
                          "helmCharts",
                          "replacements",
                          "replicas",
                          "generators",
                          "transformers",
                          "crds",
                          "openapi"})
    if (doc.Get(doc.root(), key) != yaml::kNoNode) return true;
  return false;
}

}  // namespace

std::optional<std::string> HelmImageName(const Planner& p, NodeId mapping) {
  std::optional<std::string> repository = p.Scalar(p.doc().Get(mapping, "repository"));
  if (!repository || repository->empty()) return std::nullopt;
  std::string registry = p.Scalar(p.doc().Get(mapping, "registry")).value_or("");
  return registry.empty() ? *repository : registry + "/" + *repository;
}

void PlanImageValues(Planner& p) {
  const yaml::Document& doc = p.doc();
  std::string api = p.Scalar(doc.Get(doc.root(), "apiVersion")).value_or("");
  // An ImageRepository's spec.image is a name that must stay without a tag.
  if (api.rfind("image.toolkit.fluxcd.io/", 0) == 0) return;
  Walk(p, doc.root(), 0);
}

void PlanHelmValues(Planner& p, NodeId mapping) {
  std::optional<std::string> name = HelmImageName(p, mapping);
  if (!name || !p.NamesImage(*name)) return;
  const yaml::Document& doc = p.doc();
  const BumpRequest& r = p.request();
  NodeId tag = doc.Get(mapping, "tag");
  NodeId digest = doc.Get(mapping, "digest");
  std::optional<std::string> tag_value = p.Scalar(tag);
  std::string digest_value = p.Scalar(digest).value_or("");
  if (!r.tag.empty() && r.digest.empty() && !digest_value.empty() && tag_value != r.tag) {
    std::string shown =
        *name + (tag_value && !tag_value->empty() ? ":" + *tag_value : "") + "@" + digest_value;
    p.Refuse(tag != yaml::kNoNode ? tag : digest, PinsDigestMessage(shown));
    p.Claim(digest);
    return;
  }
  if (!r.new_name.empty()) {
    NodeId registry = doc.Get(mapping, "registry");
    NodeId repository = doc.Get(mapping, "repository");
    if (registry == yaml::kNoNode) {
      p.Set(TargetKind::kHelmValues, repository, r.new_name);
    } else {
      auto [host, rest] = SplitRegistry(r.new_name);
      std::string old_registry = p.Scalar(registry).value_or("");
      if (!(host.empty() && IsDockerHub(old_registry)))
        p.Set(TargetKind::kHelmValues, registry, host.empty() ? "docker.io" : host);
      p.Set(TargetKind::kHelmValues, repository, rest);
    }
  }
  bool tag_holds_digest = tag_value && tag_value->find('@') != std::string::npos;
  if (tag != yaml::kNoNode) {
    p.SetTag(TargetKind::kHelmValues, tag);
  } else if (!r.tag.empty()) {
    p.Insert(TargetKind::kHelmValues, mapping, "tag", r.tag, r.tag);
  }
  if (!r.digest.empty() && !tag_holds_digest) {
    if (digest != yaml::kNoNode) {
      p.Set(TargetKind::kHelmValues, digest, r.digest);
    } else {
      p.Insert(TargetKind::kHelmValues, mapping, "digest", r.digest);
    }
  }
}

void PlanHelmKeys(Planner& p, NodeId base) {
  const yaml::Document& doc = p.doc();
  for (const std::string& key : p.request().helm_keys) {
    std::vector<std::string> segments = SplitKey(key);
    if (segments.empty()) continue;
    NodeId holder = yaml::kNoNode, at = base;
    for (const std::string& seg : segments) {
      NodeId resolved = doc.Resolve(at);
      holder = resolved;
      at = yaml::kNoNode;
      if (resolved == yaml::kNoNode) break;
      const yaml::Node& n = doc.node(resolved);
      if (n.type == NodeType::kMapping) {
        at = doc.Get(resolved, seg);
      } else if (n.type == NodeType::kSequence) {
        std::size_t index = 0;
        auto [end, ec] = std::from_chars(seg.data(), seg.data() + seg.size(), index);
        if (ec == std::errc() && end == seg.data() + seg.size() && index < n.children.size())
          at = n.children[index];
      }
      if (at == yaml::kNoNode) break;
    }
    if (at == yaml::kNoNode) continue;
    std::optional<std::string> value = p.Scalar(at);
    if (value && LooksLikeReference(*value)) {
      if (p.NamesImage(*value)) p.SetReference(TargetKind::kHelmKey, at);
      continue;
    }
    bool holder_names = false;
    if (doc.node(holder).type == NodeType::kMapping) {
      std::optional<std::string> name = HelmImageName(p, holder);
      holder_names = (name && p.NamesImage(*name)) || p.NamesImage(doc.Get(holder, "name")) ||
                     p.NamesImage(doc.Get(holder, "image"));
    }
    if (holder_names || p.request().explicit_file) p.SetTag(TargetKind::kHelmKey, at);
  }
}

void PlanKustomization(Planner& p) {
  const yaml::Document& doc = p.doc();
  const BumpRequest& r = p.request();
  NodeId root = doc.root();
  std::optional<std::string> kind = p.Scalar(doc.Get(root, "kind"));
  if (kind && *kind != "Kustomization" && *kind != "Component") return;
  NodeId images = doc.Resolve(doc.Get(root, "images"));
  if (images == yaml::kNoNode || doc.node(images).type != NodeType::kSequence) return;
  // Without kind, Helm values may have an `images:` list of {name, tag} too: such a document is
  // a kustomization only when it has another kustomize field, or its entries use kustomize keys.
  bool kustomization = kind.has_value() || IsKustomization(p);
  for (NodeId item : doc.node(images).children) {
    NodeId entry = doc.Resolve(item);
    if (entry == yaml::kNoNode || doc.node(entry).type != NodeType::kMapping) continue;
    if (!kustomization && doc.Get(entry, "newTag") == yaml::kNoNode &&
        doc.Get(entry, "newName") == yaml::kNoNode && doc.Get(entry, "digest") == yaml::kNoNode)
      continue;
    NodeId name = doc.Get(entry, "name"), new_name = doc.Get(entry, "newName");
    if (!p.NamesImage(name) && !p.NamesImage(new_name)) continue;
    NodeId new_tag = doc.Get(entry, "newTag"), digest = doc.Get(entry, "digest");
    std::optional<std::string> tag_value = p.Scalar(new_tag);
    std::string digest_value = p.Scalar(digest).value_or("");
    if (!r.tag.empty() && r.digest.empty() && !digest_value.empty() && tag_value != r.tag) {
      std::string shown = p.Scalar(new_name).value_or(p.Scalar(name).value_or("")) +
                          (tag_value && !tag_value->empty() ? ":" + *tag_value : "") + "@" +
                          digest_value;
      p.Refuse(new_tag != yaml::kNoNode ? new_tag : digest, PinsDigestMessage(shown));
      p.Claim(digest);
      continue;
    }
    if (!r.new_name.empty()) {
      if (new_name != yaml::kNoNode) {
        p.Set(TargetKind::kKustomizeImage, new_name, r.new_name);
      } else if (p.Scalar(name) != r.new_name) {
        p.Insert(TargetKind::kKustomizeImage, entry, "newName", r.new_name);
      }
    }
    if (!r.tag.empty()) {
      if (new_tag != yaml::kNoNode) {
        p.Set(TargetKind::kKustomizeImage, new_tag, r.tag, tag_value.value_or(""), r.tag);
      } else {
        p.Insert(TargetKind::kKustomizeImage, entry, "newTag", r.tag, r.tag);
      }
    }
    if (!r.digest.empty()) {
      if (digest != yaml::kNoNode) {
        p.Set(TargetKind::kKustomizeImage, digest, r.digest);
      } else {
        p.Insert(TargetKind::kKustomizeImage, entry, "digest", r.digest);
      }
    }
  }
}

}  // namespace capstan::image::internal
