#include "watch/registry_auth.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <map>

#include "common/real_env.h"
#include "core/system_clock.h"
#include "fs/posix_file_system.h"
#include "support/temp_repo.h"

namespace capstan::tools::watch {
namespace {

using testing::TempDir;
using testing::WriteFile;

struct Fixture {
  TempDir dir;
  fs::PosixFileSystem fs;
  std::map<std::string, std::string> vars;
  Env env;
  Fixture() {
    env.fs = &fs;
    env.run_subprocess = tools::RunWithProcessEnvironment;
    env.getenv = [this](std::string_view name) -> std::optional<std::string> {
      auto it = vars.find(std::string(name));
      if (it == vars.end()) return std::nullopt;
      return it->second;
    };
  }
  policy::RegistrySettings Setting(const std::string& host, const std::string& credentials) {
    policy::RegistrySettings r;
    r.host = host;
    r.credentials = credentials;
    return r;
  }
};

TEST_CASE("registry credentials come from env:, file: and ext: settings",
          "[watch][registry_auth]") {
  Fixture f;
  f.vars["REG_CREDS"] = "robot:pw-env-1";
  WriteFile(f.dir.path() + "/creds", "robot:pw-file-2\n");
  WriteFile(f.dir.path() + "/helper.sh", "#!/bin/sh\necho robot:pw-ext-3\n");
  chmod((f.dir.path() + "/helper.sh").c_str(), 0755);
  AuthSettings settings;
  settings.registries = {f.Setting("a.example", "env:REG_CREDS"),
                         f.Setting("b.example", "file:" + f.dir.path() + "/creds"),
                         f.Setting("c.example", "ext:" + f.dir.path() + "/helper.sh")};
  registry::CredentialLookup lookup = MakeCredentialLookup(f.env, settings);

  auto a = lookup("a.example");
  REQUIRE(a.ok());
  REQUIRE(a->has_value());
  CHECK((*a)->username == "robot");
  CHECK((*a)->password == "pw-env-1");
  auto b = lookup("b.example");
  REQUIRE(b.ok());
  CHECK((*b)->password == "pw-file-2");
  auto c = lookup("c.example");
  REQUIRE(c.ok());
  CHECK((*c)->password == "pw-ext-3");
  // A host with no setting and no Docker config is anonymous.
  auto d = lookup("d.example");
  REQUIRE(d.ok());
  CHECK_FALSE(d->has_value());
}

TEST_CASE("a malformed or missing credential fails with a message that holds no secret",
          "[watch][registry_auth]") {
  Fixture f;
  f.vars["NO_COLON"] = "just-a-secret-token";
  WriteFile(f.dir.path() + "/fail.sh", "#!/bin/sh\necho robot:leaked-pw\nexit 4\n");
  chmod((f.dir.path() + "/fail.sh").c_str(), 0755);
  AuthSettings settings;
  settings.registries = {f.Setting("a.example", "env:NO_COLON"),
                         f.Setting("b.example", "env:UNSET"),
                         f.Setting("c.example", "file:" + f.dir.path() + "/missing"),
                         f.Setting("d.example", "ext:" + f.dir.path() + "/fail.sh")};
  registry::CredentialLookup lookup = MakeCredentialLookup(f.env, settings);

  auto a = lookup("a.example");
  REQUIRE_FALSE(a.ok());
  CHECK(a.status().message() ==
        "cannot read registry credentials for a.example from $NO_COLON: expected user:password");
  auto b = lookup("b.example");
  REQUIRE_FALSE(b.ok());
  CHECK(b.status().message() ==
        "cannot read registry credentials for b.example: $UNSET is not set");
  auto c = lookup("c.example");
  REQUIRE_FALSE(c.ok());
  CHECK(c.status().code() == StatusCode::kNotFound);
  auto d = lookup("d.example");
  REQUIRE_FALSE(d.ok());
  CHECK(d.status().message().find("exited with 4") != std::string::npos);
  CHECK(d.status().message().find("leaked-pw") == std::string::npos);
}

TEST_CASE("without a setting, the Docker config answers, read afresh on every lookup",
          "[watch][registry_auth]") {
  Fixture f;
  const std::string config = f.dir.path() + "/config.json";
  // "alice:pw-1" and "alice:pw-2" in base64.
  WriteFile(config, R"({"auths": {"ghcr.io": {"auth": "YWxpY2U6cHctMQ=="}}})");
  registry::CredentialLookup lookup = MakeCredentialLookup(f.env, AuthSettings{{}, config});
  auto first = lookup("ghcr.io");
  REQUIRE(first.ok());
  CHECK((*first)->password == "pw-1");
  WriteFile(config, R"({"auths": {"https://ghcr.io/v2/": {"auth": "YWxpY2U6cHctMg=="}}})");
  auto second = lookup("ghcr.io");
  REQUIRE(second.ok());
  CHECK((*second)->password == "pw-2");
  CHECK_FALSE(lookup("quay.io")->has_value());
  // A Docker config that is not there means anonymous, not an error.
  CHECK_FALSE(MakeCredentialLookup(f.env, AuthSettings{{}, f.dir.path() + "/none.json"})("ghcr.io")
                  ->has_value());
}

TEST_CASE("the default Docker config follows DOCKER_CONFIG, then HOME", "[watch][registry_auth]") {
  Fixture f;
  CHECK(DefaultDockerConfig(f.env).empty());
  f.vars["HOME"] = "/home/ci";
  CHECK(DefaultDockerConfig(f.env) == "/home/ci/.docker/config.json");
  f.vars["DOCKER_CONFIG"] = "/run/docker";
  CHECK(DefaultDockerConfig(f.env) == "/run/docker/config.json");
}

}  // namespace
}  // namespace capstan::tools::watch
