#include "secrets/credential_shape.h"
#include "secrets/file_judge.h"
#include "yaml/path.h"

namespace capstan::secrets::internal {
namespace {

enum class Literals {
  kEvery,                        // every literal is a finding (a fake provider's values)
  kCredentialLooking,            // template data: only literals that look like credentials
  kCredentialLookingOrTemplate,  // and values built from {{ }} expressions are fine
};

// The scalar values of a mapping that are findings under `which` (never placeholders).
void JudgeLiterals(FileJudge& judge, const Document& doc, NodeId map,
                   const std::vector<std::string>& path, const char* rule,
                   const PlaceholderContext& ctx, Literals which) {
  if (map == kNoNode || doc.node(map).type != NodeType::kMapping) return;
  yaml::ForEachEntry(doc, map, [&](NodeId k, NodeId v) {
    const std::string* key = doc.ScalarValue(k);
    const std::string* raw = doc.ScalarValue(v);
    if (key == nullptr || raw == nullptr || IsPlaceholder(*raw, ctx)) return;
    if (which == Literals::kCredentialLookingOrTemplate && raw->find("{{") != std::string::npos)
      return;
    if (which != Literals::kEvery && judge.Identify(*raw).empty() &&
        !KeyedLiteralLooksSecret(*key, *raw, ctx))
      return;
    std::vector<std::string> p = Child(path, *key);
    judge.AtNode(doc, v, p, rule, DottedPath(p) + ": " + judge.Describe(*raw, "literal value"),
                 *raw);
  });
}

}  // namespace

void JudgeSealedSecret(FileJudge& judge, const Document& doc, NodeId node,
                       const std::vector<std::string>& path, const PlaceholderContext& ctx) {
  JudgeLiterals(judge, doc, At(doc, node, {"spec", "template", "data"}),
                Child(Child(Child(path, "spec"), "template"), "data"),
                "sealed-secret-template-data", ctx, Literals::kCredentialLooking);
}

void JudgeExternalSecret(FileJudge& judge, const Document& doc, NodeId node,
                         const std::vector<std::string>& path, std::string_view kind,
                         const PlaceholderContext& ctx) {
  std::vector<std::string> base = Child(path, "spec");
  NodeId spec = At(doc, node, {"spec"});
  if (kind == "ClusterExternalSecret") {
    base = Child(base, "externalSecretSpec");
    spec = At(doc, spec, {"externalSecretSpec"});
  }
  JudgeLiterals(judge, doc, At(doc, spec, {"target", "template", "data"}),
                Child(Child(Child(base, "target"), "template"), "data"),
                "external-secret-template-data", ctx, Literals::kCredentialLookingOrTemplate);
}

void JudgeSecretStore(FileJudge& judge, const Document& doc, NodeId node,
                      const std::vector<std::string>& path, const PlaceholderContext& ctx) {
  NodeId data = At(doc, node, {"spec", "provider", "fake", "data"});
  if (data == kNoNode || doc.node(data).type != NodeType::kSequence) return;
  const auto& items = doc.node(data).children;
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::vector<std::string> base = path;
    for (const char* s : {"spec", "provider", "fake", "data"}) base.push_back(s);
    base.push_back(std::to_string(i));
    NodeId value = At(doc, items[i], {"value"});
    const std::string* raw = doc.ScalarValue(value);
    if (raw != nullptr && !IsPlaceholder(*raw, ctx)) {
      std::vector<std::string> p = Child(base, "value");
      judge.AtNode(
          doc, value, p, "secret-store-fake-provider",
          DottedPath(p) + ": " + judge.Describe(*raw, "literal value in the fake provider"), *raw);
    }
    JudgeLiterals(judge, doc, At(doc, items[i], {"valueMap"}), Child(base, "valueMap"),
                  "secret-store-fake-provider", ctx, Literals::kEvery);
  }
}

}  // namespace capstan::secrets::internal
