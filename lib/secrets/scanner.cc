#include "secrets/scanner.h"

#include <cctype>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/utf8.h"
#include "k8s/classify.h"
#include "secrets/builtin_rule_families.h"
#include "secrets/file_judge.h"
#include "secrets/structural_trigger.h"
#include "yaml/parser.h"

namespace capstan::secrets {
namespace {

constexpr std::size_t kBinaryProbe = 8192;

// Findings of capstan-scan are leaked credentials or the risk of one; each rule's
// security_severity (GitHub: 9.0+ critical, 7.0+ high, 4.0+ medium) rates what a reader of the
// repository could do with what the rule finds.
const std::string kRemediation =
    " Treat a real credential as leaked: revoke or rotate it where it was issued first (removing "
    "it from the file leaves it in the git history of every clone), then deliver it at deploy "
    "time instead, from a SOPS-encrypted file, a SealedSecret or an ExternalSecret. A value that "
    "is not a real credential (a test fixture) can be accepted with a capstan:allow comment on "
    "its line or the line above, a .capstanignore entry, or a baseline (--write-baseline).";

report::RuleInfo Structural(std::string id, std::string summary, std::string description,
                            std::string fix, std::string security_severity) {
  return {std::move(id),      std::move(summary),           std::move(description),
          fix + kRemediation, std::move(security_severity), {"security", "secrets", "kubernetes"}};
}

const std::vector<report::RuleInfo>& StructuralRuleList() {
  static const std::vector<report::RuleInfo> rules = {
      Structural("secret-data",
                 "A Secret's data value decodes to plaintext (base64 is not encryption)",
                 "A kind: Secret holds a data value that decodes to a real value, not a "
                 "placeholder. base64 is an encoding, not encryption: anyone who can read the "
                 "repository, or any clone or fork of it, can read the secret. A value that is "
                 "only a certificate or public key is a warning.",
                 "Move the value out of the repository.", "8.0"),
      Structural("secret-data-invalid-base64", "A Secret's data value is not valid base64",
                 "A kind: Secret holds a data value that is not base64. Kubernetes refuses such "
                 "a Secret, and the value is often the plaintext secret itself, written under "
                 "data instead of stringData.",
                 "Do not fix this by encoding the value: move it out of the repository.", "7.0"),
      Structural("secret-string-data", "A Secret's stringData holds a plaintext value",
                 "A kind: Secret holds a plaintext value under stringData: anyone who can read "
                 "the repository can read the secret.",
                 "Move the value out of the repository.", "8.0"),
      Structural("docker-config-auth", "A .dockerconfigjson Secret holds registry credentials",
                 "A kubernetes.io/dockerconfigjson Secret holds a registry user name and "
                 "password or token in clear (base64). With them anyone can pull private images "
                 "and often push new ones: a supply-chain risk.",
                 "Create the pull secret in the cluster from a secret store instead.", "8.5"),
      Structural("sops-unencrypted-value",
                 "A SOPS file holds a value that SOPS would have encrypted in plaintext",
                 "A file with SOPS metadata holds a value in plaintext where its encryption "
                 "rules (encrypted_regex, encrypted_suffix...) say SOPS encrypts: the value was "
                 "added or edited after encryption, and is readable by anyone.",
                 "Re-encrypt the file with sops (sops --encrypt --in-place, or edit it with the "
                 "sops editor).",
                 "8.0"),
      Structural("sops-metadata",
                 "A SOPS file's metadata (version, lastmodified, mac) is missing or malformed",
                 "A file that SOPS encrypted has metadata that is missing or malformed "
                 "(version, lastmodified, mac). SOPS cannot decrypt or verify it, and a file "
                 "edited by hand may hold values that were never encrypted.",
                 "Restore the file from its last good version, or decrypt and re-encrypt it "
                 "with sops.",
                 "5.0"),
      Structural("sealed-secret-template-data",
                 "A SealedSecret's spec.template.data holds a plaintext value",
                 "A SealedSecret's spec.template.data is copied into the Secret unencrypted; "
                 "it holds a value that looks like a credential, which is readable by anyone "
                 "with the repository. Only spec.encryptedData is encrypted.",
                 "Seal the value with kubeseal so it goes into spec.encryptedData.", "7.5"),
      Structural("external-secret-template-data",
                 "An ExternalSecret's target template holds a literal value",
                 "An ExternalSecret's target template holds a literal that looks like a "
                 "credential. The template is stored and applied as written: only values "
                 "fetched from the secret store stay out of the repository.",
                 "Store the value in the secret store and reference it from the template.", "7.5"),
      Structural("secret-store-fake-provider",
                 "A SecretStore's fake provider holds literal secret values",
                 "A SecretStore or ClusterSecretStore uses the fake provider, whose data is "
                 "written in the manifest: the values it serves are in the repository in "
                 "clear.",
                 "Use a real provider outside tests.", "7.5"),
      Structural("kustomize-secret-literal",
                 "A kustomize secretGenerator literal holds a plaintext value",
                 "A kustomize secretGenerator lists a literal (key=value) with a real value: the "
                 "generated Secret's value is in the repository in clear.",
                 "Generate the Secret from an encrypted source (a SOPS file with ksops or Flux's "
                 "decryption) instead.",
                 "8.0"),
      Structural("kustomize-secret-file",
                 "A file named by a kustomize secretGenerator holds plaintext",
                 "A file that a kustomize secretGenerator reads (files: or envs:) holds a real "
                 "value in clear: the generated Secret's data is in the repository.",
                 "Encrypt the file with SOPS (ksops or Flux's decryption), or keep it out of the "
                 "repository.",
                 "8.0"),
      Structural("env-secret-literal",
                 "A container env var with a secret-looking name has a literal value",
                 "A container's env var whose name says password, token, key or secret has a "
                 "literal value in the manifest, readable by anyone with the repository and "
                 "shown by kubectl describe.",
                 "Use valueFrom.secretKeyRef to a Secret delivered from a secret store.", "7.0"),
      Structural("helm-values-secret",
                 "A Helm values key with a secret-looking name has a literal value",
                 "A Helm values file sets a key whose name says password, token, key or secret "
                 "to a literal value, readable by anyone with the repository.",
                 "Point the chart at an existing Secret (most charts have existingSecret), or "
                 "keep the values file encrypted with helm-secrets or SOPS.",
                 "7.0"),
      Structural("kubeconfig-credential", "A kubeconfig user holds a token, password or client key",
                 "A kubeconfig in the repository holds a user's bearer token, password or "
                 "client certificate key: whoever reads it can act on the cluster as that "
                 "user.",
                 "Use an exec credential plugin or a short-lived token instead of a stored "
                 "one.",
                 "9.0"),
      Structural("scan-unparsed",
                 "A manifest that may hold Secrets could not be parsed, so it was not judged "
                 "structurally",
                 "A YAML or JSON file that may hold Secrets (it mentions a Secret-like kind, "
                 "SOPS metadata, a secretGenerator, a secret-looking env name, or is Helm "
                 "values) does not parse, so its structure could not be checked. The scan "
                 "fails closed: plaintext Secret values are still looked for line by line, but "
                 "the file cannot pass as clean.",
                 "Fix the syntax error at the position given (capstan-validate names it too), "
                 "or list the file in .capstanignore.",
                 "5.0"),
  };
  return rules;
}

// What the built-in credential rules of a family let the holder of a leaked credential do,
// and the security_severity that follows.
struct Family {
  std::vector<Rule> (*rules)();
  const char* security_severity;
  const char* grants;
};

constexpr Family kFamilies[] = {
    {internal::SourceHostingRules, "9.0",
     "read and push code, run CI jobs or publish packages as its owner: a supply-chain "
     "compromise"},
    {internal::CloudRules, "9.0",
     "use the cloud or hosting account it belongs to: read its data, create or delete "
     "infrastructure and run up its bill"},
    {internal::AiRules, "7.5", "call the model provider's API on its owner's account and bill"},
    {internal::SaasRules, "7.5", "act on the service's account it belongs to, read its data"},
    {internal::OpsRules, "8.5",
     "read secrets, change infrastructure or read and write monitoring data of its owner"},
    {internal::KeyRules, "9.5",
     "sign, decrypt or log in as its owner wherever the key is trusted; keys rarely expire"},
};

// Rules rated apart from their family.
const std::map<std::string_view, std::string_view>& SeverityExceptions() {
  static const std::map<std::string_view, std::string_view> exceptions = {
      // Payment providers' live keys move money.
      {"stripe-live-key", "9.0"},
      {"square-access-token", "9.0"},
      {"square-oauth-secret", "9.0"},
      {"braintree-access-token", "9.0"},
      {"flutterwave-live-secret-key", "9.0"},
      {"shopify-access-token", "8.5"},
      // Secrets managers and infrastructure-as-code hold the keys to everything else.
      {"vault-token", "9.5"},
      {"doppler-token", "9.0"},
      {"1password-service-account-token", "9.0"},
      {"1password-secret-key", "9.0"},
      {"pulumi-token", "9.0"},
      {"terraform-cloud-token", "9.0"},
      // Write-only or ingest-only keys: data can be sent, not read.
      {"newrelic-insert-key", "5.0"},
      {"newrelic-license-key", "5.0"},
      // Webhooks post messages in one channel.
      {"slack-webhook-url", "5.5"},
      {"discord-webhook-url", "5.5"},
      {"teams-webhook-url", "5.5"},
      // A JWT is often short-lived and scoped; its issuer decides.
      {"jwt", "7.5"},
      // Low-confidence formats (reported as warnings).
      {"vault-legacy-token", "7.0"},
  };
  return exceptions;
}

// A user rule (--rules) is rated by its severity.
const char* SeverityForUserRule(const std::string& severity) {
  if (severity == "note") return "3.0";
  if (severity == "warning") return "5.0";
  return "8.0";
}

report::RuleInfo TokenRuleInfo(const Rule& r,
                               const std::map<std::string, const Family*>& families) {
  auto family = families.find(r.id);
  std::string what = r.description.empty() ? "A credential of rule " + r.id : r.description;
  std::string description =
      what +
      ": a credential in its issuer's published format (prefix, length and, where the "
      "format has one, checksum) found in a file.";
  std::string severity;
  if (family != families.end()) {
    description += std::string(" Anyone who can read the repository, its history included, can ") +
                   family->second->grants + ".";
    severity = family->second->security_severity;
    if (auto it = SeverityExceptions().find(r.id); it != SeverityExceptions().end())
      severity = std::string(it->second);
  } else {
    description = what + ": a match of the user rule " + r.id + " (--rules).";
    severity = SeverityForUserRule(r.severity);
  }
  return {r.id,        what,
          description, "Remove the credential from the file." + kRemediation,
          severity,    {"security", "secrets"}};
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
  // The structural trigger's literals ride along in the credential rules' keyword pass.
  auto tokens =
      TokenScanner::Create(std::move(token_rules), internal::StructuralTrigger::Literals());
  if (!tokens.ok()) return tokens.status();
  Scanner s;
  // Braces: clang 14 (the fuzz build) has no parenthesized aggregate init for make_unique.
  s.impl_.reset(new Impl{std::move(*tokens), {}});
  return s;
}

std::vector<report::RuleInfo> StructuralRules() { return StructuralRuleList(); }

std::vector<report::RuleInfo> Scanner::Rules() const {
  // Rule ids are unique within a scanner, so an id of a built-in family is that rule.
  std::map<std::string, const Family*> families;
  for (const Family& f : kFamilies) {
    for (const Rule& r : f.rules()) families.emplace(r.id, &f);
  }
  std::vector<report::RuleInfo> rules = StructuralRuleList();
  for (const Rule& r : impl_->tokens.rules()) rules.push_back(TokenRuleInfo(r, families));
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
  std::vector<bool> literals;  // which of the structural trigger's literals text holds
  const std::vector<TokenMatch> matches = impl_->tokens.Scan(text, &literals);
  k8s::FileRole role = k8s::FileRole::kManifests;
  std::optional<yaml::ParsedFile> parsed;
  if (in.payload != Payload::kNone) {
    internal::JudgePayload(judge, result);
  } else if (IsYamlName(in.name)) {
    role = k8s::RoleOf(in.name, text);
    // A NUL byte in a file named as YAML or JSON is reported, never skipped as binary.
    bool structural = nul != std::string_view::npos ||
                      (role != k8s::FileRole::kHelmTemplate &&
                       impl_->trigger.Matches(text, role == k8s::FileRole::kHelmValues, literals));
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
