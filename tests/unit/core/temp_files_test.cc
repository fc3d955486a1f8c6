#include "core/temp_files.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <thread>

#include "support/temp_repo.h"

namespace capstan {
namespace {

using testing::TempDir;
using testing::WriteFile;

bool Exists(const std::string& path) { return std::filesystem::exists(path); }

// Whether another open file description can take path's lock now.
bool LockIsFree(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  bool free = ::flock(fd, LOCK_EX | LOCK_NB) == 0;
  ::close(fd);
  return free;
}

TEST_CASE("CreateTempFile holds a temporary beside its target until it is released") {
  TempDir dir;
  std::string path;
  {
    Result<HeldFile> held = CreateTempFile(dir / "a.yaml", &path);
    REQUIRE(held.ok());
    CHECK(path.starts_with(dir / "a.yaml.capstan-tmp-"));
    CHECK(path.size() == (dir / "a.yaml.capstan-tmp-").size() + 6);
    CHECK(Exists(path));
    CHECK_FALSE(LockIsFree(path));
  }
  CHECK(LockIsFree(path));
}

TEST_CASE("RemoveDeadTemps removes a dead run's temporaries and leaves a live run's alone") {
  TempDir dir;
  WriteFile(dir / "a.yaml.capstan-tmp-Ab12Cd", "half a file");
  WriteFile(dir / "a.yaml.capstan-tmp-Ef34Gh/objects/x", "half a repository");
  WriteFile(dir / "b.yaml.capstan-tmp-Ij56Kl", "another target's");
  WriteFile(dir / "a.yaml.capstan-tmp-seven77", "not a name mkstemp makes");
  std::string live;
  Result<HeldFile> held = CreateTempFile(dir / "a.yaml", &live);
  REQUIRE(held.ok());
  std::string live_dir;
  Result<HeldFile> held_dir = CreateTempDirectory(dir / "a.yaml", &live_dir);
  REQUIRE(held_dir.ok());

  RemoveDeadTemps(dir / "a.yaml");
  CHECK_FALSE(Exists(dir / "a.yaml.capstan-tmp-Ab12Cd"));
  CHECK_FALSE(Exists(dir / "a.yaml.capstan-tmp-Ef34Gh"));
  CHECK(Exists(live));
  CHECK(Exists(live_dir));
  CHECK(Exists(dir / "b.yaml.capstan-tmp-Ij56Kl"));
  CHECK(Exists(dir / "a.yaml.capstan-tmp-seven77"));
}

TEST_CASE("CreateTempFile removes a dead run's temporaries of the same target first") {
  TempDir dir;
  WriteFile(dir / "a.yaml.capstan-tmp-Ab12Cd", "left by a killed run");
  std::string path;
  REQUIRE(CreateTempFile(dir / "a.yaml", &path).ok());
  CHECK_FALSE(Exists(dir / "a.yaml.capstan-tmp-Ab12Cd"));
}

TEST_CASE("CreateTempDirectory says what it could not create") {
  TempDir dir;
  std::string path;
  Result<HeldFile> held = CreateTempDirectory(dir / "missing/cache.git", &path);
  REQUIRE_FALSE(held.ok());
  CHECK(held.status().code() == StatusCode::kIoError);
  CHECK(held.status().message() ==
        "cannot create '" + (dir / "missing/cache.git") + "': no such file or directory");
}

TEST_CASE("LockFile waits while another holder has the lock") {
  TempDir dir;
  Result<HeldFile> first = LockFile(dir / "cache.capstan-lock");
  REQUIRE(first.ok());
  std::atomic<bool> got{false};
  std::thread second([&] {
    Result<HeldFile> again = LockFile(dir / "cache.capstan-lock");
    got = again.ok();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK_FALSE(got);
  first = HeldFile();
  second.join();
  CHECK(got);
}

}  // namespace
}  // namespace capstan
