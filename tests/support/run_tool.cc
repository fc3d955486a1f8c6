#include "support/run_tool.h"

#include <sstream>

#include "common/real_env.h"
#include "core/system_clock.h"
#include "fs/posix_file_system.h"
#include "git/repository.h"

namespace capstan::testing {

ToolResult RunTool(const RunFn& run, std::vector<std::string> args, const std::string& cwd,
                   const std::string& stdin_text, FileSystem* fs, HttpClient* http) {
  ToolRun options;
  options.args = std::move(args);
  options.cwd = cwd;
  options.stdin_text = stdin_text;
  options.fs = fs;
  options.http = http;
  return RunTool(run, options);
}

ToolResult RunTool(const RunFn& run, const ToolRun& options) {
  fs::PosixFileSystem real_fs;
  SystemClock clock;
  std::istringstream in(options.stdin_text);
  std::ostringstream out, err;
  Env env;
  env.fs = options.fs != nullptr ? options.fs : &real_fs;
  env.clock = options.clock != nullptr ? options.clock : &clock;
  env.http = options.http;
  env.in = &in;
  env.out = &out;
  env.err = &err;
  env.cwd = options.cwd;
  const std::map<std::string, std::string>& vars = options.environment;
  env.getenv = [&vars](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
  env.open_repository = git::Repository::Discover;
  env.run_subprocess = tools::RunWithProcessEnvironment;
  ToolResult r;
  r.exit_code = run(env, options.args);
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
