#include "secrets/credential_shape.h"
#include "secrets/file_judge.h"
#include "secrets/secret_names.h"
#include "yaml/path.h"

namespace capstan::secrets::internal {

// Every `env:` list anywhere in the object (Pods, workload templates, CronJobs, Rollouts,
// operator CRs), found by a scan of the object's node range, so aliases cost nothing.
void JudgeEnv(FileJudge& judge, const yaml::Document& doc, NodeId lo, NodeId hi) {
  for (NodeId id = lo; id < hi && id < doc.size(); ++id) {
    const yaml::Node& m = doc.node(id);
    if (m.type != NodeType::kMapping) continue;
    NodeId env = kNoNode;
    for (std::size_t i = 0; i + 1 < m.children.size(); i += 2) {
      const std::string* k = doc.ScalarValue(m.children[i]);
      if (k != nullptr && *k == "env") env = doc.Resolve(m.children[i + 1]);
    }
    if (env == kNoNode || doc.node(env).type != NodeType::kSequence) continue;
    for (NodeId item : doc.node(env).children) {
      if (doc.node(doc.Resolve(item)).type != NodeType::kMapping) continue;
      const std::string* name = doc.ScalarValue(doc.Get(item, "name"));
      NodeId vnode = doc.Resolve(doc.Get(item, "value"));
      if (name == nullptr || vnode == kNoNode || doc.node(vnode).type != NodeType::kScalar)
        continue;
      const std::string& value = doc.node(vnode).value;
      if (!LooksSecretName(*name) || IsPlaceholder(value) || IsInertValue(value) ||
          IsConnectionTemplate(value))
        continue;
      auto path = yaml::PathToOffset(doc, doc.node(vnode).pos.offset);
      judge.AtNode(
          doc, vnode, path.value_or(std::vector<std::string>{}), "env-secret-literal",
          "env " + *name + ": " +
              judge.Describe(
                  value, "literal value for a secret-looking variable; use valueFrom.secretKeyRef"),
          value);
    }
  }
}

}  // namespace capstan::secrets::internal
