#include "core/hmac.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace capstan {
namespace {

// HMAC(K, m) = H((K' ^ opad) || H((K' ^ ipad) || m)), K' the key (hashed when longer than a
// block) padded with zeros to one block.
template <typename Hash>
auto Hmac(std::string_view key, std::string_view message) {
  constexpr std::size_t kBlock = Hash::kBlockBytes;
  std::array<char, kBlock> padded{};
  if (key.size() > kBlock) {
    Hash key_hash;
    key_hash.Update(key);
    auto digest = key_hash.Finish();
    std::copy(digest.begin(), digest.end(), padded.begin());
  } else {
    std::copy(key.begin(), key.end(), padded.begin());
  }
  std::array<char, kBlock> inner_pad, outer_pad;
  for (std::size_t i = 0; i < kBlock; ++i) {
    inner_pad[i] = static_cast<char>(padded[i] ^ 0x36);
    outer_pad[i] = static_cast<char>(padded[i] ^ 0x5c);
  }
  Hash inner;
  inner.Update(std::string_view(inner_pad.data(), kBlock));
  inner.Update(message);
  auto inner_digest = inner.Finish();
  Hash outer;
  outer.Update(std::string_view(outer_pad.data(), kBlock));
  outer.Update(
      std::string_view(reinterpret_cast<const char*>(inner_digest.data()), inner_digest.size()));
  return outer.Finish();
}

}  // namespace

Sha256Digest HmacSha256(std::string_view key, std::string_view message) {
  return Hmac<Sha256>(key, message);
}

Sha1Digest HmacSha1(std::string_view key, std::string_view message) {
  return Hmac<Sha1>(key, message);
}

std::string HmacSha256Hex(std::string_view key, std::string_view message) {
  return DigestHex(HmacSha256(key, message));
}

std::string HmacSha1Hex(std::string_view key, std::string_view message) {
  return DigestHex(HmacSha1(key, message));
}

}  // namespace capstan
