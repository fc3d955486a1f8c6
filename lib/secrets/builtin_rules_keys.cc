// Private keys and signed tokens, whoever issued them.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/base64.h"
#include "secrets/builtin_rule_families.h"

namespace capstan::secrets::internal {
namespace {

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

}  // namespace

std::vector<Rule> KeyRules() {
  std::vector<Rule> r;
  // Before the PEM rules: a service account's private_key starts with a PEM key, and of two
  // matches at one offset the earlier rule is reported.
  r.push_back(MakeRule("gcp-service-account", "Google Cloud service account key (JSON)",
                       R"re("type"\s*:\s*"service_account"[^{}]*?"private_key"\s*:\s*"([^"]+)")re"
                       R"re(|"private_key"\s*:\s*"([^"]+)"[^{}]*?"type"\s*:\s*"service_account")re",
                       {"service_account"}));
  r.push_back(
      MakeRule("pem-private-key", "PEM private key (RSA, EC, DSA, OpenSSH, PKCS#8, encrypted, PGP)",
               R"((-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----)"
               R"((?:[A-Za-z0-9+/=\s:,\\-]*?-----END[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----)?))",
               {"private key"}));
  r.push_back(MakeRule(
      "pem-private-key-base64", "base64-encoded PEM private key (e.g. a Secret's tls.key)",
      R"(\b(LS0tLS1CRUdJTi[A-Za-z0-9+/]{40,}={0,2}))", {"ls0tls1crudjti"}, VerifyBase64Pem));
  r.push_back(MakeRule("putty-private-key", "PuTTY private key file (.ppk)",
                       R"((PuTTY-User-Key-File-[23]: [^\r\n]+(?:\r?\n[^\r\n]*)*?)"
                       R"(\r?\nPrivate-Lines: [0-9]+(?:\r?\n[A-Za-z0-9+/=]+)+)\r?(?:\n|$))",
                       {"putty-user-key-file-"}));
  r.push_back(MakeRule("wireguard-private-key", "WireGuard private or preshared key",
                       R"(\b(?i:PrivateKey|PresharedKey)[ \t]*=[ \t]*)"
                       R"(([A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=))" +
                           kEndBase64,
                       {"privatekey", "presharedkey"}));
  r.push_back(MakeRule("age-secret-key", "age secret key",
                       R"(\b(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})\b)",
                       {"age-secret-key-1"}));
  r.push_back(MakeRule("jwt", "JSON Web Token (header decodes to JSON with \"alg\")",
                       R"(\b(eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}))",
                       {"eyj"}, VerifyJwt));
  return r;
}

}  // namespace capstan::secrets::internal
