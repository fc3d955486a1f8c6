#include "report/finding.h"

#include <algorithm>
#include <cstdint>
#include <tuple>

namespace capstan::report {

const char* SeverityName(Severity s) {
  switch (s) {
    case Severity::kNote:
      return "note";
    case Severity::kWarning:
      return "warning";
    case Severity::kError:
      return "error";
  }
  return "error";
}

bool ParseSeverity(std::string_view s, Severity* out) {
  for (Severity candidate : {Severity::kError, Severity::kWarning, Severity::kNote}) {
    if (s == SeverityName(candidate)) {
      *out = candidate;
      return true;
    }
  }
  return false;
}

std::string Fingerprint(const Finding& f) {
  constexpr uint64_t kOffsetBasis = 14695981039346656037ull;
  constexpr uint64_t kPrime = 1099511628211ull;
  uint64_t hash = kOffsetBasis;
  auto mix = [&hash](unsigned char byte) {
    hash ^= byte;
    hash *= kPrime;
  };
  const std::string* fields[] = {&f.rule,          &f.file,        &f.resource.api_version,
                                 &f.resource.kind, &f.resource.ns, &f.resource.name,
                                 &f.path,          &f.message};
  bool first = true;
  for (const std::string* field : fields) {
    // The separator keeps ("ab", "c") and ("a", "bc") apart.
    if (!first) mix(0);
    first = false;
    for (char c : *field) mix(static_cast<unsigned char>(c));
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i) {
    out[i] = kHex[hash & 0xf];
    hash >>= 4;
  }
  return out;
}

void Finalize(Report& report) {
  std::stable_sort(report.findings.begin(), report.findings.end(),
                   [](const Finding& a, const Finding& b) {
                     return std::tie(a.file, a.line, a.column, a.rule, a.message) <
                            std::tie(b.file, b.line, b.column, b.rule, b.message);
                   });
  report.summary.errors = report.summary.warnings = report.summary.notes = 0;
  for (Finding& f : report.findings) {
    if (f.fingerprint.empty()) f.fingerprint = Fingerprint(f);
    switch (f.severity) {
      case Severity::kError:
        ++report.summary.errors;
        break;
      case Severity::kWarning:
        ++report.summary.warnings;
        break;
      case Severity::kNote:
        ++report.summary.notes;
        break;
    }
  }
}

}  // namespace capstan::report
