// Runs a built capstan tool with one file-system call failed (or the process killed there),
// through the LD_PRELOAD library of tests/faults/fault_inject.cc: the fault and kill tests of the
// write paths (issue 19) sweep every call a command makes, one failure or kill per run.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "support/shell.h"

namespace capstan::testing {

// The path of the fault library in this build.
std::string FaultLibrary();

// Runs `command` with /bin/sh in dir under the fault library, counting calls under root, with
// `fault` ("write:3:ENOSPC"; "" for none) and, when log is not empty, every counted call
// appended to it.
ShellResult RunWithFault(const std::string& dir, const std::string& root, const std::string& fault,
                         const std::string& command, const std::string& log = "");

// How many calls of each kind (open, write, fsync, rename, mkdir; send when the command sets
// CAPSTAN_FAULT_SENDS=1) `command` makes under root when nothing fails, read from a log file at
// log_path. REQUIREs the run to exit 0. A kill sweep kills at each of their sum in turn
// ("kill:1", "kill:2", ...).
std::map<std::string, int> CountFaultableCalls(const std::string& dir, const std::string& root,
                                               const std::string& command,
                                               const std::string& log_path);

// One fault per counted call: "open:1:ENOSPC", "open:2:EIO", ..., the error rotating over
// ENOSPC, EIO and EACCES, and every fourth write a short write.
std::vector<std::string> FaultPlan(const std::map<std::string, int>& counts);

// Files a failed write may leave behind under dir: capstan's temporary files
// (*.capstan-tmp-*), git's locks (*.lock) and libgit2's temporary objects (tmp_object*).
std::vector<std::string> Leftovers(const std::string& dir);

// "41 runs: open 12, rename 5, write 24", for a WARN line with the sweep's figures.
std::string DescribePlan(const std::map<std::string, int>& counts);

// The last line of output, without its newline.
std::string LastLine(const std::string& output);

}  // namespace capstan::testing
