// libFuzzer target: git's index file, which capstan reads itself (git/index_file.h).
// Properties: every entry has a 20-byte object id and a stage of 0-3 (ASan checks that its views
// stay inside what was read), and reading without the cache tree gives the same entries.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "git/index_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using capstan::git::ParseIndexFile;
  std::string bytes(capstan::fuzz::AsText(data, size));
  auto index = ParseIndexFile(bytes);
  auto entries_only = ParseIndexFile(bytes, /*cache_tree=*/false);
  if (!index.ok()) return 0;
  CAPSTAN_FUZZ_CHECK(entries_only.ok());
  CAPSTAN_FUZZ_CHECK(entries_only->entries.size() == index->entries.size());
  for (std::size_t i = 0; i < index->entries.size(); ++i) {
    const auto& e = index->entries[i];
    CAPSTAN_FUZZ_CHECK(e.oid.size() == 20);
    CAPSTAN_FUZZ_CHECK(e.path == entries_only->entries[i].path);
    CAPSTAN_FUZZ_CHECK(e.stage >= 0 && e.stage <= 3);
  }
  return 0;
}
