#include "semver/version.h"

#include <charconv>
#include <optional>
#include <vector>

#include "core/strings.h"

namespace capstan::semver {

class VersionParser {
 public:
  static void Set(Version& v, uint64_t major, uint64_t minor, uint64_t patch, std::string_view pre,
                  std::string_view meta, std::string_view original) {
    v.major_ = major;
    v.minor_ = minor;
    v.patch_ = patch;
    v.prerelease_ = std::string(pre);
    v.metadata_ = std::string(meta);
    v.original_ = std::string(original);
  }
};

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsIdentChar(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return !s.empty();
}

std::vector<std::string_view> SplitDots(std::string_view s) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t dot = s.find('.', start);
    if (dot == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, dot - start));
    start = dot + 1;
  }
}

Status Invalid(std::string_view text, std::string_view why) {
  return Status::InvalidArgument("invalid semantic version " + QuoteForMessage(text) + ": " +
                                 std::string(why));
}

// Returns why the dot-separated identifiers are not valid, or nullopt.
std::optional<std::string> CheckIdentifiers(std::string_view ids, std::string_view what,
                                            bool numeric_leading_zero_ok) {
  for (std::string_view id : SplitDots(ids)) {
    if (id.empty()) return std::string(what) + " has an empty identifier";
    for (char c : id) {
      if (!IsIdentChar(c)) return std::string(what) + " has a character outside [0-9A-Za-z-]";
    }
    if (!numeric_leading_zero_ok && AllDigits(id) && id.size() > 1 && id[0] == '0') {
      return std::string(what) + " identifier " + QuoteForMessage(id, kQuotePartLimit) +
             " has a leading zero";
    }
  }
  return std::nullopt;
}

// Parses a run of digits; reports why it is not a valid number.
std::optional<std::string> ParseNumber(std::string_view s, LeadingZeros zeros, uint64_t* out) {
  if (!AllDigits(s)) return QuoteForMessage(s, kQuotePartLimit) + " is not a number";
  if (zeros == LeadingZeros::kReject && s.size() > 1 && s[0] == '0') {
    return QuoteForMessage(s, kQuotePartLimit) + " has a leading zero";
  }
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  if (ec != std::errc() || end != s.data() + s.size()) {
    return QuoteForMessage(s, kQuotePartLimit) + " is out of range";
  }
  return std::nullopt;
}

Result<Version> Build(std::string_view text, const std::string_view nums[3], size_t count,
                      bool has_pre, std::string_view pre, std::string_view meta,
                      LeadingZeros zeros) {
  uint64_t n[3] = {0, 0, 0};
  for (size_t i = 0; i < count; ++i) {
    if (auto why = ParseNumber(nums[i], zeros, &n[i])) return Invalid(text, *why);
  }
  if (has_pre) {
    if (auto why = CheckIdentifiers(pre, "pre-release", false)) return Invalid(text, *why);
  }
  Version v;
  VersionParser::Set(v, n[0], n[1], n[2], pre, meta, text);
  return v;
}

int ComparePrereleaseIdentifier(std::string_view a, std::string_view b) {
  bool a_num = AllDigits(a);
  bool b_num = AllDigits(b);
  if (a_num && b_num) {
    // Valid numeric identifiers have no leading zeros, so length orders them first.
    if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  } else if (a_num != b_num) {
    return a_num ? -1 : 1;
  }
  int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

int ComparePrerelease(std::string_view a, std::string_view b) {
  if (a == b) return 0;
  if (a.empty()) return 1;
  if (b.empty()) return -1;
  std::vector<std::string_view> as = SplitDots(a);
  std::vector<std::string_view> bs = SplitDots(b);
  for (size_t i = 0; i < as.size() && i < bs.size(); ++i) {
    if (int c = ComparePrereleaseIdentifier(as[i], bs[i]); c != 0) return c;
  }
  if (as.size() == bs.size()) return 0;
  return as.size() < bs.size() ? -1 : 1;
}

}  // namespace

Version::Version(uint64_t major, uint64_t minor, uint64_t patch, std::string prerelease,
                 std::string metadata)
    : major_(major),
      minor_(minor),
      patch_(patch),
      prerelease_(std::move(prerelease)),
      metadata_(std::move(metadata)) {
  original_ = ToString();
}

std::string Version::ToString() const {
  std::string out =
      std::to_string(major_) + "." + std::to_string(minor_) + "." + std::to_string(patch_);
  if (!prerelease_.empty()) out += "-" + prerelease_;
  if (!metadata_.empty()) out += "+" + metadata_;
  return out;
}

int Compare(const Version& a, const Version& b) {
  if (a.major() != b.major()) return a.major() < b.major() ? -1 : 1;
  if (a.minor() != b.minor()) return a.minor() < b.minor() ? -1 : 1;
  if (a.patch() != b.patch()) return a.patch() < b.patch() ? -1 : 1;
  return ComparePrerelease(a.prerelease(), b.prerelease());
}

Result<Version> ParseStrict(std::string_view text, VPrefix prefix) {
  if (text.empty()) return Invalid(text, "empty string");
  std::string_view rest = text;
  if (prefix == VPrefix::kAccept && rest[0] == 'v') rest.remove_prefix(1);
  std::string_view meta;
  std::string_view pre;
  if (size_t plus = rest.find('+'); plus != std::string_view::npos) {
    meta = rest.substr(plus + 1);
    rest = rest.substr(0, plus);
    if (auto why = CheckIdentifiers(meta, "build metadata", true)) return Invalid(text, *why);
  }
  // The pre-release starts at the first '-' after MAJOR.MINOR.
  size_t first_dot = rest.find('.');
  size_t second_dot =
      first_dot == std::string_view::npos ? first_dot : rest.find('.', first_dot + 1);
  if (second_dot == std::string_view::npos) return Invalid(text, "expected MAJOR.MINOR.PATCH");
  bool has_pre = false;
  if (size_t dash = rest.find('-', second_dot + 1); dash != std::string_view::npos) {
    has_pre = true;
    pre = rest.substr(dash + 1);
    rest = rest.substr(0, dash);
  }
  std::string_view nums[3] = {rest.substr(0, first_dot),
                              rest.substr(first_dot + 1, second_dot - first_dot - 1),
                              rest.substr(second_dot + 1)};
  return Build(text, nums, 3, has_pre, pre, meta, LeadingZeros::kReject);
}

Result<Version> ParseCoerce(std::string_view text, LeadingZeros zeros) {
  if (text.empty()) return Invalid(text, "empty string");
  size_t pos = 0;
  if (text[pos] == 'v') ++pos;
  std::string_view nums[3];
  size_t count = 0;
  while (count < 3) {
    if (count > 0) {
      if (pos >= text.size() || text[pos] != '.') break;
      ++pos;
    }
    size_t start = pos;
    while (pos < text.size() && IsDigit(text[pos])) ++pos;
    if (pos == start)
      return Invalid(text, count == 0 ? "expected a number" : "expected a number after '.'");
    nums[count++] = text.substr(start, pos - start);
  }
  std::string_view pre;
  std::string_view meta;
  bool has_pre = false;
  if (pos < text.size() && text[pos] == '-') {
    has_pre = true;
    size_t start = ++pos;
    while (pos < text.size() && text[pos] != '+') ++pos;
    pre = text.substr(start, pos - start);
    if (auto why = CheckIdentifiers(pre, "pre-release", true)) return Invalid(text, *why);
  }
  if (pos < text.size() && text[pos] == '+') {
    meta = text.substr(pos + 1);
    pos = text.size();
    if (auto why = CheckIdentifiers(meta, "build metadata", true)) return Invalid(text, *why);
  }
  if (pos != text.size()) {
    return Invalid(
        text, "unexpected " + QuoteForMessage(text.substr(pos, 1)) + " after the version numbers");
  }
  return Build(text, nums, count, has_pre, pre, meta, zeros);
}

}  // namespace capstan::semver
