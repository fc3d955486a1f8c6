#include "support/shared_data.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <iostream>

namespace capstan::testing {

bool RequireSharedData(const std::string& relative) {
  if (std::filesystem::exists(std::filesystem::path(CAPSTAN_SHARED_DIR) / relative)) return true;
  const std::string shown = "../shared/" + relative;
  if (std::getenv("CAPSTAN_REQUIRE_SHARED_DATA") != nullptr) {
    FAIL(
        shown << " is missing and CAPSTAN_REQUIRE_SHARED_DATA is set (see README: reference data)");
  }
  std::cout << "skipped: " << shown << " is missing (see README: reference data)" << std::endl;
  return false;
}

}  // namespace capstan::testing
