// Real temp directories and git repositories for tests (STYLE 9): the real `git` CLI, fixed
// author, committer and dates, no system or user configuration.
#pragma once

#include <string>

namespace capstan::testing {

// A fresh, unique directory (mkdtemp under $TMPDIR or /tmp), removed with everything in it
// when destroyed. path() is absolute and symlink-free.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path() joined with a relative path.
  std::string operator/(const std::string& rel) const { return path_ + "/" + rel; }

 private:
  std::string path_;
};

// Writes `content` to `path`, creating missing parent directories. Fails the test on error.
void WriteFile(const std::string& path, const std::string& content);

// Runs `git -C dir <args>` through the shell (args are spliced in as written, so quote them
// yourself) with a fixed identity and dates and without system/global config. Returns stdout
// and stderr combined; fails the test when git exits non-zero.
std::string RunGit(const std::string& dir, const std::string& args);

// `git init` on a new branch "main" in dir (created when missing).
void InitRepo(const std::string& dir);

// The content of the file at path; "" when it cannot be read.
std::string ReadFile(const std::string& path);

// `git rev-parse <rev>` in dir without the newline. Fails the test when git does.
std::string RevParse(const std::string& dir, const std::string& rev);

// Stages everything in dir and commits (an empty commit when nothing changed) with `message`
// (no single quotes); returns the new commit's id.
std::string CommitAll(const std::string& dir, const std::string& message);

}  // namespace capstan::testing
