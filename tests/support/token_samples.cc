#include "support/token_samples.h"

#include <cstdint>

#include "core/base64.h"

namespace capstan::testing {

std::string Repeat(std::string_view unit, std::size_t n) {
  std::string s;
  while (s.size() < n) s += unit;
  return s.substr(0, n);
}

std::string Chars(std::string_view alphabet, std::size_t n, unsigned seed) {
  std::uint64_t state = 0x9e3779b97f4a7c15ull * (seed + 1) + n;  // splitmix64
  std::string out;
  while (out.size() < n) {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    out += alphabet[z % alphabet.size()];
  }
  return out;
}

std::string Base64Url(std::string_view data) {
  std::string s = EncodeBase64(data);
  while (!s.empty() && s.back() == '=') s.pop_back();
  for (char& c : s) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return s;
}

}  // namespace capstan::testing
