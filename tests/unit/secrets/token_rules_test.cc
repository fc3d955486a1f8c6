#include "secrets/token_rules.h"

#include <catch2/catch.hpp>
#include <string>
#include <thread>

#include "core/base64.h"
#include "secrets/builtin_rules.h"
#include "support/token_samples.h"
#include "unit/secrets/builtin_rule_samples.h"

namespace capstan::secrets {
namespace {

using samples::Builtin;
using samples::Find;
using testing::Base64Url;
using testing::Repeat;

const std::string kGithubBody = "abcdefghijABCDEFGHIJ0123456789";
const std::string kPemBody = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n";

TEST_CASE("the built-in rules compile with unique ids", "[secrets]") {
  Result<TokenScanner> s = TokenScanner::Create(BuiltinRules());
  INFO(s.status().message());
  CHECK(s.ok());
}

TEST_CASE("the github checksum is base62 crc32 as published", "[secrets]") {
  CHECK(Crc32("123456789") == 0xcbf43926u);
  CHECK(GithubChecksum(kGithubBody) == "2C2O59");
}

TEST_CASE("an aws access key id is flagged and lowercase lookalikes are not", "[secrets]") {
  const std::string text = "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n";
  auto m = Find("aws-access-key-id", text);
  REQUIRE(m.size() == 1);
  CHECK(text.substr(m[0].offset, m[0].length) == "AKIAIOSFODNN7EXAMPLE");
  CHECK(Find("aws-access-key-id", "id: AKIAiosfodnn7example").empty());
  CHECK(Find("aws-access-key-id", "id: AKIAIOSFODNN7EXAMPLEX").empty());
  CHECK(Find("aws-access-key-id", "id: AKIAIOSF0DNN1EXAMPLE").empty());  // 0 and 1 are not base32
}

TEST_CASE("a github token with a valid checksum is high confidence, a bad one low", "[secrets]") {
  const std::string good = "ghp_" + kGithubBody + GithubChecksum(kGithubBody);
  auto m = Find("github-token", "token: " + good);
  REQUIRE(m.size() == 1);
  CHECK(m[0].confidence == Confidence::kHigh);
  CHECK(m[0].length == 40);

  auto bad = Find("github-token", "token: ghs_" + kGithubBody + "zzzzzz");
  REQUIRE(bad.size() == 1);
  CHECK(bad[0].confidence == Confidence::kLow);
  CHECK(Find("github-token", "token: ghp_" + kGithubBody + "2C2O5").empty());
}

TEST_CASE("a github fine-grained token is flagged and a truncated one is not", "[secrets]") {
  const std::string pat = "github_pat_" + Repeat("A1b2C3", 22) + "_" + Repeat("x9Y8z7", 59);
  CHECK(Find("github-fine-grained-pat", "GH_TOKEN=" + pat).size() == 1);
  CHECK(Find("github-fine-grained-pat", "GH_TOKEN=" + pat.substr(0, 60)).empty());
}

TEST_CASE("gitlab tokens are flagged and short placeholders are not", "[secrets]") {
  CHECK(Find("gitlab-token", "password: glpat-xY3zQ9wE1rT5uI7oP2aS").size() == 1);
  CHECK(Find("gitlab-token", "token: glrt-" + Repeat("q7W", 24)).size() == 1);
  CHECK(Find("gitlab-token", "password: glpat-changeme").empty());
}

TEST_CASE("slack tokens and webhook urls are flagged, placeholders are not", "[secrets]") {
  CHECK(Find("slack-token", "SLACK=xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx")
            .size() == 1);
  CHECK(Find("slack-token", "SLACK=xoxb-your-token-here").empty());
  const std::string hook =
      "https://hooks.slack.com/services/T0ABCDEFG/B0ABCDEFG/" + Repeat("aB3", 24);
  CHECK(Find("slack-webhook-url", "url: " + hook).size() == 1);
  CHECK(Find("slack-webhook-url", "url: https://hooks.slack.com/services/XXX/YYY/ZZZ").empty());
}

TEST_CASE("stripe live keys are flagged and test keys are not", "[secrets]") {
  CHECK(Find("stripe-live-key", "key: sk_live_" + Repeat("4eC39HqLyjWD", 24)).size() == 1);
  CHECK(Find("stripe-live-key", "key: rk_live_" + Repeat("4eC39HqLyjWD", 30)).size() == 1);
  CHECK(Find("stripe-live-key", "key: sk_test_" + Repeat("4eC39HqLyjWD", 24)).empty());
}

TEST_CASE("every kind of pem private key is flagged through its end line", "[secrets]") {
  const std::string kind = GENERATE("", "RSA ", "EC ", "DSA ", "OPENSSH ", "ENCRYPTED ");
  const std::string pem = "-----BEGIN " + kind + "PRIVATE KEY-----\n" + kPemBody + "-----END " +
                          kind + "PRIVATE KEY-----";
  const std::string text = "tls.key: |\n" + pem + "\nnext: 1\n";
  auto m = Find("pem-private-key", text);
  REQUIRE(m.size() == 1);
  CHECK(text.substr(m[0].offset, m[0].length) == pem);
}

TEST_CASE("public keys and certificates are not private keys", "[secrets]") {
  CHECK(Find("pem-private-key",
             "-----BEGIN PUBLIC KEY-----\n" + kPemBody + "-----END PUBLIC KEY-----")
            .empty());
  CHECK(Find("pem-private-key", "-----BEGIN CERTIFICATE-----\n" + kPemBody).empty());
}

TEST_CASE("a base64-encoded pem private key is flagged as in a secret's tls.key", "[secrets]") {
  const std::string b64 = EncodeBase64("-----BEGIN EC PRIVATE KEY-----\n" + kPemBody +
                                       "-----END EC PRIVATE KEY-----\n");
  REQUIRE(b64.rfind("LS0tLS1CRUdJTi", 0) == 0);
  const std::string text = "data:\n  tls.key: " + b64 + "\n";
  auto m = Find("pem-private-key-base64", text);
  REQUIRE(m.size() == 1);
  CHECK(m[0].offset == text.find("LS0t"));
  CHECK(m[0].length == b64.size());
}

TEST_CASE("a base64-encoded certificate is not a private key", "[secrets]") {
  const std::string b64 =
      EncodeBase64("-----BEGIN CERTIFICATE-----\n" + kPemBody + "-----END CERTIFICATE-----\n");
  CHECK(Find("pem-private-key-base64", "tls.crt: " + b64).empty());
}

TEST_CASE("a gcp service account key is flagged at its private key", "[secrets]") {
  const std::string json =
      R"({"type": "service_account", "project_id": "demo", "private_key_id": "1",
  "private_key": "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----\n",
  "client_email": "a@b"})";
  auto m = Find("gcp-service-account", json);
  REQUIRE(m.size() == 1);
  CHECK(json.substr(m[0].offset, 27) == "-----BEGIN PRIVATE KEY-----");
  CHECK(Find("gcp-service-account", R"({"type": "authorized_user", "private_key": "x"})").empty());
  CHECK(
      Find("gcp-service-account", R"({"type": "service_account", "client_email": "a@b"})").empty());
}

TEST_CASE("age secret keys are flagged and non-bech32 lookalikes are not", "[secrets]") {
  const std::string key = "AGE-SECRET-KEY-1" + Repeat("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58);
  CHECK(Find("age-secret-key", "# key\n" + key + "\n").size() == 1);
  CHECK(Find("age-secret-key", "AGE-SECRET-KEY-1" + Repeat("QPZRYB", 58)).empty());
}

TEST_CASE("vault tokens are flagged, legacy ones need context and entropy", "[secrets]") {
  CHECK(Find("vault-token", "VAULT_TOKEN=hvs." + Repeat("CAESIJk2x_9-ZtQ", 91)).size() == 1);
  CHECK(Find("vault-token", "VAULT_TOKEN=hvs.short").empty());
  auto legacy = Find("vault-legacy-token", "VAULT_TOKEN=s.UrH7eGTdX4QIimGlbU6rVc9z");
  REQUIRE(legacy.size() == 1);
  CHECK(legacy[0].confidence == Confidence::kLow);
  CHECK(legacy[0].severity == "warning");
  CHECK(Find("vault-legacy-token", "VAULT_TOKEN=s.aaaaaaaaaaaaaaaaaaaaaaaa").empty());
  CHECK(Find("vault-legacy-token", "name: s.UrH7eGTdX4QIimGlbU6rVc9z").empty());
}

TEST_CASE("npm tokens are flagged and short ones are not", "[secrets]") {
  CHECK(Find("npm-token", "//registry.npmjs.org/:_authToken=npm_" + Repeat("Zx81Qw", 36)).size() ==
        1);
  CHECK(Find("npm-token", "_authToken=npm_" + Repeat("Zx81Qw", 20)).empty());
}

TEST_CASE("a jwt is flagged only when its header is json with alg", "[secrets]") {
  const std::string payload =
      "." + Base64Url(R"({"sub":"1234567890"})") + "." + Repeat("sIg_-9", 43);
  const std::string jwt = Base64Url(R"({"alg":"HS256","typ":"JWT"})") + payload;
  CHECK(Find("jwt", "Authorization: Bearer " + jwt).size() == 1);
  CHECK(Find("jwt", "token: " + Base64Url(R"({"kid":"x","typ":"JWT"})") + payload).empty());
  CHECK(Find("jwt", "token: " + Base64Url(R"({"alg" broken header)") + payload).empty());
}

TEST_CASE("text with no keyword has no matches", "[secrets]") {
  CHECK(Builtin().Scan("apiVersion: v1\nkind: ConfigMap\ndata:\n  greeting: hello\n").empty());
  CHECK(Builtin().Scan("").empty());
}

TEST_CASE("a rule is tried only when one of its keywords appears", "[secrets]") {
  auto s = TokenScanner::Create({Rule{"any", "", "[a-z]+", {"ZZZ"}, 0, "note", nullptr}});
  REQUIRE(s.ok());
  CHECK(s->Scan("hello world").empty());
  auto m = s->Scan("hello zzz");
  REQUIRE(m.size() == 2);
  CHECK(m[0].severity == "note");
}

TEST_CASE("scanning matches are ordered by offset across rules", "[secrets]") {
  const std::string text = "b: npm_" + Repeat("Zx81Qw", 36) + "\na: AKIAIOSFODNN7EXAMPLE\n";
  auto m = Builtin().Scan(text);
  REQUIRE(m.size() == 2);
  CHECK(m[0].rule_id == "npm-token");
  CHECK(m[1].rule_id == "aws-access-key-id");
}

TEST_CASE("a scanner gives the same answers from many threads at once", "[secrets]") {
  const std::string text =
      "x: AKIAIOSFODNN7EXAMPLE y: ghp_" + kGithubBody + GithubChecksum(kGithubBody);
  const std::size_t expected = Builtin().Scan(text).size();
  std::vector<std::size_t> counts(8);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < counts.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) counts[t] += Builtin().Scan(text).size();
    });
  }
  for (std::thread& th : threads) th.join();
  for (std::size_t c : counts) CHECK(c == 200 * expected);
}

TEST_CASE("a scanner refuses a duplicate rule id or an unknown severity", "[secrets]") {
  Rule a{"dup", "", "x", {}, 0, "error", nullptr};
  CHECK(!TokenScanner::Create({a, a}).ok());
  a.severity = "fatal";
  auto s = TokenScanner::Create({a});
  REQUIRE(!s.ok());
  CHECK(s.status().message().find("unknown severity 'fatal'") != std::string::npos);
}

TEST_CASE("a user rule file loads its rules", "[secrets]") {
  auto rules = ParseRuleFile(
      "rules:\n"
      "  - id: acme-key\n"
      "    description: ACME API key\n"
      "    regex: 'acme_([0-9a-f]{32})'\n"
      "    keywords: [ACME_]\n"
      "    entropy: 3\n"
      "    severity: warning\n");
  REQUIRE(rules.ok());
  REQUIRE(rules->size() == 1);
  const Rule& r = (*rules)[0];
  CHECK(r.id == "acme-key");
  CHECK(r.min_entropy == 3.0);
  CHECK(r.severity == "warning");
  auto s = TokenScanner::Create(*rules);
  REQUIRE(s.ok());
  const std::string text = "key: acme_0123456789abcdef0123456789abcdef";
  auto m = s->Scan(text);
  REQUIRE(m.size() == 1);
  CHECK(m[0].offset == text.find("0123"));  // the capturing group is the secret
  CHECK(m[0].length == 32);
}

TEST_CASE("a user rule file with an unknown key is an error naming its line", "[secrets]") {
  auto r = ParseRuleFile("rules:\n  - id: x\n    regex: 'x'\n    entropi: 3\n");
  REQUIRE(!r.ok());
  CHECK(r.status().message() == "line 4: unknown key 'entropi' in rule");
  auto top = ParseRuleFile("rules: []\nrulez: []\n");
  REQUIRE(!top.ok());
  CHECK(top.status().message() == "line 2: unknown key 'rulez'");
}

TEST_CASE("a user rule file with a bad regex is an error naming the rule", "[secrets]") {
  auto r = ParseRuleFile("rules:\n  - id: broken\n    regex: 'acme_(['\n");
  REQUIRE(!r.ok());
  CHECK(r.status().message().rfind("rule 'broken': invalid regex: ", 0) == 0);
}

TEST_CASE("a scanner checks every regex's syntax though it compiles each on first use",
          "[secrets]") {
  auto s = TokenScanner::Create({Rule{"broken", "", "acme_([", {"acme_"}, 0, "error", nullptr}});
  REQUIRE(!s.ok());
  CHECK(s.status().message().rfind("rule 'broken': invalid regex: ", 0) == 0);
}

TEST_CASE("a user rule whose regex parses but is too large to compile is an error", "[secrets]") {
  std::string regex;
  for (int i = 0; i < 30; ++i) regex += "\\pL{1000}";
  auto r = ParseRuleFile("rules:\n  - id: huge\n    regex: '" + regex + "'\n");
  REQUIRE(!r.ok());
  CHECK(r.status().message() == "rule 'huge': invalid regex: pattern too large - compile failed");
}

TEST_CASE("a user rule file needs an id and a regex of the right types", "[secrets]") {
  CHECK(ParseRuleFile("rules:\n  - regex: x\n").status().message() ==
        "line 2: a rule needs a string 'id'");
  CHECK(!ParseRuleFile("rules:\n  - id: a\n").ok());
  CHECK(!ParseRuleFile("rules:\n  - id: a\n    regex: x\n    entropy: high\n").ok());
  CHECK(!ParseRuleFile("rules:\n  - id: a\n    regex: x\n    severity: fatal\n").ok());
  CHECK(!ParseRuleFile("rules: [\n").ok());
}

}  // namespace
}  // namespace capstan::secrets
