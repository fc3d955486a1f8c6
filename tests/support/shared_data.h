// The reference data beside the repository (../shared: the corpus of real GitOps repositories,
// the Kubernetes OpenAPI spec, CRDs, the SARIF schema, the semver vectors). A clone on its own
// has none of it, and its test run must still be green: the tests that read it skip themselves
// then. CI sets CAPSTAN_REQUIRE_SHARED_DATA (.ci/run), which turns each skip into a failure.
#pragma once

#include <string>

namespace capstan::testing {

// Call first in a test that reads ../shared/<relative>, and return when it answers false:
//   if (!capstan::testing::RequireSharedData("corpus")) return;
// True when CAPSTAN_SHARED_DIR/<relative> exists. Otherwise, with CAPSTAN_REQUIRE_SHARED_DATA
// set in the environment, fails the test; without it prints the one line
//   skipped: ../shared/<relative> is missing (see README: reference data)
// which CTest's SKIP_REGULAR_EXPRESSION (tests/CMakeLists.txt) reports as a skipped test, and
// answers false.
bool RequireSharedData(const std::string& relative);

}  // namespace capstan::testing
