#include "secrets/structural_trigger.h"

#include <re2/re2.h>

#include <string>
#include <vector>

namespace capstan::secrets::internal {

const char kManifestTrigger[] =
    R"((?i)kind["']?\s*:\s*["']?(?:sealed|external|clusterexternal|cluster)?secret(?:store)?\b|)"
    R"(kind["']?\s*:\s*["']?config\b|["']?\bsops["']?\s*:|secretgenerator|)"
    R"(name["']?\s*:\s*["']?[a-z0-9_.-]*(?:passw|pwd|passphrase|secret|token|credential|auth|key))"
    R"([a-z0-9_.-]*["']?[^\n]*(?:\n[^\n]*)?value["']?\s*:|)"
    R"(value["']?\s*:[^\n]*\n[^\n]*name["']?\s*:\s*["']?[a-z0-9_.-]*)"
    R"((?:passw|pwd|passphrase|secret|token|credential|auth|key))";

const char kValuesTrigger[] =
    R"((?i)secret|sops|passw|pwd|passphrase|token|credential|)"
    R"((?:api|private|access|master|encryption|signing|auth)[_.-]?key|(?:^|[^a-z])auth(?:[^a-z]|$))";

namespace {

// Literals without which a trigger cannot match. Each alternative of kManifestTrigger holds
// "secret", "config" or "sops", or both "value" and one of its name words ("passphrase" holds
// "passw"); each of kValuesTrigger holds "sops" or a name word. The filter folds case as the
// triggers' (?i) does.
enum Literal : std::size_t {
  kSecret,
  kConfig,
  kSops,
  kValue,
  kPassw,
  kPwd,
  kToken,
  kCredential,
  kAuth,
  kKey,
  kLiteralCount
};

}  // namespace

std::vector<std::string> StructuralTrigger::Literals() {
  return {"secret", "config", "sops",       "value", "passw",
          "pwd",    "token",  "credential", "auth",  "key"};
}

StructuralTrigger::StructuralTrigger() = default;
StructuralTrigger::~StructuralTrigger() = default;

const re2::RE2& StructuralTrigger::Regex(bool values_file) const {
  Lazy& lazy = values_file ? values_ : manifest_;
  std::call_once(lazy.once, [&] {
    lazy.regex = std::make_unique<RE2>(values_file ? kValuesTrigger : kManifestTrigger);
  });
  return *lazy.regex;
}

bool StructuralTrigger::Matches(std::string_view text, bool values_file) const {
  std::call_once(literals_once_, [&] { literals_ = std::make_unique<KeywordFilter>(Literals()); });
  std::vector<bool> seen(kLiteralCount, false);
  for (std::size_t i : literals_->Find(text)) seen[i] = true;
  return Matches(text, values_file, seen);
}

bool StructuralTrigger::Matches(std::string_view text, bool values_file,
                                const std::vector<bool>& seen) const {
  if (seen.size() != kLiteralCount) return RE2::PartialMatch(text, Regex(values_file));
  const bool name_word = seen[kSecret] || seen[kPassw] || seen[kPwd] || seen[kToken] ||
                         seen[kCredential] || seen[kAuth] || seen[kKey];
  const bool possible =
      values_file ? name_word || seen[kSops]
                  : seen[kSecret] || seen[kConfig] || seen[kSops] || (seen[kValue] && name_word);
  return possible && RE2::PartialMatch(text, Regex(values_file));
}

}  // namespace capstan::secrets::internal
