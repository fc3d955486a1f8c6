#include "semver/semver.h"

#include <algorithm>
#include <vector>

#include "common/cli.h"
#include "core/exit_code.h"
#include "core/flags.h"
#include "semver/constraint.h"
#include "semver/help_text.h"  // generated from tools/semver/help.txt
#include "semver/version.h"

namespace capstan::tools {
namespace {

constexpr std::string_view kTool = "capstan-semver";

const flags::Flag kFlags[] = {
    {"include-prerelease", 0, "",
     "let pre-release versions (1.2.3-rc.1) satisfy every part of RANGE"},
    {"strict", 0, "", "accept only [v]MAJOR.MINOR.PATCH[-PRE][+BUILD] versions, as Flux does"},
    {"coerce", 0, "", "accept 'v1.2', '1' and the like, read as 1.2.0 and 1.0.0 (the default)"},
    {"help", 'h', "", "show this help"},
    {"version", 0, "", "print the version"},
};

// --help: the synopsis, tools/semver/help.txt (embedded at build time) and the flags.
std::string Help() {
  return ToolHelp("capstan-semver [options] RANGE VERSION...", semver_help::kFiles[0].text, kFlags);
}

}  // namespace

int RunSemver(Env& env, std::span<const std::string> args) {
  CommandLine cli = ParseCommandLine(env, kTool, kFlags, args, Help);
  if (cli.exit_code) return *cli.exit_code;
  const flags::Parsed& p = cli.flags;
  if (p.Has("strict") && p.Has("coerce")) {
    return UsageError(env, kTool, "--strict and --coerce cannot be used together");
  }
  const std::vector<std::string>& pos = p.positionals();
  if (pos.size() < 2) return UsageError(env, kTool, "expected a RANGE and at least one VERSION");

  Result<semver::Constraint> range = semver::ParseConstraint(pos[0], p.Has("include-prerelease"));
  if (!range.ok()) {
    PrintError(env, kTool, range.status().message());
    return kExitUsage;
  }

  bool strict = p.Has("strict");
  std::vector<semver::Version> versions;
  for (size_t i = 1; i < pos.size(); ++i) {
    Result<semver::Version> v = strict ? semver::ParseStrict(pos[i], semver::VPrefix::kAccept)
                                       : semver::ParseCoerce(pos[i]);
    if (!v.ok()) {
      PrintError(env, kTool, v.status().message());
      continue;
    }
    versions.push_back(std::move(v).value());
  }
  if (versions.empty()) return kExitUsage;

  // Stable, so versions differing only in build metadata keep the order they were given in.
  std::stable_sort(versions.begin(), versions.end(),
                   [](const semver::Version& a, const semver::Version& b) { return a < b; });
  int admitted = 0;
  for (const semver::Version& v : versions) {
    if (!range->Check(v)) continue;
    *env.out << v.original() << "\n";
    ++admitted;
  }
  return admitted > 0 ? kExitClean : kExitFindings;
}

}  // namespace capstan::tools
