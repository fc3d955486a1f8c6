#include "semver/constraint.h"

#include <catch2/catch.hpp>
#include <string>

namespace capstan::semver {
namespace {

bool Admits(std::string_view range, std::string_view version, bool include_prerelease = false) {
  Result<Constraint> c = ParseConstraint(range, include_prerelease);
  Result<Version> v = ParseCoerce(version);
  REQUIRE(c.ok());
  REQUIRE(v.ok());
  return c->Check(*v);
}

TEST_CASE("caret range excludes the next major", "[semver]") {
  CHECK(Admits("^1.2.3", "1.99.0"));
  CHECK_FALSE(Admits("^1.2.3", "2.0.0"));
  CHECK_FALSE(Admits("^1.2.3", "1.2.2"));
}

TEST_CASE("pre-releases need a pre-release in the same OR group or the option", "[semver]") {
  CHECK_FALSE(Admits(">=1.0.0", "1.5.0-rc.1"));
  CHECK(Admits(">=1.0.0-0", "1.5.0-rc.1"));
  CHECK_FALSE(Admits(">=1.0.0-0 || >=1.0.0", "0.9.0-rc.1"));
  CHECK_FALSE(Admits("<1.0.0-0 || >=1.0.0", "1.5.0-rc.1"));
  CHECK(Admits(">=1.0.0", "1.5.0-rc.1", true));
}

TEST_CASE("hyphen ranges need spaces around the hyphen", "[semver]") {
  CHECK(Admits("1.2 - 2.3", "2.3.9"));
  CHECK_FALSE(Admits("1.2 - 2.3", "2.4.0"));
  CHECK_FALSE(Admits("1.2-2.3", "2.0.0"));
}

TEST_CASE(
    "a hyphen range written against '||' takes the bars into its version, as Masterminds does",
    "[semver]") {
  // Masterminds' version class [0-9|x|X|\*] holds '|': "1||0 - 1" is the range "1||0 - 1",
  // rewritten ">= 1||0, <= 1", so it reads ">= 1" or "0, <= 1"; with blanks around the bars
  // the range is "0 - 1". The semver_constraint fuzz target took the difference for a bug.
  CHECK(Admits("1||0 - 1", "10.0.0"));
  CHECK_FALSE(Admits("1 || 0 - 1", "10.0.0"));
  CHECK(Admits("1 || 0 - 1", "1.5.0"));
}

TEST_CASE("malformed constraints are invalid-argument errors", "[semver]") {
  for (std::string_view bad : {"", ">=", "1.2.3.4", ">1 <", ">=1,,<2", "foo", "1 ||", "~>x.y"}) {
    CAPTURE(bad);
    Result<Constraint> c = ParseConstraint(bad);
    REQUIRE_FALSE(c.ok());
    CHECK(c.status().code() == StatusCode::kInvalidArgument);
    CHECK(c.status().message().rfind("invalid constraint '", 0) == 0);
  }
}

TEST_CASE("validate explains each failed term of a failing constraint", "[semver]") {
  Result<Constraint> c = ParseConstraint(">=1.1, <2 || ^3");
  REQUIRE(c.ok());
  std::vector<std::string> why = c->Validate(*ParseCoerce("2.5.0"));
  REQUIRE(why.size() == 2);
  CHECK(why[0] == "\"2.5.0\" is greater than or equal to \"2\"");
  CHECK(why[1] == "\"2.5.0\" is less than \"3\"");
  CHECK(c->Validate(*ParseCoerce("3.1.0")).empty());
}

}  // namespace
}  // namespace capstan::semver
