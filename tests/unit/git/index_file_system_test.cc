#include "git/index_file_system.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "fs/posix_file_system.h"
#include "support/open_repository.h"
#include "support/temp_repo.h"

namespace capstan::git {
namespace {

constexpr auto& Open = capstan::testing::OpenRepository;
using capstan::testing::CommitAll;
using capstan::testing::InitRepo;
using capstan::testing::RunGit;
using capstan::testing::TempDir;
using capstan::testing::WriteFile;

// The disk, recording which files are read.
class RecordingFileSystem : public fs::PosixFileSystem {
 public:
  Result<std::string> ReadFile(const std::string& path, std::uint64_t max_bytes) override {
    read.push_back(path);
    return PosixFileSystem::ReadFile(path, max_bytes);
  }
  std::vector<std::string> read;
};

std::vector<std::string> Names(const std::vector<DirEntry>& entries) {
  std::vector<std::string> out;
  for (const DirEntry& e : entries)
    out.push_back(e.name + (e.type == FileType::kDirectory ? "/" : ""));
  return out;
}

TEST_CASE("the index file system holds what the next commit holds, not the working tree", "[git]") {
  TempDir dir;
  InitRepo(dir.path());
  WriteFile(dir / "apps/web/kustomization.yaml", "resources: [deploy.yaml]\n");
  WriteFile(dir / "apps/web/deploy.yaml", "kind: Deployment\n");
  WriteFile(dir / "apps/web-x/a.yaml", "a\n");
  WriteFile(dir / "top.yaml", "top\n");
  CommitAll(dir.path(), "first");
  WriteFile(dir / "apps/web/deploy.yaml", "kind: Deployment # unstaged\n");
  WriteFile(dir / "apps/web/untracked.yaml", "x\n");
  WriteFile(dir / "apps/web/staged.yaml", "staged\n");
  RunGit(dir.path(), "add apps/web/staged.yaml");
  RunGit(dir.path(), "rm -q --cached top.yaml");
  RunGit(dir.path(), "update-index --add --cacheinfo 100644,$(git -C " + dir.path() +
                         " hash-object -w apps/web/staged.yaml),gone/only-in-index.yaml");

  auto repo = Open(dir.path());
  auto index = IndexFileSystem::Open(*repo, "");
  REQUIRE(index.ok());
  IndexFileSystem& fs = **index;
  CHECK(fs.root() == dir.path());

  CHECK(*fs.ReadFile(dir / "apps/web/deploy.yaml", 1 << 20) == "kind: Deployment\n");
  CHECK(*fs.ReadFile(dir / "apps/web/staged.yaml", 1 << 20) == "staged\n");
  CHECK(*fs.ReadFile(dir / "gone/only-in-index.yaml", 1 << 20) == "staged\n");
  CHECK(*fs.ReadFile(dir / "apps/x/../web/staged.yaml", 1 << 20) == "staged\n");
  for (const char* absent : {"apps/web/untracked.yaml", "top.yaml", "apps", "nope"}) {
    CAPTURE(absent);
    auto text = fs.ReadFile(dir / absent, 1 << 20);
    REQUIRE_FALSE(text.ok());
    CHECK(text.status().code() == StatusCode::kNotFound);
  }
  CHECK(fs.ReadFile(dir / "apps/web/deploy.yaml", 4).status().code() == StatusCode::kLimitExceeded);
  CHECK(fs.ReadFile("/elsewhere/apps/web/deploy.yaml", 1 << 20).status().code() ==
        StatusCode::kNotFound);

  CHECK(fs.Stat(dir / "apps/web/deploy.yaml", true)->type == FileType::kRegular);
  CHECK(fs.Stat(dir / "apps", true)->type == FileType::kDirectory);
  CHECK(fs.Stat(dir.path(), true)->type == FileType::kDirectory);
  CHECK(fs.Stat(dir / "gone", true)->type == FileType::kDirectory);
  CHECK(fs.Stat(dir / "apps/web/untracked.yaml", true).status().code() == StatusCode::kNotFound);
  CHECK(fs.Stat(dir / "ap", true).status().code() == StatusCode::kNotFound);

  CHECK(Names(*fs.ListDir(dir / "apps")) == std::vector<std::string>{"web/", "web-x/"});
  CHECK(Names(*fs.ListDir(dir / "apps/web")) ==
        std::vector<std::string>{"deploy.yaml", "kustomization.yaml", "staged.yaml"});
  CHECK(Names(*fs.ListDir(dir.path())) == std::vector<std::string>{"apps/", "gone/"});
  CHECK(fs.ListDir(dir / "top.yaml").status().code() == StatusCode::kNotFound);

  CHECK(fs.WriteFileAtomic(dir / "x.yaml", "x").code() == StatusCode::kInvalidArgument);
}

TEST_CASE("a symlink in the index is followed within the index", "[git]") {
  TempDir dir;
  InitRepo(dir.path());
  WriteFile(dir / "base/cm.yaml", "kind: ConfigMap\n");
  RunGit(dir.path(), "add base/cm.yaml");
  RunGit(dir.path(), "update-index --add --cacheinfo 120000,$(printf ../base/cm.yaml | git -C " +
                         dir.path() + " hash-object -w --stdin),app/link.yaml");
  auto repo = Open(dir.path());
  auto index = IndexFileSystem::Open(*repo, "");
  REQUIRE(index.ok());
  CHECK(*(*index)->ReadFile(dir / "app/link.yaml", 1 << 20) == "kind: ConfigMap\n");
  CHECK((*index)->Stat(dir / "app/link.yaml", false)->type == FileType::kSymlink);
  CHECK((*index)->Stat(dir / "app/link.yaml", true)->type == FileType::kRegular);
}

TEST_CASE("a file the working tree holds exactly as staged is read from the working tree",
          "[git]") {
  TempDir dir;
  InitRepo(dir.path());
  WriteFile(dir / "same.yaml", "kind: ConfigMap\n");
  WriteFile(dir / "edited.yaml", "kind: Secret\n");
  WriteFile(dir / "crlf.yaml", "a: 1\n");
  WriteFile(dir / "fifo.yaml", "kind: Service\n");
  WriteFile(dir / "deleted.yaml", "kind: Job\n");
  CommitAll(dir.path(), "first");
  WriteFile(dir / "edited.yaml", "kind: Secret # not staged\n");
  WriteFile(dir / "crlf.yaml", "a: 1\r\n");  // as a smudge filter or core.autocrlf would write
  std::filesystem::remove(dir / "fifo.yaml");
  REQUIRE(mkfifo((dir / "fifo.yaml").c_str(), 0600) == 0);
  std::filesystem::remove(dir / "deleted.yaml");

  RecordingFileSystem disk;
  auto repo = Open(dir.path());
  auto index = IndexFileSystem::Open(*repo, "", &disk);
  REQUIRE(index.ok());
  IndexFileSystem& fs = **index;
  CHECK(*fs.ReadFile(dir / "same.yaml", 1 << 20) == "kind: ConfigMap\n");
  CHECK(disk.read == std::vector<std::string>{dir / "same.yaml"});
  // Whatever differs from the staged blob is read from the blob: never the working tree's bytes.
  CHECK(*fs.ReadFile(dir / "edited.yaml", 1 << 20) == "kind: Secret\n");
  CHECK(*fs.ReadFile(dir / "crlf.yaml", 1 << 20) == "a: 1\n");
  CHECK(*fs.ReadFile(dir / "deleted.yaml", 1 << 20) == "kind: Job\n");
  // A FIFO where the index has a file is not opened (it would block).
  CHECK(*fs.ReadFile(dir / "fifo.yaml", 1 << 20) == "kind: Service\n");
  CHECK(std::find(disk.read.begin(), disk.read.end(), dir / "fifo.yaml") == disk.read.end());
  // The limit holds for either source.
  CHECK(fs.ReadFile(dir / "same.yaml", 4).status().code() == StatusCode::kLimitExceeded);
  CHECK(fs.ReadFile(dir / "edited.yaml", 4).status().code() == StatusCode::kLimitExceeded);

  // Files modified at or after the index was written may have changed within the same
  // timestamp ("racily clean"): all of them are read from their blobs.
  struct timespec times[2] = {{1, 0}, {1, 0}};
  REQUIRE(utimensat(AT_FDCWD, (dir / ".git/index").c_str(), times, 0) == 0);
  disk.read.clear();
  auto racy = IndexFileSystem::Open(*repo, "", &disk);
  REQUIRE(racy.ok());
  CHECK(*(*racy)->ReadFile(dir / "same.yaml", 1 << 20) == "kind: ConfigMap\n");
  CHECK(disk.read.empty());
}

}  // namespace
}  // namespace capstan::git
