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

// A /bin/sh script started in the background with RunShell's environment, for tests that
// signal a long-running program: end the script with `exec program ...` and pid() is the
// program's. Unlike `&` in a shell script, which starts a job with SIGINT ignored, it starts
// with SIGTERM and SIGINT at their default action and unblocked, stdin from /dev/null and
// stdout and stderr appended to log_path. Fails the test when it cannot be started; the
// destructor kills (SIGKILL) and reaps it when it still runs.
class BackgroundShell {
 public:
  BackgroundShell(const std::string& dir, const std::string& script, const std::string& log_path);
  ~BackgroundShell();
  BackgroundShell(const BackgroundShell&) = delete;
  BackgroundShell& operator=(const BackgroundShell&) = delete;

  int pid() const { return pid_; }
  // Sends sig to the process (not to its children).
  void Signal(int sig) const;
  // Waits up to `timeout_ms` for the process to end. Returns its status as a shell reports it
  // (the exit code, or 128 + the signal that ended it), -1 when it still runs.
  int Wait(int timeout_ms);
  // What it wrote so far.
  std::string log() const;

 private:
  int pid_ = -1;
  int status_ = -1;
  std::string log_path_;
};

// core/strings.h's, for the tests that spell it testing::ShellQuote.
using ::capstan::ShellQuote;

}  // namespace capstan::testing
