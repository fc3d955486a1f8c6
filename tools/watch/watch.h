// capstan-watch: watches container registries for new tags that the repository's policies allow
// and commits them back to Git, one commit per cycle, never force-pushed.
#pragma once

#include <span>
#include <string>

#include "common/config_file.h"
#include "core/env.h"

namespace capstan::tools {

// Runs capstan-watch with args (argv without the program name). Returns the exit code of the
// last cycle: 0 fine (updated or nothing to do); 1 a policy could not be used (a bad annotation,
// an edit refused); 2 usage or configuration error; 3 a registry, network, git or
// authentication failure (the other images still updated).
int RunWatch(Env& env, std::span<const std::string> args);

namespace watch {
class StopSignal;  // watch/stop_signal.h
}

// RunWatch, ended early by `stop` (main.cc's, catching SIGTERM and SIGINT): a stop that comes
// during a cycle lets it finish, its push included, and returns its exit code; one that comes
// while waiting between cycles (on the real clock, not env.clock) returns 0 at once. Either
// way the metrics server is closed first.
int RunWatchStoppedBy(Env& env, std::span<const std::string> args, watch::StopSignal& stop);

// capstan-watch's section of .capstan.yaml: every flag but those that say where and how one run
// goes (--repo, --once, --interval, --cycles, --dry-run, --metrics-addr).
ConfigSection WatchConfigSection();

}  // namespace capstan::tools
