// capstan-bump --commit under injected file-system faults: every write, open for writing,
// fsync, rename and mkdir the run makes in the repository (its own files and libgit2's objects,
// index and refs), failed in turn with ENOSPC, EIO, EACCES or a short write through an
// LD_PRELOAD library (tests/faults/fault_inject.cc). For each: exit 3 with one line, the
// manifest is its old or its new bytes, never a mix, no temporary or lock file is left, the
// repository passes `git fsck`, and the next run without the fault finishes the bump.

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "support/shell.h"
#include "support/temp_repo.h"

namespace capstan::testing {
namespace {

const std::string kBump = std::string(CAPSTAN_BINARY_DIR) + "/tools/capstan-bump";
const std::string kFaultLibrary =
    std::string(CAPSTAN_BINARY_DIR) + "/tests/libcapstan_fault_inject.so";

const std::string kOld =
    "apiVersion: kustomize.config.k8s.io/v1beta1\n"
    "kind: Kustomization\n"
    "resources: [deploy.yaml]\n"
    "images:\n"
    "  - name: ghcr.io/acme/api\n"
    "    newTag: 1.4.1  # set by CI\n";
const std::string kNew =
    "apiVersion: kustomize.config.k8s.io/v1beta1\n"
    "kind: Kustomization\n"
    "resources: [deploy.yaml]\n"
    "images:\n"
    "  - name: ghcr.io/acme/api\n"
    "    newTag: 1.4.2  # set by CI\n";
const std::string kFile = "apps/api/kustomization.yaml";
// A second file the bump changes, written after the first: a fault there must put the first
// back too.
const std::string kValues = "charts/api/values.yaml";
const std::string kValuesOld = "image:\n  repository: ghcr.io/acme/api\n  tag: 1.4.1\n";
const std::string kValuesNew = "image:\n  repository: ghcr.io/acme/api\n  tag: 1.4.2\n";

// A repository with the manifest committed, in dir/repo.
std::string MakeRepo(const std::string& dir) {
  std::string repo = dir + "/repo";
  InitRepo(repo);
  WriteFile(repo + "/" + kFile, kOld);
  WriteFile(repo + "/apps/api/deploy.yaml", "kind: Deployment\n");
  WriteFile(repo + "/" + kValues, kValuesOld);
  CommitAll(repo, "first");
  return repo;
}

ShellResult Bump(const std::string& repo, const std::string& fault_env) {
  return RunShell(repo,
                  "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 "
                  "LD_PRELOAD=" +
                      ShellQuote(kFaultLibrary) + " CAPSTAN_FAULT_ROOT=" + ShellQuote(repo) + " " +
                      fault_env + " " + ShellQuote(kBump) +
                      " --image ghcr.io/acme/api --tag 1.4.2 --commit");
}

// How many calls of each kind a fault-free run makes in the repository.
std::map<std::string, int> CountCalls(const std::string& dir) {
  std::string repo = MakeRepo(dir + "/count");
  std::string log = dir + "/calls.log";
  ShellResult r = Bump(repo, "CAPSTAN_FAULT_LOG=" + ShellQuote(log));
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  std::map<std::string, int> counts;
  std::istringstream in(ReadFile(log));
  for (std::string op, path; in >> op && std::getline(in, path);) ++counts[op];
  return counts;
}

// Files a failed write may leave: capstan's temporary files and git's locks.
std::vector<std::string> Leftovers(const std::string& repo) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(repo)) {
    std::string name = e.path().filename().string();
    if (name.find(".capstan-tmp-") != std::string::npos || name.ends_with(".lock") ||
        name.starts_with("tmp_object"))
      out.push_back(e.path().string());
  }
  return out;
}

TEST_CASE("capstan-bump --commit fails cleanly at every injected file-system fault",
          "[integration]") {
  TempDir dir;
  std::map<std::string, int> counts = CountCalls(dir.path());
  CHECK(counts["write"] > 0);
  CHECK(counts["rename"] > 0);
  CHECK(counts["open"] > 0);
  const char* const errors[] = {"ENOSPC", "EIO", "EACCES"};
  int runs = 0;
  for (const auto& [op, n] : counts) {
    for (int at = 1; at <= n; ++at) {
      std::string error = op == "write" && at % 4 == 0 ? "short" : errors[(runs++) % 3];
      std::string fault = op + ":" + std::to_string(at) + ":" + error;
      CAPTURE(fault);
      std::string repo = MakeRepo(dir.path() + "/" + op + "-" + std::to_string(at));
      ShellResult r = Bump(repo, "CAPSTAN_FAULT=" + fault);
      INFO(r.output);
      std::string after = ReadFile(repo + "/" + kFile);
      std::string values = ReadFile(repo + "/" + kValues);
      CHECK((after == kOld || after == kNew));
      CHECK((values == kValuesOld || values == kValuesNew));
      CHECK(Leftovers(repo).empty());
      CHECK(RunShell(repo, "git fsck --no-progress --strict").exit_code == 0);
      if (r.exit_code == 0) {
        // The fault hit something the run does not need: the bump is complete.
        CHECK(after == kNew);
        CHECK(values == kValuesNew);
        CHECK(RunGit(repo, "log --format=%s -1").find("1.4.2") != std::string::npos);
      } else {
        CHECK(r.exit_code == 3);
        // One error line, the last, naming what failed, and the files as they were.
        std::string last = r.output.substr(r.output.rfind('\n', r.output.size() - 2) + 1);
        CHECK(last.starts_with("capstan-bump: error: "));
        CHECK(r.output.find("capstan-bump:") == r.output.rfind("capstan-bump:"));
        CHECK(after == kOld);
        CHECK(values == kValuesOld);
        CHECK(RunGit(repo, "status --porcelain").empty());
      }
      // Without the fault the next run completes the bump (or finds it done).
      ShellResult again = Bump(repo, "");
      INFO(again.output);
      CHECK(again.exit_code == 0);
      CHECK(ReadFile(repo + "/" + kFile) == kNew);
      CHECK(RunGit(repo, "show HEAD:" + kFile) == kNew);
      CHECK(RunGit(repo, "show HEAD:" + kValues) == kValuesNew);
      CHECK(RunGit(repo, "status --porcelain").empty());
    }
  }
}

}  // namespace
}  // namespace capstan::testing
