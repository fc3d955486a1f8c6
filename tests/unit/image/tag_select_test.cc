#include "image/tag_select.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

namespace capstan::image {
namespace {

using Clock = std::chrono::system_clock;
using Created = std::map<std::string, Clock::time_point>;

Clock::time_point At(int seconds) { return Clock::time_point(std::chrono::seconds(seconds)); }

std::vector<std::string> Tags(const std::vector<RankedTag>& ranked) {
  std::vector<std::string> out;
  for (const RankedTag& r : ranked) out.push_back(r.tag);
  return out;
}

std::vector<std::string> Keys(const std::vector<RankedTag>& ranked) {
  std::vector<std::string> out;
  for (const RankedTag& r : ranked) out.push_back(r.key);
  return out;
}

TagPolicy Policy(Strategy strategy, std::string constraint = "", std::string allow = "",
                 std::string extract = "", std::vector<std::string> ignore = {}) {
  TagPolicy p;
  p.strategy = strategy;
  p.constraint = std::move(constraint);
  p.allow_regex = std::move(allow);
  p.extract = std::move(extract);
  p.ignore_tags = std::move(ignore);
  REQUIRE(ValidatePolicy(p).ok());
  return p;
}

const std::vector<std::string> kSemverTags = {"1.4.2",   "1.4.10", "1.5.0",
                                              "v1.4.11", "latest", "1.4.12-rc.1"};

TEST_CASE("semver ranks versions in the range and leaves out pre-releases", "[tag_select]") {
  auto [constraint, want] = GENERATE(table<std::string, std::vector<std::string>>({
      {"~1.4", {"v1.4.11", "1.4.10", "1.4.2"}},
      {"", {"1.5.0", "v1.4.11", "1.4.10", "1.4.2"}},
      {"~1.4.12-0", {"1.4.12-rc.1"}},
      {">=1.4.11-0", {"1.5.0", "1.4.12-rc.1", "v1.4.11"}},
      {"^2", {}},
  }));
  CAPTURE(constraint);
  std::vector<RankedTag> ranked = RankTags(Policy(Strategy::kSemver, constraint), kSemverTags);
  CHECK(Tags(ranked) == want);
}

TEST_CASE("semver keys are the tags as the registry spells them", "[tag_select]") {
  std::vector<RankedTag> ranked = RankTags(Policy(Strategy::kSemver, "~1.4"), kSemverTags);
  REQUIRE_FALSE(ranked.empty());
  CHECK(ranked.front().tag == "v1.4.11");
  CHECK(ranked.front().key == "v1.4.11");
}

TEST_CASE("semver breaks ties between equal versions by tag", "[tag_select]") {
  std::vector<std::string> tags = {"v1.2.0", "1.2", "1.2.0+build.7", "1.2.0"};
  CHECK(Tags(RankTags(Policy(Strategy::kSemver), tags)) ==
        std::vector<std::string>{"v1.2.0", "1.2.0+build.7", "1.2.0", "1.2"});
}

TEST_CASE("extract compares a named group of the allow-tags regex", "[tag_select]") {
  std::string extract = GENERATE("$ts", "${ts}", "$1", "${1}", "\\1");
  CAPTURE(extract);
  std::vector<std::string> tags = {"main-abc123-100", "main-def456-99", "main-0a1b-1000",
                                   "feature-x-2000",  "main-xyz-5000",  "main-ab-7.5"};
  TagPolicy policy = Policy(Strategy::kNumerical, "", "^main-[a-f0-9]+-(?P<ts>\\d+)$", extract);
  std::vector<RankedTag> ranked = RankTags(policy, tags);
  CHECK(Tags(ranked) ==
        std::vector<std::string>{"main-0a1b-1000", "main-abc123-100", "main-def456-99"});
  CHECK(Keys(ranked) == std::vector<std::string>{"1000", "100", "99"});
}

TEST_CASE("extract templates may mix text and groups", "[tag_select]") {
  TagPolicy policy = Policy(Strategy::kSemver, "", "^rel-(?P<major>\\d+)_(?P<minor>\\d+)$",
                            "v${major}.$minor.0$$");
  // "$$" is a literal '$', which makes every key an invalid version.
  CHECK(RankTags(policy, {"rel-1_2"}).empty());
  policy.extract = "v${major}.$minor";
  std::vector<RankedTag> ranked = RankTags(policy, {"rel-1_2", "rel-1_10", "rel-x_1"});
  CHECK(Keys(ranked) == std::vector<std::string>{"v1.10", "v1.2"});
}

TEST_CASE("allow-tags is a partial match and without extract the tag is the key", "[tag_select]") {
  TagPolicy policy = Policy(Strategy::kAlphabetical, "", "prod");
  CHECK(Tags(RankTags(policy, {"a-prod-1", "b-dev", "prod", "c-production"})) ==
        std::vector<std::string>{"prod", "c-production", "a-prod-1"});
}

TEST_CASE("ignore-tags globs remove tags before ranking", "[tag_select]") {
  TagPolicy policy = Policy(Strategy::kAlphabetical, "", "", "", {"*-rc*", "latest", "[xy]?"});
  std::vector<std::string> tags = {"a", "b-rc1", "latest", "c", "x1", "xyz"};
  CHECK(Tags(RankTags(policy, tags)) == std::vector<std::string>{"xyz", "c", "a"});
}

TEST_CASE("alphabetical ranks by byte order, last first", "[tag_select]") {
  std::vector<std::string> tags = {"2024-01-02", "2024-01-10", "2023-12-31", "Z", "a"};
  CHECK(Tags(RankTags(Policy(Strategy::kAlphabetical), tags)) ==
        std::vector<std::string>{"a", "Z", "2024-01-10", "2024-01-02", "2023-12-31"});
}

TEST_CASE("numerical ranks integers and decimals exactly and skips other tags", "[tag_select]") {
  std::vector<std::string> tags = {"1",
                                   "10",
                                   "9",
                                   "2.5",
                                   "abc",
                                   "-3",
                                   "1e5",
                                   "10.0",
                                   "010",
                                   "0.75",
                                   ".5",
                                   "1.9",
                                   "1.10",
                                   "-0",
                                   "+4",
                                   "1.",
                                   "-",
                                   "",
                                   "12345678901234567890123456789012",
                                   "12345678901234567890123456789011"};
  CHECK(Tags(RankTags(Policy(Strategy::kNumerical), tags)) ==
        std::vector<std::string>{"12345678901234567890123456789012",
                                 "12345678901234567890123456789011", "10.0", "10", "010", "9", "+4",
                                 "2.5", "1.9", "1.10", "1.", "1", "0.75", ".5", "-0", "-3"});
}

TEST_CASE("newest-build ranks by creation time and drops tags without one", "[tag_select]") {
  Created created = {{"a", At(100)}, {"b", At(300)}, {"c", At(300)}, {"old", At(5)}};
  std::vector<std::string> tags = {"a", "b", "c", "d", "old"};
  CHECK(Tags(RankTags(Policy(Strategy::kNewestBuild), tags, created)) ==
        std::vector<std::string>{"c", "b", "a", "old"});
  CHECK(RankTags(Policy(Strategy::kNewestBuild), tags).empty());
}

TEST_CASE("digest returns the followed tag only when the registry lists it", "[tag_select]") {
  TagPolicy policy = Policy(Strategy::kDigest, "stable");
  CHECK(Tags(RankTags(policy, {"1.0", "stable", "latest"})) == std::vector<std::string>{"stable"});
  CHECK(RankTags(policy, {"1.0", "latest", "stable-1"}).empty());
}

TEST_CASE("duplicate tags are ranked once", "[tag_select]") {
  CHECK(Tags(RankTags(Policy(Strategy::kAlphabetical), {"b", "a", "b"})) ==
        std::vector<std::string>{"b", "a"});
}

TEST_CASE("ranking does not depend on the registry's order", "[tag_select]") {
  std::vector<std::string> tags = {"1.0.0",   "v1.0.0",  "1.0",    "2",      "2.0",   "02",
                                   "b",       "a",       "10",     "9.50",   "9.5",   "c-1",
                                   "1.2.0+x", "1.2.0+y", "latest", "stable", "v2.0.0"};
  Created created;
  for (const std::string& t : tags) created[t] = At(static_cast<int>(t.size()));
  TagPolicy policy;
  policy.strategy = GENERATE(Strategy::kSemver, Strategy::kNumerical, Strategy::kAlphabetical,
                             Strategy::kNewestBuild);
  CAPTURE(StrategyName(policy.strategy));
  std::vector<RankedTag> first = RankTags(policy, tags, created);
  REQUIRE(first.size() > 2);
  std::mt19937 rng(42);
  for (int i = 0; i < 20; ++i) {
    std::shuffle(tags.begin(), tags.end(), rng);
    std::vector<RankedTag> again = RankTags(policy, tags, created);
    CHECK(Tags(again) == Tags(first));
    CHECK(Keys(again) == Keys(first));
  }
}

TEST_CASE("ranking ten thousand tags finds the best one", "[tag_select]") {
  std::vector<std::string> tags;
  for (int i = 0; i < 10000; ++i) {
    tags.push_back("1." + std::to_string(i / 100) + "." + std::to_string(i % 100));
  }
  tags.push_back("2.0.0-rc.1");
  std::shuffle(tags.begin(), tags.end(), std::mt19937(7));
  std::vector<RankedTag> semver = RankTags(Policy(Strategy::kSemver, "<2"), tags);
  REQUIRE(semver.size() == 10000);
  CHECK(semver.front().tag == "1.99.99");
  CHECK(semver.back().tag == "1.0.0");

  std::vector<std::string> builds;
  for (int i = 0; i < 10000; ++i) builds.push_back("build-" + std::to_string(i * 7 % 10000));
  TagPolicy numbered = Policy(Strategy::kNumerical, "", "^build-(\\d+)$", "$1");
  std::vector<RankedTag> ranked = RankTags(numbered, builds);
  REQUIRE(ranked.size() == 10000);
  CHECK(ranked.front().tag == "build-9999");
}

struct ForwardCase {
  Strategy strategy;
  std::string current;
  std::string candidate;
  bool forward;
};

TEST_CASE("forward means newer under the policy's strategy", "[tag_select]") {
  ForwardCase c = GENERATE(values<ForwardCase>({
      {Strategy::kSemver, "1.4.2", "1.4.10", true},
      {Strategy::kSemver, "1.4.10", "1.4.2", false},
      {Strategy::kSemver, "v1.4.2", "1.4.2", false},
      {Strategy::kSemver, "latest", "1.0.0", true},
      {Strategy::kSemver, "1.5.0-rc.1", "1.5.0", true},
      {Strategy::kSemver, "1.0.0", "not-a-version", false},
      {Strategy::kNumerical, "9", "10", true},
      {Strategy::kNumerical, "10", "10.0", false},
      {Strategy::kNumerical, "10", "9.99", false},
      {Strategy::kNumerical, "dev", "1", true},
      {Strategy::kAlphabetical, "2024-01-02", "2024-01-10", true},
      {Strategy::kAlphabetical, "b", "a", false},
      {Strategy::kAlphabetical, "a", "a", false},
      {Strategy::kNewestBuild, "old", "new", true},
      {Strategy::kNewestBuild, "new", "old", false},
      {Strategy::kNewestBuild, "new", "twin", false},
      {Strategy::kNewestBuild, "unknown", "old", true},
      {Strategy::kDigest, "latest", "latest", true},
  }));
  CAPTURE(StrategyName(c.strategy), c.current, c.candidate);
  TagPolicy policy;
  policy.strategy = c.strategy;
  if (c.strategy == Strategy::kDigest) policy.constraint = "latest";
  Created created = {{"old", At(1)}, {"new", At(2)}, {"twin", At(2)}};
  CHECK(IsForward(policy, c.current, c.candidate, created) == c.forward);
}

TEST_CASE("forward applies extract to the current tag too", "[tag_select]") {
  TagPolicy policy = Policy(Strategy::kNumerical, "", "^main-[a-f0-9]+-(?P<ts>\\d+)$", "$ts");
  CHECK(IsForward(policy, "main-ffff-99", "main-0000-100"));
  CHECK_FALSE(IsForward(policy, "main-0000-100", "main-ffff-99"));
  CHECK_FALSE(IsForward(policy, "main-aaaa-100", "main-bbbb-100"));
  CHECK(IsForward(policy, "v1", "main-0000-1"));  // current not admitted: older
  policy.strategy = Strategy::kAlphabetical;
  // As text "99" sorts after "100".
  CHECK_FALSE(IsForward(policy, "main-ffff-99", "main-0000-100"));
  policy.strategy = Strategy::kSemver;
  CHECK(IsForward(policy, "main-ffff-99", "main-0000-100"));
}

struct InvalidCase {
  TagPolicy policy;
  std::string message;
};

TagPolicy Raw(Strategy strategy, std::string constraint, std::string allow = "",
              std::string extract = "", std::vector<std::string> ignore = {}) {
  TagPolicy p;
  p.strategy = strategy;
  p.constraint = std::move(constraint);
  p.allow_regex = std::move(allow);
  p.extract = std::move(extract);
  p.ignore_tags = std::move(ignore);
  return p;
}

TEST_CASE("invalid policies are refused with a one-line reason", "[tag_select]") {
  InvalidCase c = GENERATE(values<InvalidCase>({
      {Raw(Strategy::kAlphabetical, "", "("), "invalid allow-tags regex '(': missing ): '('"},
      {Raw(Strategy::kSemver, ">=banana"),
       "invalid semver constraint '>=banana': expected an operator and a version at '>=banana'"},
      {Raw(Strategy::kNumerical, "", "", "$1"), "extract needs allow-tags"},
      {Raw(Strategy::kDigest, ""), "digest strategy needs the tag to follow"},
      {Raw(Strategy::kAlphabetical, "", "", "", {"*-rc", "[a"}),
       "invalid glob '[a': unterminated character class"},
      {Raw(Strategy::kNumerical, "", "^(\\d+)$", "$name"),
       "invalid extract template '$name': no group named 'name'"},
      {Raw(Strategy::kNumerical, "", "^(\\d+)$", "$2"),
       "invalid extract template '$2': no group '2'"},
      {Raw(Strategy::kNumerical, "", "^(\\d+)$", "\\2"),
       "invalid extract template '\\2': no group '2'"},
      {Raw(Strategy::kNumerical, "", "^(\\d+)$", "\\x"),
       "invalid extract template '\\x': '\\' must be followed by a digit or '\\'"},
      {Raw(Strategy::kNumerical, "", "^(\\d+)$", "${1"),
       "invalid extract template '${1': unterminated '${'"},
      {Raw(Strategy::kNumerical, "", "^(\\d+)$", "$12"),
       "invalid extract template '$12': no group '12'"},
      {Raw(Strategy::kNumerical, "", "^(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)$", "${10}"),
       "invalid extract template '${10}': group '10' is past \\9"},
  }));
  Status status = ValidatePolicy(c.policy);
  CHECK(status.code() == StatusCode::kInvalidArgument);
  CHECK(status.message() == c.message);
  CHECK(status.message().find('\n') == std::string::npos);
  CHECK(RankTags(c.policy, {"1", "1.0.0", "a"}).empty());
}

TEST_CASE("valid policies pass validation", "[tag_select]") {
  CHECK(ValidatePolicy(Raw(Strategy::kSemver, "")).ok());
  CHECK(ValidatePolicy(Raw(Strategy::kSemver, ">=1.2 <2 || ^3.0.0-0")).ok());
  CHECK(ValidatePolicy(Raw(Strategy::kDigest, "latest")).ok());
  CHECK(ValidatePolicy(Raw(Strategy::kNewestBuild, "", "^v", "", {"*-rc[0-9]"})).ok());
}

TEST_CASE("strategy names parse, including Argo CD's deprecated aliases", "[tag_select]") {
  auto [name, want] = GENERATE(table<std::string, Strategy>({
      {"semver", Strategy::kSemver},
      {"newest-build", Strategy::kNewestBuild},
      {"latest", Strategy::kNewestBuild},
      {"digest", Strategy::kDigest},
      {"alphabetical", Strategy::kAlphabetical},
      {"name", Strategy::kAlphabetical},
      {"numerical", Strategy::kNumerical},
  }));
  Result<Strategy> parsed = ParseStrategy(name);
  REQUIRE(parsed.ok());
  CHECK(*parsed == want);
  CHECK(ParseStrategy(StrategyName(want)).value() == want);
}

TEST_CASE("an unknown strategy name is refused", "[tag_select]") {
  std::string name = GENERATE("Semver", "newest", "");
  Result<Strategy> parsed = ParseStrategy(name);
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.status().code() == StatusCode::kInvalidArgument);
  CHECK(parsed.status().message() ==
        "unknown update strategy '" + name +
            "': expected semver, newest-build, digest, alphabetical or numerical");
}

}  // namespace
}  // namespace capstan::image
