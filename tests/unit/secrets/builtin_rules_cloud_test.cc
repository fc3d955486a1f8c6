#include <catch2/catch.hpp>
#include <string>

#include "core/base64.h"
#include "secrets/builtin_rules.h"
#include "unit/secrets/builtin_rule_samples.h"

namespace capstan::secrets::samples {

std::vector<RuleSample> CloudSamples() {
  std::vector<RuleSample> v;
  const std::string base32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  v.push_back({"aws-access-key-id", "aws_access_key_id = AKIA" + Chars(base32, 16),
               "aws_access_key_id = AKIA" + Chars("abcdefghijklmnop", 16)});
  for (const char* p : {"ASIA", "ABIA", "ACCA"})
    v.push_back(
        {"aws-access-key-id", std::string("aws_access_key_id = ") + p + Chars(base32, 16), ""});
  v.push_back({"gcp-api-key", "GOOGLE_API_KEY=AIza" + U(35), "GOOGLE_API_KEY=AIza" + U(30)});
  v.push_back({"gcp-oauth-client-secret", "client_secret: GOCSPX-" + U(28),
               "client_secret: GOCSPX-" + U(20)});
  v.push_back({"google-oauth-access-token", "Authorization: Bearer ya29." + U(120),
               "Authorization: Bearer ya29.abc"});
  const std::string account_key = B(86) + "==";
  const std::string azurite =
      std::string("Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/") +
      "K1SZFPTOtr/KBHBeksoGMGw==";
  v.push_back({"azure-storage-account-key",
               "AzureWebJobsStorage=DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=" +
                   account_key + ";EndpointSuffix=core.windows.net",
               "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + azurite,
               account_key});
  const std::string sas = B(43) + "=";
  v.push_back(
      {"azure-shared-access-key",
       "Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;"
       "SharedAccessKey=" +
           sas,
       "Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;"
       "SharedAccessKey=${SERVICE_BUS_KEY}",
       sas});
  v.push_back({"azure-identifiable-key",
               "key: " + B(76) + "+ASt" + B(5) + "A==", "key: " + B(70) + "+ASt" + B(5) + "A=="});
  unsigned seed = 2;
  for (const char* sig : {"ACDb", "+ABa", "+AMC", "APIM"})
    v.push_back({"azure-identifiable-key", "key: " + B(76, seed++) + sig + B(5) + "A==", ""});
  v.push_back({"azure-identifiable-key", "code: " + U(44) + "AzFu" + U(5) + "Q==", ""});
  v.push_back({"azure-identifiable-key", "api-key: " + A(42) + "AzSe" + "A" + A(5), ""});
  v.push_back({"azure-identifiable-key", "password: " + B(42) + "+ACR" + "B" + B(5), ""});
  for (const char* sig : {"+ARm", "+AEh", "+ASb", "AIoT", "AzCa", "AZEG"})
    v.push_back({"azure-identifiable-key", "key: " + B(33, seed++) + sig + "P" + B(5) + "=", ""});
  const std::string cask = A(52) + "JQQJ99" + "AB" + A(12) + "AAAAAZDO" + A(4);
  v.push_back({"azure-cask-key", "AZURE_DEVOPS_PAT=" + cask,
               "AZURE_DEVOPS_PAT=" + A(52) + "JQQJ98" + "AB" + A(12) + "AAAAAZDO" + A(4)});
  const std::string secret_chars = std::string(kAlnum) + "_~.-";
  v.push_back({"azure-ad-client-secret", "client_secret: " + A(3) + "8Q~" + Chars(secret_chars, 34),
               "client_secret: " + A(3) + "9Q~" + Chars(secret_chars, 34)});
  v.push_back(
      {"azure-ad-client-secret", "client_secret: " + A(3) + "7Q~" + Chars(secret_chars, 31), ""});
  v.push_back({"alibaba-access-key-id", "ALIBABA_CLOUD_ACCESS_KEY_ID=LTAI" + A(20),
               "ALIBABA_CLOUD_ACCESS_KEY_ID=LTAI" + Repeat("x", 20)});
  v.push_back({"tencent-secret-id", "TENCENTCLOUD_SECRET_ID=AKID" + A(32),
               "TENCENTCLOUD_SECRET_ID=AKID" + A(20)});
  v.push_back({"digitalocean-token", "DIGITALOCEAN_TOKEN=dop_v1_" + H(64),
               "DIGITALOCEAN_TOKEN=dop_v1_" + H(63)});
  v.push_back({"digitalocean-token", "DIGITALOCEAN_TOKEN=doo_v1_" + H(64), ""});
  v.push_back({"digitalocean-token", "DIGITALOCEAN_TOKEN=dor_v1_" + H(64), ""});
  v.push_back({"cloudflare-origin-ca-key", "X-Auth-User-Service-Key: v1.0-" + H(24) + "-" + H(146),
               "image: app:v1.0-beta"});
  v.push_back({"cloudflare-tunnel-token",
               "TUNNEL_TOKEN=" + EncodeBase64(R"({"a":")" + H(32) + R"(","t":")" + Guid(1) +
                                              R"(","s":")" + EncodeBase64(A(32)) + R"("})"),
               "TUNNEL_TOKEN=" + EncodeBase64(R"({"a":"x","note":")" + A(80) + R"("})")});
  v.push_back({"flyio-token", "FLY_API_TOKEN=fo1_" + U(43), "FLY_API_TOKEN=fo1_" + U(20)});
  v.push_back({"flyio-token", "FLY_API_TOKEN=FlyV1 fm1a_" + B(120), ""});
  v.push_back({"flyio-token", "FLY_API_TOKEN=FlyV1 fm1r_" + B(120), ""});
  v.push_back({"flyio-token", "FLY_API_TOKEN=FlyV1 fm2_" + B(120), ""});
  v.push_back(
      {"heroku-api-key", "HEROKU_API_KEY=HRKU-AA" + U(58), "HEROKU_API_KEY=HRKU-AA" + U(30)});
  v.push_back(
      {"render-api-key", "RENDER_API_KEY=rnd_" + A(32), "RENDER_API_KEY=rnd_" + Repeat("a", 32)});
  v.push_back(
      {"supabase-key", "SUPABASE_ACCESS_TOKEN=sbp_" + H(40), "SUPABASE_ACCESS_TOKEN=sbp_" + H(30)});
  v.push_back({"supabase-key", "SUPABASE_SECRET_KEY=sb_secret_" + U(31), ""});
  v.push_back({"planetscale-token", "PLANETSCALE_SERVICE_TOKEN=pscale_tkn_" + U(43),
               "PLANETSCALE_SERVICE_TOKEN=pscale_tkn_short"});
  v.push_back({"planetscale-token", "PLANETSCALE_TOKEN=pscale_oauth_" + U(43), ""});
  v.push_back(
      {"planetscale-password", "password: pscale_pw_" + U(43), "password: pscale_pw_short"});
  v.push_back(
      {"databricks-token", "DATABRICKS_TOKEN=dapi" + H(32), "DATABRICKS_TOKEN=dapi" + H(20)});
  v.push_back({"databricks-token", "DATABRICKS_TOKEN=dapi" + H(32, 2) + "-3", ""});
  v.push_back({"yandex-api-key", "YC_API_KEY=AQVN" + U(36), "YC_API_KEY=AQVN" + U(20)});
  v.push_back(
      {"openshift-token", "oc login --token=sha256~" + U(43), "oc login --token=sha256~" + U(20)});
  v.push_back({"tailscale-key", "TS_AUTHKEY=tskey-auth-k" + A(10) + "CNTRL-" + A(32),
               "TS_AUTHKEY=tskey-secret-12345678-abcd"});
  return v;
}

namespace {

TEST_CASE("a cloudflare tunnel token must decode to its json", "[secrets]") {
  CHECK(Find("cloudflare-tunnel-token", "TUNNEL_TOKEN=eyJhIjoi" + A(120)).empty());
}

TEST_CASE("an azure storage key is flagged in any case of AccountKey, with spaces", "[secrets]") {
  const std::string key = B(86, 3) + "==";
  auto m = Find("azure-storage-account-key", "accountkey = " + key + "\n");
  REQUIRE(m.size() == 1);
  CHECK(m[0].length == key.size());
}

}  // namespace
}  // namespace capstan::secrets::samples
