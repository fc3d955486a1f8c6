// Runs a short-lived helper program (git credential, docker-credential-*) with its input on
// stdin and captures its stdout, bounded in time and size. Used where capstan must speak a
// helper protocol; never through a shell. lib/ code runs helpers through the SubprocessRunner it
// is given (Env::run_subprocess), never RunSubprocess directly: only the runner knows the
// process's environment.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace capstan {

struct SubprocessOptions {
  std::vector<std::string> argv;  // argv[0]: an absolute path, or a name searched in PATH
  bool search_path = false;       // look argv[0] up in the parent's PATH (posix_spawnp)
  // Changes to the base environment the child gets (the real runner's base: the process's own
  // environment), applied in order: "NAME=value" sets NAME, "NAME" alone removes it.
  std::vector<std::string> env_changes;
  std::string input;  // written to stdin, which is then closed
  std::chrono::milliseconds timeout{30000};
  std::size_t max_output = 1u << 20;
};

struct SubprocessResult {
  int exit_code = -1;  // -1 when it died by a signal
  int signal = 0;      // the signal, when it died by one
  std::string output;  // stdout; stderr is discarded (it may hold secrets)
};

// Runs the program to completion, its environment `base_environment` ("NAME=value" entries)
// with options.env_changes applied. A search_path lookup uses the calling process's PATH. stdin is
// a socket, so a child that exits before reading does not raise SIGPIPE here. Fails with kIoError
// "cannot run <argv[0]>: <why>" when it cannot be started, kTimeout when it runs past the timeout
// and kLimitExceeded when it writes more than max_output bytes (it is killed in both cases). A
// non-zero exit is a result, not a failure.
Result<SubprocessResult> RunSubprocess(const SubprocessOptions& options,
                                       const std::vector<std::string>& base_environment);

// Runs a program as RunSubprocess does, over an environment the runner chooses. Env carries the
// one a tool uses; tests may record or fake the calls.
using SubprocessRunner = std::function<Result<SubprocessResult>(const SubprocessOptions&)>;

// `base` ("NAME=value" entries) with `changes` applied as SubprocessOptions::env_changes says;
// a set variable keeps its place, a new one is appended.
std::vector<std::string> ApplyEnvironmentChanges(std::vector<std::string> base,
                                                 const std::vector<std::string>& changes);

// The directories of a PATH value, in order; an empty entry is "." as for execvp.
std::vector<std::string> SplitSearchPath(std::string_view path);

}  // namespace capstan
