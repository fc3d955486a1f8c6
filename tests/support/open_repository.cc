#include "support/open_repository.h"

#include <catch2/catch.hpp>

namespace capstan::testing {

std::unique_ptr<git::Repository> OpenRepository(const std::string& path) {
  Result<std::unique_ptr<git::Repository>> repo = git::Repository::Discover(path);
  INFO(repo.status().message());
  REQUIRE(repo.ok());
  return std::move(*repo);
}

}  // namespace capstan::testing
