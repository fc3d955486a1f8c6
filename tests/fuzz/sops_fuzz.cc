// libFuzzer target: the SOPS classifier, on every YAML document of the input and on the input
// as a dotenv file, and the per-value check on each line.
// Property: a document is kBroken exactly when it has problems, and IsSopsValue agrees with
// SopsValueProblem on every line.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.h"
#include "secrets/sops.h"
#include "yaml/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using capstan::secrets::SopsState;
  std::string_view text = capstan::fuzz::AsText(data, size);
  for (const auto& doc : capstan::yaml::Parse(text).documents) {
    auto verdict = capstan::secrets::VerifySops(doc);
    CAPSTAN_FUZZ_CHECK((verdict.state == SopsState::kBroken) == !verdict.problems.empty());
  }
  auto dotenv = capstan::secrets::VerifySopsDotenv(text);
  CAPSTAN_FUZZ_CHECK((dotenv.state == SopsState::kBroken) == !dotenv.problems.empty());
  for (std::string_view rest = text; !rest.empty();) {
    auto [line, after] = capstan::fuzz::FirstLine(rest);
    CAPSTAN_FUZZ_CHECK(capstan::secrets::IsSopsValue(line) ==
                       !capstan::secrets::SopsValueProblem(line).has_value());
    rest = after;
  }
  return 0;
}
