// Builds the real Env a tool's main() hands to its Run(): POSIX files, the system clock,
// the process's stdio and environment.
#pragma once

#include <cstdlib>
#include <iostream>

#include "core/env.h"
#include "core/system_clock.h"
#include "fs/posix_file_system.h"

namespace capstan::tools {

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
  }
};

}  // namespace capstan::tools
