#include "git/locks.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <future>
#include <optional>
#include <string>
#include <thread>
#include <vector>

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

TEST_CASE("HoldCache says it waits for the run holding the cache, and holds it after that run") {
  TempDir dir;
  const std::string cache = dir / "cache/host_app.git";
  std::vector<std::string> lines;
  auto log = [&](const std::string& line) { lines.push_back(line); };
  std::optional<Result<HeldFile>> first(HoldCache(cache, log));
  REQUIRE(first->ok());
  CHECK(lines.empty());  // nobody held it: no word of waiting

  std::promise<std::string> waiting;
  std::future<std::string> said = waiting.get_future();
  std::atomic<bool> second_held{false};
  std::thread second([&] {
    Result<HeldFile> held =
        HoldCache(cache, [&](const std::string& line) { waiting.set_value(line); });
    second_held = held.ok();
  });
  CHECK(said.get() ==
        "waiting for another capstan run to release its cache of the remote at '" + cache + "'");
  CHECK_FALSE(second_held.load());
  first.reset();  // the first run ends
  second.join();
  CHECK(second_held.load());
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
