// libFuzzer target: a user rule file (capstan-scan --rules), and, when it compiles, a scanner of
// the built-in rules and those over the input text itself.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.h"
#include "secrets/builtin_rules.h"
#include "secrets/scanner.h"
#include "secrets/token_rules.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace capstan::secrets;
  std::string_view text = capstan::fuzz::AsText(data, size);
  auto rules = ParseRuleFile(text);
  if (!rules.ok()) return 0;
  std::vector<Rule> all = BuiltinRules();
  all.insert(all.end(), rules->begin(), rules->end());
  if (auto scanner = Scanner::Create(std::move(all)); scanner.ok())
    (void)scanner->Scan({"rules.yaml", text});
  return 0;
}
