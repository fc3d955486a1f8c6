// Cloud and hosting providers.
#include "secrets/builtin_rule_families.h"

namespace capstan::secrets::internal {
namespace {

// The storage emulator's (Azurite's) account key, which Microsoft publishes for local
// development: a sample value, not a credential.
constexpr std::string_view kAzuriteAccountKey =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

std::optional<Confidence> VerifyNotAzurite(std::string_view key) {
  if (key == kAzuriteAccountKey) return std::nullopt;
  return Confidence::kHigh;
}

// A cloudflared tunnel token is the base64 of {"a": account tag, "t": tunnel id, "s": secret}.
std::optional<Confidence> VerifyCloudflareTunnel(std::string_view token) {
  if (!Base64JsonHasKeys(token, {"a", "t", "s"})) return std::nullopt;
  return Confidence::kHigh;
}

// Microsoft's identifiable keys: a fixed 4-character signature at a fixed place in a base64 key
// (88 characters for 64-byte keys, 44 for 32-byte keys, 52 and 56 for Search, Container
// Registry and Functions keys).
const std::string kAzureIdentifiable =
    R"((?:^|[^A-Za-z0-9+/_-])()"
    R"([A-Za-z0-9+/]{76}(?:\+ASt|ACDb|\+ABa|\+AMC|APIM)[A-Za-z0-9+/]{5}[AQgw]==)"
    R"(|[A-Za-z0-9_-]{44}AzFu[A-Za-z0-9_-]{5}[AQgw]==)"
    R"(|[A-Za-z0-9]{42}AzSe[A-D][A-Za-z0-9]{5})"
    R"(|[A-Za-z0-9+/]{42}\+ACR[A-D][A-Za-z0-9+/]{5})"
    R"(|[A-Za-z0-9+/]{33}(?:\+ARm|\+AEh|\+ASb|AIoT|AzCa|AZEG)[A-P][A-Za-z0-9+/]{5}=))" +
    kEndBase64;

// Microsoft's common annotated security key (CASK) format: 52 random characters, the JQQJ9
// signature, a version, then provider and date fields; Azure DevOps PATs end in AZDO plus 4.
const std::string kAzureCask =
    R"((?:^|[^A-Za-z0-9])([A-Za-z0-9]{52}JQQJ9[9DH][A-Za-z0-9][A-L][A-Za-z0-9]{16})"
    R"([A-Za-z][A-Za-z0-9]{7}(?:[A-Za-z0-9]{2}==)?))" +
    kEndBase64;

}  // namespace

std::vector<Rule> CloudRules() {
  std::vector<Rule> r;
  r.push_back(MakeRule("aws-access-key-id", "AWS access key id",
                       R"(\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b)",
                       {"akia", "asia", "abia", "acca"}));
  r.push_back(MakeRule("gcp-api-key", "Google API key (Cloud, Maps, Gemini, Firebase)",
                       R"(\b(AIza[0-9A-Za-z_-]{35}))" + kEndToken, {"aiza"}));
  r.push_back(MakeRule("gcp-oauth-client-secret", "Google OAuth client secret",
                       R"(\b(GOCSPX-[A-Za-z0-9_-]{28}))" + kEndToken, {"gocspx-"}));
  r.push_back(MakeRule("google-oauth-access-token", "Google OAuth access token",
                       R"(\b(ya29\.[0-9A-Za-z_-]{20,}))" + kEndToken, {"ya29."}));
  // Before azure-identifiable-key: a new-format storage key in a connection string is named
  // for what it is.
  r.push_back(MakeRule("azure-storage-account-key",
                       "Azure Storage account key in a connection string",
                       R"((?i:AccountKey)[ \t]*=[ \t]*([A-Za-z0-9+/]{86}==))" + kEndBase64,
                       {"accountkey"}, VerifyNotAzurite));
  r.push_back(
      MakeRule("azure-shared-access-key",
               "Azure Service Bus, Event Hubs or Relay shared access key in a connection string",
               R"((?i:SharedAccessKey)[ \t]*=[ \t]*([A-Za-z0-9+/]{43}=))" + kEndBase64,
               {"sharedaccesskey"}));
  r.push_back(MakeRule("azure-identifiable-key",
                       "Azure service key in Microsoft's identifiable format (Storage, Cosmos DB, "
                       "Service Bus, Event Hubs, Functions, Search, Container Registry, API "
                       "Management ...)",
                       kAzureIdentifiable,
                       {"+ast", "acdb", "+aba", "+amc", "apim", "azfu", "azse", "+acr", "+arm",
                        "+aeh", "+asb", "aiot", "azca", "azeg"}));
  r.push_back(MakeRule("azure-cask-key",
                       "Azure key in Microsoft's common annotated format (DevOps PAT, AI services, "
                       "OpenAI, Maps ...)",
                       kAzureCask, {"jqqj9"}));
  r.push_back(MakeRule("azure-ad-client-secret", "Microsoft Entra ID (Azure AD) client secret",
                       R"((?:^|[^A-Za-z0-9_~.+/-])([A-Za-z0-9_~.-]{3}[78]Q~[A-Za-z0-9_~.-]{31,34}))"
                       R"((?:[^A-Za-z0-9_~.+/-]|$))",
                       {"7q~", "8q~"}));
  r.push_back(MakeRule("alibaba-access-key-id", "Alibaba Cloud AccessKey id",
                       R"(\b(LTAI[A-Za-z0-9]{12,20})\b)", {"ltai"}, nullptr, 3.0));
  r.push_back(MakeRule("tencent-secret-id", "Tencent Cloud SecretId",
                       R"(\b(AKID[A-Za-z0-9]{32})\b)", {"akid"}, nullptr, 3.0));
  r.push_back(MakeRule("digitalocean-token", "DigitalOcean personal access, OAuth or refresh token",
                       R"(\b(do[por]_v1_[a-f0-9]{64})\b)", {"dop_v1_", "doo_v1_", "dor_v1_"}));
  r.push_back(MakeRule("cloudflare-origin-ca-key", "Cloudflare Origin CA key",
                       R"(\b(v1\.0-[a-f0-9]{24}-[a-f0-9]{146})\b)", {"v1.0-"}));
  r.push_back(MakeRule("cloudflare-tunnel-token", "Cloudflare Tunnel token (decodes to its JSON)",
                       R"(\b(eyJhIjoi[A-Za-z0-9+/]{60,}={0,2}))" + kEndBase64, {"eyjhijoi"},
                       VerifyCloudflareTunnel));
  r.push_back(
      MakeRule("flyio-token", "Fly.io access token",
               R"(\b(fo1_[A-Za-z0-9_-]{43}|fm(?:1[ar]|2)_[A-Za-z0-9+/]{100,}={0,3}))" + kEndBase64,
               {"fo1_", "fm1a_", "fm1r_", "fm2_"}));
  r.push_back(MakeRule("heroku-api-key", "Heroku API key",
                       R"(\b(HRKU-AA[A-Za-z0-9_-]{58}))" + kEndToken, {"hrku-aa"}));
  r.push_back(MakeRule("render-api-key", "Render API key", R"(\b(rnd_[A-Za-z0-9]{32})\b)", {"rnd_"},
                       nullptr, 3.0));
  r.push_back(MakeRule("supabase-key", "Supabase personal access token or secret API key",
                       R"(\b(sbp_[a-f0-9]{40}|sb_secret_[A-Za-z0-9_-]{20,}))" + kEndToken,
                       {"sbp_", "sb_secret_"}));
  r.push_back(MakeRule("planetscale-token", "PlanetScale service or OAuth token",
                       R"(\b(pscale_(?:tkn|oauth)_[A-Za-z0-9_=.-]{32,64}))" + kEndBase64,
                       {"pscale_tkn_", "pscale_oauth_"}));
  r.push_back(MakeRule("planetscale-password", "PlanetScale database password",
                       R"(\b(pscale_pw_[A-Za-z0-9_=.-]{32,64}))" + kEndBase64, {"pscale_pw_"}));
  r.push_back(MakeRule("databricks-token", "Databricks personal access token",
                       R"(\b(dapi[a-f0-9]{32}(?:-[0-9])?))" + kEndToken, {"dapi"}));
  r.push_back(MakeRule("yandex-api-key", "Yandex Cloud API key",
                       R"(\b(AQVN[A-Za-z0-9_-]{35,38}))" + kEndToken, {"aqvn"}));
  r.push_back(MakeRule("openshift-token", "OpenShift user or service account token",
                       R"(\b(sha256~[A-Za-z0-9_-]{43}))" + kEndToken, {"sha256~"}));
  r.push_back(
      MakeRule("tailscale-key", "Tailscale API, auth, OAuth client or webhook key",
               R"(\b(tskey-(?:api|auth|client|scim|webhook)-[A-Za-z0-9]{6,}-[A-Za-z0-9]{20,})\b)",
               {"tskey-"}));
  return r;
}

}  // namespace capstan::secrets::internal
