// Secrets managers, infrastructure as code, monitoring and error tracking.
#include "secrets/builtin_rule_families.h"
#include "secrets/builtin_rules.h"

namespace capstan::secrets::internal {
namespace {

// A bad checksum is still reported, as for GitHub tokens.
std::optional<Confidence> VerifyGrafanaServiceAccount(std::string_view token) {
  const std::size_t last = token.rfind('_');
  return GrafanaChecksum(token.substr(0, last)) == token.substr(last + 1) ? Confidence::kHigh
                                                                          : Confidence::kLow;
}

// glc_ and the base64 of {"o": org, "n": name, "k": key, "m": {"r": region}}. Reported at low
// confidence when it does not decode: the prefix alone is a strong hint.
std::optional<Confidence> VerifyGrafanaCloud(std::string_view token) {
  return Base64JsonHasKeys(token.substr(4), {"k"}) ? Confidence::kHigh : Confidence::kLow;
}

// Grafana's legacy API keys are the base64 of {"k": key, "n": name, "id": org}. Other
// eyJrIjoi... strings (Power BI report links share the first field) are not Grafana keys.
std::optional<Confidence> VerifyGrafanaApiKey(std::string_view token) {
  if (!Base64JsonHasKeys(token, {"k", "n", "id"})) return std::nullopt;
  return Confidence::kHigh;
}

// ops_ and the base64 of a JSON object (sign-in address, account and encryption details).
std::optional<Confidence> VerifyOnePasswordServiceAccount(std::string_view token) {
  if (!Base64JsonHasKeys(token.substr(4), {})) return std::nullopt;
  return Confidence::kHigh;
}

// sntrys_, the base64 of a JSON object that holds the issue time, "_", and the secret.
std::optional<Confidence> VerifySentryOrgToken(std::string_view token) {
  std::string_view payload = token.substr(7, token.rfind('_') - 7);
  if (!Base64JsonHasKeys(payload, {"iat"})) return std::nullopt;
  return Confidence::kHigh;
}

}  // namespace

std::vector<Rule> OpsRules() {
  std::vector<Rule> r;
  r.push_back(MakeRule("vault-token", "HashiCorp Vault service or batch token",
                       R"(\b(hv[sb]\.[A-Za-z0-9_-]{90,}))", {"hvs.", "hvb."}));
  r.push_back(
      MakeRule("vault-legacy-token",
               "HashiCorp Vault service token (pre-1.10 format), near the word vault or token",
               R"((?i:vault|token)[^\r\n]*?\b(s\.[A-Za-z0-9]{24})\b)", {"vault", "token"},
               VerifyLow, 3.5, "warning"));
  r.push_back(MakeRule(
      "doppler-token", "Doppler personal, service, CLI, service account, SCIM or audit token",
      R"(\b(dp\.(?:pt|st|ct|sa|scim|audit)\.(?:[a-z0-9_-]{2,35}\.)?[A-Za-z0-9]{40,44})\b)",
      {"dp.pt.", "dp.st.", "dp.ct.", "dp.sa.", "dp.scim.", "dp.audit."}));
  r.push_back(MakeRule("1password-service-account-token",
                       "1Password service account token (decodes to its JSON)",
                       R"(\b(ops_eyJ[A-Za-z0-9+/]{100,}={0,3}))" + kEndBase64, {"ops_eyj"},
                       VerifyOnePasswordServiceAccount));
  r.push_back(MakeRule("1password-secret-key", "1Password account Secret Key",
                       R"(\b(A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5}))"
                       R"(-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5})\b)",
                       {"a3-"}, nullptr, 3.0));
  r.push_back(
      MakeRule("pulumi-token", "Pulumi access token", R"(\b(pul-[a-f0-9]{40})\b)", {"pul-"}));
  r.push_back(MakeRule("terraform-cloud-token", "HCP Terraform (Terraform Cloud) API token",
                       R"(\b([A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70}))" + kEndBase64,
                       {"atlasv1"}));
  r.push_back(
      MakeRule("infracost-api-key", "Infracost API key", R"(\b(ico-[A-Za-z0-9]{32})\b)", {"ico-"}));
  r.push_back(
      MakeRule("prefect-api-key", "Prefect API key", R"(\b(pnu_[A-Za-z0-9]{36})\b)", {"pnu_"}));
  r.push_back(MakeRule("scalingo-token", "Scalingo API token",
                       R"(\b(tk-us-[A-Za-z0-9_-]{48}))" + kEndToken, {"tk-us-"}));
  r.push_back(MakeRule(
      "grafana-service-account-token", "Grafana service account token (CRC32-checked)",
      R"(\b(glsa_[A-Za-z0-9]{32}_[a-f0-9]{8})\b)", {"glsa_"}, VerifyGrafanaServiceAccount));
  r.push_back(MakeRule("grafana-cloud-token", "Grafana Cloud access policy or API token",
                       R"(\b(glc_[A-Za-z0-9+/]{32,}={0,2}))" + kEndBase64, {"glc_"},
                       VerifyGrafanaCloud));
  r.push_back(MakeRule("grafana-api-key", "Grafana API key (legacy; decodes to its JSON)",
                       R"(\b(eyJrIjoi[A-Za-z0-9+/]{40,}={0,2}))" + kEndBase64, {"eyjrijoi"},
                       VerifyGrafanaApiKey));
  r.push_back(MakeRule("newrelic-user-api-key", "New Relic user API key",
                       R"(\b(NRAK-[A-Z0-9]{27})\b)", {"nrak-"}));
  r.push_back(MakeRule("newrelic-insert-key", "New Relic insights insert key",
                       R"(\b(NRII-[A-Za-z0-9_-]{32}))" + kEndToken, {"nrii-"}));
  r.push_back(MakeRule("newrelic-license-key", "New Relic ingest license key",
                       R"(\b([a-z0-9]{6}[a-f0-9]{30}NRAL)\b)", {"nral"}));
  r.push_back(MakeRule("sentry-org-token", "Sentry organization auth token (decodes to its JSON)",
                       R"(\b(sntrys_eyJ[A-Za-z0-9+/]{20,}={0,2}_[A-Za-z0-9+/]{43}))" + kEndBase64,
                       {"sntrys_eyj"}, VerifySentryOrgToken));
  r.push_back(MakeRule("sentry-user-token", "Sentry user auth token",
                       R"(\b(sntryu_[a-f0-9]{64})\b)", {"sntryu_"}));
  r.push_back(MakeRule("dynatrace-token", "Dynatrace API or platform token",
                       R"(\b(dt0[a-z][0-9]{2}\.[A-Z0-9]{24}\.[A-Z0-9]{64})\b)", {"dt0"}));
  return r;
}

}  // namespace capstan::secrets::internal
