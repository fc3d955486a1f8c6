// Runs a short-lived helper program (git credential, docker-credential-*) with its input on
// stdin and captures its stdout, bounded in time and size. Used where capstan must speak a
// helper protocol; never through a shell.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace capstan {

struct SubprocessOptions {
  std::vector<std::string> argv;  // argv[0]: an absolute path, or a name searched in PATH
  bool search_path = false;       // look argv[0] up in the parent's PATH (posix_spawnp)
  // The child's whole environment as "NAME=value"; empty = the parent's environment.
  std::vector<std::string> env;
  std::string input;  // written to stdin, which is then closed
  std::chrono::milliseconds timeout{30000};
  std::size_t max_output = 1u << 20;
};

struct SubprocessResult {
  int exit_code = -1;  // -1 when it died by a signal
  int signal = 0;      // the signal, when it died by one
  std::string output;  // stdout; stderr is discarded (it may hold secrets)
};

// Runs the program to completion. stdin is a socket, so a child that exits before reading does
// not raise SIGPIPE here. Fails with kIoError "cannot run <argv[0]>: <why>" when it cannot be
// started, kTimeout when it runs past the timeout and kLimitExceeded when it writes more than
// max_output bytes (it is killed in both cases). A non-zero exit is a result, not a failure.
Result<SubprocessResult> RunSubprocess(const SubprocessOptions& options);

// The directories of a PATH value, in order; an empty entry is "." as for execvp.
std::vector<std::string> SplitSearchPath(std::string_view path);

}  // namespace capstan
