// Building blocks for synthetic credentials in tests. Test tokens are assembled in code from
// these rather than pasted in as literals, so no file of this repository holds a string a
// push-protection scanner would take for a live credential.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace capstan::testing {

inline constexpr std::string_view kAlnum =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
inline constexpr std::string_view kUpperAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
inline constexpr std::string_view kLowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789";
inline constexpr std::string_view kLetters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
inline constexpr std::string_view kLowerHex = "0123456789abcdef";
inline constexpr std::string_view kBase64Chars =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
inline constexpr std::string_view kUrlChars =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

// unit repeated and cut to n characters.
std::string Repeat(std::string_view unit, std::size_t n);

// n characters of alphabet in a fixed pseudo-random order (the same for the same arguments);
// different seeds give different strings. High entropy, as a real token's random part has.
std::string Chars(std::string_view alphabet, std::size_t n, unsigned seed = 1);

// Base64 with the URL-safe alphabet and no padding (JWT segments, PyPI macaroons).
std::string Base64Url(std::string_view data);

}  // namespace capstan::testing
