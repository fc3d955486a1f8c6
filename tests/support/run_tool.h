// Runs a tool's Run() in-process, the way main() would, over the real file system with a chosen
// working directory and stdin, and captures what it prints.
#pragma once

#include <functional>
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

// Splits text into lines (without the newline characters).
std::vector<std::string> Lines(const std::string& text);

}  // namespace capstan::testing
