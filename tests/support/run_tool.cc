#include "support/run_tool.h"

#include <sstream>

#include "common/real_env.h"
#include "core/system_clock.h"
#include "fs/posix_file_system.h"
#include "git/repository.h"

namespace capstan::testing {

ToolResult RunTool(const RunFn& run, std::vector<std::string> args, const std::string& cwd,
                   const std::string& stdin_text, FileSystem* fs, HttpClient* http) {
  fs::PosixFileSystem real_fs;
  SystemClock clock;
  std::istringstream in(stdin_text);
  std::ostringstream out, err;
  Env env;
  env.fs = fs != nullptr ? fs : &real_fs;
  env.clock = &clock;
  env.http = http;
  env.in = &in;
  env.out = &out;
  env.err = &err;
  env.cwd = cwd;
  env.getenv = [](std::string_view) { return std::optional<std::string>(); };
  env.open_repository = git::Repository::Discover;
  env.run_subprocess = tools::RunWithProcessEnvironment;
  ToolResult r;
  r.exit_code = run(env, args);
  r.out = out.str();
  r.err = err.str();
  return r;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream s(text);
  for (std::string line; std::getline(s, line);) lines.push_back(line);
  return lines;
}

}  // namespace capstan::testing
