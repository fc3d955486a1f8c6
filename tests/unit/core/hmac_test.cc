#include "core/hmac.h"

#include <catch2/catch.hpp>
#include <string>

namespace capstan {
namespace {

std::string Bytes(std::size_t n, char c) { return std::string(n, c); }

// 0x01, 0x02, ..., 0x19: the key of RFC 2202 and RFC 4231 test case 4.
std::string CountingKey() {
  std::string key;
  for (char c = 1; c <= 25; ++c) key.push_back(c);
  return key;
}

TEST_CASE("hmac-sha256 matches the RFC 4231 test cases", "[core]") {
  const std::string kLongData =
      "This is a test using a larger than block-size key and a larger than block-size data. The "
      "key needs to be hashed before being used by the HMAC algorithm.";
  auto [key, message, hex] = GENERATE_COPY(table<std::string, std::string, std::string>({
      {Bytes(20, '\x0b'), "Hi There",
       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
      {"Jefe", "what do ya want for nothing?",
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
      {Bytes(20, '\xaa'), Bytes(50, '\xdd'),
       "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
      {CountingKey(), Bytes(50, '\xcd'),
       "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
      // Case 5 publishes only the first 128 bits.
      {Bytes(20, '\x0c'), "Test With Truncation", "a3b6167473100ee06e0c796c2955552b"},
      {Bytes(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First",
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
      {Bytes(131, '\xaa'), kLongData,
       "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
  }));
  CHECK(HmacSha256Hex(key, message).substr(0, hex.size()) == hex);
}

TEST_CASE("hmac-sha1 matches the RFC 2202 test cases", "[core]") {
  auto [key, message, hex] = GENERATE(table<std::string, std::string, std::string>({
      {Bytes(20, '\x0b'), "Hi There", "b617318655057264e28bc0b6fb378c8ef146be00"},
      {"Jefe", "what do ya want for nothing?", "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"},
      {Bytes(20, '\xaa'), Bytes(50, '\xdd'), "125d7342b9ac11cd91a39af48aa17b4f63f175d3"},
      {CountingKey(), Bytes(50, '\xcd'), "4c9007f4026250c6bc8414f9bf50c86c2d7235da"},
      {Bytes(20, '\x0c'), "Test With Truncation", "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04"},
      {Bytes(80, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First",
       "aa4ae5e15272d00e95705637ce8a3b55ed402112"},
      {Bytes(80, '\xaa'),
       "Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data",
       "e8e99d0f45237d786d6bbaa7965c7808bbff1a91"},
  }));
  CHECK(HmacSha1Hex(key, message) == hex);
}

TEST_CASE("hmac of an empty message and with an empty key is well defined", "[core]") {
  CHECK(HmacSha256Hex("", "") ==
        "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
  CHECK(HmacSha1Hex("", "") == "fbdb1d1b18aa6c08324b7d64b71fb76370690e1d");
  CHECK(HmacSha256Hex("secret", "") ==
        "f9e66e179b6747ae54108f82f8ade8b3c25d76fd30afde6c395822c530196169");
}

TEST_CASE("hmac hashes a key only when it is longer than the 64-byte block", "[core]") {
  // 64 bytes are used as they are; 65 are hashed first.
  CHECK(HmacSha256Hex(Bytes(64, 'k'), "m") ==
        "3b7a8d453e76edb519238a515105a57508d0f169f480ebeee120a9e7803289fa");
  CHECK(HmacSha256Hex(Bytes(65, 'k'), "m") ==
        "c2d7d4c2256ddb097409ec0c67e1d58fa1a007fc6932cac0d892a525d08af7cc");
  // A key longer than a block signs like its own digest.
  const Sha256Digest digest = [] {
    Sha256 h;
    h.Update(Bytes(65, 'k'));
    return h.Finish();
  }();
  CHECK(HmacSha256Hex(std::string(digest.begin(), digest.end()), "m") ==
        HmacSha256Hex(Bytes(65, 'k'), "m"));
}

TEST_CASE("hmac digests and their hex forms agree", "[core]") {
  CHECK(DigestHex(HmacSha256("Jefe", "what do ya want for nothing?")) ==
        HmacSha256Hex("Jefe", "what do ya want for nothing?"));
  CHECK(HexLower(HmacSha1("Jefe", "what do ya want for nothing?")) ==
        "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
  CHECK(HexLower(std::span<const std::uint8_t>()) == "");
}

}  // namespace
}  // namespace capstan
