// Credential rules over raw text: a Rule is a regex plus the lowercase keywords without which it
// cannot match, and a TokenScanner runs many rules over a text with one keyword pass first, so a
// text that holds no keyword costs a single scan whatever the number of rules.
#pragma once

#include <re2/re2.h>
#include <re2/set.h>

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "secrets/keyword_filter.h"

namespace capstan::secrets {

enum class Confidence { kHigh, kLow };

// "high" or "low".
const char* ConfidenceName(Confidence c);

// Judges a candidate secret beyond its regex (a checksum, a decoded header). Returns the
// confidence of the match, or nullopt to drop it as not a secret.
using Verifier = std::optional<Confidence> (*)(std::string_view secret);

struct Rule {
  std::string id;           // e.g. "github-token"; unique within a scanner
  std::string description;  // one line, for reports
  // RE2 syntax. When it has capturing groups, the first group that took part in the match is
  // the secret (the rest is context); otherwise the whole match is.
  std::string regex;
  // Lowercase literals; the regex is tried only when the text contains at least one of them
  // (case-insensitively). Empty: the regex is tried on every text.
  std::vector<std::string> keywords;
  double min_entropy = 0;          // Shannon bits per byte of the secret; 0 = no gate
  std::string severity = "error";  // "error", "warning" or "note"
  Verifier verify = nullptr;       // built-in rules only; nullptr = every match is high
  // The regex is known to parse (built-in rules, each compiled by their tests), so Create need
  // not check it again. A user rule leaves this false.
  bool known_good = false;
};

struct TokenMatch {
  std::string rule_id;
  std::size_t offset = 0;  // byte offset of the secret in the scanned text
  std::size_t length = 0;  // bytes
  Confidence confidence = Confidence::kHigh;
  std::string severity;
};

// Shannon entropy of s in bits per byte (0 for an empty string).
double ShannonEntropy(std::string_view s);

class TokenScanner {
 public:
  // Checks every rule and builds the keyword prefilter (keywords are lowercased). Fails with
  // InvalidArgument naming the rule for a regex RE2 cannot parse (rules not known_good), an
  // empty or duplicate id, or an unknown severity. Each rule's regex is compiled the first time a
  // scanned text holds one of its keywords (a rule without keywords: at the first Scan), so rules a
  // repository never needs cost nothing; a regex that parses but is too large to compile then never
  // matches (ParseRuleFile compiles user rules in full and reports that).
  // extra_keywords (lowercase ASCII, KeywordFilter::Accepts) ride along in the same keyword pass
  // for a caller that needs to know which of them occur too (Scan's extra_seen).
  static Result<TokenScanner> Create(std::vector<Rule> rules,
                                     std::vector<std::string> extra_keywords = {});

  TokenScanner(TokenScanner&&) noexcept;
  TokenScanner& operator=(TokenScanner&&) noexcept;
  ~TokenScanner();

  // All matches of all rules, ordered by offset then rule order. Matches of different rules may
  // overlap. One case-insensitive pass over text finds the rules whose keywords occur; only
  // those rules' regexes run. extra_seen, when given, gets one entry per extra keyword: whether
  // it occurs in text, found in that same pass. Safe to call from many threads at once.
  std::vector<TokenMatch> Scan(std::string_view text,
                               std::vector<bool>* extra_seen = nullptr) const;

  const std::vector<Rule>& rules() const { return rules_; }

 private:
  TokenScanner() = default;

  // rules_[i]'s regex, compiled once on first use (safe from many threads).
  const re2::RE2& Regex(std::size_t i) const;

  std::vector<Rule> rules_;
  mutable std::vector<std::unique_ptr<re2::RE2>> regexes_;  // parallel to rules_, filled by Regex
  std::unique_ptr<std::once_flag[]> compiled_;              // parallel to rules_
  std::unique_ptr<KeywordFilter> keywords_;                 // every ASCII keyword of every rule
  std::vector<std::size_t> keyword_to_rule_;                // keywords_ index -> rule index
  std::size_t extra_count_ = 0;  // the extra keywords, last in keywords_ (after the rules')
  // Rules with a non-ASCII keyword, whose case folding is Unicode's: one RE2 set pattern each.
  std::unique_ptr<re2::RE2::Set> unicode_set_;
  std::vector<std::size_t> set_to_rule_;  // unicode_set_ index -> rule index
  std::vector<std::size_t> always_;       // rules with no keywords
};

// Parses a user rule file:
//   rules:
//     - id: acme-key            # required
//       description: ...        # optional
//       regex: 'acme_[0-9a-f]{32}'  # required, RE2 syntax
//       keywords: [acme_]       # optional, lowercased on load
//       entropy: 3.5            # optional, >= 0
//       severity: warning       # optional, default error
// Returns InvalidArgument "line N: ..." for an unknown key, a missing or mistyped field, or a
// YAML error; "rule 'ID': invalid regex: ..." for a regex RE2 refuses. Does no I/O.
Result<std::vector<Rule>> ParseRuleFile(std::string_view yaml_text);

}  // namespace capstan::secrets
