#include "hooks/hooks.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "fs/posix_file_system.h"
#include "support/run_tool.h"
#include "support/shell.h"
#include "support/temp_repo.h"

namespace capstan::testing {
namespace {

namespace stdfs = std::filesystem;

ToolResult Hooks(const std::string& cwd, std::vector<std::string> args, FileSystem* fs = nullptr) {
  return RunTool(tools::RunHooks, std::move(args), cwd, "", fs);
}

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool Exists(const std::string& path) {
  std::error_code ec;
  return stdfs::exists(stdfs::symlink_status(path, ec));
}

unsigned Mode(const std::string& path) {
  struct stat st;
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

void WriteExecutable(const std::string& path, const std::string& content) {
  WriteFile(path, content);
  REQUIRE(::chmod(path.c_str(), 0755) == 0);
}

std::string Template(const std::string& name) {
  return Read(std::string(CAPSTAN_SOURCE_DIR) + "/hooks/" + name);
}

// The installed script is the template with only its bin-dir line filled in.
std::string Expected(const std::string& name, const std::string& bin_dir) {
  std::string text = Template(name);
  std::size_t at = text.find("\ncapstan_bin_dir=");
  REQUIRE(at != std::string::npos);
  std::size_t end = text.find('\n', at + 1);
  return text.substr(0, at + 1) + "capstan_bin_dir='" + bin_dir + "'" + text.substr(end);
}

// A repository plus a directory of stand-in capstan tools that record how the hooks call them
// (and exit with the code in <bin>/exit, default 0). The real tools are exercised by
// tests/integration/hooks_integration_test.cc; these pin the scripts' own contract.
struct Fixture {
  TempDir tmp;
  std::string repo = tmp / "repo";
  std::string bin = tmp / "bin";
  std::string log = tmp / "calls.log";
  std::string hooks = repo + "/.git/hooks";

  Fixture() {
    InitRepo(repo);
    for (const char* tool : {"capstan-scan", "capstan-validate"}) {
      WriteExecutable(bin + "/" + tool, std::string("#!/bin/sh\necho \"") + tool + " $*\" >> '" +
                                            log + "'\ncode=$(cat '" + bin +
                                            "/exit' 2>/dev/null || echo 0)\nexit $code\n");
    }
  }

  ToolResult Install(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"install", "--bin-dir", bin};
    args.insert(args.end(), extra.begin(), extra.end());
    return Hooks(repo, args);
  }
};

const std::string kForeign = "#!/bin/sh\necho \"foreign $*\" >> \"$FOREIGN_LOG\"\n";

TEST_CASE("install writes an executable pre-commit hook into .git/hooks", "[hooks]") {
  Fixture f;
  ToolResult r = f.Install();
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.empty());
  CHECK(Read(f.hooks + "/pre-commit") == Expected("pre-commit", f.bin));
  CHECK(Mode(f.hooks + "/pre-commit") == 0755);
  CHECK_FALSE(Exists(f.hooks + "/pre-push"));
  CHECK_FALSE(Exists(f.hooks + "/pre-commit.capstan-new"));
  CHECK(Lines(r.out) ==
        std::vector<std::string>{"pre-commit: installed " + f.hooks + "/pre-commit",
                                 "the hooks run capstan-scan and capstan-validate from " + f.bin});
}

TEST_CASE("install --pre-push installs the pre-commit and pre-push hooks", "[hooks]") {
  Fixture f;
  REQUIRE(f.Install({"--pre-push"}).exit_code == 0);
  CHECK(Read(f.hooks + "/pre-commit") == Expected("pre-commit", f.bin));
  CHECK(Read(f.hooks + "/pre-push") == Expected("pre-push", f.bin));
  CHECK(Mode(f.hooks + "/pre-push") == 0755);
}

TEST_CASE("install creates a missing hooks directory", "[hooks]") {
  Fixture f;
  stdfs::remove_all(f.hooks);
  REQUIRE(f.Install().exit_code == 0);
  CHECK(Exists(f.hooks + "/pre-commit"));
}

TEST_CASE("install honours an absolute core.hooksPath", "[hooks]") {
  Fixture f;
  std::string shared = f.tmp / "shared hooks";
  RunGit(f.repo, "config core.hooksPath '" + shared + "'");
  ToolResult r = f.Install();
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(Exists(shared + "/pre-commit"));
  CHECK_FALSE(Exists(f.hooks + "/pre-commit"));
  ToolResult st = Hooks(f.repo, {"status"});
  CHECK(Lines(st.out)[0] == "hooks directory: " + shared + " (core.hooksPath '" + shared + "')");
}

TEST_CASE("a relative core.hooksPath counts from the top of the working tree", "[hooks]") {
  Fixture f;
  RunGit(f.repo, "config core.hooksPath .githooks");
  WriteFile(f.repo + "/apps/web/deploy.yaml", "kind: ConfigMap\n");
  REQUIRE(Hooks(f.repo + "/apps/web", {"install", "--bin-dir", f.bin}).exit_code == 0);
  CHECK(Exists(f.repo + "/.githooks/pre-commit"));
  CHECK_FALSE(Exists(f.repo + "/apps/web/.githooks"));
  // git itself agrees on where the hook is: it runs it.
  WriteFile(f.repo + "/a.txt", "a\n");
  RunGit(f.repo, "add a.txt");
  RunGit(f.repo, "commit -q -m a");
  CHECK(Read(f.log) == "capstan-scan --staged\ncapstan-validate --staged\n");
}

TEST_CASE("install refuses a hook capstan did not write and changes nothing", "[hooks]") {
  Fixture f;
  WriteExecutable(f.hooks + "/pre-push", kForeign);
  ToolResult r = f.Install({"--pre-push"});
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  REQUIRE(Lines(r.err).size() == 1);
  CHECK(r.err == "capstan-hooks: error: '" + f.hooks +
                     "/pre-push' is a hook capstan did not write; "
                     "rerun with --chain to keep it and run it first, or --force to replace it (a "
                     "backup is kept)\n");
  CHECK(Read(f.hooks + "/pre-push") == kForeign);
  // All or nothing: the pre-commit hook, which had no conflict, was not installed either.
  CHECK_FALSE(Exists(f.hooks + "/pre-commit"));
}

TEST_CASE("a sample hook from git init is not in the way", "[hooks]") {
  Fixture f;
  // git init writes pre-commit.sample, which git never runs; only an exact name is a hook.
  REQUIRE(Exists(f.hooks + "/pre-commit.sample"));
  REQUIRE(f.Install().exit_code == 0);
  CHECK(Exists(f.hooks + "/pre-commit.sample"));
}

TEST_CASE("install --chain keeps the existing hook and runs it before capstan's checks",
          "[hooks]") {
  Fixture f;
  WriteExecutable(f.hooks + "/pre-commit", kForeign);
  ToolResult r = f.Install({"--chain"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(Read(f.hooks + "/pre-commit.capstan-chained") == kForeign);
  CHECK(Mode(f.hooks + "/pre-commit.capstan-chained") == 0755);
  CHECK(Read(f.hooks + "/pre-commit") == Expected("pre-commit", f.bin));
  CHECK(Lines(r.out)[0] == "pre-commit: kept the existing hook as " + f.hooks +
                               "/pre-commit.capstan-chained; it runs before capstan's checks");

  WriteFile(f.repo + "/a.txt", "a\n");
  RunGit(f.repo, "add a.txt");
  ShellResult commit = RunShell(f.repo, "FOREIGN_LOG='" + f.log + "' git commit -q -m a");
  INFO(commit.output);
  CHECK(commit.exit_code == 0);
  CHECK(Read(f.log) == "foreign \ncapstan-scan --staged\ncapstan-validate --staged\n");
}

TEST_CASE("a failing chained hook stops the commit before capstan's checks run", "[hooks]") {
  Fixture f;
  WriteExecutable(f.hooks + "/pre-commit", "#!/bin/sh\necho 'foreign says no' >&2\nexit 7\n");
  REQUIRE(f.Install({"--chain"}).exit_code == 0);
  WriteFile(f.repo + "/a.txt", "a\n");
  RunGit(f.repo, "add a.txt");
  ShellResult commit = RunShell(f.repo, "git commit -q -m a");
  CHECK(commit.exit_code != 0);
  CHECK(commit.output.find("foreign says no") != std::string::npos);
  CHECK(commit.output.find("pre-commit.capstan-chained failed (exit 7)") != std::string::npos);
  CHECK_FALSE(Exists(f.log));
  CHECK(RunShell(f.repo, "git rev-parse -q --verify HEAD").exit_code != 0);
}

TEST_CASE("findings from a capstan tool stop the commit", "[hooks]") {
  Fixture f;
  REQUIRE(f.Install().exit_code == 0);
  WriteFile(f.bin + "/exit", "1\n");
  WriteFile(f.repo + "/a.txt", "a\n");
  RunGit(f.repo, "add a.txt");
  ShellResult commit = RunShell(f.repo, "git commit -q -m a");
  CHECK(commit.exit_code != 0);
  CHECK(commit.output.find("commit stopped by the findings above") != std::string::npos);
  // Both checks ran, so one commit attempt shows every problem.
  CHECK(Read(f.log) == "capstan-scan --staged\ncapstan-validate --staged\n");
  CHECK(RunShell(f.repo, "git rev-parse -q --verify HEAD").exit_code != 0);
}

TEST_CASE("a hook whose tools cannot be found stops the commit", "[hooks]") {
  Fixture f;
  REQUIRE(f.Install().exit_code == 0);
  stdfs::remove_all(f.bin);
  WriteFile(f.repo + "/a.txt", "a\n");
  RunGit(f.repo, "add a.txt");
  ShellResult commit = RunShell(f.repo, "PATH=/usr/bin:/bin git commit -q -m a");
  CHECK(commit.exit_code != 0);
  CHECK(commit.output.find("cannot find capstan-scan in " + f.bin + " or on PATH") !=
        std::string::npos);
  CHECK(RunShell(f.repo, "git rev-parse -q --verify HEAD").exit_code != 0);
}

TEST_CASE("install --force replaces the existing hook and keeps it as a backup", "[hooks]") {
  Fixture f;
  WriteExecutable(f.hooks + "/pre-commit", kForeign);
  ToolResult r = f.Install({"--force"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(Read(f.hooks + "/pre-commit.capstan-backup") == kForeign);
  CHECK(Read(f.hooks + "/pre-commit") == Expected("pre-commit", f.bin));
  CHECK(Lines(r.out)[0] == "pre-commit: moved " + f.hooks + "/pre-commit to " + f.hooks +
                               "/pre-commit.capstan-backup");

  // A second foreign hook forced over does not overwrite the first backup.
  WriteExecutable(f.hooks + "/pre-commit", "#!/bin/sh\n# second\n");
  REQUIRE(f.Install({"--force"}).exit_code == 0);
  CHECK(Read(f.hooks + "/pre-commit.capstan-backup") == kForeign);
  CHECK(Read(f.hooks + "/pre-commit.capstan-backup.1") == "#!/bin/sh\n# second\n");
}

TEST_CASE("installing again over capstan's own hook updates it in place", "[hooks]") {
  Fixture f;
  WriteExecutable(f.hooks + "/pre-commit", kForeign);
  REQUIRE(f.Install({"--chain"}).exit_code == 0);

  ToolResult again = f.Install();
  REQUIRE(again.exit_code == 0);
  CHECK(Lines(again.out)[0] == "pre-commit: " + f.hooks + "/pre-commit is up to date");
  CHECK(Read(f.hooks + "/pre-commit.capstan-chained") == kForeign);

  std::string other_bin = f.tmp / "other-bin";
  stdfs::copy(f.bin, other_bin);
  ToolResult moved = Hooks(f.repo, {"install", "--bin-dir", other_bin});
  REQUIRE(moved.exit_code == 0);
  CHECK(Lines(moved.out)[0] == "pre-commit: updated " + f.hooks + "/pre-commit");
  CHECK(Read(f.hooks + "/pre-commit") == Expected("pre-commit", other_bin));
  CHECK(Read(f.hooks + "/pre-commit.capstan-chained") == kForeign);
  CHECK_FALSE(Exists(f.hooks + "/pre-commit.capstan-backup"));
}

TEST_CASE("an edited capstan hook shows as out of date until installed again", "[hooks]") {
  Fixture f;
  REQUIRE(f.Install().exit_code == 0);
  {
    std::ofstream out(f.hooks + "/pre-commit", std::ios::app);
    out << "echo edited\n";
  }
  CHECK(Lines(Hooks(f.repo, {"status"}).out)[1] ==
        "pre-commit: installed, out of date (run 'capstan hooks install' to update): " + f.hooks +
            "/pre-commit");
  REQUIRE(f.Install().exit_code == 0);
  CHECK(Read(f.hooks + "/pre-commit") == Expected("pre-commit", f.bin));
}

TEST_CASE("uninstall removes capstan's hooks and leaves other hooks alone", "[hooks]") {
  Fixture f;
  REQUIRE(f.Install({"--pre-push"}).exit_code == 0);
  WriteExecutable(f.hooks + "/commit-msg", kForeign);
  ToolResult r = Hooks(f.repo, {"uninstall"});
  REQUIRE(r.exit_code == 0);
  CHECK_FALSE(Exists(f.hooks + "/pre-commit"));
  CHECK_FALSE(Exists(f.hooks + "/pre-push"));
  CHECK(Read(f.hooks + "/commit-msg") == kForeign);
  CHECK(Lines(r.out) == std::vector<std::string>{"pre-commit: removed " + f.hooks + "/pre-commit",
                                                 "pre-push: removed " + f.hooks + "/pre-push"});

  WriteExecutable(f.hooks + "/pre-push", kForeign);
  ToolResult foreign = Hooks(f.repo, {"uninstall"});
  REQUIRE(foreign.exit_code == 0);
  CHECK(Read(f.hooks + "/pre-push") == kForeign);
  CHECK(Lines(foreign.out) ==
        std::vector<std::string>{
            "pre-commit: no capstan hook in " + f.hooks,
            "pre-push: left " + f.hooks + "/pre-push alone: capstan did not write it"});
}

TEST_CASE("uninstall puts a chained hook back in place", "[hooks]") {
  Fixture f;
  WriteExecutable(f.hooks + "/pre-commit", kForeign);
  REQUIRE(f.Install({"--chain"}).exit_code == 0);
  ToolResult r = Hooks(f.repo, {"uninstall"});
  REQUIRE(r.exit_code == 0);
  CHECK(Read(f.hooks + "/pre-commit") == kForeign);
  CHECK(Mode(f.hooks + "/pre-commit") == 0755);
  CHECK_FALSE(Exists(f.hooks + "/pre-commit.capstan-chained"));
  CHECK(Lines(r.out)[1] == "pre-commit: restored " + f.hooks + "/pre-commit from " + f.hooks +
                               "/pre-commit.capstan-chained");
}

TEST_CASE("uninstall puts the newest backup back in place", "[hooks]") {
  Fixture f;
  WriteExecutable(f.hooks + "/pre-commit", "#!/bin/sh\n# first\n");
  REQUIRE(f.Install({"--force"}).exit_code == 0);
  WriteExecutable(f.hooks + "/pre-commit", "#!/bin/sh\n# second\n");
  REQUIRE(f.Install({"--force"}).exit_code == 0);
  REQUIRE(Hooks(f.repo, {"uninstall"}).exit_code == 0);
  CHECK(Read(f.hooks + "/pre-commit") == "#!/bin/sh\n# second\n");
  CHECK(Read(f.hooks + "/pre-commit.capstan-backup") == "#!/bin/sh\n# first\n");
}

TEST_CASE("status says what is installed where", "[hooks]") {
  Fixture f;
  ToolResult before = Hooks(f.repo, {"status"});
  REQUIRE(before.exit_code == 0);
  CHECK(Lines(before.out) == std::vector<std::string>{"hooks directory: " + f.hooks,
                                                      "pre-commit: not installed",
                                                      "pre-push: not installed"});

  WriteExecutable(f.hooks + "/pre-commit", kForeign);
  WriteExecutable(f.hooks + "/pre-push", kForeign);
  CHECK(Lines(Hooks(f.repo, {"status"}).out)[1] ==
        "pre-commit: not installed: " + f.hooks + "/pre-commit is a hook capstan did not write");

  REQUIRE(f.Install({"--chain"}).exit_code == 0);
  REQUIRE(f.Install({"--pre-push", "--force"}).exit_code == 0);
  ToolResult after = Hooks(f.repo, {"status"});
  REQUIRE(after.exit_code == 0);
  CHECK(Lines(after.out) ==
        std::vector<std::string>{
            "hooks directory: " + f.hooks,
            "pre-commit: installed: " + f.hooks + "/pre-commit",
            "  runs the capstan tools from " + f.bin,
            "  runs first: " + f.hooks + "/pre-commit.capstan-chained",
            "pre-push: installed: " + f.hooks + "/pre-push",
            "  runs the capstan tools from " + f.bin,
            "  backup of a replaced hook: " + f.hooks + "/pre-push.capstan-backup",
        });
}

TEST_CASE("without the tools beside capstan-hooks the hooks use PATH", "[hooks]") {
  Fixture f;
  // In-process, the running program is the test binary, which has no capstan-scan beside it.
  ToolResult r = Hooks(f.repo, {"install"});
  REQUIRE(r.exit_code == 0);
  CHECK(Read(f.hooks + "/pre-commit") == Template("pre-commit"));
  CHECK(Lines(r.out)[1] == "the hooks run capstan-scan and capstan-validate from PATH");
  CHECK(r.err.find("warning: capstan-scan is not on PATH") != std::string::npos);
  CHECK(Lines(Hooks(f.repo, {"status"}).out)[2] == "  runs the capstan tools from PATH");
}

TEST_CASE("the pre-push hook scans what each pushed ref adds", "[hooks]") {
  Fixture f;
  std::string remote = f.tmp / "remote.git";
  RunGit(f.tmp.path(), "init -q --bare remote.git");
  RunGit(f.repo, "remote add origin '" + remote + "'");
  REQUIRE(f.Install({"--pre-push"}).exit_code == 0);
  auto sha = [&](const std::string& rev) {
    std::string s = RunGit(f.repo, "rev-parse " + rev);
    return s.substr(0, s.find('\n'));
  };
  WriteFile(f.repo + "/a.txt", "a\n");
  RunGit(f.repo, "add a.txt");
  RunGit(f.repo, "commit -q --no-verify -m a");
  std::string first = sha("HEAD");

  SECTION("a new branch is scanned for the commits no remote-tracking branch has") {
    REQUIRE(RunShell(f.repo, "git push -q origin main").exit_code == 0);
    CHECK(Read(f.log) == "capstan-scan --range " + first + "\n");
  }
  SECTION("an update is scanned from the remote's commit") {
    REQUIRE(RunShell(f.repo, "git push -q --no-verify origin main").exit_code == 0);
    WriteFile(f.repo + "/b.txt", "b\n");
    RunGit(f.repo, "add b.txt");
    RunGit(f.repo, "commit -q --no-verify -m b");
    REQUIRE(RunShell(f.repo, "git push -q origin main").exit_code == 0);
    CHECK(Read(f.log) == "capstan-scan --range " + first + ".." + sha("HEAD") + "\n");
  }
  SECTION("a deletion is not scanned") {
    REQUIRE(RunShell(f.repo, "git push -q --no-verify origin main main:gone").exit_code == 0);
    REQUIRE(RunShell(f.repo, "git push -q origin :gone").exit_code == 0);
    CHECK_FALSE(Exists(f.log));
  }
  SECTION("findings stop the push and the remote keeps its old state") {
    WriteFile(f.bin + "/exit", "1\n");
    ShellResult push = RunShell(f.repo, "git push -q origin main");
    CHECK(push.exit_code != 0);
    CHECK(push.output.find("refs/heads/main -> refs/heads/main adds the secrets above") !=
          std::string::npos);
    CHECK(RunShell(remote, "git rev-parse -q --verify refs/heads/main").exit_code != 0);
  }
}

TEST_CASE("a chained pre-push hook gets the same arguments and input", "[hooks]") {
  Fixture f;
  std::string remote = f.tmp / "remote.git";
  RunGit(f.tmp.path(), "init -q --bare remote.git");
  RunGit(f.repo, "remote add origin '" + remote + "'");
  std::string seen = f.tmp / "seen";
  WriteExecutable(f.hooks + "/pre-push",
                  "#!/bin/sh\necho \"$1 $2\" > '" + seen + "'\ncat >> '" + seen + "'\n");
  REQUIRE(f.Install({"--pre-push", "--chain"}).exit_code == 0);
  WriteFile(f.repo + "/a.txt", "a\n");
  RunGit(f.repo, "add a.txt");
  RunGit(f.repo, "commit -q --no-verify -m a");
  std::string head = RunGit(f.repo, "rev-parse HEAD");
  REQUIRE(RunShell(f.repo, "git push -q origin main").exit_code == 0);
  CHECK(Read(seen) == "origin " + remote + "\nrefs/heads/main " + head.substr(0, 40) +
                          " refs/heads/main " + std::string(40, '0') + "\n");
  CHECK(Read(f.log) == "capstan-scan --range " + head.substr(0, 40) + "\n");
}

// Fails to move the new hook into place; every other rename works.
class FailingRenameFileSystem : public fs::PosixFileSystem {
 public:
  Status Rename(const std::string& from, const std::string& to) override {
    if (from.ends_with(".capstan-new")) {
      return Status::IoError("cannot rename '" + from + "': no space left on device");
    }
    return fs::PosixFileSystem::Rename(from, to);
  }
};

TEST_CASE("a failed write exits 3 and puts a replaced hook back", "[hooks]") {
  Fixture f;
  WriteExecutable(f.hooks + "/pre-commit", kForeign);
  FailingRenameFileSystem failing;
  ToolResult r = Hooks(f.repo, {"install", "--force", "--bin-dir", f.bin}, &failing);
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("no space left on device") != std::string::npos);
  CHECK(Read(f.hooks + "/pre-commit") == kForeign);
  CHECK_FALSE(Exists(f.hooks + "/pre-commit.capstan-new"));
}

TEST_CASE("outside a git repository every command exits 2", "[hooks]") {
  TempDir tmp;
  auto command = GENERATE(as<std::string>{}, "install", "uninstall", "status");
  ToolResult r = Hooks(tmp.path(), {command});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "capstan-hooks: error: '" + tmp.path() + "' is not inside a git repository\n");
}

TEST_CASE("a bare repository is refused", "[hooks]") {
  TempDir tmp;
  RunGit(tmp.path(), "init -q --bare");
  ToolResult r = Hooks(tmp.path(), {"install"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("bare repository") != std::string::npos);
}

TEST_CASE("misuse is a usage error", "[hooks]") {
  Fixture f;
  using Args = std::vector<std::string>;
  auto [args, message] = GENERATE(table<Args, std::string>({
      {Args{}, "missing command: install, uninstall or status"},
      {Args{"setup"}, "unknown command 'setup': use install, uninstall or status"},
      {Args{"install", "status"}, "unexpected argument 'status'"},
      {Args{"install", "--pre-commit"}, "unknown option '--pre-commit'"},
      {Args{"status", "--force"}, "--force applies to install only"},
      {Args{"uninstall", "--pre-push"}, "--pre-push applies to install only"},
      {Args{"install", "--chain", "--force"}, "--chain and --force exclude each other"},
  }));
  ToolResult r = Hooks(f.repo, args);
  CHECK(r.exit_code == 2);
  CHECK(Lines(r.err)[0] == "capstan-hooks: error: " + message);
  CHECK_FALSE(Exists(f.hooks + "/pre-commit"));
}

TEST_CASE("a --bin-dir without the capstan tools is a usage error", "[hooks]") {
  Fixture f;
  ToolResult r = Hooks(f.repo, {"install", "--bin-dir", f.tmp.path()});
  CHECK(r.exit_code == 2);
  CHECK(Lines(r.err)[0] == "capstan-hooks: error: --bin-dir: '" + f.tmp.path() +
                               "' holds no executable capstan-scan and capstan-validate");
}

TEST_CASE("hooks help says what is installed where, chaining and uninstall", "[hooks]") {
  TempDir tmp;
  ToolResult r = Hooks(tmp.path(), {"--help"});
  REQUIRE(r.exit_code == 0);
  for (const char* needle :
       {"core.hooksPath", ".git/hooks", "pre-commit", "pre-push", "--chain", ".capstan-chained",
        "--force", ".capstan-backup", "uninstall", "status", "exit codes:"}) {
    CHECK(r.out.find(needle) != std::string::npos);
  }
}

}  // namespace
}  // namespace capstan::testing
