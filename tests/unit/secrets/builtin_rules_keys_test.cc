#include <catch2/catch.hpp>
#include <string>

#include "core/base64.h"
#include "secrets/builtin_rules.h"
#include "unit/secrets/builtin_rule_samples.h"

namespace capstan::secrets::samples {

std::vector<RuleSample> KeySamples() {
  std::vector<RuleSample> v;
  const std::string pem_body = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n";
  const std::string key =
      "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBg\\n-----END PRIVATE KEY-----\\n";
  v.push_back({"gcp-service-account",
               R"({"type": "service_account", "project_id": "demo", "private_key": ")" + key +
                   R"(", "client_email": "a@b"})",
               R"({"type": "authorized_user", "private_key": ")" + key + R"("})", key});
  const std::string pem =
      "-----BEGIN RSA PRIVATE KEY-----\n" + pem_body + "-----END RSA PRIVATE KEY-----";
  v.push_back({"pem-private-key", "tls.key: |\n" + pem + "\n",
               "-----BEGIN PUBLIC KEY-----\n" + pem_body, pem});
  v.push_back({"pem-private-key-base64",
               "tls.key: " + EncodeBase64("-----BEGIN EC PRIVATE KEY-----\n" + pem_body +
                                          "-----END EC PRIVATE KEY-----\n"),
               "tls.crt: " + EncodeBase64("-----BEGIN CERTIFICATE-----\n" + pem_body +
                                          "-----END CERTIFICATE-----\n")});
  const std::string ppk =
      "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: eddsa-key-20240101\n"
      "Public-Lines: 2\n" +
      B(64) + "\n" + B(4) + "\nPrivate-Lines: 1\n" + B(44, 2);
  v.push_back(
      {"putty-private-key", ppk + "\nPrivate-MAC: " + H(64) + "\n",
       "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: x\nPublic-Lines: 1\n" +
           B(64) + "\n",
       ppk});
  const std::string wg = B(42) + "A=";
  v.push_back({"wireguard-private-key",
               "[Interface]\nAddress = 10.0.0.2/32\nPrivateKey = " + wg + "\n",
               "[Interface]\nPrivateKey = " + B(42) + "B=\n", wg});
  v.push_back({"wireguard-private-key", "[Peer]\nPresharedKey = " + B(42, 2) + "E=\n", ""});
  v.push_back({"age-secret-key",
               "# created: 2024-01-01\nAGE-SECRET-KEY-1" +
                   Chars("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58) + "\n",
               "AGE-SECRET-KEY-1" + Repeat("QPZRYB", 58)});
  const std::string claims = "." + Base64Url(R"({"sub":"1234567890"})") + "." + U(43);
  v.push_back({"jwt",
               "Authorization: Bearer " + Base64Url(R"({"alg":"HS256","typ":"JWT"})") + claims,
               "Authorization: Bearer " + Base64Url(R"({"kid":"x","typ":"JWT"})") + claims});
  return v;
}

namespace {

TEST_CASE("a putty key with crlf line ends is flagged through its private lines", "[secrets]") {
  const std::string ppk =
      "PuTTY-User-Key-File-2: ssh-rsa\r\nEncryption: none\r\nComment: rsa-key\r\n"
      "Public-Lines: 1\r\n" +
      B(64) + "\r\nPrivate-Lines: 2\r\n" + B(64, 2) + "\r\n" + B(20, 3);
  auto m = Find("putty-private-key", ppk + "\r\nPrivate-MAC: " + H(40) + "\r\n");
  REQUIRE(m.size() == 1);
  CHECK(m[0].offset == 0);
  CHECK(m[0].length == ppk.size());
}

}  // namespace
}  // namespace capstan::secrets::samples
