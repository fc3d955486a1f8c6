#include "secrets/keyword_filter.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

namespace capstan::secrets {
namespace {

std::vector<std::size_t> Found(const std::vector<std::string>& keywords, std::string_view text) {
  return KeywordFilter(keywords).Find(text);
}

// What an RE2 case-insensitive set of the same literals says (the filter's specification).
std::vector<std::size_t> Re2Found(const std::vector<std::string>& keywords, std::string_view text) {
  RE2::Options options;
  options.set_case_sensitive(false);
  RE2::Set set(options, RE2::UNANCHORED);
  for (const std::string& k : keywords) REQUIRE(set.Add(RE2::QuoteMeta(k), nullptr) >= 0);
  REQUIRE(set.Compile());
  std::vector<int> hits;
  set.Match(re2::StringPiece(text.data(), text.size()), &hits);
  std::vector<std::size_t> out(hits.begin(), hits.end());
  std::sort(out.begin(), out.end());
  return out;
}

TEST_CASE("the keyword filter finds each keyword that occurs, in any ASCII case", "[secrets]") {
  const std::vector<std::string> k = {"ghp_", "sk_live_", "xoxb-", "hooks.slack.com"};
  CHECK(Found(k, "token: GHP_abc and SK_Live_x") == std::vector<std::size_t>{0, 1});
  CHECK(Found(k, "https://HOOKS.slack.com/services/x") == std::vector<std::size_t>{3});
  CHECK(Found(k, "gh_p sk-live xoxb_ hooks_slack").empty());
  CHECK(Found(k, "").empty());
}

TEST_CASE("keywords inside one another and overlapping are all found", "[secrets]") {
  const std::vector<std::string> k = {"she", "he", "hers", "his", "ushers"};
  CHECK(Found(k, "USHERS") == std::vector<std::size_t>{0, 1, 2, 4});
  CHECK(Found(k, "ahishe") == std::vector<std::size_t>{0, 1, 3});
  CHECK(Found(k, "h e r s").empty());
}

TEST_CASE("a keyword listed twice is reported under both of its indexes", "[secrets]") {
  CHECK(Found({"key", "abc", "key"}, "a KEY") == std::vector<std::size_t>{0, 2});
}

TEST_CASE("kelvin sign and long s match k and s, as RE2's case folding has it", "[secrets]") {
  const std::vector<std::string> k = {"sk_live_", "token"};
  CHECK(Found(k, "\xC5\xBF\xE2\x84\xAA_live_") == std::vector<std::size_t>{0});
  CHECK(Found(k,
              "to\xE2\x84\xAA"
              "en") == std::vector<std::size_t>{1});
  // A lead byte without its continuation is no letter at all.
  CHECK(Found(k, "\xC5_live_ tok\xE2\x84").empty());
  CHECK(Found(k, "\xC5").empty());
  CHECK(Re2Found(k, "\xC5\xBF\xE2\x84\xAA_live_") == std::vector<std::size_t>{0});
}

TEST_CASE("the keyword filter accepts lowercase ASCII keywords only", "[secrets]") {
  CHECK(KeywordFilter::Accepts("ghp_"));
  CHECK(KeywordFilter::Accepts("-----begin"));
  CHECK_FALSE(KeywordFilter::Accepts(""));
  CHECK_FALSE(KeywordFilter::Accepts("Ghp_"));
  CHECK_FALSE(KeywordFilter::Accepts("cl\xC3\xA9"));
}

TEST_CASE("on random texts the keyword filter agrees with an RE2 case-insensitive set",
          "[secrets]") {
  const std::vector<std::string> keywords = {
      "ghp_", "github_pat_", "sk", "ks", "kks", "aws", "akia", "s", "-----begin", "key=", "aaa"};
  // An alphabet rich in the keywords' letters, their capitals, the two folded letters, their
  // lead bytes alone and bytes no keyword holds.
  const std::vector<std::string> pieces = {"g",
                                           "h",
                                           "p",
                                           "_",
                                           "i",
                                           "t",
                                           "u",
                                           "b",
                                           "a",
                                           "A",
                                           "S",
                                           "K",
                                           "k",
                                           "s",
                                           "w",
                                           "W",
                                           "-",
                                           "=",
                                           "e",
                                           "y",
                                           "n",
                                           "\xC5\xBF",
                                           "\xE2\x84\xAA",
                                           "\xC5",
                                           "\xE2\x84",
                                           "\n",
                                           std::string(1, '\0'),
                                           "z"};
  std::mt19937 rng(20261206);
  std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
  std::uniform_int_distribution<int> length(0, 40);
  const KeywordFilter filter(keywords);
  for (int i = 0; i < 3000; ++i) {
    std::string text;
    for (int n = length(rng); n > 0; --n) text += pieces[pick(rng)];
    INFO(text);
    CHECK(filter.Find(text) == Re2Found(keywords, text));
  }
}

}  // namespace
}  // namespace capstan::secrets
