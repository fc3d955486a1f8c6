#include "common/cli.h"

#include "core/exit_code.h"

namespace capstan::tools {

void PrintError(Env& env, std::string_view tool, std::string_view message) {
  *env.err << tool << ": error: " << message << "\n";
}

int UsageError(Env& env, std::string_view tool, std::string_view message) {
  PrintError(env, tool, message);
  *env.err << "run '" << tool << " --help' for usage\n";
  return kExitUsage;
}

int ExitCodeForReport(const report::Report& report, report::Severity fail_on) {
  for (const auto& f : report.findings)
    if (f.severity >= fail_on) return kExitFindings;
  return kExitClean;
}

std::string GitIndexFile(const Env& env) {
  if (!env.getenv) return "";
  std::optional<std::string> v = env.getenv("GIT_INDEX_FILE");
  if (!v || v->empty()) return "";
  if ((*v)[0] == '/' || env.cwd.empty()) return *v;
  return env.cwd + "/" + *v;
}

std::vector<std::string> Args(int argc, char** argv) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
  return args;
}

}  // namespace capstan::tools
