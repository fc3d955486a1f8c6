// Internal to lib/secrets (scanner.cc, stream_scan.cc), not for use elsewhere: how a token
// rule's match reads as a finding, and the inline suppression marker.
#pragma once

#include <string>
#include <string_view>

#include "report/finding.h"
#include "secrets/token_rules.h"

namespace capstan::secrets::internal {

struct TokenVerdict {
  std::string message;  // "<rule description> (<RedactedHint>)[; low confidence: ...]"
  report::Severity severity = report::Severity::kError;
};

// The message and severity of a match of one of tokens' rules; `secret` is the matched text.
// Low-confidence matches are at most warnings.
TokenVerdict DescribeTokenMatch(const TokenScanner& tokens, const TokenMatch& match,
                                std::string_view secret);

}  // namespace capstan::secrets::internal
