#include "core/base64.h"

#include <array>
#include <cstdint>

namespace capstan {

std::string EncodeBase64(std::string_view data) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    unsigned v = static_cast<unsigned char>(data[i]) << 16 |
                 static_cast<unsigned char>(data[i + 1]) << 8 |
                 static_cast<unsigned char>(data[i + 2]);
    out += kAlphabet[v >> 18 & 63];
    out += kAlphabet[v >> 12 & 63];
    out += kAlphabet[v >> 6 & 63];
    out += kAlphabet[v & 63];
  }
  if (i < data.size()) {
    unsigned v = static_cast<unsigned char>(data[i]) << 16;
    if (i + 1 < data.size()) v |= static_cast<unsigned char>(data[i + 1]) << 8;
    out += kAlphabet[v >> 18 & 63];
    out += kAlphabet[v >> 12 & 63];
    out += i + 1 < data.size() ? kAlphabet[v >> 6 & 63] : '=';
    out += '=';
  }
  return out;
}
namespace {

constexpr std::int8_t kInvalid = -1;

constexpr std::array<std::int8_t, 256> MakeTable(char c62, char c63) {
  std::array<std::int8_t, 256> t{};
  for (auto& v : t) v = kInvalid;
  for (int i = 0; i < 26; ++i) {
    t[static_cast<unsigned char>('A' + i)] = static_cast<std::int8_t>(i);
    t[static_cast<unsigned char>('a' + i)] = static_cast<std::int8_t>(26 + i);
  }
  for (int i = 0; i < 10; ++i)
    t[static_cast<unsigned char>('0' + i)] = static_cast<std::int8_t>(52 + i);
  t[static_cast<unsigned char>(c62)] = 62;
  t[static_cast<unsigned char>(c63)] = 63;
  return t;
}

constexpr auto kStd = MakeTable('+', '/');
constexpr auto kUrl = MakeTable('-', '_');

std::optional<std::string> Decode(std::string_view text, const std::array<std::int8_t, 256>& table,
                                  bool padding_allowed) {
  std::string out;
  out.reserve(text.size() / 4 * 3 + 3);
  std::uint32_t acc = 0;
  int in_group = 0;  // sextets in the current group
  int padding = 0;   // `=` seen so far
  for (char ch : text) {
    if (ch == '\n' || ch == '\r') continue;
    if (ch == '=') {
      if (!padding_allowed || in_group < 2) return std::nullopt;
      ++padding;
      if (in_group + padding > 4) return std::nullopt;
      continue;
    }
    if (padding > 0) return std::nullopt;  // data after padding
    std::int8_t v = table[static_cast<unsigned char>(ch)];
    if (v == kInvalid) return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    if (++in_group == 4) {
      out.push_back(static_cast<char>((acc >> 16) & 0xff));
      out.push_back(static_cast<char>((acc >> 8) & 0xff));
      out.push_back(static_cast<char>(acc & 0xff));
      acc = 0;
      in_group = 0;
    }
  }
  if (padding > 0) {
    // A padded partial group must be completed to exactly four characters.
    if (in_group + padding != 4) return std::nullopt;
  } else if (in_group == 0) {
    return out;
  }
  if (in_group == 1) return std::nullopt;
  if (in_group == 2) {
    out.push_back(static_cast<char>((acc >> 4) & 0xff));
  } else if (in_group == 3) {
    out.push_back(static_cast<char>((acc >> 10) & 0xff));
    out.push_back(static_cast<char>((acc >> 2) & 0xff));
  }
  return out;
}

}  // namespace

std::optional<std::string> DecodeBase64(std::string_view text) { return Decode(text, kStd, true); }

std::optional<std::string> DecodeBase64Url(std::string_view text) {
  return Decode(text, kUrl, false);
}

}  // namespace capstan
