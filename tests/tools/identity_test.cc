// tools/common/identity.h: who capstan-bump and capstan-watch commit as.
#include "common/identity.h"

#include <catch2/catch.hpp>
#include <map>

namespace capstan::tools {
namespace {

Env WithVariables(const std::map<std::string, std::string>& vars) {
  Env env;
  env.getenv = [vars](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
  return env;
}

const std::map<std::string, std::string> kGitVariables = {
    {"GIT_AUTHOR_NAME", "Ann"},
    {"GIT_AUTHOR_EMAIL", "ann@example.com"},
    {"GIT_COMMITTER_NAME", "CI"},
    {"GIT_COMMITTER_EMAIL", "ci@example.com"}};

TEST_CASE("an --author flag names both author and committer and wins over the git variables") {
  Result<CommitIdentity> id =
      ResolveCommitIdentity(WithVariables(kGitVariables), "Bot <bot@example.com>");
  REQUIRE(id.ok());
  CHECK(id->author.name == "Bot");
  CHECK(id->author.email == "bot@example.com");
  CHECK(id->committer.name == "Bot");
  CHECK(id->committer.email == "bot@example.com");
}

TEST_CASE("without --author the git variables give author and committer apart") {
  Result<CommitIdentity> id = ResolveCommitIdentity(WithVariables(kGitVariables), "");
  REQUIRE(id.ok());
  CHECK(id->author.name == "Ann");
  CHECK(id->author.email == "ann@example.com");
  CHECK(id->committer.name == "CI");
  CHECK(id->committer.email == "ci@example.com");
}

TEST_CASE("unset and empty git variables leave fields for git config and the default") {
  Result<CommitIdentity> id = ResolveCommitIdentity(
      WithVariables({{"GIT_AUTHOR_NAME", "Ann"}, {"GIT_COMMITTER_NAME", ""}}), "");
  REQUIRE(id.ok());
  CHECK(id->author.name == "Ann");
  CHECK(id->author.email.empty());
  CHECK(id->committer.name.empty());
  CHECK(id->committer.email.empty());
  Env no_getenv;
  CHECK(ResolveCommitIdentity(no_getenv, "")->author.name.empty());
}

TEST_CASE("an --author without an email is a usage error that does not echo a long value whole") {
  Result<CommitIdentity> id = ResolveCommitIdentity(WithVariables({}), "Bot");
  REQUIRE_FALSE(id.ok());
  CHECK(id.status().message() == "--author 'Bot' is not of the form 'Name <email>'");
  Result<CommitIdentity> long_one =
      ResolveCommitIdentity(WithVariables({}), std::string(5000, 'x'));
  REQUIRE_FALSE(long_one.ok());
  CHECK(long_one.status().message().size() < 140);
  CHECK(long_one.status().message().find("(5000 bytes)") != std::string::npos);
}

}  // namespace
}  // namespace capstan::tools
