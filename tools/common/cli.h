// Pieces every tool's Run() shares: parsing the command line (--help, --version, usage errors),
// the report flags of the checking tools, error lines on stderr, and the exit code a report
// maps to.
#pragma once

#include <cstdint>
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

// A tool's command line: its flags, or the exit code when the tool has nothing more to do.
struct CommandLine {
  flags::Parsed flags;
  std::optional<int> exit_code;  // set: return it from Run() at once
};

// Parses args against table and answers what every tool answers alike: a usage error is printed
// with the --help hint (exit_code kExitUsage); --help prints help() and --version prints
// "<tool> <version>" (exit_code kExitClean). help is called only for --help, so a --version or
// a run never builds the text. REQUIRES: table has "help" and "version" flags.
CommandLine ParseCommandLine(Env& env, std::string_view tool, std::span<const flags::Flag> table,
                             std::span<const std::string> args, std::string (*help)());

// A report file asked for with --report FORMAT=PATH.
struct ReportFile {
  report::Format format = report::Format::kText;
  std::string path;  // as given; WriteReports resolves it against env.cwd
};

// Where a tool's report goes, read alike by every tool that writes one: --format (stdout),
// --report FORMAT=PATH (repeatable: the same report also written to PATH) and
// --max-annotations N (the github format's budget per severity).
struct OutputFlags {
  report::Format format = report::Format::kText;
  std::vector<ReportFile> files;
  report::WriteOptions options;
};

// Their table rows, for a tool's flags::Flag table.
inline constexpr flags::Flag kFormatFlag = {
    "format", 'o', "FORMAT",
    "report format: text|json|sarif|junit|github|codequality|gitlab-secret-detection|markdown "
    "(default text)"};
inline constexpr flags::Flag kReportFlag = {
    "report", 0, "FORMAT=PATH",
    "also write the report in FORMAT to PATH (atomically), e.g. sarif=capstan.sarif", true};
inline constexpr flags::Flag kMaxAnnotationsFlag = {
    "max-annotations", 0, "N",
    "github format: annotations per severity, the rest counted in one notice (default 10)"};

// Reads OutputFlags from p; kInvalidArgument with the usage message for a bad format, a --report
// without "=" or with an empty path, two --report files at one path, or a --max-annotations
// outside 0..1000.
Result<OutputFlags> ReadOutputFlags(const flags::Parsed& p);

// Writes report to env.out in output.format (unless to_stdout is false), then to each --report
// file atomically (a file is whole or untouched). A file that cannot be written gets an error
// line "<tool>: error: cannot write report '<path>': why" and the others are still written.
// Returns kExitClean, or kExitCannotRun when any file could not be written.
int WriteReports(Env& env, std::string_view tool, const OutputFlags& output,
                 const report::Report& report, bool to_stdout = true);

// env.clock's time as Report::started_at / finished_at want it: UTC "YYYY-MM-DDTHH:MM:SS";
// "" when env has no clock.
std::string ReportTime(const Env& env);

// The report and input flags capstan-validate and capstan-scan read alike.
struct CheckFlags {
  OutputFlags output;                                   // --format, --report, --max-annotations
  report::Severity fail_on = report::Severity::kError;  // --fail-on, default error
  int jobs = 1;                     // --jobs 1..256, default: the number of CPUs
  std::uint64_t max_file_mib = 16;  // --max-file-size 1..4096 (MiB), default 16
};

// Reads CheckFlags from p, in that order (output flags first); the first bad value is
// kInvalidArgument with the message to show as a usage error ("--fail-on must be error, warning or
// note, not 'x'").
Result<CheckFlags> ReadCheckFlags(const flags::Parsed& p);

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
