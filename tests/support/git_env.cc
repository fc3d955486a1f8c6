#include "support/git_env.h"

#include <git2.h>

#include <cstdlib>

namespace capstan::testing {
namespace {

constexpr int kLevels[] = {GIT_CONFIG_LEVEL_SYSTEM, GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_GLOBAL};

}  // namespace

HermeticGitEnv::HermeticGitEnv() {
  Set("GIT_CONFIG_NOSYSTEM", "1");
  Set("GIT_CONFIG_GLOBAL", "/dev/null");
}

HermeticGitEnv::~HermeticGitEnv() {
  for (const auto& [name, value] : saved_) {
    if (value) {
      ::setenv(name.c_str(), value->c_str(), 1);
    } else {
      ::unsetenv(name.c_str());
    }
  }
}

void HermeticGitEnv::Set(const std::string& name, const std::string& value) {
  const char* old = ::getenv(name.c_str());
  saved_.emplace_back(name, old != nullptr ? std::optional<std::string>(old) : std::nullopt);
  ::setenv(name.c_str(), value.c_str(), 1);
}

NoGlobalGitConfig::NoGlobalGitConfig() {
  git_libgit2_init();
  for (int level : kLevels) {
    git_buf buf = GIT_BUF_INIT;
    git_libgit2_opts(GIT_OPT_GET_SEARCH_PATH, level, &buf);
    saved_.emplace_back(buf.ptr != nullptr ? buf.ptr : "");
    git_buf_dispose(&buf);
    git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, empty_.path().c_str());
  }
}

NoGlobalGitConfig::~NoGlobalGitConfig() {
  for (std::size_t i = 0; i < saved_.size(); ++i) {
    git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, kLevels[i], saved_[i].c_str());
  }
  git_libgit2_shutdown();
}

}  // namespace capstan::testing
