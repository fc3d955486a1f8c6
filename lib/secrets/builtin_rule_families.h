// Internal to lib/secrets: the built-in credential rules, one function per issuer family
// (builtin_rules_<family>.cc), and what those files share: the rule constructor, the regex tails
// that end a token, and the verifiers more than one family uses. BuiltinRules() concatenates the
// families. Not for use outside lib/secrets.
//
// Every built-in rule is written from the issuer's published token format and has keywords that
// are literal, lowercase substrings of every text its regex can match (in practice the token's
// fixed prefix), so the keyword prefilter never skips a text the regex would match and a text
// without any keyword costs nothing beyond the prefilter pass.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "secrets/token_rules.h"

namespace capstan::secrets::internal {

Rule MakeRule(std::string id, std::string description, std::string regex,
              std::vector<std::string> keywords, Verifier verify = nullptr, double min_entropy = 0,
              std::string severity = "error");

// Regex tails: the token ends at the end of the text or at a character outside its alphabet.
// RE2's \b cannot end tokens whose alphabet holds '-' (a '-' is not a word character).
inline const std::string kEndAlnum = R"((?:[^A-Za-z0-9]|$))";
inline const std::string kEndToken = R"((?:[^A-Za-z0-9_-]|$))";      // [A-Za-z0-9_-] tokens
inline const std::string kEndBase64 = R"((?:[^A-Za-z0-9+/=_-]|$))";  // base64 of either alphabet

// A token carrying GitHub's checksum (prefix, 30 chars, base62 CRC32 of those 30 in the last 6):
// high confidence when it holds, low otherwise (a hand-edited or truncated real token still
// deserves a look). GitHub and npm tokens.
std::optional<Confidence> VerifyGithubStyleChecksum(std::string_view token);

// Low confidence for every match (formats too generic to be sure of).
std::optional<Confidence> VerifyLow(std::string_view token);

// True when b64 (standard or URL-safe alphabet, padding optional) decodes to a JSON object that
// has every one of keys.
bool Base64JsonHasKeys(std::string_view b64, std::initializer_list<std::string_view> keys);

std::vector<Rule> SourceHostingRules();  // code hosting, CI/CD, package registries
std::vector<Rule> CloudRules();          // cloud and hosting providers
std::vector<Rule> AiRules();             // AI model APIs
std::vector<Rule> SaasRules();           // messaging, payments, productivity services
std::vector<Rule> OpsRules();            // secrets managers, infrastructure as code, monitoring
std::vector<Rule> KeyRules();            // private keys and signed tokens of any issuer

}  // namespace capstan::secrets::internal
