#include "hooks/hooks.h"

#include <string_view>
#include <vector>

#include "common/cli.h"
#include "core/exit_code.h"
#include "core/flags.h"
#include "core/strings.h"
#include "core/subprocess.h"
#include "git/config.h"
#include "hooks/help_text.h"  // generated from tools/hooks/help.txt
#include "hooks/hook_scripts.h"
#include "hooks/installer.h"

namespace capstan::tools {
namespace {

using hooks::Change;
using hooks::HookDir;
using hooks::HookStatus;
using hooks::Presence;

constexpr std::string_view kTool = "capstan-hooks";
constexpr std::string_view kTools[] = {"capstan-scan", "capstan-validate"};

const flags::Flag kFlags[] = {
    {"pre-push", 0, "", "install: also install the pre-push hook"},
    {"chain", 0, "", "install: keep a hook capstan did not write and run it first"},
    {"force", 0, "", "install: replace a hook capstan did not write, keeping a backup"},
    {"bin-dir", 0, "DIR", "install: run capstan-scan and capstan-validate from DIR"},
    {"help", 'h', "", "show this help"},
    {"version", 0, "", "print the version"},
};

// --help: the synopsis, tools/hooks/help.txt (embedded at build time) and the flags.
std::string Help() {
  return ToolHelp(
      "capstan-hooks install [--pre-push] [--chain|--force] [--bin-dir DIR]\n"
      "       capstan-hooks uninstall\n"
      "       capstan-hooks status",
      hooks_help::kFiles[0].text, kFlags);
}

std::string_view Script(std::string_view name) {
  for (const auto& s : hooks::kHookScripts)
    if (s.name == name) return s.text;
  return {};
}

int Fail(Env& env, const Status& s) {
  PrintError(env, kTool, s.message());
  return ExitCodeFor(s);
}

bool HasTools(FileSystem& fs, const std::string& dir) {
  for (std::string_view tool : kTools) {
    Result<FileInfo> info = fs.Stat(dir + "/" + std::string(tool), true);
    if (!info.ok() || info->type != FileType::kRegular || (info->mode & 0111) == 0) return false;
  }
  return true;
}

bool OnPath(Env& env, std::string_view tool) {
  std::optional<std::string> path = env.getenv ? env.getenv("PATH") : std::nullopt;
  if (!path) return false;
  for (const std::string& dir : SplitSearchPath(*path)) {
    Result<FileInfo> info = env.fs->Stat(dir + "/" + std::string(tool), true);
    if (info.ok() && info->type == FileType::kRegular && (info->mode & 0111) != 0) return true;
  }
  return false;
}

std::string Dirname(const std::string& path) {
  std::size_t slash = path.rfind('/');
  return slash == std::string::npos || slash == 0 ? "/" : path.substr(0, slash);
}

// The directory written into the hooks: --bin-dir, else the one this program runs from when
// the tools are there, else "" (the hooks use PATH). kInvalidArgument for a bad --bin-dir.
Result<std::string> FindBinDir(Env& env, const flags::Parsed& p) {
  if (p.Has("bin-dir")) {
    std::string dir = p.Get("bin-dir");
    if (!dir.empty() && dir[0] != '/' && !env.cwd.empty()) dir = env.cwd + "/" + dir;
    Result<std::string> real = env.fs->RealPath(dir);
    if (!real.ok()) return Status::InvalidArgument("--bin-dir: " + real.status().message());
    if (!HasTools(*env.fs, *real)) {
      return Status::InvalidArgument("--bin-dir: " + QuoteForMessage(*real, kQuotePathLimit) +
                                     " holds no executable capstan-scan and capstan-validate");
    }
    return *real;
  }
  Result<std::string> self = env.fs->RealPath("/proc/self/exe");
  if (self.ok() && HasTools(*env.fs, Dirname(*self))) return Dirname(*self);
  return std::string();
}

std::string Describe(const Change& c) {
  switch (c.kind) {
    case Change::kInstalled:
      return "installed " + c.path;
    case Change::kUpdated:
      return "updated " + c.path;
    case Change::kUnchanged:
      return c.path + " is up to date";
    case Change::kChained:
      return "kept the existing hook as " + c.other + "; it runs before capstan's checks";
    case Change::kBackedUp:
      return "moved " + c.path + " to " + c.other;
    case Change::kRemoved:
      return "removed " + c.path;
    case Change::kRestored:
      return "restored " + c.path + " from " + c.other;
  }
  return "";
}

int Install(Env& env, const flags::Parsed& p, const git::HooksDir& where) {
  if (where.workdir.empty()) {
    return UsageError(env, kTool,
                      QuoteForMessage(where.path, kQuotePathLimit) +
                          " belongs to a bare repository, where git runs no "
                          "pre-commit or pre-push hooks");
  }
  Result<std::string> bin_dir = FindBinDir(env, p);
  if (!bin_dir.ok()) return UsageError(env, kTool, bin_dir.status().message());
  hooks::OnForeign on_foreign = p.Has("chain")   ? hooks::OnForeign::kChain
                                : p.Has("force") ? hooks::OnForeign::kReplace
                                                 : hooks::OnForeign::kRefuse;
  std::vector<std::string_view> names = {"pre-commit"};
  if (p.Has("pre-push")) names.push_back("pre-push");

  HookDir dir(*env.fs, where.path);
  // All or nothing: a foreign hook in the way of any of them stops before anything is written.
  for (std::string_view name : names) {
    Result<HookStatus> st = dir.Inspect(name, Script(name));
    if (!st.ok()) return Fail(env, st.status());
    if (st->presence == Presence::kForeign && on_foreign == hooks::OnForeign::kRefuse) {
      PrintError(env, kTool,
                 QuoteForMessage(st->path, kQuotePathLimit) +
                     " is a hook capstan did not write; rerun with --chain to " +
                     "keep it and run it first, or --force to replace it (a backup is kept)");
      return kExitUsage;
    }
  }
  for (std::string_view name : names) {
    Result<std::vector<Change>> changes = dir.Install(name, Script(name), *bin_dir, on_foreign);
    if (!changes.ok()) return Fail(env, changes.status());
    for (const Change& c : *changes) *env.out << name << ": " << Describe(c) << "\n";
  }
  if (!bin_dir->empty()) {
    *env.out << "the hooks run capstan-scan and capstan-validate from " << *bin_dir << "\n";
    return kExitClean;
  }
  *env.out << "the hooks run capstan-scan and capstan-validate from PATH\n";
  for (std::string_view tool : kTools) {
    if (!OnPath(env, tool)) {
      *env.err << kTool << ": warning: " << tool << " is not on PATH; the hooks will stop every "
               << "commit until it is (or reinstall with --bin-dir)\n";
    }
  }
  return kExitClean;
}

int Uninstall(Env& env, const git::HooksDir& where) {
  HookDir dir(*env.fs, where.path);
  for (std::string_view name : {"pre-commit", "pre-push"}) {
    Result<HookStatus> st = dir.Inspect(name, Script(name));
    if (!st.ok()) return Fail(env, st.status());
    Result<std::vector<Change>> changes = dir.Uninstall(name);
    if (!changes.ok()) return Fail(env, changes.status());
    for (const Change& c : *changes) *env.out << name << ": " << Describe(c) << "\n";
    if (st->presence == Presence::kForeign) {
      *env.out << name << ": left " << st->path << " alone: capstan did not write it\n";
    } else if (changes->empty()) {
      *env.out << name << ": no capstan hook in " << where.path << "\n";
    }
  }
  return kExitClean;
}

int ShowStatus(Env& env, const git::HooksDir& where) {
  *env.out << "hooks directory: " << where.path;
  if (!where.configured.empty()) *env.out << " (core.hooksPath '" << where.configured << "')";
  *env.out << "\n";
  HookDir dir(*env.fs, where.path);
  for (std::string_view name : {"pre-commit", "pre-push"}) {
    Result<HookStatus> st = dir.Inspect(name, Script(name));
    if (!st.ok()) return Fail(env, st.status());
    *env.out << name << ": ";
    switch (st->presence) {
      case Presence::kAbsent:
        *env.out << "not installed\n";
        break;
      case Presence::kForeign:
        *env.out << "not installed: " << st->path << " is a hook capstan did not write\n";
        break;
      case Presence::kCapstan:
        *env.out << "installed";
        if (!st->current) *env.out << ", out of date (run 'capstan hooks install' to update)";
        if (!st->executable) *env.out << ", not executable (git skips it)";
        *env.out << ": " << st->path << "\n  runs the capstan tools from "
                 << (st->bin_dir.empty() ? "PATH" : st->bin_dir) << "\n";
        break;
    }
    if (!st->chained.empty()) *env.out << "  runs first: " << st->chained << "\n";
    for (const auto& b : st->backups) *env.out << "  backup of a replaced hook: " << b << "\n";
  }
  return kExitClean;
}

}  // namespace

int RunHooks(Env& env, std::span<const std::string> args) {
  CommandLine cli = ParseCommandLine(env, kTool, kFlags, args, Help);
  if (cli.exit_code) return *cli.exit_code;
  const flags::Parsed& p = cli.flags;
  const auto& positionals = p.positionals();
  if (positionals.empty())
    return UsageError(env, kTool, "missing command: install, uninstall or status");
  if (positionals.size() > 1) {
    return UsageError(env, kTool, "unexpected argument " + QuoteForMessage(positionals[1]));
  }
  const std::string& command = positionals[0];
  if (command != "install" && command != "uninstall" && command != "status") {
    return UsageError(
        env, kTool,
        "unknown command " + QuoteForMessage(command) + ": use install, uninstall or status");
  }
  if (command != "install") {
    for (std::string_view flag : {"pre-push", "chain", "force", "bin-dir"}) {
      if (p.Has(flag)) {
        return UsageError(env, kTool, "--" + std::string(flag) + " applies to install only");
      }
    }
  }
  if (p.Has("chain") && p.Has("force")) {
    return UsageError(env, kTool, "--chain and --force exclude each other");
  }

  std::string cwd = env.cwd;
  if (cwd.empty()) {
    Result<std::string> real = env.fs->RealPath(".");
    cwd = real.ok() ? *real : ".";
  }
  Result<git::HooksDir> where = git::FindHooksDir(cwd);
  if (!where.ok()) return Fail(env, where.status());
  if (command == "install") return Install(env, p, *where);
  if (command == "uninstall") return Uninstall(env, *where);
  return ShowStatus(env, *where);
}

}  // namespace capstan::tools
