#include "support/temp_repo.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace capstan::testing {
namespace {

namespace fs = std::filesystem;

// remove_all cannot descend into a directory whose permissions a test took away.
void MakeWritable(const fs::path& root) {
  std::error_code ec;
  fs::permissions(root, fs::perms::owner_all, fs::perm_options::add, ec);
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (it->is_directory(ec) && !it->is_symlink(ec)) {
      fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ec);
    }
  }
}

}  // namespace

TempDir::TempDir() {
  const char* tmp = ::getenv("TMPDIR");
  std::string pattern =
      std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/capstan-test-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) FAIL("mkdtemp failed for " << pattern);
  path_ = fs::canonical(pattern).string();
}

TempDir::~TempDir() {
  std::error_code ec;
  MakeWritable(path_);
  fs::remove_all(path_, ec);
}

void WriteFile(const std::string& path, const std::string& content) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  out.close();
  if (!out) FAIL("cannot write " << path);
}

std::string RunGit(const std::string& dir, const std::string& args) {
  std::string cmd =
      "GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null "
      "GIT_AUTHOR_DATE='2024-01-01T00:00:00Z' GIT_COMMITTER_DATE='2024-01-01T00:00:00Z' "
      "git -C '" +
      dir + "' -c user.name=t -c user.email=t@example.com " + args + " 2>&1";
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (pipe == nullptr) FAIL("cannot run " << cmd);
  std::string output;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) output.append(buf, n);
  int rc = ::pclose(pipe);
  if (rc == -1 || !WIFEXITED(rc) || WEXITSTATUS(rc) != 0) {
    FAIL("`git " << args << "` in " << dir << " failed:\n" << output);
  }
  return output;
}

void InitRepo(const std::string& dir) {
  fs::create_directories(dir);
  RunGit(dir, "init -q -b main");
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string RevParse(const std::string& dir, const std::string& rev) {
  std::string id = RunGit(dir, "rev-parse " + rev);
  while (!id.empty() && (id.back() == '\n' || id.back() == ' ')) id.pop_back();
  return id;
}

std::string CommitAll(const std::string& dir, const std::string& message) {
  RunGit(dir, "add -A");
  RunGit(dir, "commit -q --allow-empty -m '" + message + "'");
  return RevParse(dir, "HEAD");
}

}  // namespace capstan::testing
