#include "secrets/scanner.h"

#include <cctype>
#include <optional>

#include "core/utf8.h"
#include "k8s/classify.h"
#include "secrets/file_judge.h"
#include "secrets/structural_trigger.h"
#include "yaml/parser.h"

namespace capstan::secrets {
namespace {

constexpr std::size_t kBinaryProbe = 8192;

const std::vector<report::RuleInfo>& StructuralRuleList() {
  static const std::vector<report::RuleInfo> rules = {
      {"secret-data", "A Secret's data value decodes to plaintext (base64 is not encryption)"},
      {"secret-data-invalid-base64", "A Secret's data value is not valid base64"},
      {"secret-string-data", "A Secret's stringData holds a plaintext value"},
      {"docker-config-auth", "A .dockerconfigjson Secret holds registry credentials"},
      {"sops-unencrypted-value",
       "A SOPS file holds a value that SOPS would have encrypted in plaintext"},
      {"sops-metadata",
       "A SOPS file's metadata (version, lastmodified, mac) is missing or malformed"},
      {"sealed-secret-template-data",
       "A SealedSecret's spec.template.data holds a plaintext value"},
      {"external-secret-template-data",
       "An ExternalSecret's target template holds a literal value"},
      {"secret-store-fake-provider", "A SecretStore's fake provider holds literal secret values"},
      {"kustomize-secret-literal", "A kustomize secretGenerator literal holds a plaintext value"},
      {"kustomize-secret-file", "A file named by a kustomize secretGenerator holds plaintext"},
      {"env-secret-literal", "A container env var with a secret-looking name has a literal value"},
      {"helm-values-secret", "A Helm values key with a secret-looking name has a literal value"},
      {"kubeconfig-credential", "A kubeconfig user holds a token, password or client key"},
      {"scan-unparsed",
       "A manifest that may hold Secrets could not be parsed, so it was not judged structurally"},
  };
  return rules;
}

bool IsYamlName(std::string_view name) {
  if (name == "<stdin>") return true;  // piped manifests: `kustomize build | capstan-scan -`
  std::string lower;
  for (char c : name.substr(name.rfind('/') == std::string_view::npos ? 0 : name.rfind('/') + 1))
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower.ends_with(".yaml") || lower.ends_with(".yml") || lower.ends_with(".json") ||
         lower == "kustomization";
}

}  // namespace

struct Scanner::Impl {
  TokenScanner tokens;
  internal::StructuralTrigger trigger;
};

Scanner::Scanner(Scanner&&) noexcept = default;
Scanner& Scanner::operator=(Scanner&&) noexcept = default;
Scanner::~Scanner() = default;

Result<Scanner> Scanner::Create(std::vector<Rule> token_rules) {
  auto tokens = TokenScanner::Create(std::move(token_rules));
  if (!tokens.ok()) return tokens.status();
  Scanner s;
  s.impl_ = std::make_unique<Impl>(std::move(*tokens));
  return s;
}

std::vector<report::RuleInfo> StructuralRules() { return StructuralRuleList(); }

std::vector<report::RuleInfo> Scanner::Rules() const {
  std::vector<report::RuleInfo> rules = StructuralRuleList();
  for (const Rule& r : impl_->tokens.rules()) rules.push_back({r.id, r.description});
  return rules;
}

FileScan Scanner::Scan(const FileInput& in) const {
  std::string_view text = in.text;
  std::size_t nul = text.substr(0, kBinaryProbe).find('\0');
  if (in.payload == Payload::kNone && nul != std::string_view::npos) {
    if (!IsYamlName(in.name)) {
      FileScan result;
      result.binary = true;
      return result;
    }
    // A manifest saved as UTF-16 is judged as the same text in UTF-8 (same lines).
    if (std::optional<std::string> utf8 = Utf16ToUtf8(text)) {
      FileInput converted = in;
      converted.text = *utf8;
      return Scan(converted);
    }
  }

  FileScan result;
  internal::FileJudge judge(impl_->tokens, in);
  const std::vector<TokenMatch> matches = impl_->tokens.Scan(text);
  k8s::FileRole role = k8s::FileRole::kManifests;
  std::optional<yaml::ParsedFile> parsed;
  if (in.payload != Payload::kNone) {
    internal::JudgePayload(judge, result);
  } else if (IsYamlName(in.name)) {
    role = k8s::RoleOf(in.name, text);
    // A NUL byte in a file named as YAML or JSON is reported, never skipped as binary.
    bool structural = nul != std::string_view::npos ||
                      (role != k8s::FileRole::kHelmTemplate &&
                       impl_->trigger.Matches(text, role == k8s::FileRole::kHelmValues));
    // A credential in a manifest no structural rule applies to (rare) still gets the file
    // parsed, so its finding names the YAML path and resource.
    if (structural || (role != k8s::FileRole::kHelmTemplate && !matches.empty()))
      parsed = yaml::Parse(text);
    if (structural && role == k8s::FileRole::kHelmTemplate) role = k8s::FileRole::kManifests;
    if (structural) {
      result.parsed = true;
      for (const yaml::Document& doc : parsed->documents) {
        ++result.documents;
        if (role == k8s::FileRole::kHelmValues) {
          internal::JudgeValuesFile(judge, doc);
        } else {
          internal::JudgeDocument(judge, doc, role);
        }
      }
      if (!parsed->complete) internal::JudgeUnparsed(judge, *parsed, text);
    }
  }
  internal::JudgeTokens(judge, impl_->tokens, matches, parsed ? &*parsed : nullptr, role, text);
  judge.Finish(result);
  return result;
}

StreamScan Scanner::StartStream(std::string_view name) const {
  return StreamScan(impl_->tokens, name);
}

}  // namespace capstan::secrets
