// Runs a tool's Run() in-process, the way main() would, over the real file system with a chosen
// working directory and stdin, and captures what it prints.
#pragma once

#include <functional>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "core/env.h"

namespace capstan::testing {

struct ToolResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

using RunFn = std::function<int(Env&, std::span<const std::string>)>;

// `fs` overrides the real file system and `http` sets Env::http (for fault injection) when
// non-null.
ToolResult RunTool(const RunFn& run, std::vector<std::string> args, const std::string& cwd,
                   const std::string& stdin_text = "", FileSystem* fs = nullptr,
                   HttpClient* http = nullptr);

// Everything RunTool sets, for runs that need more: a test clock (a ManualClock shared with a
// fake server) and environment variables (Env::getenv answers only these).
struct ToolRun {
  std::vector<std::string> args;
  std::string cwd;
  std::string stdin_text;
  FileSystem* fs = nullptr;
  HttpClient* http = nullptr;
  Clock* clock = nullptr;  // nullptr: the system clock
  std::map<std::string, std::string> environment;
};
ToolResult RunTool(const RunFn& run, const ToolRun& options);

// Splits text into lines (without the newline characters).
std::vector<std::string> Lines(const std::string& text);

}  // namespace capstan::testing
