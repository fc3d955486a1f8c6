// Argo CD Application sources: kustomize.images strings, helm.parameters and
// helm.valuesObject (the latter's Helm shapes are found by the document-wide walk).
#include <algorithm>

#include "image/target_planner.h"

namespace capstan::image::internal {

using yaml::NodeId;
using yaml::NodeType;

namespace {

const yaml::Node* NodeOf(const yaml::Document& doc, NodeId id, NodeType type) {
  id = doc.Resolve(id);
  if (id == yaml::kNoNode || doc.node(id).type != type) return nullptr;
  return &doc.node(id);
}

// "[orig=]name[:tag][@digest]"
void PlanKustomizeImage(Planner& p, NodeId item) {
  std::optional<std::string> text = p.Scalar(item);
  if (!text || p.Claimed(item)) return;
  std::size_t eq = text->find('=');
  std::string orig = eq == std::string::npos ? "" : text->substr(0, eq);
  std::string ref = eq == std::string::npos ? *text : text->substr(eq + 1);
  if (!p.NamesImage(orig) && !p.NamesImage(ref)) return;
  auto rewritten = RewriteReference(ref, p.request());
  if (!rewritten.ok()) return p.Refuse(item, rewritten.status().message());
  std::string prefix = eq == std::string::npos ? "" : text->substr(0, eq + 1);
  // A new name needs the "orig=" form, or Argo CD would look for the new name in the manifests.
  std::string_view written_name = SplitWritten(ref).name;
  if (eq == std::string::npos && !p.request().new_name.empty() &&
      written_name != p.request().new_name)
    prefix = std::string(written_name) + "=";
  p.Set(TargetKind::kArgoKustomizeImage, item, prefix + rewritten->value, rewritten->old_tag,
        rewritten->new_tag);
}

struct Parameter {
  std::string name;
  NodeId value = yaml::kNoNode;
};

void PlanParameters(Planner& p, NodeId parameters) {
  const yaml::Document& doc = p.doc();
  const BumpRequest& r = p.request();
  const yaml::Node* seq = NodeOf(doc, parameters, NodeType::kSequence);
  if (seq == nullptr) return;
  std::vector<Parameter> params;
  for (NodeId item : seq->children) {
    if (NodeOf(doc, item, NodeType::kMapping) == nullptr) continue;
    std::optional<std::string> name = p.Scalar(doc.Get(item, "name"));
    NodeId value = doc.Get(item, "value");
    if (name && value != yaml::kNoNode) params.push_back({*name, value});
  }
  auto find = [&](const std::string& name) -> NodeId {
    for (const Parameter& q : params)
      if (q.name == name) return q.value;
    return yaml::kNoNode;
  };
  for (const Parameter& q : params) {
    std::optional<std::string> v = p.Scalar(q.value);
    if (v && LooksLikeReference(*v) && p.NamesImage(*v))
      p.SetReference(TargetKind::kArgoHelmParameter, q.value);
  }
  for (const Parameter& q : params) {
    if (q.name != "tag" && !(q.name.size() > 4 && q.name.ends_with(".tag"))) continue;
    std::string prefix = q.name.substr(0, q.name.size() - 3);
    std::string registry = p.Scalar(find(prefix + "registry")).value_or("");
    std::optional<std::string> repository = p.Scalar(find(prefix + "repository"));
    bool names = (repository &&
                  p.NamesImage(registry.empty() ? *repository : registry + "/" + *repository)) ||
                 p.NamesImage(find(prefix + "name")) || p.NamesImage(find(prefix + "image"));
    bool named_key = std::find(r.helm_keys.begin(), r.helm_keys.end(), q.name) != r.helm_keys.end();
    if (!names && !(named_key && r.explicit_file)) continue;
    NodeId digest = find(prefix + "digest");
    std::optional<std::string> tag_value = p.Scalar(q.value);
    std::string digest_value = p.Scalar(digest).value_or("");
    if (!r.tag.empty() && r.digest.empty() && !digest_value.empty() && tag_value != r.tag) {
      p.Refuse(q.value, PinsDigestMessage(tag_value.value_or("") + "@" + digest_value));
      p.Claim(digest);
      continue;
    }
    p.SetTag(TargetKind::kArgoHelmParameter, q.value);
    if (!r.digest.empty() && digest != yaml::kNoNode)
      p.Set(TargetKind::kArgoHelmParameter, digest, r.digest);
  }
}

}  // namespace

void PlanArgoSource(Planner& p, NodeId source) {
  const yaml::Document& doc = p.doc();
  if (NodeOf(doc, source, NodeType::kMapping) == nullptr) return;
  if (const yaml::Node* images =
          NodeOf(doc, doc.Get(doc.Get(source, "kustomize"), "images"), NodeType::kSequence))
    for (NodeId item : images->children) PlanKustomizeImage(p, item);
  NodeId helm = doc.Get(source, "helm");
  if (NodeOf(doc, helm, NodeType::kMapping) == nullptr) return;
  PlanParameters(p, doc.Get(helm, "parameters"));
  NodeId values = doc.Get(helm, "valuesObject");
  if (NodeOf(doc, values, NodeType::kMapping) != nullptr) PlanHelmKeys(p, values);
}

void PlanArgoApplication(Planner& p) {
  const yaml::Document& doc = p.doc();
  NodeId root = doc.root();
  std::string api = p.Scalar(doc.Get(root, "apiVersion")).value_or("");
  std::string kind = p.Scalar(doc.Get(root, "kind")).value_or("");
  if (api.rfind("argoproj.io/", 0) != 0) return;
  NodeId spec = doc.Get(root, "spec");
  if (kind == "ApplicationSet") {
    spec = doc.Get(doc.Get(spec, "template"), "spec");
  } else if (kind != "Application") {
    return;
  }
  PlanArgoSource(p, doc.Get(spec, "source"));
  if (const yaml::Node* sources = NodeOf(doc, doc.Get(spec, "sources"), NodeType::kSequence))
    for (NodeId source : sources->children) PlanArgoSource(p, source);
}

}  // namespace capstan::image::internal
