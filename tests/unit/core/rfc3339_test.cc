#include "core/rfc3339.h"

#include <catch2/catch.hpp>

namespace capstan {
namespace {

using std::chrono::seconds;
using std::chrono::system_clock;

TEST_CASE("RFC 3339 times read Z, offsets and fractions", "[core][rfc3339]") {
  auto t = ParseRfc3339("2026-11-22T12:00:00Z");
  REQUIRE(t);
  CHECK(FormatRfc3339(*t) == "2026-11-22T12:00:00Z");
  CHECK(ParseRfc3339("2026-11-22T14:30:00+02:30") == t);
  CHECK(ParseRfc3339("2026-11-22t07:00:00-05:00") == t);
  auto frac = ParseRfc3339("2026-11-22T12:00:00.25Z");
  REQUIRE(frac);
  CHECK(*frac - *t == std::chrono::milliseconds(250));
  CHECK(ParseRfc3339("2026-11-22T12:00:00.123456789123Z"));
}

TEST_CASE("malformed or impossible RFC 3339 times are refused", "[core][rfc3339]") {
  for (const char* bad :
       {"", "2026-11-22", "2026-11-22 12:00:00Z", "2026-02-30T12:00:00Z", "2026-11-22T24:00:00Z",
        "2026-11-22T12:00:00", "2026-11-22T12:00:00.Z", "2026-11-22T12:00:00+0200"}) {
    CHECK_FALSE(ParseRfc3339(bad));
  }
}

TEST_CASE("a year the clock cannot hold is no timestamp", "[core][rfc3339]") {
  // Found by the argocd_json fuzz target: "0627-05-01T10:00:00Z" overflowed the nanosecond
  // clock (undefined behaviour) when an Application's startedAt was read.
  for (const char* far : {"0627-05-01T10:00:00Z", "0001-01-01T00:00:00Z", "1677-12-31T23:59:59Z",
                          "2262-01-01T00:00:00Z", "9999-12-31T23:59:59Z"})
    CHECK_FALSE(ParseRfc3339(far));
  CHECK(ParseRfc3339("1678-01-01T00:00:00Z"));
  CHECK(ParseRfc3339("2261-12-31T23:59:59Z"));
}

TEST_CASE("RFC 3339 formatting is UTC with whole seconds", "[core][rfc3339]") {
  CHECK(FormatRfc3339(system_clock::time_point(seconds(0))) == "1970-01-01T00:00:00Z");
  CHECK(FormatRfc3339(system_clock::time_point(seconds(86399)) + std::chrono::milliseconds(999)) ==
        "1970-01-01T23:59:59Z");
}

}  // namespace
}  // namespace capstan
