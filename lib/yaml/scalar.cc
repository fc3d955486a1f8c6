#include "yaml/scalar.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string_view>

namespace capstan::yaml {
namespace {

constexpr std::string_view kTagPrefix = "tag:yaml.org,2002:";

bool OneOf(std::string_view s, std::initializer_list<std::string_view> options) {
  for (auto o : options)
    if (s == o) return true;
  return false;
}

bool ParseInteger(std::string s, ScalarValue& out) {
  std::erase(s, '_');
  if (s.empty()) return false;
  bool neg = false;
  std::size_t i = 0;
  if (s[0] == '+' || s[0] == '-') {
    neg = s[0] == '-';
    i = 1;
  }
  int base = 10;
  std::string_view digits = std::string_view(s).substr(i);
  if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
    base = 16;
    digits.remove_prefix(2);
  } else if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'b' || digits[1] == 'B')) {
    base = 2;
    digits.remove_prefix(2);
  } else if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'o' || digits[1] == 'O')) {
    base = 8;
    digits.remove_prefix(2);
  } else if (digits.size() > 1 && digits[0] == '0') {
    base = 8;
    digits.remove_prefix(1);
  }
  if (digits.empty()) return false;
  std::uint64_t acc = 0;
  bool overflow = false;
  for (char c : digits) {
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      d = c - 'A' + 10;
    } else {
      return false;
    }
    if (d >= base) return false;
    if (acc > (std::numeric_limits<std::uint64_t>::max() - static_cast<std::uint64_t>(d)) /
                  static_cast<std::uint64_t>(base)) {
      overflow = true;
    }
    acc = acc * static_cast<std::uint64_t>(base) + static_cast<std::uint64_t>(d);
  }
  if (overflow) return false;
  constexpr auto kMaxPos = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (neg) {
    if (acc > kMaxPos + 1) return false;
    out.kind = ScalarKind::kInt;
    out.i = acc == kMaxPos + 1 ? std::numeric_limits<std::int64_t>::min()
                               : -static_cast<std::int64_t>(acc);
  } else if (acc > kMaxPos) {
    out.kind = ScalarKind::kUint;
    out.u = acc;
  } else {
    out.kind = ScalarKind::kInt;
    out.i = static_cast<std::int64_t>(acc);
  }
  return true;
}

bool ParseFloat(std::string s, ScalarValue& out) {
  std::erase(s, '_');
  if (s.empty()) return false;
  // strtod accepts forms YAML does not ("inf", "nan", hex floats, leading spaces); the caller
  // only gets here for text starting with a digit, sign or dot, and we refuse letters other than
  // an exponent.
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'))
      return false;
  }
  errno = 0;
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return false;
  out.kind = ScalarKind::kFloat;
  out.f = v;
  return true;
}

ScalarValue ResolvePlain(const std::string& s) {
  ScalarValue v;
  if (OneOf(s, {"", "~", "null", "Null", "NULL"})) {
    v.kind = ScalarKind::kNull;
    return v;
  }
  if (OneOf(s, {"y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE"})) {
    v.kind = ScalarKind::kBool;
    v.b = true;
    return v;
  }
  if (OneOf(s, {"n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE"})) {
    v.kind = ScalarKind::kBool;
    v.b = false;
    return v;
  }
  if (OneOf(s, {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"})) {
    v.kind = ScalarKind::kFloat;
    v.f = std::numeric_limits<double>::infinity();
    return v;
  }
  if (OneOf(s, {"-.inf", "-.Inf", "-.INF"})) {
    v.kind = ScalarKind::kFloat;
    v.f = -std::numeric_limits<double>::infinity();
    return v;
  }
  if (OneOf(s, {".nan", ".NaN", ".NAN"})) {
    v.kind = ScalarKind::kFloat;
    v.f = std::numeric_limits<double>::quiet_NaN();
    return v;
  }
  char c = s[0];
  if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
    if (ParseInteger(s, v) || ParseFloat(s, v)) return v;
  }
  v.kind = ScalarKind::kString;
  return v;
}

}  // namespace

ScalarValue ResolveScalar(const Node& node) {
  ScalarValue v;
  if (node.type == NodeType::kNull) {
    v.kind = ScalarKind::kNull;
    return v;
  }
  if (!node.tag.empty()) {
    std::string_view tag = node.tag;
    if (tag.substr(0, kTagPrefix.size()) != kTagPrefix) return v;  // custom tag: a string
    tag.remove_prefix(kTagPrefix.size());
    ScalarValue r = ResolvePlain(node.value);
    if (tag == "int" && (r.kind == ScalarKind::kInt || r.kind == ScalarKind::kUint)) return r;
    if (tag == "float" && r.kind == ScalarKind::kFloat) return r;
    if (tag == "float" && r.kind == ScalarKind::kInt) {
      r.kind = ScalarKind::kFloat;
      r.f = static_cast<double>(r.i);
      return r;
    }
    if (tag == "bool" && r.kind == ScalarKind::kBool) return r;
    if (tag == "null") {
      v.kind = ScalarKind::kNull;
      return v;
    }
    return v;
  }
  if (node.style != ScalarStyle::kPlain) return v;
  return ResolvePlain(node.value);
}

}  // namespace capstan::yaml
