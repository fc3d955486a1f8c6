// HMAC (RFC 2104) over SHA-256 and SHA-1, for signing webhook bodies: GitHub's
// `X-Hub-Signature-256: sha256=<hex>` and Flux's generic-hmac `X-Signature: sha256=<hex>`
// (older Flux releases document `sha1=<hex>`). The key is any byte string: one longer than the
// hash's 64-byte block is hashed first, as RFC 2104 says, and an empty key is allowed.
//
// These sign; they do not verify. A verifier must compare digests in constant time.
#pragma once

#include <string>
#include <string_view>

#include "core/sha1.h"
#include "core/sha256.h"

namespace capstan {

Sha256Digest HmacSha256(std::string_view key, std::string_view message);
Sha1Digest HmacSha1(std::string_view key, std::string_view message);

// The same, as lowercase hex digits (64 and 40 of them): the form webhook headers carry after
// "sha256=" / "sha1=".
std::string HmacSha256Hex(std::string_view key, std::string_view message);
std::string HmacSha1Hex(std::string_view key, std::string_view message);

}  // namespace capstan
