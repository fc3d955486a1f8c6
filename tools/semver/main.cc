#include "common/cli.h"
#include "common/real_env.h"
#include "semver/semver.h"

int main(int argc, char** argv) {
  capstan::tools::RealEnv real;
  auto args = capstan::tools::Args(argc, argv);
  return capstan::tools::RunSemver(real.env, args);
}
