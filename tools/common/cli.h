// Pieces every checking tool's Run() shares: the report flags (--format, --fail-on), error
// lines on stderr, and the exit code that a report maps to.
#pragma once

#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/env.h"
#include "core/flags.h"
#include "report/finding.h"
#include "report/writer.h"

namespace capstan::tools {

// Prints "<tool>: error: <message>" on env.err.
void PrintError(Env& env, std::string_view tool, std::string_view message);

// Prints the error and a hint to run --help, returns kExitUsage.
int UsageError(Env& env, std::string_view tool, std::string_view message);

// The exit code for a finished report: kExitFindings when any finding is at or above fail_on.
int ExitCodeForReport(const report::Report& report, report::Severity fail_on);

// path resolved against env.cwd (absolute paths and an empty cwd leave it as it is).
std::string ResolvePath(const Env& env, const std::string& path);

// Answers --help (prints `help`) and --version ("<tool> <version>") when asked; returns the
// exit code then, nullopt when the tool should run.
std::optional<int> AnswerHelpOrVersion(Env& env, const flags::Parsed& parsed, std::string_view tool,
                                       const std::string& help);
// The same, building the help text only for --help: a --version or a run costs nothing.
std::optional<int> AnswerHelpOrVersion(Env& env, const flags::Parsed& parsed, std::string_view tool,
                                       std::string (*help)());

// The index git means for --staged: $GIT_INDEX_FILE (git sets it for hooks of `git commit -a`
// and `git commit <paths>`, which stage into a temporary index), resolved against env.cwd; ""
// for the repository's own index.
std::string GitIndexFile(const Env& env);

// The finding for a file a directory walk met but cannot read (a dangling or looping symlink):
// rule `input-unreadable`, an error about the whole file (line 0), the reason taken from
// `status` ("cannot read 'x': why" becomes "cannot read this file: why").
report::Finding UnreadableInputFinding(const std::string& name, const Status& status);
// Its entry for a report's rule list.
report::RuleInfo UnreadableInputRule();

// A tool's whole --help: "usage: <synopsis>", the description and the flags (flags::Usage),
// then the exit codes. help_file is the tool's help.txt: its description, and optionally, after
// a blank line, its own block starting "exit codes"; without one, kExitCodeHelp ends the help.
std::string ToolHelp(std::string_view synopsis, std::string_view help_file,
                     std::span<const flags::Flag> table);

// Converts argv[1..] into strings.
std::vector<std::string> Args(int argc, char** argv);

}  // namespace capstan::tools
