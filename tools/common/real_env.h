// Builds the real Env a tool's main() hands to its Run(): POSIX files, the system clock,
// the process's stdio and environment, helper programs run over that environment. A tool that
// opens git repositories also sets env.open_repository = git::Repository::Discover in its main,
// so the tools that never do carry no libgit2.
#pragma once

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "core/env.h"
#include "core/subprocess.h"
#include "core/system_clock.h"
#include "fs/posix_file_system.h"

namespace capstan::tools {

// The process's environment as "NAME=value" entries, read from `environ` now.
std::vector<std::string> ProcessEnvironment();

// RunSubprocess over ProcessEnvironment() as it is at each call: the real Env::run_subprocess.
Result<SubprocessResult> RunWithProcessEnvironment(const SubprocessOptions& options);

struct RealEnv {
  fs::PosixFileSystem fs;
  SystemClock clock;
  Env env;

  RealEnv() {
    env.fs = &fs;
    env.clock = &clock;
    env.in = &std::cin;
    env.out = &std::cout;
    env.err = &std::cerr;
    env.getenv = [](std::string_view name) -> std::optional<std::string> {
      const char* v = std::getenv(std::string(name).c_str());
      if (v == nullptr) return std::nullopt;
      return std::string(v);
    };
    env.run_subprocess = RunWithProcessEnvironment;
  }
};

}  // namespace capstan::tools
