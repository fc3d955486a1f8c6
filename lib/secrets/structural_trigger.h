// Internal to lib/secrets: whether a YAML file's text could hold something a structural rule
// reports, so that Scanner::Scan parses only those files. Not for use outside lib/secrets.
//
// A manifest could when it holds a Secret-like kind or a kubeconfig, SOPS metadata, a
// secretGenerator, or an env item whose secret-looking name sits next to a literal `value:` (the
// same or the next line, either order: block, flow and JSON style). Workloads that only reference
// Secrets (secretKeyRef, valueFrom, secretName) do not, which is most of a real repository's
// Deployments. A Helm values file could when any key could look secret (LooksSecretName's words).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "secrets/keyword_filter.h"

namespace re2 {
class RE2;
}

namespace capstan::secrets::internal {

// The triggers, RE2 syntax (exposed for tests).
extern const char kManifestTrigger[];
extern const char kValuesTrigger[];

class StructuralTrigger {
 public:
  StructuralTrigger();
  ~StructuralTrigger();

  // True when the trigger regex for the file's kind (values_file: kValuesTrigger, otherwise
  // kManifestTrigger) matches text. A text without the literals every match needs is answered
  // without the regex. The regexes and the literal filter this overload searches with are
  // built on first use, so a caller that only passes `seen` never builds the filter. Safe from
  // many threads at once.
  bool Matches(std::string_view text, bool values_file) const;
  // The same, given which of Literals() occur in text (found by a pass the caller makes anyway:
  // TokenScanner::Scan's extra keywords), so the text is not searched for them again.
  bool Matches(std::string_view text, bool values_file, const std::vector<bool>& seen) const;

  // The literals without which no trigger can match, lowercase ASCII.
  static std::vector<std::string> Literals();

 private:
  struct Lazy {
    std::once_flag once;
    std::unique_ptr<re2::RE2> regex;
  };
  const re2::RE2& Regex(bool values_file) const;

  mutable std::once_flag literals_once_;
  mutable std::unique_ptr<KeywordFilter> literals_;
  mutable Lazy manifest_;
  mutable Lazy values_;
};

}  // namespace capstan::secrets::internal
