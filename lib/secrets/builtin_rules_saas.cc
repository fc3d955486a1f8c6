// Messaging, payments and productivity services. Payment providers' test-mode keys are left out
// (they move no money), as Stripe's always were.
#include "secrets/builtin_rule_families.h"

namespace capstan::secrets::internal {
namespace {

// A Mapbox token is "sk." (secret; "pk." is the public kind), a base64url JSON payload naming
// the user, and a signature.
std::optional<Confidence> VerifyMapbox(std::string_view token) {
  std::string_view payload = token.substr(3, token.find('.', 3) - 3);
  if (!Base64JsonHasKeys(payload, {"u"})) return std::nullopt;
  return Confidence::kHigh;
}

}  // namespace

std::vector<Rule> SaasRules() {
  std::vector<Rule> r;
  r.push_back(MakeRule("slack-token", "Slack bot, user, app, refresh or legacy token",
                       R"(\b(xox[bpars]-(?:[0-9]+-)+[0-9A-Za-z]{8,}(?:-[0-9A-Za-z]+)*))",
                       {"xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-"}));
  r.push_back(MakeRule("slack-app-token", "Slack app-level token",
                       R"(\b(xapp-[0-9]-[A-Z0-9]{9,15}-[0-9]{9,15}-[a-f0-9]{32,66})\b)",
                       {"xapp-"}));
  r.push_back(
      MakeRule("slack-config-token", "Slack configuration access or refresh token",
               R"(\b(xoxe\.xox[bp]-[0-9]-[A-Za-z0-9]{150,}|xoxe-[0-9]-[A-Za-z0-9]{140,})\b)",
               {"xoxe.xoxb-", "xoxe.xoxp-", "xoxe-"}));
  r.push_back(MakeRule(
      "slack-webhook-url", "Slack incoming webhook URL",
      R"((https?://hooks\.slack\.com/services/T[A-Z0-9]{6,}/B[A-Z0-9]{6,}/[A-Za-z0-9]{20,}))",
      {"hooks.slack.com"}));
  r.push_back(MakeRule("discord-webhook-url", "Discord webhook URL",
                       R"((https://(?:(?:ptb|canary)\.)?discord(?:app)?\.com/api/webhooks/)"
                       R"([0-9]{17,20}/[A-Za-z0-9_-]{60,80}))" +
                           kEndToken,
                       {"discord.com/api/webhooks/", "discordapp.com/api/webhooks/"}));
  r.push_back(MakeRule("teams-webhook-url", "Microsoft Teams incoming webhook URL",
                       R"((https://[A-Za-z0-9-]+\.webhook\.office\.com/webhookb2/)"
                       R"([0-9a-fA-F-]{36}@[0-9a-fA-F-]{36}/IncomingWebhook/[0-9a-fA-F]{32}/)"
                       R"([0-9a-fA-F-]{36}(?:/[A-Za-z0-9_-]+)?))",
                       {"webhook.office.com"}));
  r.push_back(MakeRule("telegram-bot-token", "Telegram bot token",
                       R"((?:\b|bot)([0-9]{8,10}:AA[A-Za-z0-9_-]{33}))" + kEndToken, {":aa"}));
  r.push_back(MakeRule("sendgrid-api-key", "SendGrid API key",
                       R"(\b(SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}))" + kEndToken, {"sg."}));
  // The key ends in its datacenter: -us1 ... -us21.
  r.push_back(MakeRule("mailchimp-api-key", "Mailchimp API key",
                       R"(\b([0-9a-f]{32}-us[0-9]{1,2})\b)",
                       {"-us1", "-us2", "-us3", "-us4", "-us5", "-us6", "-us7", "-us8", "-us9"}));
  r.push_back(MakeRule("brevo-api-key", "Brevo (Sendinblue) API or SMTP key",
                       R"(\b(x(?:keysib|smtpsib)-[a-f0-9]{64}-[A-Za-z0-9]{16})\b)",
                       {"xkeysib-", "xsmtpsib-"}));
  r.push_back(MakeRule("stripe-live-key", "Stripe live secret or restricted key",
                       R"(\b((?:sk|rk)_live_[0-9A-Za-z]{24,})\b)", {"sk_live_", "rk_live_"}));
  r.push_back(MakeRule("stripe-webhook-secret", "Stripe webhook signing secret",
                       R"(\b(whsec_[A-Za-z0-9+/]{32,}={0,2}))" + kEndBase64, {"whsec_"}));
  r.push_back(MakeRule("square-access-token", "Square production access token",
                       R"(\b(EAAA[A-Za-z0-9_-]{60}|sq0atp-[A-Za-z0-9_-]{22}))" + kEndBase64,
                       {"eaaa", "sq0atp-"}));
  r.push_back(MakeRule("square-oauth-secret", "Square OAuth application secret",
                       R"(\b(sq0csp-[A-Za-z0-9_-]{43}))" + kEndToken, {"sq0csp-"}));
  r.push_back(MakeRule("braintree-access-token", "Braintree (PayPal) production access token",
                       R"(\b(access_token\$production\$[0-9a-z]{16}\$[0-9a-f]{32})\b)",
                       {"access_token$production$"}));
  r.push_back(MakeRule("shopify-access-token", "Shopify admin, custom or private app access token",
                       R"(\b(shp(?:at|ca|pa)_[a-fA-F0-9]{32})\b)", {"shpat_", "shpca_", "shppa_"}));
  r.push_back(MakeRule("shopify-shared-secret", "Shopify app shared secret",
                       R"(\b(shpss_[a-fA-F0-9]{32})\b)", {"shpss_"}));
  r.push_back(MakeRule("shippo-live-token", "Shippo live API token",
                       R"(\b(shippo_live_[a-fA-F0-9]{40})\b)", {"shippo_live_"}));
  r.push_back(MakeRule("easypost-live-key", "EasyPost production API key",
                       R"(\b(EZAK[A-Za-z0-9]{54})\b)", {"ezak"}));
  r.push_back(MakeRule("duffel-live-token", "Duffel live access token",
                       R"(\b(duffel_live_[A-Za-z0-9_=-]{43}))" + kEndBase64, {"duffel_live_"}));
  r.push_back(MakeRule("flutterwave-live-secret-key", "Flutterwave live secret key",
                       R"(\b(FLWSECK-[a-f0-9]{32}-X)\b)", {"flwseck-"}));
  r.push_back(MakeRule("linear-api-key", "Linear API key", R"(\b(lin_api_[A-Za-z0-9]{40})\b)",
                       {"lin_api_"}));
  r.push_back(MakeRule("notion-token", "Notion integration token",
                       R"(\b(ntn_[0-9]{11}[A-Za-z0-9]{35})\b)", {"ntn_"}));
  r.push_back(MakeRule("contentful-pat", "Contentful personal access token",
                       R"(\b(CFPAT-[A-Za-z0-9_-]{43}))" + kEndToken, {"cfpat-"}));
  r.push_back(MakeRule("typeform-token", "Typeform personal access token",
                       R"(\b(tfp_[A-Za-z0-9_-]{40,60}))" + kEndToken, {"tfp_"}, nullptr, 3.5));
  r.push_back(MakeRule("frameio-token", "Frame.io developer token",
                       R"(\b(fio-u-[A-Za-z0-9_=-]{64}))" + kEndBase64, {"fio-u-"}));
  r.push_back(
      MakeRule("readme-api-key", "ReadMe API key", R"(\b(rdme_[a-z0-9]{70})\b)", {"rdme_"}));
  r.push_back(MakeRule("mapbox-secret-token", "Mapbox secret access token",
                       R"(\b(sk\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{20,}))" + kEndToken,
                       {"sk.eyj"}, VerifyMapbox));
  r.push_back(MakeRule("adafruit-io-key", "Adafruit IO key", R"(\b(aio_[A-Za-z0-9]{28})\b)",
                       {"aio_"}, nullptr, 3.5));
  return r;
}

}  // namespace capstan::secrets::internal
