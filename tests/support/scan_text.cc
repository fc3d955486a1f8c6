#include "support/scan_text.h"

#include <cstdlib>
#include <iostream>

#include "secrets/builtin_rules.h"

namespace capstan::testing {

const secrets::Scanner& BuiltinScanner() {
  static const secrets::Scanner scanner = [] {
    auto s = secrets::Scanner::Create(secrets::BuiltinRules());
    if (!s.ok()) {
      std::cerr << "the built-in rules do not compile: " << s.status().message() << "\n";
      std::abort();
    }
    return std::move(*s);
  }();
  return scanner;
}

secrets::FileScan ScanText(std::string_view name, std::string_view text, secrets::Payload payload) {
  return BuiltinScanner().Scan(secrets::FileInput{name, text, payload});
}

std::vector<std::string> Where(const secrets::FileScan& scan, bool with_severity) {
  std::vector<std::string> out;
  for (const auto& f : scan.findings) {
    std::string w = f.finding.rule + "@" + std::to_string(f.finding.line) + ":" +
                    std::to_string(f.finding.column);
    if (with_severity) w += std::string(":") + report::SeverityName(f.finding.severity);
    out.push_back(std::move(w));
  }
  return out;
}

}  // namespace capstan::testing
