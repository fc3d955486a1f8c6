// Git configuration isolation for tests that run git or libgit2 in-process: neither the
// machine's nor the developer's git configuration (user.name, credential helpers, insteadOf)
// may change what a test sees.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "support/temp_repo.h"

namespace capstan::testing {

// For its lifetime, sets GIT_CONFIG_NOSYSTEM=1 and GIT_CONFIG_GLOBAL=/dev/null in the process
// environment, so the git children capstan starts (`git credential`) read no system or global
// configuration; restores the previous values when destroyed.
class HermeticGitEnv {
 public:
  HermeticGitEnv();
  ~HermeticGitEnv();
  HermeticGitEnv(const HermeticGitEnv&) = delete;
  HermeticGitEnv& operator=(const HermeticGitEnv&) = delete;

 private:
  void Set(const std::string& name, const std::string& value);
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

// For its lifetime, points libgit2's system, XDG and global configuration search paths at an
// empty directory, so libgit2 in this process reads only repository configuration; restores
// them when destroyed.
class NoGlobalGitConfig {
 public:
  NoGlobalGitConfig();
  ~NoGlobalGitConfig();
  NoGlobalGitConfig(const NoGlobalGitConfig&) = delete;
  NoGlobalGitConfig& operator=(const NoGlobalGitConfig&) = delete;

 private:
  TempDir empty_;
  std::vector<std::string> saved_;
};

}  // namespace capstan::testing
