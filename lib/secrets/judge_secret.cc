#include <nlohmann/json.hpp>

#include "core/base64.h"
#include "core/strings.h"
#include "secrets/credential_shape.h"
#include "secrets/file_judge.h"
#include "secrets/redact.h"
#include "yaml/path.h"

namespace capstan::secrets::internal {
namespace {

// A .dockerconfigjson / .dockercfg value: the registries it holds credentials for.
void JudgeDockerConfig(FileJudge& judge, const Document& doc, NodeId v,
                       const std::vector<std::string>& p, const std::string& shown,
                       const std::string& value, bool encoded) {
  nlohmann::json j = nlohmann::json::parse(value, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) {
    judge.AtNode(
        doc, v, p, encoded ? "secret-data" : "secret-string-data",
        shown + ": " + judge.Describe(value, "plaintext value that is not a docker config"), value);
    return;
  }
  const nlohmann::json& auths = j.contains("auths") && j["auths"].is_object() ? j["auths"] : j;
  std::vector<std::string> registries;
  std::string material;
  for (auto it = auths.begin(); it != auths.end(); ++it) {
    if (!it.value().is_object()) continue;
    for (const char* cred : {"auth", "password", "identitytoken", "registrytoken"}) {
      auto c = it.value().find(cred);
      if (c == it.value().end() || !c->is_string()) continue;
      std::string s = c->get<std::string>();
      if (IsPlaceholder(s)) continue;
      if (std::string_view(cred) == "auth") {
        std::optional<std::string> d = DecodeBase64(s);
        if (d && IsPlaceholder(d->substr(d->find(':') == std::string::npos ? 0 : d->find(':') + 1)))
          continue;
      }
      registries.push_back(it.key());
      material += s + '\n';
      break;
    }
  }
  if (registries.empty()) return;
  std::string names;
  for (const auto& r : registries) names += (names.empty() ? "" : ", ") + r;
  judge.AtNode(doc, v, p, "docker-config-auth",
               shown + ": registry credentials for " + std::to_string(registries.size()) +
                   (registries.size() == 1 ? " registry" : " registries") + " (" + names + ")" +
                   (encoded ? ", only base64-encoded" : ""),
               material);
}

}  // namespace

void JudgeSecret(FileJudge& judge, const Document& doc, NodeId node,
                 const std::vector<std::string>& path, const PlaceholderContext& ctx) {
  bool argocd = false;
  NodeId labels = At(doc, node, {"metadata", "labels"});
  if (labels != kNoNode && doc.Get(labels, "argocd.argoproj.io/secret-type") != kNoNode)
    argocd = true;
  for (const char* field : {"data", "stringData"}) {
    bool encoded = std::string_view(field) == "data";
    NodeId map = At(doc, node, {field});
    if (map == kNoNode || doc.node(map).type != NodeType::kMapping) continue;
    yaml::ForEachEntry(doc, map, [&](NodeId k, NodeId v) {
      const std::string* key = doc.ScalarValue(k);
      const std::string* raw = doc.ScalarValue(v);
      if (key == nullptr || raw == nullptr || IsPlaceholder(*raw, ctx)) return;
      if (argocd && IsArgoCdDescriptiveKey(*key)) return;
      std::vector<std::string> p = Child(Child(path, field), *key);
      std::string shown = DottedPath({field, *key});
      std::string value = *raw;
      if (encoded) {
        std::optional<std::string> decoded = DecodeBase64(Trim(*raw));
        if (!decoded) {
          judge.AtNode(doc, v, p, "secret-data-invalid-base64",
                       shown +
                           ": value is not valid base64, so Kubernetes would refuse it; if it is "
                           "the secret itself, it is in plaintext (" +
                           RedactedHint(*raw) + ")",
                       *raw);
          return;
        }
        if (IsPlaceholder(*decoded, ctx)) return;
        value = std::move(*decoded);
      }
      if (IsConnectionTemplate(value, ctx)) return;
      if (IsPublicMaterial(value)) {
        judge.AtNode(doc, v, p, encoded ? "secret-data" : "secret-string-data",
                     shown + ": certificate or public key only (" + RedactedHint(value) +
                         "); public material is not a secret, so this is a warning",
                     value, report::Severity::kWarning);
        return;
      }
      if (*key == ".dockerconfigjson" || *key == ".dockercfg") {
        JudgeDockerConfig(judge, doc, v, p, shown, value, encoded);
        return;
      }
      judge.AtNode(doc, v, p, encoded ? "secret-data" : "secret-string-data",
                   shown + ": " +
                       judge.Describe(value, encoded ? "plaintext value, only base64-encoded"
                                                     : "plaintext value"),
                   value);
    });
  }
}

}  // namespace capstan::secrets::internal
