#include "secrets/redact.h"

#include "core/sha256.h"
#include "core/utf8.h"

namespace capstan::secrets {
namespace {

constexpr std::size_t kMinLengthForPrefix = 8;

std::size_t CodePoints(std::string_view s) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < s.size(); ++count) {
    std::size_t n = Utf8SequenceLength(s, i);
    i += n == 0 ? 1 : n;
  }
  return count;
}

bool ShowableAscii(char c) { return c > ' ' && c < 0x7f && c != '\'' && c != '\\'; }

}  // namespace

std::string RedactedHint(std::string_view secret) {
  const std::size_t length = CodePoints(secret);
  std::string hint = std::to_string(length) + (length == 1 ? " char" : " chars");
  if (length >= kMinLengthForPrefix && ShowableAscii(secret[0]) && ShowableAscii(secret[1])) {
    hint += ", starts '";
    hint.append(secret.substr(0, 2));
    hint += "'";
  }
  return hint;
}

std::string SecretFingerprint(std::string_view rule, std::string_view secret) {
  Sha256 hasher;
  hasher.Update(rule);
  hasher.Update(std::string_view("\0", 1));
  hasher.Update(secret);
  return "sha256:" + DigestHex(hasher.Finish());
}

}  // namespace capstan::secrets
