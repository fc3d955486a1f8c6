#include "secrets/token_finding.h"

#include "secrets/redact.h"

namespace capstan::secrets::internal {

TokenVerdict DescribeTokenMatch(const TokenScanner& tokens, const TokenMatch& match,
                                std::string_view secret) {
  const Rule* rule = nullptr;
  for (const Rule& r : tokens.rules())
    if (r.id == match.rule_id) rule = &r;
  TokenVerdict v;
  report::ParseSeverity(match.severity, &v.severity);
  std::string what =
      rule != nullptr && !rule->description.empty() ? rule->description : match.rule_id;
  v.message = what + " (" + RedactedHint(secret) + ")";
  if (match.confidence == Confidence::kLow) {
    v.message += "; low confidence: it may be a sample value";
    v.severity = std::min(v.severity, report::Severity::kWarning);
  }
  return v;
}

}  // namespace capstan::secrets::internal
