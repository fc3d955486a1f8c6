// Code hosting, CI/CD and package registries.
#include <cstdint>

#include "core/base64.h"
#include "secrets/builtin_rule_families.h"

namespace capstan::secrets::internal {
namespace {

bool ReadVarint(std::string_view& in, std::uint64_t* out) {
  *out = 0;
  for (int shift = 0; shift < 35 && !in.empty(); shift += 7) {
    const auto byte = static_cast<unsigned char>(in.front());
    in.remove_prefix(1);
    *out |= std::uint64_t{byte & 0x7fu} << shift;
    if ((byte & 0x80u) == 0) return true;
  }
  return false;
}

// One section of a version 2 macaroon: packets (type, length, bytes) of a location (1), an
// identifier (2) or a verification id (4), up to an end-of-section 0. Sets *empty when it held
// no packet.
bool ReadMacaroonSection(std::string_view& in, bool* empty) {
  *empty = true;
  for (;;) {
    std::uint64_t type = 0, length = 0;
    if (!ReadVarint(in, &type)) return false;
    if (type == 0) return true;
    if ((type != 1 && type != 2 && type != 4) || !ReadVarint(in, &length) || length > in.size())
      return false;
    in.remove_prefix(length);
    *empty = false;
  }
}

// A PyPI token is "pypi-" and a base64url version 2 macaroon: the header section, one section
// per caveat, an empty section, then a 32-byte signature. One that does not parse to its last
// byte was truncated or edited: reported at low confidence.
std::optional<Confidence> VerifyPypiMacaroon(std::string_view token) {
  std::optional<std::string> bin = DecodeBase64Url(token.substr(token.find('-') + 1));
  if (!bin || bin->empty() || (*bin)[0] != 2) return Confidence::kLow;
  std::string_view in = std::string_view(*bin).substr(1);
  bool empty = false;
  if (!ReadMacaroonSection(in, &empty) || empty) return Confidence::kLow;
  do {
    if (!ReadMacaroonSection(in, &empty)) return Confidence::kLow;
  } while (!empty);
  std::uint64_t type = 0, length = 0;
  if (!ReadVarint(in, &type) || type != 6 || !ReadVarint(in, &length) || length != 32 ||
      in.size() != 32)
    return Confidence::kLow;
  return Confidence::kHigh;
}

}  // namespace

std::vector<Rule> SourceHostingRules() {
  std::vector<Rule> r;
  r.push_back(MakeRule("github-token", "GitHub token (classic format, CRC32-checked)",
                       R"(\b(gh[pousr]_[A-Za-z0-9]{36})\b)",
                       {"ghp_", "gho_", "ghu_", "ghs_", "ghr_"}, VerifyGithubStyleChecksum));
  r.push_back(MakeRule("github-fine-grained-pat", "GitHub fine-grained personal access token",
                       R"(\b(github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})\b)", {"github_pat_"}));
  r.push_back(
      MakeRule("gitlab-token", "GitLab token (personal, deploy, runner, trigger, feed, OAuth ...)",
               R"(\b((?:glpat|gldt|glrt|glptt|glft|glcbt|gloas|glsoat|glimt|glagent|glffct))"
               R"(-[A-Za-z0-9_.-]{19,}[A-Za-z0-9_-]))",
               {"glpat-", "gldt-", "glrt-", "glptt-", "glft-", "glcbt-", "gloas-", "glsoat-",
                "glimt-", "glagent-", "glffct-"}));
  r.push_back(MakeRule("gitlab-runner-registration-token", "GitLab runner registration token",
                       R"(\b(GR1348941[A-Za-z0-9_-]{20}))" + kEndToken, {"gr1348941"}));
  r.push_back(MakeRule("bitbucket-app-password", "Bitbucket app password",
                       R"(\b(ATBB[A-Za-z0-9]{32})\b)", {"atbb"}));
  r.push_back(MakeRule("atlassian-api-token", "Atlassian (Jira, Confluence) API token",
                       R"(\b(ATATT3[A-Za-z0-9_=-]{186}))" + kEndToken, {"atatt3"}));
  r.push_back(MakeRule("circleci-token", "CircleCI personal or project API token",
                       R"(\b(CCIP(?:AT|RJ)_[A-Za-z0-9]{22}_[A-Za-z0-9]{40})\b)",
                       {"ccipat_", "cciprj_"}));
  r.push_back(MakeRule("buildkite-token", "Buildkite API access token",
                       R"(\b(bkua_[A-Za-z0-9]{40})\b)", {"bkua_"}));
  r.push_back(MakeRule("harness-token", "Harness personal or service account token",
                       R"(\b((?:pat|sat)\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{20})\b)",
                       {"pat.", "sat."}));
  r.push_back(MakeRule("sourcegraph-token", "Sourcegraph access token",
                       R"(\b(sgp_(?:(?:[a-f0-9]{16}|local)_)?[a-f0-9]{40})\b)", {"sgp_"}));
  r.push_back(MakeRule("sonarqube-token", "SonarQube project, user or global analysis token",
                       R"(\b(sq[pua]_[a-f0-9]{40})\b)", {"sqp_", "squ_", "sqa_"}));
  r.push_back(MakeRule("postman-api-key", "Postman API key",
                       R"(\b(PMAK-[a-f0-9]{24}-[a-f0-9]{34})\b)", {"pmak-"}));
  r.push_back(MakeRule("npm-token", "npm access token (CRC32-checked)",
                       R"(\b(npm_[A-Za-z0-9]{36})\b)", {"npm_"}, VerifyGithubStyleChecksum));
  r.push_back(MakeRule(
      "pypi-token", "PyPI API token (macaroon checked)",
      R"(\b(pypi-(?:AgEIcHlwaS5vcmc|AgENdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,}))" + kEndToken,
      {"pypi-ageichlwas5vcmc", "pypi-agendgvzdc5wexbplm9yzw"}, VerifyPypiMacaroon));
  r.push_back(MakeRule("rubygems-api-key", "RubyGems API key", R"(\b(rubygems_[a-f0-9]{48})\b)",
                       {"rubygems_"}));
  r.push_back(MakeRule("nuget-api-key", "NuGet.org API key", R"(\b(oy2[a-z2-7]{43})\b)", {"oy2"}));
  r.push_back(MakeRule("clojars-token", "Clojars deploy token", R"(\b(CLOJARS_[a-z0-9]{60})\b)",
                       {"clojars_"}));
  r.push_back(MakeRule("docker-hub-token", "Docker Hub personal or organization access token",
                       R"(\b(dckr_(?:pat|oat)_[A-Za-z0-9_-]{27,40}))" + kEndToken,
                       {"dckr_pat_", "dckr_oat_"}));
  r.push_back(MakeRule("jfrog-api-key", "JFrog Artifactory API key", R"(\b(AKCp[A-Za-z0-9]{69})\b)",
                       {"akcp"}));
  r.push_back(MakeRule("jfrog-reference-token", "JFrog Artifactory reference token",
                       R"(\b(cmVmdGtuOjAxOj[A-Za-z0-9]{50})\b)", {"cmvmdgtuojaxoj"}));
  return r;
}

}  // namespace capstan::secrets::internal
