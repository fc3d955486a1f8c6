// What the fuzz targets share: the property check and ways to cut one input into several.
// Every target defines LLVMFuzzerTestOneInput; built with clang and -DCAPSTAN_FUZZ=ON it runs
// under libFuzzer, otherwise replay_main.cc feeds it its seed corpus (tests/fuzz/seeds/<target>/)
// as a CTest, so the targets build and their seeds pass in every CI run.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace capstan::fuzz {

// A property that must hold for every input: when it does not, say which and abort, which
// libFuzzer records as a crash (and replay as a failed test).
#define CAPSTAN_FUZZ_CHECK(cond)                                                         \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      std::fprintf(stderr, "%s:%d: property violated: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (0)

inline std::string_view AsText(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The text before the first '\n' (all of it when there is none), and what follows it.
struct Split {
  std::string_view head;
  std::string_view rest;
};
inline Split FirstLine(std::string_view text) {
  std::size_t nl = text.find('\n');
  if (nl == std::string_view::npos) return {text, {}};
  return {text.substr(0, nl), text.substr(nl + 1)};
}

}  // namespace capstan::fuzz
