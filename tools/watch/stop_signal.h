// capstan-watch's stop: SIGTERM (a Kubernetes pod ending, `docker stop`) or SIGINT (Ctrl-C)
// asks the loop to end after the cycle that is running, its push included, so a cycle is
// never abandoned half-way by the first signal; a second signal ends the process at once.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "core/result.h"

namespace capstan::tools::watch {

class StopSignal {
 public:
  // Catches SIGTERM and SIGINT until destroyed. The first of them is recorded (signal(), and
  // Wait returns at once) and puts both back to their default action, so that a second one
  // ends the process by that signal (a shell reports 143 for SIGTERM, 130 for SIGINT) whatever
  // it is doing. A signal the process started with ignored (a shell's background job ignores
  // SIGINT) stays ignored. Handlers run on whichever thread the signal reaches and only write
  // to a pipe; they are installed with SA_RESTART. Fails with kIoError when the pipe cannot be
  // made or a handler cannot be installed (nothing is left installed then).
  // REQUIRES: one StopSignal at a time in the process.
  static Result<std::unique_ptr<StopSignal>> Install();
  // Puts back the dispositions found by Install and closes the pipe.
  ~StopSignal();
  StopSignal(const StopSignal&) = delete;
  StopSignal& operator=(const StopSignal&) = delete;

  // SIGTERM or SIGINT when one has arrived, else 0.
  int signal() const;

  // Sleeps for `d`, or less: returns true as soon as a stop signal arrives (at once when one
  // came already), false when `d` passed without one.
  bool Wait(std::chrono::milliseconds d);

 private:
  StopSignal() = default;
};

// "SIGTERM", "SIGINT", or "signal N".
std::string SignalName(int sig);

}  // namespace capstan::tools::watch
