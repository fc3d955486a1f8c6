// SHA-1 (FIPS 180-4) over a byte string, for the one protocol that still asks for it: the
// HMAC-SHA1 signature of older Flux generic-hmac receivers (core/hmac.h). SHA-1 is broken for
// collision resistance; never use it to identify or fingerprint content.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/block_feed.h"

namespace capstan {

using Sha1Digest = std::array<std::uint8_t, 20>;

// Incremental hasher: Update() any number of times, then Finish() once.
class Sha1 {
 public:
  static constexpr std::size_t kBlockBytes = 64;

  Sha1();
  void Update(std::string_view data);
  // Returns the digest. The hasher must not be used afterwards.
  Sha1Digest Finish();

 private:
  void Block(const std::uint8_t* p);

  std::array<std::uint32_t, 5> h_;
  internal::BlockFeed feed_;
};

// A digest as 40 lowercase hex digits.
std::string DigestHex(const Sha1Digest& digest);

// The digest of data as 40 lowercase hex digits.
std::string Sha1Hex(std::string_view data);

}  // namespace capstan
