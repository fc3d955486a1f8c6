// Opening the test's git repository through lib/git, failing the test when it cannot.
#pragma once

#include <memory>
#include <string>

#include "git/repository.h"

namespace capstan::testing {

// Repository::Discover(path); fails the test (REQUIRE) when it does not succeed.
std::unique_ptr<git::Repository> OpenRepository(const std::string& path);

}  // namespace capstan::testing
