#include "core/utf8.h"

#include <catch2/catch.hpp>
#include <string>

namespace capstan {
namespace {

TEST_CASE("UTF-16 with a byte order mark decodes to UTF-8, either byte order", "[core]") {
  // "kä😀" : k, U+00E4, U+1F600 (a surrogate pair).
  std::string le(
      "\xFF\xFE"
      "k\0"
      "\xE4\0"
      "\x3D\xD8\x00\xDE",
      10);
  std::string be(
      "\xFE\xFF"
      "\0k"
      "\0\xE4"
      "\xD8\x3D\xDE\x00",
      10);
  CHECK(Utf16ToUtf8(le) == std::string("k\xC3\xA4\xF0\x9F\x98\x80"));
  CHECK(Utf16ToUtf8(be) == std::string("k\xC3\xA4\xF0\x9F\x98\x80"));
}

TEST_CASE("text without a UTF-16 byte order mark is not decoded", "[core]") {
  CHECK_FALSE(Utf16ToUtf8("plain").has_value());
  CHECK_FALSE(Utf16ToUtf8(std::string("k\0", 2)).has_value());
  CHECK_FALSE(Utf16ToUtf8("").has_value());
}

TEST_CASE("unpaired surrogates and an odd trailing byte become U+FFFD", "[core]") {
  std::string lone(
      "\xFF\xFE"
      "\x3D\xD8"
      "a\0"
      "b",
      7);
  CHECK(Utf16ToUtf8(lone) == std::string("\xEF\xBF\xBD"
                                         "a"
                                         "\xEF\xBF\xBD"));
}

}  // namespace
}  // namespace capstan
