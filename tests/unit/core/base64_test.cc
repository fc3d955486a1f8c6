#include "core/base64.h"

#include <catch2/catch.hpp>
#include <string>
#include <utility>

namespace capstan {
namespace {

TEST_CASE("base64 decodes the RFC 4648 test vectors, padded and unpadded", "[secrets]") {
  auto [encoded, decoded] = GENERATE(table<std::string, std::string>({
      {"", ""},
      {"Zg==", "f"},
      {"Zm8=", "fo"},
      {"Zm9v", "foo"},
      {"Zm9vYg==", "foob"},
      {"Zm9vYmE=", "fooba"},
      {"Zm9vYmFy", "foobar"},
      {"Zg", "f"},
      {"Zm8", "fo"},
      {"Zm9vYmE", "fooba"},
  }));
  CAPTURE(encoded);
  std::optional<std::string> out = DecodeBase64(encoded);
  REQUIRE(out.has_value());
  CHECK(*out == decoded);
}

TEST_CASE("base64 rejects characters outside the standard alphabet", "[secrets]") {
  std::string bad =
      GENERATE(std::string("Zm9v YmFy"), std::string("Zm9v-mFy"), std::string("Zm9v_mFy"),
               std::string("Zm9v\tYmFy"), std::string("Zm9v\xc3\xa9"), std::string("Zm9v*"));
  CAPTURE(bad);
  CHECK_FALSE(DecodeBase64(bad).has_value());
}

TEST_CASE("base64 rejects wrong or inconsistent padding", "[secrets]") {
  std::string bad =
      GENERATE(std::string("Zg="), std::string("Zg==="), std::string("Z==="), std::string("Z"),
               std::string("Zm9vY"), std::string("="), std::string("Zg==Zm9v"),
               std::string("Zm=9v"), std::string("Zm9v===="));
  CAPTURE(bad);
  CHECK_FALSE(DecodeBase64(bad).has_value());
}

TEST_CASE("base64 skips line breaks as a folded YAML block scalar has them", "[secrets]") {
  CHECK(DecodeBase64("Zm9v\nYmFy\n") == std::optional<std::string>("foobar"));
  CHECK(DecodeBase64("Zm9v\r\nYmE=\r\n") == std::optional<std::string>("fooba"));
}

TEST_CASE("base64 decodes binary bytes including zero and 0xff", "[secrets]") {
  CHECK(DecodeBase64("AP8=") == std::optional<std::string>(std::string("\x00\xff", 2)));
  CHECK(DecodeBase64("+/+/") == std::optional<std::string>("\xfb\xff\xbf"));
}

TEST_CASE("base64url decodes the URL alphabet without padding", "[secrets]") {
  CHECK(DecodeBase64Url("eyJhbGciOiJIUzI1NiJ9") ==
        std::optional<std::string>("{\"alg\":\"HS256\"}"));
  CHECK(DecodeBase64Url("-_-_") == std::optional<std::string>("\xfb\xff\xbf"));
  CHECK(DecodeBase64Url("Zm8") == std::optional<std::string>("fo"));
}

TEST_CASE("base64url rejects padding and the standard alphabet's + and /", "[secrets]") {
  std::string bad = GENERATE(std::string("Zm8="), std::string("+/+/"), std::string("Z"));
  CAPTURE(bad);
  CHECK_FALSE(DecodeBase64Url(bad).has_value());
}

TEST_CASE("base64 encodes the RFC 4648 test vectors and round-trips", "[core][base64]") {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    CHECK(EncodeBase64(plain) == encoded);
    CHECK(DecodeBase64(encoded) == std::string(plain));
  }
  std::string bytes;
  for (int c = 0; c < 256; ++c) bytes += static_cast<char>(c);
  CHECK(DecodeBase64(EncodeBase64(bytes)) == bytes);
}

}  // namespace
}  // namespace capstan
