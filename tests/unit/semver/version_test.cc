#include "semver/version.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace capstan::semver {
namespace {

TEST_CASE("precedence follows the SemVer 2.0.0 section 11 example chain", "[semver]") {
  const std::vector<std::string> ascending = {"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta",
                                              "1.0.0-beta",  "1.0.0-beta.2",  "1.0.0-beta.11",
                                              "1.0.0-rc.1",  "1.0.0",         "2.0.0",
                                              "2.1.0",       "2.1.1"};
  for (size_t i = 0; i + 1 < ascending.size(); ++i) {
    CAPTURE(ascending[i], ascending[i + 1]);
    Result<Version> lo = ParseStrict(ascending[i]);
    Result<Version> hi = ParseStrict(ascending[i + 1]);
    REQUIRE(lo.ok());
    REQUIRE(hi.ok());
    CHECK(Compare(*lo, *hi) == -1);
    CHECK(Compare(*hi, *lo) == 1);
  }
}

TEST_CASE("build metadata does not affect precedence", "[semver]") {
  CHECK(Compare(*ParseStrict("1.0.0+a"), *ParseStrict("1.0.0+b")) == 0);
  CHECK(Compare(*ParseStrict("1.0.0-rc.1+z"), *ParseStrict("1.0.0-rc.1")) == 0);
}

TEST_CASE("coercing parser fills missing parts and keeps the original text", "[semver]") {
  Result<Version> v = ParseCoerce("v1.2-rc.1+sha.abc");
  REQUIRE(v.ok());
  CHECK(v->major() == 1);
  CHECK(v->minor() == 2);
  CHECK(v->patch() == 0);
  CHECK(v->prerelease() == "rc.1");
  CHECK(v->metadata() == "sha.abc");
  CHECK(v->ToString() == "1.2.0-rc.1+sha.abc");
  CHECK(v->original() == "v1.2-rc.1+sha.abc");
}

TEST_CASE("leading zeros are coerced by default and rejected on request", "[semver]") {
  Result<Version> v = ParseCoerce("01.02.003");
  REQUIRE(v.ok());
  CHECK(v->ToString() == "1.2.3");
  CHECK_FALSE(ParseCoerce("01.2.3", LeadingZeros::kReject).ok());
  CHECK_FALSE(ParseStrict("1.02.3").ok());
}

TEST_CASE("strict parsing takes a v prefix only when asked, keeping the text as written",
          "[semver]") {
  CHECK_FALSE(ParseStrict("v1.2.3").ok());
  Result<Version> v = ParseStrict("v1.2.3-rc.1", VPrefix::kAccept);
  REQUIRE(v.ok());
  CHECK(v->ToString() == "1.2.3-rc.1");
  CHECK(v->original() == "v1.2.3-rc.1");
  CHECK_FALSE(ParseStrict("v1.2", VPrefix::kAccept).ok());
  CHECK_FALSE(ParseStrict("vv1.2.3", VPrefix::kAccept).ok());
}

TEST_CASE("parse errors are one-line invalid-argument messages naming the input", "[semver]") {
  Result<Version> v = ParseStrict("v1.2.3");
  REQUIRE_FALSE(v.ok());
  CHECK(v.status().code() == StatusCode::kInvalidArgument);
  CHECK(v.status().message().find("'v1.2.3'") != std::string::npos);

  Result<Version> nl = ParseCoerce("\n1.2");
  REQUIRE_FALSE(nl.ok());
  CHECK(nl.status().message().find('\n') == std::string::npos);
  CHECK(nl.status().message().find("'\\n1.2'") != std::string::npos);

  CHECK(ParseStrict("1.2.3-beta.01").status().message() ==
        "invalid semantic version '1.2.3-beta.01': pre-release identifier '01' has a leading zero");
  CHECK_FALSE(ParseStrict("").ok());
  CHECK_FALSE(ParseCoerce("").ok());
  CHECK_FALSE(ParseStrict("1.2.3-").ok());
  CHECK_FALSE(ParseStrict("1.2.3+").ok());
  CHECK_FALSE(ParseCoerce("1.2.3-").ok());
}

TEST_CASE("numbers beyond 64 bits are rejected, not wrapped", "[semver]") {
  CHECK(ParseStrict("18446744073709551615.0.0").ok());
  CHECK_FALSE(ParseStrict("18446744073709551616.0.0").ok());
  CHECK_FALSE(ParseCoerce("1.18446744073709551616").ok());
}

}  // namespace
}  // namespace capstan::semver
