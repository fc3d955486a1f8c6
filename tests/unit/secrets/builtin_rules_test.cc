#include "secrets/builtin_rules.h"

#include <re2/re2.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <map>
#include <string>
#include <vector>

#include "secrets/keyword_filter.h"
#include "support/temp_repo.h"
#include "unit/secrets/builtin_rule_samples.h"

namespace capstan::secrets::samples {

const TokenScanner& Builtin() {
  static const TokenScanner* scanner = [] {
    Result<TokenScanner> s = TokenScanner::Create(BuiltinRules());
    INFO(s.status().message());
    REQUIRE(s.ok());
    return new TokenScanner(std::move(s).value());
  }();
  return *scanner;
}

std::vector<TokenMatch> Find(std::string_view rule, std::string_view text) {
  std::vector<TokenMatch> out;
  for (TokenMatch& m : Builtin().Scan(text))
    if (m.rule_id == rule) out.push_back(std::move(m));
  return out;
}

namespace {

std::vector<RuleSample> AllSamples() {
  std::vector<RuleSample> all;
  for (std::vector<RuleSample> (*family)() :
       {SourceHostingSamples, CloudSamples, AiSamples, SaasSamples, OpsSamples, KeySamples}) {
    for (RuleSample& s : family()) all.push_back(std::move(s));
  }
  return all;
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

const Rule* RuleById(std::string_view id) {
  static const std::vector<Rule> rules = BuiltinRules();
  for (const Rule& r : rules)
    if (r.id == id) return &r;
  return nullptr;
}

TEST_CASE("there are at least 60 built-in rules, each described and with lowercase keywords",
          "[secrets]") {
  const std::vector<Rule> rules = BuiltinRules();
  CHECK(rules.size() >= 60);
  for (const Rule& r : rules) {
    INFO(r.id);
    CHECK(!r.description.empty());
    REQUIRE(!r.keywords.empty());
    for (const std::string& k : r.keywords) {
      CHECK(!k.empty());
      CHECK(k == Lower(k));
    }
  }
}

TEST_CASE("every built-in rule's regex compiles in full, as known_good promises the scanner",
          "[secrets]") {
  for (const Rule& r : BuiltinRules()) {
    INFO(r.id);
    CHECK(r.known_good);
    RE2::Options options;
    options.set_log_errors(false);
    const RE2 re(r.regex, options);
    CHECK(re.ok());
    for (const std::string& k : r.keywords) CHECK(KeywordFilter::Accepts(k));
  }
}

TEST_CASE("the readme's rule table lists every built-in rule and their number", "[secrets]") {
  const std::string readme = testing::ReadFile(std::string(CAPSTAN_SOURCE_DIR) + "/README.md");
  const std::vector<Rule> rules = BuiltinRules();
  CHECK(readme.find(std::to_string(rules.size()) + " credential rules") != std::string::npos);
  for (const Rule& r : rules) {
    INFO(r.id);
    CHECK(readme.find("| `" + r.id + "` |") != std::string::npos);
  }
}

TEST_CASE("every built-in rule has samples, and every keyword occurs in one", "[secrets]") {
  std::map<std::string, std::vector<std::string>> positives;
  for (const RuleSample& s : AllSamples()) positives[s.rule].push_back(Lower(s.positive));
  for (const Rule& r : BuiltinRules()) {
    INFO(r.id);
    REQUIRE(positives.count(r.id) == 1);
    for (const std::string& k : r.keywords) {
      INFO("keyword " << k);
      CHECK(std::any_of(positives[r.id].begin(), positives[r.id].end(),
                        [&](const std::string& p) { return p.find(k) != std::string::npos; }));
    }
  }
  for (const auto& [id, texts] : positives) {
    INFO(id);
    CHECK(RuleById(id) != nullptr);
  }
}

TEST_CASE("a built-in rule flags its sample, a keyword within the match, and not the near miss",
          "[secrets]") {
  const RuleSample s = GENERATE(from_range(AllSamples()));
  const Rule* rule = RuleById(s.rule);
  REQUIRE(rule != nullptr);
  INFO(s.rule << " positive: " << s.positive);

  // Without the prefilter: whatever the regex matches holds a keyword, so the prefilter never
  // hides a match.
  const RE2 re(rule->regex);
  REQUIRE(re.ok());
  re2::StringPiece whole;
  REQUIRE(re.Match(s.positive, 0, s.positive.size(), RE2::UNANCHORED, &whole, 1));
  const std::string matched = Lower(std::string(whole));
  CHECK(std::any_of(rule->keywords.begin(), rule->keywords.end(),
                    [&](const std::string& k) { return matched.find(k) != std::string::npos; }));

  // Through the scanner, prefilter included: one match, at the stated confidence.
  std::vector<TokenMatch> m = Find(s.rule, s.positive);
  REQUIRE(m.size() == 1);
  CHECK(m[0].confidence == s.confidence);
  if (!s.secret.empty()) CHECK(s.positive.substr(m[0].offset, m[0].length) == s.secret);
  // No other rule reports anything outside this match (which would be a second finding).
  for (const TokenMatch& other : Builtin().Scan(s.positive)) {
    INFO("also matched by " << other.rule_id);
    CHECK((other.offset >= m[0].offset && other.offset < m[0].offset + m[0].length));
  }

  if (!s.negative.empty()) {
    INFO("near miss: " << s.negative);
    CHECK(Find(s.rule, s.negative).empty());
  }
}

}  // namespace
}  // namespace capstan::secrets::samples
