#include "argocd/token.h"

#include <catch2/catch.hpp>
#include <string>

#include "support/token_samples.h"

namespace capstan::argocd {
namespace {

using std::chrono::seconds;
using std::chrono::system_clock;

std::string Jwt(const std::string& payload) {
  return testing::Base64Url(R"({"alg":"HS256","typ":"JWT"})") + "." + testing::Base64Url(payload) +
         ".c2lnbmF0dXJl";
}

TEST_CASE("a token's expiry is the exp claim of its JWT payload", "[argocd]") {
  const auto expiry = TokenExpiry(Jwt(R"({"iss":"argocd","sub":"ci:apiKey","exp":1767225600})"));
  REQUIRE(expiry.has_value());
  CHECK(*expiry == system_clock::time_point(seconds(1767225600)));
  CHECK(TokenExpiry(Jwt(R"({"exp":1767225600.5})")) ==
        system_clock::time_point(seconds(1767225600)));
}

TEST_CASE("a token without a readable exp has no known expiry", "[argocd]") {
  CHECK_FALSE(TokenExpiry(Jwt(R"({"iss":"argocd","sub":"ci:apiKey"})")));
  CHECK_FALSE(TokenExpiry(Jwt(R"({"exp":"tomorrow"})")));
  CHECK_FALSE(TokenExpiry(Jwt(R"({"exp":-1})")));
  CHECK_FALSE(TokenExpiry(Jwt(R"({"exp":1e300})")));
  CHECK_FALSE(TokenExpiry(Jwt("[1,2]")));
  CHECK_FALSE(TokenExpiry(Jwt("not json")));
  CHECK_FALSE(TokenExpiry("an-opaque-token"));
  CHECK_FALSE(TokenExpiry("a.b"));
  CHECK_FALSE(TokenExpiry("a.b.c.d"));
  CHECK_FALSE(TokenExpiry("x.%%%.y"));
  CHECK_FALSE(TokenExpiry(""));
}

}  // namespace
}  // namespace capstan::argocd
