// The secret scanner with the built-in rules, for unit tests that judge one text at a time.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "secrets/scanner.h"

namespace capstan::testing {

// One Scanner over BuiltinRules(), created on first use and shared.
const secrets::Scanner& BuiltinScanner();

// BuiltinScanner().Scan of text reported as name.
secrets::FileScan ScanText(std::string_view name, std::string_view text,
                           secrets::Payload payload = secrets::Payload::kNone);

// "rule@line:col" for each finding, in order; with_severity appends ":error" etc.
std::vector<std::string> Where(const secrets::FileScan& scan, bool with_severity = false);

}  // namespace capstan::testing
