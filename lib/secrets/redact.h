// What may be said about a secret in output: its length, at most its first two characters, and
// a one-way fingerprint. Nothing here ever returns more of the value than that.
#pragma once

#include <string>
#include <string_view>

namespace capstan::secrets {

// A hint such as "40 chars, starts 'gh'". The length counts UTF-8 code points (invalid bytes
// count one each). Values shorter than 8 characters show only their length ("5 chars"), and
// the first two characters are shown only when both are printable ASCII other than a quote or
// backslash; otherwise the hint is the length alone. Never fails.
std::string RedactedHint(std::string_view secret);

// A line-independent fingerprint of a secret found by a rule: "sha256:" followed by 64 hex
// digits of SHA-256 over rule, a NUL byte, and secret. The same secret under the same rule gives
// the same fingerprint in any file or position. It reveals no characters of the value, but a
// short or guessable value can be recovered by trying candidates: store it, never publish it.
std::string SecretFingerprint(std::string_view rule, std::string_view secret);

}  // namespace capstan::secrets
