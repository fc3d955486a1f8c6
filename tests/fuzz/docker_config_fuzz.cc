// libFuzzer target: a docker config.json (the input after its first line), and looking
// registries up in it; a credential helper, never a process here, answers with the first line.
// Property: a lookup never fails for a config without helpers.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "registry/docker_config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace capstan::registry;
  auto [reply, json] = capstan::fuzz::FirstLine(capstan::fuzz::AsText(data, size));
  auto config = ParseDockerConfig(json);
  if (!config.ok()) return 0;
  HelperRunner run = [reply = std::string(reply)](
                         const std::string&, const std::string&) -> capstan::Result<std::string> {
    return reply;
  };
  for (const char* host : {"docker.io", "ghcr.io", "localhost:5000", "registry.example"}) {
    auto found = LookUp(*config, host, run);
    if (config->cred_helpers.empty() && config->creds_store.empty()) CAPSTAN_FUZZ_CHECK(found.ok());
  }
  for (const auto& [host, credential] : config->auths) (void)LookUp(*config, host, run);
  return 0;
}
