#include <catch2/catch.hpp>
#include <string>

#include "core/base64.h"
#include "secrets/builtin_rules.h"
#include "unit/secrets/builtin_rule_samples.h"

namespace capstan::secrets::samples {

std::vector<RuleSample> SaasSamples() {
  std::vector<RuleSample> v;
  for (const char* p : {"xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-"}) {
    v.push_back({"slack-token", std::string("SLACK=") + p + "123456789012-1234567890123-" + A(24),
                 std::string(p) == "xoxb-" ? "SLACK=xoxb-your-token-here" : ""});
  }
  v.push_back({"slack-app-token", "SLACK_APP_TOKEN=xapp-1-A05V64V7F2B-5062360157732-" + H(64),
               "SLACK_APP_TOKEN=xapp-1-A05V64V7F2B-1"});
  v.push_back({"slack-config-token", "SLACK_CONFIG_TOKEN=xoxe.xoxp-1-" + A(163),
               "SLACK_CONFIG_TOKEN=xoxe-1-" + A(40)});
  v.push_back({"slack-config-token", "SLACK_CONFIG_TOKEN=xoxe.xoxb-1-" + A(163), ""});
  v.push_back({"slack-config-token", "SLACK_REFRESH_TOKEN=xoxe-1-" + A(146), ""});
  v.push_back({"slack-webhook-url",
               "url: https://hooks.slack.com/services/T0ABCDEFG/B0ABCDEFG/" + A(24),
               "url: https://hooks.slack.com/services/XXX/YYY/ZZZ"});
  v.push_back({"discord-webhook-url",
               "url: https://discord.com/api/webhooks/123456789012345678/" + U(68),
               "url: https://discord.com/api/webhooks/123/abc"});
  v.push_back({"discord-webhook-url",
               "url: https://discordapp.com/api/webhooks/123456789012345678/" + U(68), ""});
  v.push_back({"teams-webhook-url",
               "url: https://acme.webhook.office.com/webhookb2/" + Guid(1) + "@" + Guid(2) +
                   "/IncomingWebhook/" + H(32) + "/" + Guid(3),
               "url: https://acme.webhook.office.com/webhookb2/" + Guid(1)});
  const std::string bot = "123456789:AA" + U(33, 2);
  v.push_back({"telegram-bot-token", "TELEGRAM_BOT_TOKEN=123456789:AA" + U(33),
               "TELEGRAM_BOT_TOKEN=123456789:AB" + U(33)});
  v.push_back(
      {"telegram-bot-token", "curl https://api.telegram.org/bot" + bot + "/getMe", "", bot});
  v.push_back({"sendgrid-api-key", "SENDGRID_API_KEY=SG." + U(22) + "." + U(43),
               "SENDGRID_API_KEY=SG." + U(22) + "." + U(20)});
  for (int dc = 1; dc <= 9; ++dc) {
    v.push_back({"mailchimp-api-key", "MAILCHIMP_API_KEY=" + H(32, dc) + "-us" + std::to_string(dc),
                 dc == 1 ? "MAILCHIMP_API_KEY=" + H(31) + "-us1" : ""});
  }
  v.push_back({"mailchimp-api-key", "MAILCHIMP_API_KEY=" + H(32) + "-us21", ""});
  v.push_back({"brevo-api-key", "BREVO_API_KEY=xkeysib-" + H(64) + "-" + A(16),
               "BREVO_API_KEY=xkeysib-" + H(64)});
  v.push_back({"brevo-api-key", "SMTP_PASSWORD=xsmtpsib-" + H(64) + "-" + A(16), ""});
  v.push_back({"stripe-live-key", "key: sk_live_" + A(24), "key: sk_test_" + A(24)});
  v.push_back({"stripe-live-key", "key: rk_live_" + A(30), ""});
  v.push_back({"stripe-webhook-secret", "STRIPE_WEBHOOK_SECRET=whsec_" + A(32),
               "STRIPE_WEBHOOK_SECRET=whsec_" + A(10)});
  v.push_back({"square-access-token", "SQUARE_ACCESS_TOKEN=EAAA" + U(60),
               "SQUARE_ACCESS_TOKEN=EAAA" + U(30)});
  v.push_back({"square-access-token", "SQUARE_ACCESS_TOKEN=sq0atp-" + U(22), ""});
  v.push_back(
      {"square-oauth-secret", "app_secret: sq0csp-" + U(43), "app_secret: sq0csp-" + U(20)});
  v.push_back({"braintree-access-token",
               "BRAINTREE_TOKEN=access_token$production$" + LA(16) + "$" + H(32),
               "BRAINTREE_TOKEN=access_token$production$" + LA(16)});
  for (const char* p : {"shpat_", "shpca_", "shppa_"}) {
    v.push_back({"shopify-access-token", std::string("SHOPIFY_TOKEN=") + p + H(32),
                 std::string(p) == "shpat_" ? "SHOPIFY_TOKEN=shpat_" + H(31) : ""});
  }
  v.push_back({"shopify-shared-secret", "SHOPIFY_API_SECRET=shpss_" + H(32),
               "SHOPIFY_API_SECRET=shpss_" + Repeat("xyz", 32)});
  v.push_back({"shippo-live-token", "SHIPPO_API_KEY=shippo_live_" + H(40),
               "SHIPPO_API_KEY=shippo_test_" + H(40)});
  v.push_back(
      {"easypost-live-key", "EASYPOST_API_KEY=EZAK" + A(54), "EASYPOST_API_KEY=EZTK" + A(54)});
  v.push_back({"duffel-live-token", "DUFFEL_ACCESS_TOKEN=duffel_live_" + U(43),
               "DUFFEL_ACCESS_TOKEN=duffel_test_" + U(43)});
  v.push_back({"flutterwave-live-secret-key", "FLW_SECRET_KEY=FLWSECK-" + H(32) + "-X",
               "FLW_SECRET_KEY=FLWSECK_TEST-" + H(32) + "-X"});
  v.push_back(
      {"linear-api-key", "LINEAR_API_KEY=lin_api_" + A(40), "LINEAR_API_KEY=lin_api_" + A(30)});
  v.push_back({"notion-token", "NOTION_TOKEN=ntn_" + Chars("0123456789", 11) + A(35),
               "NOTION_TOKEN=ntn_" + L(46)});
  v.push_back({"contentful-pat", "CONTENTFUL_MANAGEMENT_TOKEN=CFPAT-" + U(43),
               "CONTENTFUL_MANAGEMENT_TOKEN=CFPAT-" + U(20)});
  v.push_back(
      {"typeform-token", "TYPEFORM_TOKEN=tfp_" + U(50), "TYPEFORM_TOKEN=tfp_" + Repeat("ab", 50)});
  v.push_back({"frameio-token", "FRAMEIO_TOKEN=fio-u-" + U(64), "FRAMEIO_TOKEN=fio-u-" + U(30)});
  v.push_back({"readme-api-key", "README_API_KEY=rdme_" + LA(70), "README_API_KEY=rdme_" + LA(60)});
  v.push_back(
      {"mapbox-secret-token",
       "MAPBOX_TOKEN=sk." + Base64Url(R"({"u":"acme","a":")" + A(25) + R"("})") + "." + U(22),
       "MAPBOX_TOKEN=sk." + Base64Url(R"({"x":")" + A(25) + R"("})") + "." + U(22)});
  v.push_back({"adafruit-io-key", "ADAFRUIT_IO_KEY=aio_" + A(28), "ADAFRUIT_IO_KEY=aio_" + A(20)});
  return v;
}

namespace {

TEST_CASE("payment providers' test-mode keys are never flagged", "[secrets]") {
  const std::string text = "STRIPE=sk_test_" + A(24) + "\nSTRIPE_RK=rk_test_" + A(24) +
                           "\nEASYPOST=EZTK" + A(54) + "\nFLW=FLWSECK_TEST-" + H(32) +
                           "-X\nSHIPPO=shippo_test_" + H(40) + "\nDUFFEL=duffel_test_" + U(43) +
                           "\n";
  CHECK(Builtin().Scan(text).empty());
}

TEST_CASE("a mapbox public token is not a secret, and a secret one must decode", "[secrets]") {
  const std::string payload = Base64Url(R"({"u":"acme","a":")" + A(25) + R"("})");
  CHECK(Find("mapbox-secret-token", "token: pk." + payload + "." + U(22)).empty());
  CHECK(Find("mapbox-secret-token", "token: sk.eyJ" + A(40) + "." + U(22)).empty());
}

}  // namespace
}  // namespace capstan::secrets::samples
