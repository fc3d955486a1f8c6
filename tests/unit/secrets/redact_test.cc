#include "secrets/redact.h"

#include <catch2/catch.hpp>
#include <string>

#include "core/sha256.h"

namespace capstan::secrets {
namespace {

TEST_CASE("a redacted hint gives the length and the first two characters", "[secrets]") {
  CHECK(RedactedHint("ghp_" + std::string(36, 'x')) == "40 chars, starts 'gh'");
}

TEST_CASE("a redacted hint of a short value shows only its length", "[secrets]") {
  CHECK(RedactedHint("hunter2") == "7 chars");
  CHECK(RedactedHint("x") == "1 char");
  CHECK(RedactedHint("") == "0 chars");
}

TEST_CASE("a redacted hint counts code points and hides non-ascii starts", "[secrets]") {
  CHECK(RedactedHint("\xc3\xa9\xc3\xa9"
                     "abcdefgh") == "10 chars");
  CHECK(RedactedHint("'quoted-secret'") == "15 chars");
}

TEST_CASE("a redacted hint never contains more than two characters of the secret", "[secrets]") {
  // Secrets of uppercase letters only: every uppercase letter in a hint came from the secret.
  const std::size_t length = GENERATE(0u, 1u, 7u, 8u, 9u, 40u, 500u);
  std::string secret;
  for (std::size_t i = 0; i < length; ++i) secret.push_back(static_cast<char>('A' + (i * 7) % 26));
  const std::string hint = RedactedHint(secret);
  std::size_t revealed = 0;
  for (char c : hint) revealed += (c >= 'A' && c <= 'Z') ? 1 : 0;
  CHECK(revealed <= 2);
  if (length < 8) CHECK(revealed == 0);
}

TEST_CASE("a secret fingerprint is a sha256 of rule and value that reveals neither", "[secrets]") {
  const std::string secret = "AKIAIOSFODNN7EXAMPLE";
  const std::string fp = SecretFingerprint("aws-access-key-id", secret);
  CHECK(fp == "sha256:" + Sha256Hex(std::string("aws-access-key-id") + '\0' + secret));
  CHECK(fp.size() == 7 + 64);
  CHECK(fp.find("AKIA") == std::string::npos);
}

TEST_CASE("a secret fingerprint is stable and depends on the rule and the value", "[secrets]") {
  CHECK(SecretFingerprint("r", "value") == SecretFingerprint("r", "value"));
  CHECK(SecretFingerprint("r", "value") != SecretFingerprint("s", "value"));
  CHECK(SecretFingerprint("r", "value") != SecretFingerprint("r", "valuf"));
  CHECK(SecretFingerprint("ab", "c") != SecretFingerprint("a", "bc"));
}

}  // namespace
}  // namespace capstan::secrets
