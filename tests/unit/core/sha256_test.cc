#include "core/sha256.h"

#include <catch2/catch.hpp>
#include <string>

namespace capstan {
namespace {

TEST_CASE("sha256 matches the FIPS 180-2 test vectors", "[secrets]") {
  CHECK(Sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(Sha256Hex(std::string(1'000'000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha256 of the empty string is the well-known constant", "[secrets]") {
  CHECK(Sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("sha256 gives the same digest however the input is split", "[secrets]") {
  const std::string text(200, 'x');
  const std::size_t chunk = GENERATE(1u, 3u, 55u, 56u, 63u, 64u, 65u, 199u);
  Sha256 hasher;
  for (std::size_t i = 0; i < text.size(); i += chunk)
    hasher.Update(std::string_view(text).substr(i, chunk));
  CHECK(DigestHex(hasher.Finish()) == Sha256Hex(text));
}

TEST_CASE("sha256 pads messages that end at the padding boundaries", "[secrets]") {
  // 55 bytes fits the length in the same block; 56 and 64 need a second one.
  CHECK(Sha256Hex(std::string(55, 'a')) ==
        "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  CHECK(Sha256Hex(std::string(56, 'a')) ==
        "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
  CHECK(Sha256Hex(std::string(64, 'a')) ==
        "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

}  // namespace
}  // namespace capstan
