#include "secrets/credential_shape.h"
#include "secrets/file_judge.h"
#include "secrets/secret_names.h"
#include "yaml/path.h"

namespace capstan::secrets::internal {

void JudgeValuesFile(FileJudge& judge, const yaml::Document& doc) {
  judge.ClearResource();
  for (NodeId id = 0; id < doc.size(); ++id) {
    const yaml::Node& m = doc.node(id);
    if (m.type != NodeType::kMapping) continue;
    for (std::size_t i = 0; i + 1 < m.children.size(); i += 2) {
      const std::string* key = doc.ScalarValue(m.children[i]);
      // An alias is judged by the value it names, and reported where it is used.
      const yaml::Node& v = doc.node(doc.Resolve(m.children[i + 1]));
      if (key == nullptr || v.type != NodeType::kScalar || !LooksSecretName(*key)) continue;
      // A recognised credential format is an error like anywhere else; the key-name
      // heuristic alone is a warning, and a value that names a Secret, a key, an env var or
      // a file is a reference, not a finding.
      bool credential = !judge.Identify(v.value).empty();
      if (!credential && !KeyedLiteralLooksSecret(*key, v.value)) continue;
      auto path = yaml::PathToOffset(doc, doc.node(m.children[i + 1]).pos.offset);
      judge.AtNode(
          doc, m.children[i + 1], path.value_or(std::vector<std::string>{*key}),
          "helm-values-secret",
          DottedPath(path.value_or(std::vector<std::string>{*key})) + ": " +
              judge.Describe(v.value,
                             "literal value for a secret-looking key; pass it from a Secret "
                             "or an encrypted values file"),
          v.value, credential ? report::Severity::kError : report::Severity::kWarning);
    }
  }
}

}  // namespace capstan::secrets::internal
