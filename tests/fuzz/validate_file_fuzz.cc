// libFuzzer target: one file's bytes through everything capstan-validate does to it (encoding
// check, YAML parse, classification, JSON conversion, schema validation with the embedded
// schemas). Any crash, sanitizer report or hang is a bug: bad input must become a finding.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fs/posix_file_system.h"
#include "k8s/validator.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static capstan::fs::PosixFileSystem fs;
  static auto registry = capstan::k8s::SchemaRegistry::Create({}, fs);
  static capstan::k8s::FileValidator validator(**registry, {});
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)validator.Validate("fuzz.yaml", text);
  (void)validator.Validate("kustomization.yaml", text);
  return 0;
}
