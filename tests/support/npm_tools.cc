#include "support/npm_tools.h"

#include <unistd.h>

#include <catch2/catch.hpp>

namespace capstan::testing {

std::string NpmTool(const std::string& name) {
  std::string path = std::string(CAPSTAN_SOURCE_DIR) + "/tests/npm/node_modules/.bin/" + name;
  if (access(path.c_str(), X_OK) == 0) return path;
  FAIL_CHECK(path + " is missing: run scripts/dev test, or npm ci in tests/npm");
  return "";
}

}  // namespace capstan::testing
