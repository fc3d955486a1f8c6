#include "fs/posix_file_system.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "support/temp_repo.h"

namespace capstan::fs {
namespace {

using testing::TempDir;
using testing::WriteFile;

TEST_CASE("rename replaces the target and moves a symlink itself", "[fs]") {
  TempDir tmp;
  PosixFileSystem fs;
  WriteFile(tmp / "a", "new");
  WriteFile(tmp / "b", "old");
  REQUIRE(fs.Rename(tmp / "a", tmp / "b").ok());
  CHECK(*fs.ReadFile(tmp / "b", 100) == "new");
  CHECK(fs.Stat(tmp / "a", false).status().code() == StatusCode::kNotFound);

  REQUIRE(::symlink("b", (tmp / "link").c_str()) == 0);
  REQUIRE(fs.Rename(tmp / "link", tmp / "link2").ok());
  CHECK(fs.Stat(tmp / "link2", false)->type == FileType::kSymlink);
  CHECK(*fs.ReadFile(tmp / "link2", 100) == "new");
}

TEST_CASE("renaming a missing file is kNotFound", "[fs]") {
  TempDir tmp;
  PosixFileSystem fs;
  Status s = fs.Rename(tmp / "missing", tmp / "b");
  CHECK(s.code() == StatusCode::kNotFound);
  CHECK(s.message() == "cannot rename '" + (tmp / "missing") + "' to '" + (tmp / "b") +
                           "': no such file or directory");
}

TEST_CASE("remove deletes a file and reports a missing one", "[fs]") {
  TempDir tmp;
  PosixFileSystem fs;
  WriteFile(tmp / "a", "x");
  REQUIRE(fs.Remove(tmp / "a").ok());
  CHECK(fs.Remove(tmp / "a").code() == StatusCode::kNotFound);
}

TEST_CASE("set mode changes the permission bits", "[fs]") {
  TempDir tmp;
  PosixFileSystem fs;
  WriteFile(tmp / "hook", "#!/bin/sh\n");
  REQUIRE(fs.SetMode(tmp / "hook", 0755).ok());
  CHECK(fs.Stat(tmp / "hook", true)->mode == 0755);
  CHECK(fs.SetMode(tmp / "missing", 0755).code() == StatusCode::kNotFound);
}

TEST_CASE("create directories makes missing parents and accepts existing ones", "[fs]") {
  TempDir tmp;
  PosixFileSystem fs;
  REQUIRE(fs.CreateDirectories(tmp / "a/b/c").ok());
  CHECK(fs.Stat(tmp / "a/b/c", true)->type == FileType::kDirectory);
  CHECK(fs.CreateDirectories(tmp / "a/b").ok());
  WriteFile(tmp / "file", "x");
  CHECK(fs.CreateDirectories(tmp / "file/sub").code() == StatusCode::kIoError);
  CHECK(fs.CreateDirectories(tmp / "file").code() == StatusCode::kIoError);
}

}  // namespace
}  // namespace capstan::fs
