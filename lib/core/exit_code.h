// Process exit codes, the same for every tool (DESIGN.md "Errors and exit codes").
#pragma once

#include "core/status.h"

namespace capstan {

enum ExitCode : int {
  kExitClean = 0,      // nothing at or above the failing severity
  kExitFindings = 1,   // findings at or above --fail-on (default: error)
  kExitUsage = 2,      // usage or configuration error
  kExitCannotRun = 3,  // I/O, git, network or auth failure: the check did not happen
  kExitTimeout = 4,    // a deadline passed (sync, watch)
};

// Maps a failed Status to the exit code a CI gate should see. Never returns kExitClean or
// kExitFindings: a failure to run must never read as clean.
inline int ExitCodeFor(const Status& s) {
  switch (s.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
      return kExitUsage;
    case StatusCode::kTimeout:
      return kExitTimeout;
    default:
      return kExitCannotRun;
  }
}

// The text block every tool's --help ends with.
inline constexpr const char* kExitCodeHelp =
    "exit codes:\n"
    "  0  clean: nothing at or above the failing severity\n"
    "  1  findings at or above --fail-on (default: error)\n"
    "  2  usage or configuration error\n"
    "  3  could not run: I/O, git, network or authentication failure\n"
    "  4  timeout\n";

}  // namespace capstan
