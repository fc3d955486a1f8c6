#include "core/rfc3339.h"

#include <cctype>
#include <charconv>
#include <ctime>

namespace capstan {
namespace {

bool ParseDigits(std::string_view s, size_t pos, size_t len, int& out) {
  if (pos + len > s.size()) return false;
  auto [p, ec] = std::from_chars(s.data() + pos, s.data() + pos + len, out);
  return ec == std::errc() && p == s.data() + pos + len;
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> ParseRfc3339(std::string_view s) {
  int y, mo, d, h, mi, sec;
  if (s.size() < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') ||
      s[13] != ':' || s[16] != ':' || !ParseDigits(s, 0, 4, y) || !ParseDigits(s, 5, 2, mo) ||
      !ParseDigits(s, 8, 2, d) || !ParseDigits(s, 11, 2, h) || !ParseDigits(s, 14, 2, mi) ||
      !ParseDigits(s, 17, 2, sec)) {
    return std::nullopt;
  }
  size_t pos = 19;
  std::chrono::nanoseconds fraction{0};
  if (s[pos] == '.') {
    size_t start = ++pos;
    long long scale = 100000000;
    long long nanos = 0;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
      nanos += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return std::nullopt;
    fraction = std::chrono::nanoseconds(nanos);
  }
  int offset_minutes = 0;
  std::string_view zone = s.substr(pos);
  if (zone != "Z" && zone != "z") {
    int oh, om;
    if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':' ||
        !ParseDigits(zone, 1, 2, oh) || !ParseDigits(zone, 4, 2, om) || oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset_minutes = (zone[0] == '+' ? 1 : -1) * (oh * 60 + om);
  }
  std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(mo),
                                  std::chrono::day(d)};
  if (!ymd.ok() || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  // The clock counts nanoseconds in 64 bits: 1677-09-21 to 2262-04-11. A year outside a
  // margin inside that is no timestamp a registry or Argo CD writes.
  if (y < 1678 || y > 2261) return std::nullopt;
  auto t = std::chrono::sys_days(ymd) + std::chrono::hours(h) +
           std::chrono::minutes(mi - offset_minutes) + std::chrono::seconds(sec) + fraction;
  return std::chrono::time_point_cast<std::chrono::system_clock::duration>(t);
}

std::string FormatRfc3339(std::chrono::system_clock::time_point t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace capstan
