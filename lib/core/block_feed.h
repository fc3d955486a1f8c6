// Internal to lib/core (sha1.cc, sha256.cc): the framing SHA-1 and SHA-256 share, 64-byte blocks
// fed from arbitrary pieces and the final padding (0x80, zeros up to 56 mod 64, the message
// length in bits big-endian). Not for use outside lib/core.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace capstan::internal {

class BlockFeed {
 public:
  static constexpr std::size_t kBlockBytes = 64;

  // Calls block(const std::uint8_t* 64 bytes) for every whole block `data` completes.
  template <typename Block>
  void Update(std::string_view data, Block&& block) {
    total_ += data.size();
    const auto* p = reinterpret_cast<const std::uint8_t*>(data.data());
    std::size_t n = data.size();
    if (len_ > 0) {
      const std::size_t take = std::min(n, buf_.size() - len_);
      std::memcpy(buf_.data() + len_, p, take);
      len_ += take;
      p += take;
      n -= take;
      if (len_ < buf_.size()) return;
      block(buf_.data());
      len_ = 0;
    }
    for (; n >= kBlockBytes; p += kBlockBytes, n -= kBlockBytes) block(p);
    if (n > 0) std::memcpy(buf_.data(), p, n);
    len_ = n;
  }

  // Feeds the padding, so that the last call of block ends the message.
  template <typename Block>
  void Finish(Block&& block) {
    const std::uint64_t bits = total_ * 8;
    std::uint8_t pad[72] = {0x80};
    const std::size_t pad_len = len_ < 56 ? 56 - len_ : 120 - len_;
    for (int i = 0; i < 8; ++i) pad[pad_len + i] = static_cast<std::uint8_t>(bits >> (56 - 8 * i));
    Update(std::string_view(reinterpret_cast<const char*>(pad), pad_len + 8), block);
  }

 private:
  std::array<std::uint8_t, kBlockBytes> buf_{};
  std::size_t len_ = 0;
  std::uint64_t total_ = 0;
};

// The state words big-endian, as both digests are written.
template <std::size_t N>
std::array<std::uint8_t, 4 * N> BigEndianBytes(const std::array<std::uint32_t, N>& words) {
  std::array<std::uint8_t, 4 * N> out{};
  for (std::size_t i = 0; i < N; ++i) {
    for (std::size_t j = 0; j < 4; ++j)
      out[4 * i + j] = static_cast<std::uint8_t>(words[i] >> (24 - 8 * j));
  }
  return out;
}

}  // namespace capstan::internal
