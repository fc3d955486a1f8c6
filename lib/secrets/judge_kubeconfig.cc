#include "secrets/file_judge.h"

namespace capstan::secrets::internal {

void JudgeKubeconfig(FileJudge& judge, const yaml::Document& doc, NodeId node,
                     const std::vector<std::string>& path) {
  NodeId users = At(doc, node, {"users"});
  if (users == kNoNode || doc.node(users).type != NodeType::kSequence) return;
  const auto& items = doc.node(users).children;
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::string name = doc.StringAt(doc.Resolve(items[i]), "name");
    std::vector<std::string> base = Child(Child(Child(path, "users"), std::to_string(i)), "user");
    NodeId user = At(doc, items[i], {"user"});
    auto check = [&](NodeId map, const std::vector<std::string>& at,
                     std::initializer_list<const char*> keys) {
      for (const char* k : keys) {
        NodeId v = At(doc, map, {k});
        const std::string* raw = doc.ScalarValue(v);
        if (raw == nullptr || IsPlaceholder(*raw)) continue;
        std::vector<std::string> p = Child(at, k);
        judge.AtNode(
            doc, v, p, "kubeconfig-credential",
            "user '" + name + "' " + k + ": " + judge.Describe(*raw, "credential in a kubeconfig"),
            *raw);
      }
    };
    check(user, base, {"token", "password", "client-key-data"});
    std::vector<std::string> provider = Child(Child(base, "auth-provider"), "config");
    check(At(doc, user, {"auth-provider", "config"}), provider,
          {"client-secret", "id-token", "refresh-token", "access-token"});
  }
}

}  // namespace capstan::secrets::internal
