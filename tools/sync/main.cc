#include "common/cli.h"
#include "common/real_env.h"
#include "git/repository.h"
#include "sync/sync.h"

int main(int argc, char** argv) {
  capstan::tools::RealEnv real;
  real.env.open_repository = capstan::git::Repository::Discover;
  auto args = capstan::tools::Args(argc, argv);
  return capstan::tools::RunSync(real.env, args);
}
