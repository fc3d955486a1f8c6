#include <iostream>

#include "common/cli.h"
#include "common/real_env.h"
#include "git/repository.h"
#include "watch/stop_signal.h"
#include "watch/watch.h"

int main(int argc, char** argv) {
  capstan::tools::RealEnv real;
  real.env.open_repository = capstan::git::Repository::Discover;
  auto args = capstan::tools::Args(argc, argv);
  auto stop = capstan::tools::watch::StopSignal::Install();
  if (!stop.ok()) {
    std::cerr << "capstan-watch: warning: " << stop.status().message() << "\n";
    return capstan::tools::RunWatch(real.env, args);
  }
  return capstan::tools::RunWatchStoppedBy(real.env, args, **stop);
}
