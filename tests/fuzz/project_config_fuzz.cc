// libFuzzer target: .capstan.yaml, as every tool reads it: checked against the config schema
// (tools/common/config_file.h), then the images and registries capstan-watch reads from it,
// whether or not the check passed (the parser must not rely on it).
#include <cstddef>
#include <cstdint>

#include "common/config_file.h"
#include "fuzz_support.h"
#include "policy/sources.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text = capstan::fuzz::AsText(data, size);
  (void)capstan::tools::CheckConfigText(".capstan.yaml", text);
  (void)capstan::policy::ParseProjectConfig(".capstan.yaml", text);
  return 0;
}
