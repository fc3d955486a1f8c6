#include <catch2/catch.hpp>
#include <string>

#include "core/base64.h"
#include "secrets/builtin_rules.h"
#include "unit/secrets/builtin_rule_samples.h"

namespace capstan::secrets::samples {

std::vector<RuleSample> OpsSamples() {
  std::vector<RuleSample> v;
  v.push_back({"vault-token", "VAULT_TOKEN=hvs." + U(95), "VAULT_TOKEN=hvs.short"});
  v.push_back({"vault-token", "VAULT_TOKEN=hvb." + U(140), ""});
  v.push_back(
      {"vault-legacy-token", "VAULT_TOKEN=s." + A(24), "name: s." + A(24), "", Confidence::kLow});
  for (const char* p : {"dp.pt.", "dp.st.prd.", "dp.ct.", "dp.sa.", "dp.scim.", "dp.audit."}) {
    v.push_back({"doppler-token", std::string("DOPPLER_TOKEN=") + p + A(43),
                 std::string(p) == "dp.pt." ? "DOPPLER_TOKEN=dp.pt." + A(20) : ""});
  }
  const std::string op_json =
      R"({"signInAddress":"acme.1password.com",)"
      R"("userAuth":{"method":"SRPg-4096","alg":"PBES2g-HS256",)"
      R"("iterations":650000,"salt":")" +
      A(22) + R"("},"email":")" + LA(26) + R"(@1passwordserviceaccounts.com","srpX":")" + H(64) +
      R"(","muk":{"alg":"A256GCM","ext":true,"k":")" + U(43) + R"(","kty":"oct","kid":"mp"}})";
  v.push_back({"1password-service-account-token",
               "OP_SERVICE_ACCOUNT_TOKEN=ops_" + EncodeBase64(op_json),
               "OP_SERVICE_ACCOUNT_TOKEN=ops_eyJ" + A(260)});
  v.push_back(
      {"1password-secret-key",
       "secret_key: A3-" + UA(6) + "-" + UA(11) + "-" + UA(5, 2) + "-" + UA(5, 3) + "-" + UA(5, 4),
       "secret_key: A3-" + UA(6) + "-" + UA(5)});
  v.push_back({"1password-secret-key",
               "secret_key: A3-" + UA(6) + "-" + UA(6, 2) + "-" + UA(5, 3) + "-" + UA(5, 4) + "-" +
                   UA(5, 5) + "-" + UA(5, 6),
               ""});
  v.push_back(
      {"pulumi-token", "PULUMI_ACCESS_TOKEN=pul-" + H(40), "PULUMI_ACCESS_TOKEN=pul-" + H(20)});
  v.push_back({"terraform-cloud-token", "TF_TOKEN_app_terraform_io=" + A(14) + ".atlasv1." + U(67),
               "TF_TOKEN_app_terraform_io=" + A(14) + ".atlasv1." + U(20)});
  v.push_back(
      {"infracost-api-key", "INFRACOST_API_KEY=ico-" + A(32), "INFRACOST_API_KEY=ico-" + A(20)});
  v.push_back({"prefect-api-key", "PREFECT_API_KEY=pnu_" + A(36), "PREFECT_API_KEY=pnu_" + A(20)});
  v.push_back(
      {"scalingo-token", "SCALINGO_API_TOKEN=tk-us-" + U(48), "SCALINGO_API_TOKEN=tk-us-" + U(20)});
  const std::string glsa = "glsa_" + A(32);
  v.push_back({"grafana-service-account-token",
               "GRAFANA_TOKEN=" + glsa + "_" + secrets::GrafanaChecksum(glsa),
               "GRAFANA_TOKEN=" + glsa});
  v.push_back({"grafana-cloud-token",
               "GRAFANA_CLOUD_TOKEN=glc_" + EncodeBase64(R"({"o":"123456","n":"ci","k":")" + A(24) +
                                                         R"(","m":{"r":"prod-us-east-0"}})"),
               "GRAFANA_CLOUD_TOKEN=glc_short"});
  v.push_back({"grafana-api-key",
               "GRAFANA_API_KEY=" + EncodeBase64(R"({"k":")" + A(32) + R"(","n":"ci","id":1})"),
               "report: https://app.powerbi.com/view?r=" +
                   EncodeBase64(R"({"k":")" + Guid(4) + R"(","t":")" + Guid(5) + R"(","c":6})")});
  v.push_back({"newrelic-user-api-key", "NEW_RELIC_API_KEY=NRAK-" + UA(27),
               "NEW_RELIC_API_KEY=NRAK-" + UA(20)});
  v.push_back({"newrelic-insert-key", "insertKey: NRII-" + U(32), "insertKey: NRII-" + U(20)});
  v.push_back({"newrelic-license-key", "license_key: " + LA(6) + H(30) + "NRAL",
               "license_key: " + H(30) + "NRAL"});
  v.push_back({"sentry-org-token",
               "SENTRY_AUTH_TOKEN=sntrys_" +
                   EncodeBase64(R"({"iat":1700000000.0,"url":"https://sentry.io",)"
                                R"("region_url":"https://us.sentry.io","org":"acme"})") +
                   "_" + B(43),
               "SENTRY_AUTH_TOKEN=sntrys_eyJ" + A(40) + "_" + B(43)});
  v.push_back({"sentry-user-token", "SENTRY_AUTH_TOKEN=sntryu_" + H(64),
               "SENTRY_AUTH_TOKEN=sntryu_" + H(40)});
  v.push_back({"dynatrace-token", "DT_API_TOKEN=dt0c01." + UA(24) + "." + UA(64),
               "DT_API_TOKEN=dt0c01." + UA(24)});
  return v;
}

namespace {

TEST_CASE("the grafana checksum is crc32 least significant byte first, as grafana's test says",
          "[secrets]") {
  CHECK(GrafanaChecksum("glsa_iNValIdinValiDinvalidinvalidinva") == "5b582697");
  auto bad = Find("grafana-service-account-token", "token: glsa_" + A(32) + "_0badc0de");
  REQUIRE(bad.size() == 1);
  CHECK(bad[0].confidence == Confidence::kLow);
}

TEST_CASE("base64-json tokens that do not decode to their issuer's json are dropped", "[secrets]") {
  const std::string junk = A(300);
  CHECK(Find("1password-service-account-token", "OP_TOKEN=ops_eyJ" + junk).empty());
  CHECK(Find("grafana-api-key", "key: eyJrIjoi" + junk).empty());
  CHECK(Find("sentry-org-token", "token: sntrys_eyJ" + junk + "_" + B(43)).empty());
  // A grafana cloud token that does not decode is still worth a look.
  auto cloud = Find("grafana-cloud-token", "token: glc_" + junk.substr(0, 60));
  REQUIRE(cloud.size() == 1);
  CHECK(cloud[0].confidence == Confidence::kLow);
}

TEST_CASE("a legacy vault token needs the word vault or token before it on its line", "[secrets]") {
  const std::string token = "s." + A(24);
  CHECK(Find("vault-legacy-token", "vault login " + token).size() == 1);
  CHECK(Find("vault-legacy-token", "# vault\nid: " + token).empty());
}

}  // namespace
}  // namespace capstan::secrets::samples
