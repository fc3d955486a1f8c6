#include "git/index_file_system.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

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

}  // namespace
}  // namespace capstan::git
