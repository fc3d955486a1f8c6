#include "secrets/builtin_rules.h"

#include <nlohmann/json.hpp>

#include "core/base64.h"
#include "secrets/builtin_rule_families.h"

namespace capstan::secrets {
namespace {

constexpr char kBase62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr std::size_t kGithubPrefix = 4, kGithubBody = 30, kGithubCheck = 6;

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

std::string GrafanaChecksum(std::string_view prefix_and_secret) {
  constexpr char kHex[] = "0123456789abcdef";
  std::uint32_t v = Crc32(prefix_and_secret);
  std::string out;
  for (int byte = 0; byte < 4; ++byte, v >>= 8) {
    out += kHex[(v >> 4) & 0xf];
    out += kHex[v & 0xf];
  }
  return out;
}

std::vector<Rule> BuiltinRules() {
  std::vector<Rule> rules;
  for (std::vector<Rule> (*family)() :
       {internal::SourceHostingRules, internal::CloudRules, internal::AiRules, internal::SaasRules,
        internal::OpsRules, internal::KeyRules}) {
    for (Rule& r : family()) rules.push_back(std::move(r));
  }
  return rules;
}

namespace internal {

Rule MakeRule(std::string id, std::string description, std::string regex,
              std::vector<std::string> keywords, Verifier verify, double min_entropy,
              std::string severity) {
  return Rule{std::move(id),      std::move(description), std::move(regex), std::move(keywords),
              min_entropy,        std::move(severity),    verify,
              /*known_good=*/true};
}

std::optional<Confidence> VerifyGithubStyleChecksum(std::string_view token) {
  return GithubChecksumValid(token) ? Confidence::kHigh : Confidence::kLow;
}

std::optional<Confidence> VerifyLow(std::string_view) { return Confidence::kLow; }

bool Base64JsonHasKeys(std::string_view b64, std::initializer_list<std::string_view> keys) {
  std::optional<std::string> text = DecodeBase64(b64);
  if (!text) {
    while (!b64.empty() && b64.back() == '=') b64.remove_suffix(1);
    text = DecodeBase64Url(b64);
  }
  if (!text) return false;
  nlohmann::json j = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return false;
  for (std::string_view k : keys)
    if (!j.contains(std::string(k))) return false;
  return true;
}

}  // namespace internal
}  // namespace capstan::secrets
