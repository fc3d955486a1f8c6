// SHA-256 (FIPS 180-4) over a byte string, so fingerprints of secrets need no crypto library.
// It hashes values that must never be stored in clear (baselines, finding fingerprints) and,
// through core/hmac.h, signs webhook bodies. No secret-dependent branches or table lookups, but
// no effort either to keep key material out of memory that is freed.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/block_feed.h"

namespace capstan {

using Sha256Digest = std::array<std::uint8_t, 32>;

// Incremental hasher: Update() any number of times, then Finish() once.
class Sha256 {
 public:
  static constexpr std::size_t kBlockBytes = 64;

  Sha256();
  void Update(std::string_view data);
  // Returns the digest. The hasher must not be used afterwards.
  Sha256Digest Finish();

 private:
  void Block(const std::uint8_t* p);

  std::array<std::uint32_t, 8> h_;
  internal::BlockFeed feed_;
};

// Bytes as lowercase hex digits, two per byte ("" for none).
std::string HexLower(std::span<const std::uint8_t> bytes);

// A digest as 64 lowercase hex digits.
std::string DigestHex(const Sha256Digest& digest);

// The digest of data as 64 lowercase hex digits.
std::string Sha256Hex(std::string_view data);

}  // namespace capstan
