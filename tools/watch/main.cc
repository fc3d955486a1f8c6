#include "common/cli.h"
#include "common/real_env.h"
#include "watch/watch.h"

int main(int argc, char** argv) {
  capstan::tools::RealEnv real;
  auto args = capstan::tools::Args(argc, argv);
  return capstan::tools::RunWatch(real.env, args);
}
