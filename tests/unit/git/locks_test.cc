#include "git/locks.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "git/publish.h"
#include "support/shell.h"
#include "support/temp_repo.h"

namespace capstan::git {
namespace {

using capstan::testing::CommitAll;
using capstan::testing::InitRepo;
using capstan::testing::RunShell;
using capstan::testing::TempDir;
using capstan::testing::WriteFile;

bool Exists(const std::string& path) { return std::filesystem::exists(path); }

TEST_CASE("CheckNoStaleLocks stops on a lock git would stop on, names it and leaves it") {
  TempDir dir;
  InitRepo(dir.path());
  WriteFile(dir / "a.yaml", "a: 1\n");
  CommitAll(dir.path(), "first");
  CHECK(CheckNoStaleLocks(dir / "a.yaml").ok());
  const std::string lock =
      GENERATE(as<std::string>{}, ".git/index.lock", ".git/refs/heads/main.lock", ".git/HEAD.lock");
  CAPTURE(lock);
  WriteFile(dir / lock, "");
  Status s = CheckNoStaleLocks(dir.path());
  CHECK(s.code() == StatusCode::kIoError);
  CHECK(s.message() == "cannot create '" + (dir / lock) +
                           "': file exists: another git process seems to be running in this "
                           "repository; if none is, one was killed or crashed earlier: remove "
                           "the file to continue");
  CHECK(Exists(dir / lock));
  // Locks of files a commit does not write do not stop it.
  std::filesystem::remove(dir / lock);
  WriteFile(dir / ".git/refs/remotes/origin/main.lock", "");
  CHECK(CheckNoStaleLocks(dir.path()).ok());
}

TEST_CASE("HoldCache removes what a killed run left in and beside the cache, not a live run's") {
  TempDir dir;
  const std::string cache = dir / "cache/host_app.git";
  REQUIRE(EnsureBareRepository(cache).ok());
  for (const char* left : {"/refs/capstan/fetch-tip.lock", "/packed-refs.lock", "/config.lock",
                           "/objects/ab/tmp_object_git2_Xy12Zw", "/objects/pack/pack_git2_Qr34St"})
    WriteFile(cache + left, "left by a killed run");
  WriteFile(cache + ".capstan-tmp-Ab12Cd/HEAD", "a half-made cache");
  std::string live;
  Result<HeldFile> making = CreateTempDirectory(cache, &live);
  REQUIRE(making.ok());

  Result<HeldFile> held = HoldCache(cache);
  REQUIRE(held.ok());
  for (const char* left : {"/refs/capstan/fetch-tip.lock", "/packed-refs.lock", "/config.lock",
                           "/objects/ab/tmp_object_git2_Xy12Zw", "/objects/pack/pack_git2_Qr34St"})
    CHECK_FALSE(Exists(cache + left));
  CHECK_FALSE(Exists(cache + ".capstan-tmp-Ab12Cd"));
  CHECK(Exists(live));
  CHECK(Exists(cache + ".capstan-lock"));
  CHECK(RunShell(cache, "git fsck --no-progress --strict").exit_code == 0);
}

TEST_CASE("HoldCache makes the cache and its parent directories when missing") {
  TempDir dir;
  const std::string cache = dir / "a/b/host_app.git";
  Result<HeldFile> held = HoldCache(cache);
  REQUIRE(held.ok());
  CHECK(RunShell(cache, "git rev-parse --is-bare-repository").output == "true\n");
}

TEST_CASE("HoldCache refuses a directory that is not a cache, removing nothing in it") {
  TempDir dir;
  WriteFile(dir / "work/index.lock", "someone's");
  Result<HeldFile> held = HoldCache(dir / "work");
  CHECK_FALSE(held.ok());
  CHECK(Exists(dir / "work/index.lock"));
}

}  // namespace
}  // namespace capstan::git
