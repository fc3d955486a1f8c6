// The npm tools the tests run (tests/npm/package.json: @action-validator/cli,
// @microsoft/sarif-multitool, gitlab-ci-local), which `scripts/dev test` installs with npm ci.
#pragma once

#include <string>

namespace capstan::testing {

// The path of tests/npm/node_modules/.bin/<name>, for a test to run:
//   std::string validator = capstan::testing::NpmTool("action-validator");
//   if (validator.empty()) return;
// When it is missing the test fails (the README's test command installs it, so a missing tool
// is a broken setup, never a skip) with a line naming the command that installs it, and "" is
// returned.
std::string NpmTool(const std::string& name);

}  // namespace capstan::testing
