#include <catch2/catch.hpp>
#include <initializer_list>
#include <string>

#include "core/base64.h"
#include "secrets/builtin_rules.h"
#include "unit/secrets/builtin_rule_samples.h"

namespace capstan::secrets::samples {
namespace {

// bytes given as numbers, so that none is read as part of a neighbouring escape.
std::string Bytes(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

// A version 2 macaroon as PyPI issues them: location, identifier, one caveat, signature.
std::string Macaroon(std::string_view location) {
  const std::string id = Guid(7);
  const std::string caveat = R"({"permissions": "user", "version": 1})";
  return Bytes({2, 1, static_cast<int>(location.size())}) + std::string(location) +
         Bytes({2, static_cast<int>(id.size())}) + id + Bytes({0}) +
         Bytes({2, static_cast<int>(caveat.size())}) + caveat + Bytes({0, 0, 6, 32}) + A(32, 9);
}

std::string PypiToken() { return "pypi-" + Base64Url(Macaroon("pypi.org")); }

}  // namespace

std::vector<RuleSample> SourceHostingSamples() {
  std::vector<RuleSample> v;
  const std::string body = A(30, 2);
  const std::string sum = secrets::GithubChecksum(body);
  v.push_back({"github-token", "token: ghp_" + body + sum, "token: ghp_" + body + "2C2O5"});
  for (const char* p : {"gho_", "ghu_", "ghs_", "ghr_"})
    v.push_back({"github-token", std::string("token: ") + p + body + sum,
                 "x" + std::string(p) + body + sum});
  v.push_back({"github-fine-grained-pat", "GH_TOKEN=github_pat_" + A(22) + "_" + A(59),
               "GH_TOKEN=github_pat_" + A(22) + "_" + A(30)});
  unsigned seed = 1;
  for (const char* p : {"glpat-", "gldt-", "glrt-", "glptt-", "glft-", "glcbt-", "gloas-",
                        "glsoat-", "glimt-", "glagent-", "glffct-"}) {
    v.push_back({"gitlab-token", std::string("token: ") + p + U(20, seed),
                 seed == 1 ? "password: glpat-changeme" : ""});
    ++seed;
  }
  v.push_back({"gitlab-runner-registration-token", "runnerRegistrationToken: GR1348941" + U(20),
               "runnerRegistrationToken: GR1348941" + U(12)});
  v.push_back({"bitbucket-app-password",
               "https://acme:ATBB" + A(32) + "@bitbucket.org/acme/app.git",
               "https://acme:ATBB" + A(20) + "@bitbucket.org/acme/app.git"});
  v.push_back({"atlassian-api-token",
               "JIRA_API_TOKEN=ATATT3" + Chars(std::string(kAlnum) + "_=-", 186),
               "JIRA_API_TOKEN=ATATT3" + A(100)});
  v.push_back({"circleci-token", "CIRCLE_TOKEN=CCIPAT_" + A(22) + "_" + LA(40),
               "CIRCLE_TOKEN=CCIPAT_" + A(22) + "_" + LA(30)});
  v.push_back({"circleci-token", "CIRCLE_TOKEN=CCIPRJ_" + A(22) + "_" + LA(40), ""});
  v.push_back({"buildkite-token", "BUILDKITE_API_TOKEN=bkua_" + H(40),
               "BUILDKITE_API_TOKEN=bkua_" + H(39)});
  v.push_back({"harness-token", "x-api-key: pat." + U(22) + "." + A(24) + "." + A(20),
               "x-api-key: pat." + U(22) + "." + A(24)});
  v.push_back({"harness-token", "x-api-key: sat." + U(22) + "." + A(24) + "." + A(20), ""});
  v.push_back({"sourcegraph-token", "SRC_ACCESS_TOKEN=sgp_" + H(16) + "_" + H(40),
               "SEGMENT_TOKEN=sgp_" + H(64)});
  v.push_back({"sourcegraph-token", "SRC_ACCESS_TOKEN=sgp_local_" + H(40), ""});
  v.push_back({"sourcegraph-token", "SRC_ACCESS_TOKEN=sgp_" + H(40), ""});
  v.push_back({"sonarqube-token", "sonar.token=sqp_" + H(40), "sonar.token=sqp_" + L(40)});
  v.push_back({"sonarqube-token", "sonar.token=squ_" + H(40), ""});
  v.push_back({"sonarqube-token", "sonar.token=sqa_" + H(40), ""});
  v.push_back({"postman-api-key", "POSTMAN_API_KEY=PMAK-" + H(24) + "-" + H(34),
               "POSTMAN_API_KEY=PMAK-" + H(24) + "-" + H(20)});
  const std::string npm = A(30, 3);
  v.push_back({"npm-token",
               "//registry.npmjs.org/:_authToken=npm_" + npm + secrets::GithubChecksum(npm),
               "//registry.npmjs.org/:_authToken=npm_" + A(20)});
  v.push_back(
      {"pypi-token", "password = " + PypiToken(), "password = pypi-AgEIcHlwaS5vcmc" + U(20)});
  v.push_back({"pypi-token", "password = pypi-" + Base64Url(Macaroon("test.pypi.org")), ""});
  v.push_back({"rubygems-api-key", "GEM_HOST_API_KEY=rubygems_" + H(48),
               "GEM_HOST_API_KEY=rubygems_" + H(40)});
  v.push_back({"nuget-api-key", "nuget push -k oy2" + Chars("abcdefghijklmnopqrstuvwxyz234567", 43),
               "nuget push -k oy2" + Repeat("ab1", 43)});
  v.push_back({"clojars-token", "CLOJARS_PASSWORD=CLOJARS_" + LA(60),
               "CLOJARS_PASSWORD=CLOJARS_" + LA(40)});
  v.push_back({"docker-hub-token", "docker login -u acme -p dckr_pat_" + U(27),
               "docker login -u acme -p dckr_pat_" + U(10)});
  v.push_back({"docker-hub-token", "DOCKERHUB_TOKEN=dckr_oat_" + U(32), ""});
  v.push_back({"jfrog-api-key", "X-JFrog-Art-Api: AKCp" + A(69), "X-JFrog-Art-Api: AKCp" + A(60)});
  v.push_back({"jfrog-reference-token", "Authorization: Bearer cmVmdGtuOjAxOj" + A(50),
               "Authorization: Bearer cmVmdGtuOjAxOj" + A(40)});
  return v;
}

namespace {

TEST_CASE("npm tokens carry github's checksum: a bad one is low confidence", "[secrets]") {
  // npm's own sample token from its announcement of the format, split so it is not one literal.
  const std::string announced = std::string("npm_") + "qkJaB6MffYVzZXWqmcoF49yrUxP3wf" + "0LsakP";
  CHECK(GithubChecksumValid(announced));
  auto good = Find("npm-token", "_authToken=" + announced);
  REQUIRE(good.size() == 1);
  CHECK(good[0].confidence == Confidence::kHigh);
  auto bad = Find("npm-token", "_authToken=npm_" + Repeat("Zx81Qw", 36));
  REQUIRE(bad.size() == 1);
  CHECK(bad[0].confidence == Confidence::kLow);
}

TEST_CASE("a pypi token whose macaroon is cut short or padded out is low confidence", "[secrets]") {
  const std::string token = PypiToken();
  auto whole = Find("pypi-token", "password = " + token);
  REQUIRE(whole.size() == 1);
  CHECK(whole[0].confidence == Confidence::kHigh);
  for (const std::string& broken : {token.substr(0, token.size() - 8), token + "AAAA"}) {
    auto m = Find("pypi-token", "password = " + broken);
    REQUIRE(m.size() == 1);
    CHECK(m[0].confidence == Confidence::kLow);
  }
}

}  // namespace
}  // namespace capstan::secrets::samples
