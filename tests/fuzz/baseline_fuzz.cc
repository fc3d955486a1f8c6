// libFuzzer target: a baseline file (capstan-scan --baseline).
// Property: what Parse accepts, Serialize writes back as a baseline that parses to the same text.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.h"
#include "secrets/baseline.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using capstan::secrets::Baseline;
  auto baseline = Baseline::Parse(capstan::fuzz::AsText(data, size));
  if (!baseline.ok()) return 0;
  std::string text = baseline->Serialize();
  auto again = Baseline::Parse(text);
  CAPSTAN_FUZZ_CHECK(again.ok());
  CAPSTAN_FUZZ_CHECK(again->Serialize() == text);
  return 0;
}
