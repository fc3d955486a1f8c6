#include "common/cli.h"

#include <algorithm>
#include <set>
#include <sstream>
#include <thread>

#include "core/exit_code.h"
#include "core/rfc3339.h"
#include "core/strings.h"

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

std::string ResolvePath(const Env& env, const std::string& path) {
  if (env.cwd.empty() || path.empty() || path[0] == '/') return path;
  return env.cwd + "/" + path;
}

CommandLine ParseCommandLine(Env& env, std::string_view tool, std::span<const flags::Flag> table,
                             std::span<const std::string> args, std::string (*help)()) {
  CommandLine cli;
  Result<flags::Parsed> parsed = flags::Parse(table, args);
  if (!parsed.ok()) {
    cli.exit_code = UsageError(env, tool, parsed.status().message());
    return cli;
  }
  cli.flags = std::move(*parsed);
  if (cli.flags.Has("help")) {
    *env.out << help();
    cli.exit_code = kExitClean;
  } else if (cli.flags.Has("version")) {
    *env.out << tool << " " << CAPSTAN_VERSION << "\n";
    cli.exit_code = kExitClean;
  }
  return cli;
}

Result<OutputFlags> ReadOutputFlags(const flags::Parsed& p) {
  OutputFlags out;
  Result<report::Format> format = report::ParseFormat(p.Get("format", "text"));
  if (!format.ok()) return format.status();
  out.format = *format;
  std::set<std::string> paths;
  for (const std::string& value : p.All("report")) {
    std::size_t eq = value.find('=');
    if (eq == std::string::npos || eq + 1 == value.size()) {
      return Status::InvalidArgument("--report takes FORMAT=PATH, e.g. sarif=capstan.sarif, not " +
                                     QuoteForMessage(value));
    }
    Result<report::Format> f = report::ParseFormat(std::string_view(value).substr(0, eq));
    if (!f.ok()) return Status::InvalidArgument("--report: " + f.status().message());
    std::string path = value.substr(eq + 1);
    if (!paths.insert(path).second) {
      return Status::InvalidArgument("--report names " + QuoteForMessage(path) + " twice");
    }
    out.files.push_back({*f, std::move(path)});
  }
  Result<long> budget =
      flags::ParseCount("max-annotations", p.Get("max-annotations", "10"), 0, 1000);
  if (!budget.ok()) return budget.status();
  out.options.max_annotations = static_cast<int>(*budget);
  return out;
}

int WriteReports(Env& env, std::string_view tool, const OutputFlags& output,
                 const report::Report& report, bool to_stdout) {
  if (to_stdout) report::Write(output.format, report, *env.out, output.options);
  int code = kExitClean;
  for (const ReportFile& file : output.files) {
    std::ostringstream text;
    report::Write(file.format, report, text, output.options);
    Status written = env.fs->WriteFileAtomic(ResolvePath(env, file.path), text.str());
    if (!written.ok()) {
      PrintError(env, tool,
                 "cannot write report " + QuoteForMessage(file.path) + ": " + written.message());
      code = kExitCannotRun;
    }
  }
  return code;
}

std::string ReportTime(const Env& env) {
  if (env.clock == nullptr) return "";
  std::string t = FormatRfc3339(env.clock->Now());
  if (!t.empty() && t.back() == 'Z') t.pop_back();
  return t;
}

Result<CheckFlags> ReadCheckFlags(const flags::Parsed& p) {
  CheckFlags out;
  Result<OutputFlags> output = ReadOutputFlags(p);
  if (!output.ok()) return output.status();
  out.output = std::move(*output);
  if (!report::ParseSeverity(p.Get("fail-on", "error"), &out.fail_on)) {
    return Status::InvalidArgument("--fail-on must be error, warning or note, not " +
                                   QuoteForMessage(p.Get("fail-on")));
  }
  int cpus = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  Result<long> jobs = flags::ParseCount("jobs", p.Get("jobs", std::to_string(cpus)), 1, 256);
  if (!jobs.ok()) return jobs.status();
  out.jobs = static_cast<int>(*jobs);
  Result<long> mib = flags::ParseCount("max-file-size", p.Get("max-file-size", "16"), 1, 4096);
  if (!mib.ok()) return mib.status();
  out.max_file_mib = static_cast<std::uint64_t>(*mib);
  return out;
}

std::string GitIndexFile(const Env& env) {
  if (!env.getenv) return "";
  std::optional<std::string> v = env.getenv("GIT_INDEX_FILE");
  if (!v || v->empty()) return "";
  return ResolvePath(env, *v);
}

report::Finding UnreadableInputFinding(const std::string& name, const Status& status) {
  const std::string& m = status.message();
  size_t pos = m.rfind("': ");
  report::Finding f;
  f.rule = "input-unreadable";
  f.severity = report::Severity::kError;
  f.message = "cannot read this file: " + (pos == std::string::npos ? m : m.substr(pos + 3));
  f.file = name;
  return f;
}

report::RuleInfo UnreadableInputRule() {
  return {"input-unreadable",
          "A file met in a walked directory cannot be read (a dangling or looping symlink, no read "
          "permission).",
          "A path found while walking a directory cannot be read: a symlink whose target is "
          "missing, a symlink loop, a file without read permission, or one removed after the walk "
          "listed it. It is reported rather "
          "than skipped, because a check that silently leaves out a file could let a broken "
          "manifest or a secret through.",
          "Fix or remove the symlink, or make the file readable. If the path should not be "
          "checked, list it in .capstanignore.",
          "",
          {"correctness"}};
}

std::string ToolHelp(std::string_view synopsis, std::string_view help_file,
                     std::span<const flags::Flag> table) {
  if (help_file.ends_with('\n')) help_file.remove_suffix(1);
  std::string_view description = help_file;
  std::string exit_codes = kExitCodeHelp;
  if (std::size_t block = help_file.rfind("\n\nexit codes"); block != std::string_view::npos) {
    description = help_file.substr(0, block);
    exit_codes = std::string(help_file.substr(block + 2)) + "\n";
  }
  return flags::Usage(synopsis, description, table) + "\n" + exit_codes;
}

std::vector<std::string> Args(int argc, char** argv) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
  return args;
}

}  // namespace capstan::tools
