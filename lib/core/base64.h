// Base64 (RFC 4648) encoding, and decoding as Go's encoding/base64 does it, which is what
// Kubernetes uses for Secret `data`, what SOPS uses for the parts of an ENC[...] value, and what
// Docker uses for a registry's `auth` in config.json.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace capstan {

// The standard alphabet with `=` padding (HTTP Basic credentials, Docker's `auth`).
std::string EncodeBase64(std::string_view data);

// Decodes the standard alphabet (A-Z a-z 0-9 + /). Padding is optional but must be consistent:
// either the input (without line breaks) is a multiple of 4 long and padded with `=` where
// needed, or it carries no `=` at all and ends in a partial group of 2 or 3 characters.
// Line breaks (\n, \r) are skipped wherever they appear, as Go's decoder does, so folded YAML
// block scalars decode. Non-zero bits left over in the last group are accepted (Go's
// StdEncoding is not strict). "" decodes to "".
// Returns nullopt for any other character, misplaced or excess `=`, text after the padding, or a
// final group of a single character.
std::optional<std::string> DecodeBase64(std::string_view text);

// Decodes the URL-safe alphabet (A-Z a-z 0-9 - _) without padding, as used in JWT segments.
// Line breaks are skipped as above. Returns nullopt for any `=`, any other character, or a final
// group of a single character.
std::optional<std::string> DecodeBase64Url(std::string_view text);

}  // namespace capstan
