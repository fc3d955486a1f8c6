#include "core/sha1.h"

#include <catch2/catch.hpp>
#include <string>

namespace capstan {
namespace {

TEST_CASE("sha1 matches the FIPS 180 test vectors", "[core]") {
  CHECK(Sha1Hex("abc") == "a9993e364706816aba3e25717850c26c9cd0d89d");
  CHECK(Sha1Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  CHECK(Sha1Hex(std::string(1'000'000, 'a')) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

TEST_CASE("sha1 of the empty string is the well-known constant", "[core]") {
  CHECK(Sha1Hex("") == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
}

TEST_CASE("sha1 pads messages that end at the padding boundaries", "[core]") {
  CHECK(Sha1Hex(std::string(55, 'a')) == "c1c8bbdc22796e28c0e15163d20899b65621d65a");
  CHECK(Sha1Hex(std::string(56, 'a')) == "c2db330f6083854c99d4b5bfb6e8f29f201be699");
  CHECK(Sha1Hex(std::string(64, 'a')) == "0098ba824b5c16427bd7a1122a5a442a25ec644d");
}

TEST_CASE("sha1 gives the same digest however the input is split", "[core]") {
  const std::string text(200, 'x');
  const std::size_t chunk = GENERATE(1u, 3u, 55u, 56u, 63u, 64u, 65u, 199u);
  Sha1 hasher;
  for (std::size_t i = 0; i < text.size(); i += chunk)
    hasher.Update(std::string_view(text).substr(i, chunk));
  CHECK(DigestHex(hasher.Finish()) == Sha1Hex(text));
}

}  // namespace
}  // namespace capstan
