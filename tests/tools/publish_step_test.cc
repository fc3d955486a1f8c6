// tools/common/publish_step.h: the flags capstan-bump and capstan-watch share.
#include "common/publish_step.h"

#include <catch2/catch.hpp>

namespace capstan::tools {
namespace {

constexpr flags::Flag kOwn[] = {{"dry-run", 'n', "", "write nothing"}};

std::vector<std::string_view> Names(const std::vector<flags::Flag>& table) {
  std::vector<std::string_view> names;
  for (const flags::Flag& f : table) names.push_back(f.name);
  return names;
}

TEST_CASE("a publishing tool's table is its own flags, the publish flags, then help and version",
          "[publish]") {
  std::vector<flags::Flag> table = WithPublishFlags(kOwn, CredentialWording::kPlain);
  CHECK(Names(table) == std::vector<std::string_view>{
                            "dry-run", "max-attempts", "token-env", "token-file", "username",
                            "ssh-key", "known-hosts", "no-credential-helper", "help", "version"});
  CHECK(Names(WithPublishFlags(kOwn, CredentialWording::kGit)) == Names(table));
  CHECK(table[2].help.find("HTTPS token") != std::string_view::npos);
  CHECK(WithPublishFlags(kOwn, CredentialWording::kGit)[2].help.find("HTTPS git token") !=
        std::string_view::npos);
}

TEST_CASE("git credential flags keep their defaults when absent and are read when given",
          "[publish]") {
  std::vector<flags::Flag> table = WithPublishFlags(kOwn, CredentialWording::kPlain);
  Result<flags::Parsed> none = flags::Parse(table, {});
  REQUIRE(none.ok());
  GitCredentialFlags defaults = ReadGitCredentialFlags(*none);
  CHECK(defaults.token_env == "CAPSTAN_GIT_TOKEN");
  CHECK(defaults.token_file.empty());
  CHECK(defaults.credential_helper);

  const std::vector<std::string> args = {
      "--token-env",   "T", "--token-file",          "t.txt", "--username", "u", "--ssh-key", "k",
      "--known-hosts", "h", "--no-credential-helper"};
  Result<flags::Parsed> given = flags::Parse(table, args);
  REQUIRE(given.ok());
  GitCredentialFlags f = ReadGitCredentialFlags(*given);
  CHECK(f.token_env == "T");
  CHECK(f.token_file == "t.txt");
  CHECK(f.username == "u");
  CHECK(f.ssh_key == "k");
  CHECK(f.known_hosts == "h");
  CHECK_FALSE(f.credential_helper);
}

}  // namespace
}  // namespace capstan::tools
