#include "secrets/builtin_rules.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/base64.h"

namespace capstan::secrets {
namespace {

constexpr char kBase62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr std::size_t kGithubPrefix = 4, kGithubBody = 30, kGithubCheck = 6;

std::optional<Confidence> VerifyGithubClassic(std::string_view token) {
  // A bad checksum is still reported: it may be a hand-edited or truncated real token.
  return GithubChecksumValid(token) ? Confidence::kHigh : Confidence::kLow;
}

// Decodes only a prefix: enough to read the PEM header line without decoding a whole key.
std::optional<Confidence> VerifyBase64Pem(std::string_view b64) {
  std::string_view head = b64.substr(0, std::min<std::size_t>(b64.find('='), 64));
  std::optional<std::string> pem = DecodeBase64(head.substr(0, head.size() - head.size() % 4));
  if (!pem || pem->find("PRIVATE KEY-----") == std::string::npos) return std::nullopt;
  return Confidence::kHigh;
}

std::optional<Confidence> VerifyJwt(std::string_view jwt) {
  std::optional<std::string> header = DecodeBase64Url(jwt.substr(0, jwt.find('.')));
  if (!header) return std::nullopt;
  nlohmann::json j = nlohmann::json::parse(*header, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("alg") || !j["alg"].is_string()) return std::nullopt;
  return Confidence::kHigh;
}

// Legacy `s.` tokens are short and generic enough that a match is only a likely secret.
std::optional<Confidence> Low(std::string_view) { return Confidence::kLow; }

Rule Make(std::string id, std::string description, std::string regex,
          std::vector<std::string> keywords, Verifier verify = nullptr, double min_entropy = 0,
          std::string severity = "error") {
  return Rule{std::move(id),
              std::move(description),
              std::move(regex),
              std::move(keywords),
              min_entropy,
              std::move(severity),
              verify};
}

}  // namespace

std::uint32_t Crc32(std::string_view data) {
  std::uint32_t crc = 0xffffffffu;
  for (unsigned char c : data) {
    crc ^= c;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

std::string GithubChecksum(std::string_view body30) {
  std::uint32_t v = Crc32(body30);
  std::string out(kGithubCheck, '0');
  for (std::size_t i = kGithubCheck; i-- > 0 && v != 0; v /= 62) out[i] = kBase62[v % 62];
  return out;
}

bool GithubChecksumValid(std::string_view token) {
  if (token.size() != kGithubPrefix + kGithubBody + kGithubCheck) return false;
  return GithubChecksum(token.substr(kGithubPrefix, kGithubBody)) ==
         token.substr(kGithubPrefix + kGithubBody);
}

std::vector<Rule> BuiltinRules() {
  std::vector<Rule> r;
  r.push_back(Make("aws-access-key-id", "AWS access key id",
                   R"(\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b)",
                   {"akia", "asia", "abia", "acca"}));
  r.push_back(Make("github-token", "GitHub token (classic format, CRC32-checked)",
                   R"(\b(gh[pousr]_[A-Za-z0-9]{36})\b)", {"ghp_", "gho_", "ghu_", "ghs_", "ghr_"},
                   VerifyGithubClassic));
  r.push_back(Make("github-fine-grained-pat", "GitHub fine-grained personal access token",
                   R"(\b(github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})\b)", {"github_pat_"}));
  r.push_back(Make("gitlab-token",
                   "GitLab token (personal, deploy, runner, trigger, feed, OAuth ...)",
                   R"(\b((?:glpat|gldt|glrt|glptt|glft|glcbt|gloas|glsoat|glimt|glagent))"
                   R"(-[A-Za-z0-9_.-]{19,}[A-Za-z0-9_-]))",
                   {"glpat-", "gldt-", "glrt-", "glptt-", "glft-", "glcbt-", "gloas-", "glsoat-",
                    "glimt-", "glagent-"}));
  r.push_back(Make("slack-token", "Slack bot, user, app, refresh or legacy token",
                   R"(\b(xox[bpars]-(?:[0-9]+-)+[0-9A-Za-z]{8,}(?:-[0-9A-Za-z]+)*))",
                   {"xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-"}));
  r.push_back(
      Make("slack-webhook-url", "Slack incoming webhook URL",
           R"((https?://hooks\.slack\.com/services/T[A-Z0-9]{6,}/B[A-Z0-9]{6,}/[A-Za-z0-9]{20,}))",
           {"hooks.slack.com"}));
  r.push_back(Make("stripe-live-key", "Stripe live secret or restricted key",
                   R"(\b((?:sk|rk)_live_[0-9A-Za-z]{24,})\b)", {"sk_live_", "rk_live_"}));
  // Before the PEM rules: a service account's private_key starts with a PEM key, and of two
  // matches at one offset the earlier rule is reported.
  r.push_back(Make("gcp-service-account", "Google Cloud service account key (JSON)",
                   R"re("type"\s*:\s*"service_account"[^{}]*?"private_key"\s*:\s*"([^"]+)")re"
                   R"re(|"private_key"\s*:\s*"([^"]+)"[^{}]*?"type"\s*:\s*"service_account")re",
                   {"service_account"}));
  r.push_back(Make("pem-private-key", "PEM private key (RSA, EC, DSA, OpenSSH, PKCS#8, encrypted)",
                   R"((-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----)"
                   R"((?:[A-Za-z0-9+/=\s:,\\-]*?-----END[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----)?))",
                   {"private key"}));
  r.push_back(
      Make("pem-private-key-base64", "base64-encoded PEM private key (e.g. a Secret's tls.key)",
           R"(\b(LS0tLS1CRUdJTi[A-Za-z0-9+/]{40,}={0,2}))", {"ls0tls1crudjti"}, VerifyBase64Pem));
  r.push_back(Make("age-secret-key", "age secret key",
                   R"(\b(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})\b)",
                   {"age-secret-key-1"}));
  r.push_back(Make("vault-token", "HashiCorp Vault service or batch token",
                   R"(\b(hv[sb]\.[A-Za-z0-9_-]{90,}))", {"hvs.", "hvb."}));
  r.push_back(Make("vault-legacy-token",
                   "HashiCorp Vault service token (pre-1.10 format), near the word vault or token",
                   R"(\b(s\.[A-Za-z0-9]{24})\b)", {"vault", "token"}, Low, 3.5, "warning"));
  r.push_back(Make("npm-token", "npm access token", R"(\b(npm_[A-Za-z0-9]{36})\b)", {"npm_"}));
  r.push_back(Make("jwt", "JSON Web Token (header decodes to JSON with \"alg\")",
                   R"(\b(eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}))", {"eyj"},
                   VerifyJwt));
  return r;
}

}  // namespace capstan::secrets
