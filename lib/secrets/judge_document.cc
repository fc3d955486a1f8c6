#include "secrets/file_judge.h"
#include "secrets/redact.h"
#include "secrets/sops.h"
#include "yaml/path.h"

namespace capstan::secrets::internal {
namespace {

// The object at node, a List's items one by one. Nodes are stored in document order, so the
// subtree of an object is the id range [lo, hi).
void JudgeObject(FileJudge& judge, const Document& doc, NodeId node,
                 const std::vector<std::string>& path, k8s::FileRole role, NodeId lo, NodeId hi) {
  std::string kind = doc.StringAt(node, "kind");
  std::string api = doc.StringAt(node, "apiVersion");
  NodeId items = At(doc, node, {"items"});
  if (kind.size() >= 4 && kind.ends_with("List") && items != kNoNode &&
      doc.node(items).type == NodeType::kSequence) {
    const auto& children = doc.node(items).children;
    for (std::size_t i = 0; i < children.size(); ++i) {
      NodeId item = children[i];
      if (doc.node(item).type != NodeType::kMapping) continue;  // aliased items are not walked
      NodeId end = i + 1 < children.size() ? children[i + 1] : hi;
      JudgeObject(judge, doc, item, Child(Child(path, "items"), std::to_string(i)), role, item,
                  end);
    }
    return;
  }
  if (kind.empty() && role != k8s::FileRole::kKustomization) return;
  judge.SetResource(doc, node, role);
  std::string group = api.substr(0, api.find('/') == std::string::npos ? 0 : api.find('/'));
  PlaceholderContext ctx;
  NodeId annotations = At(doc, node, {"metadata", "annotations"});
  if (annotations != kNoNode && doc.node(annotations).type == NodeType::kMapping) {
    yaml::ForEachEntry(doc, annotations, [&](NodeId k, NodeId) {
      const std::string* s = doc.ScalarValue(k);
      if (s != nullptr && s->starts_with("avp.kubernetes.io/")) ctx.avp_annotated = true;
    });
  }
  if (kind == "Secret" && group.empty()) {
    JudgeSecret(judge, doc, node, path, ctx);
  } else if (kind == "SealedSecret") {
    JudgeSealedSecret(judge, doc, node, path, ctx);
  } else if (kind == "ExternalSecret" || kind == "ClusterExternalSecret") {
    JudgeExternalSecret(judge, doc, node, path, kind, ctx);
  } else if (kind == "SecretStore" || kind == "ClusterSecretStore") {
    JudgeSecretStore(judge, doc, node, path, ctx);
  } else if (kind == "Kustomization" || kind == "Component" ||
             role == k8s::FileRole::kKustomization) {
    JudgeSecretGenerators(judge, doc, node, path, ctx);
  } else if (kind == "Config" && group.empty()) {
    JudgeKubeconfig(judge, doc, node, path);
  }
  JudgeEnv(judge, doc, lo, hi);
}

}  // namespace

void JudgeDocument(FileJudge& judge, const Document& doc, k8s::FileRole role) {
  judge.ClearResource();
  NodeId root = doc.Resolve(doc.root());
  if (root == kNoNode || doc.node(root).type != NodeType::kMapping) return;
  SopsVerdict sops = VerifySops(doc);
  if (sops.state == SopsState::kEncrypted) return;
  if (sops.state == SopsState::kBroken) {
    judge.SetResource(doc, root, role);
    for (const SopsProblem& p : sops.problems) {
      bool metadata = !p.path.empty() && p.path.front() == "sops";
      const std::string* v = doc.ScalarValue(p.node);
      judge.AtNode(doc, p.node, p.path, metadata ? "sops-metadata" : "sops-unencrypted-value",
                   DottedPath(p.path) + ": " + p.message +
                       (metadata || v == nullptr ? "" : " (" + RedactedHint(*v) + ")"),
                   v != nullptr && !metadata ? std::string_view(*v) : std::string_view());
    }
    return;
  }
  JudgeObject(judge, doc, root, {}, role, 0, static_cast<NodeId>(doc.size()));
}

}  // namespace capstan::secrets::internal
