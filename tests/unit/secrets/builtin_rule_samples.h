// Synthetic samples of the built-in credential rules (lib/secrets/builtin_rules*.cc), one or more
// per rule: a text holding a token in the issuer's format, and a near miss the rule must not
// flag (the prefix with the wrong length or alphabet, the prefix inside a word, a test-mode key,
// a value the issuer publishes as a sample). Each family's samples are defined in its
// builtin_rules_<family>_test.cc next to the family's own tests; builtin_rules_test.cc runs them
// all. Every token is assembled in code from these pieces, never pasted in whole.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "secrets/token_rules.h"
#include "support/token_samples.h"

namespace capstan::secrets::samples {

using testing::Base64Url;
using testing::Chars;
using testing::kAlnum;
using testing::Repeat;

struct RuleSample {
  std::string rule;      // built-in rule id
  std::string positive;  // holds exactly one match of the rule
  std::string negative;  // a near miss; "" for a further positive of the same rule
  std::string secret;    // the matched secret when it is not the whole token; "" to skip
  Confidence confidence = Confidence::kHigh;
};

std::vector<RuleSample> SourceHostingSamples();
std::vector<RuleSample> CloudSamples();
std::vector<RuleSample> AiSamples();
std::vector<RuleSample> SaasSamples();
std::vector<RuleSample> OpsSamples();
std::vector<RuleSample> KeySamples();

// The scanner over BuiltinRules(), built once, and the matches of one rule in text.
const TokenScanner& Builtin();
std::vector<TokenMatch> Find(std::string_view rule, std::string_view text);

// n pseudo-random characters: alphanumerics, URL-safe base64 ([A-Za-z0-9_-]), lowercase hex,
// standard base64 ([A-Za-z0-9+/]), capitals and digits, lowercase and digits, letters.
inline std::string A(std::size_t n, unsigned seed = 1) {
  return testing::Chars(testing::kAlnum, n, seed);
}
inline std::string U(std::size_t n, unsigned seed = 1) {
  return testing::Chars(testing::kUrlChars, n, seed);
}
inline std::string H(std::size_t n, unsigned seed = 1) {
  return testing::Chars(testing::kLowerHex, n, seed);
}
inline std::string B(std::size_t n, unsigned seed = 1) {
  return testing::Chars(testing::kBase64Chars, n, seed);
}
inline std::string UA(std::size_t n, unsigned seed = 1) {
  return testing::Chars(testing::kUpperAlnum, n, seed);
}
inline std::string LA(std::size_t n, unsigned seed = 1) {
  return testing::Chars(testing::kLowerAlnum, n, seed);
}
inline std::string L(std::size_t n, unsigned seed = 1) {
  return testing::Chars(testing::kLetters, n, seed);
}

// A lowercase GUID (8-4-4-4-12 hex).
inline std::string Guid(unsigned seed) {
  return H(8, seed) + "-" + H(4, seed + 1) + "-" + H(4, seed + 2) + "-" + H(4, seed + 3) + "-" +
         H(12, seed + 4);
}

}  // namespace capstan::secrets::samples
