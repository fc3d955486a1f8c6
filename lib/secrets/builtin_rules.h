// The built-in credential rules, written from the issuers' published token formats: fixed
// prefixes or structures only (no "key = random string" guesses), each with literal keywords for
// the prefilter, and a checksum or decode check where the format has one.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "secrets/token_rules.h"

namespace capstan::secrets {

// The built-in rules, in a fixed order. Ids are stable (used in baselines and suppressions).
std::vector<Rule> BuiltinRules();

// CRC32 (IEEE 802.3, as zlib computes it) of data.
std::uint32_t Crc32(std::string_view data);

// True when a classic GitHub token (4-char prefix, 30 chars, 6-char checksum) carries the
// base62 CRC32 of its 30 middle chars in its last 6. False for any other length. npm tokens
// (npm_...) use the same scheme.
bool GithubChecksumValid(std::string_view token);

// The 6-char base62 (0-9A-Za-z) form of a checksum, zero-padded, as GitHub tokens end.
std::string GithubChecksum(std::string_view body30);

// The 8 lowercase hex digits a Grafana service account token (glsa_<32 chars>_<8 hex>) ends
// in: the CRC32 of everything before its last '_', least significant byte first, as Grafana
// writes it.
std::string GrafanaChecksum(std::string_view prefix_and_secret);

}  // namespace capstan::secrets
