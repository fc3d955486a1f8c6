// Runs real programs through /bin/sh for tests that drive git hooks, pre-commit and the built
// capstan binaries end to end (STYLE 9).
#pragma once

#include <string>

#include "core/strings.h"

namespace capstan::testing {

struct ShellResult {
  int exit_code = -1;  // -1 when the shell did not exit normally
  std::string output;  // stdout and stderr, interleaved as written
};

// Runs `script` with /bin/sh in `dir`, with git's author, committer and dates fixed (as RunGit
// does) and system and global git configuration off, exported to everything the script
// starts. Never fails the test itself: the caller checks exit_code.
ShellResult RunShell(const std::string& dir, const std::string& script);

// core/strings.h's, for the tests that spell it testing::ShellQuote.
using ::capstan::ShellQuote;

}  // namespace capstan::testing
