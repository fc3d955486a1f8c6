#include "registry/docker_config.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "common/real_env.h"
#include "support/temp_repo.h"

namespace capstan::registry {
namespace {

// "alice:s3cret" and "bob:pa:ss" (a password may hold ':').
constexpr const char* kAliceAuth = "YWxpY2U6czNjcmV0";
constexpr const char* kBobAuth = "Ym9iOnBhOnNz";

DockerConfig MustParse(const std::string& json) {
  Result<DockerConfig> config = ParseDockerConfig(json);
  INFO(config.status().message());
  REQUIRE(config.ok());
  return *config;
}

HelperRunner NoHelper() {
  return [](const std::string&, const std::string&) -> Result<std::string> {
    FAIL("no helper should run");
    return std::string();
  };
}

TEST_CASE("auths keys normalise to the registry host", "[registry]") {
  auto [key, host] = GENERATE(table<std::string, std::string>({
      {"ghcr.io", "ghcr.io"},
      {"https://ghcr.io", "ghcr.io"},
      {"https://ghcr.io/v2/", "ghcr.io"},
      {"http://localhost:5000", "localhost:5000"},
      {"registry.example.com:5000", "registry.example.com:5000"},
      {"https://index.docker.io/v1/", "docker.io"},
      {"index.docker.io", "docker.io"},
      {"registry-1.docker.io", "docker.io"},
      {"docker.io", "docker.io"},
  }));
  CAPTURE(key);
  DockerConfig config =
      MustParse(R"({"auths": {")" + key + R"(": {"auth": ")" + kAliceAuth + R"("}}})");
  REQUIRE(config.auths.count(host) == 1);
  CHECK(config.auths.at(host).username == "alice");
  CHECK(config.auths.at(host).password == "s3cret");
}

TEST_CASE("auths entries decode auth, read username and password, and keep identitytoken",
          "[registry]") {
  auto [entry, username, password,
        token] = GENERATE(table<std::string, std::string, std::string, std::string>({
      {std::string(R"({"auth": ")") + kBobAuth + R"("})", "bob", "pa:ss", ""},
      {R"({"auth": "YWxpY2U6czNjcmV0"})", "alice", "s3cret", ""},
      {R"({"username": "carol", "password": "hunter2"})", "carol", "hunter2", ""},
      {std::string(R"({"auth": ")") + kAliceAuth + R"(", "username": "ignored", "password": "x"})",
       "alice", "s3cret", ""},
      {R"({"identitytoken": "refresh-tok"})", "", "", "refresh-tok"},
      {R"({"auth": "PHRva2VuPjo=", "identitytoken": "refresh-tok"})", "<token>", "", "refresh-tok"},
  }));
  CAPTURE(entry);
  DockerConfig config = MustParse(R"({"auths": {"ghcr.io": )" + entry + "}}");
  REQUIRE(config.auths.count("ghcr.io") == 1);
  const RegistryCredential& cred = config.auths.at("ghcr.io");
  CHECK(cred.username == username);
  CHECK(cred.password == password);
  CHECK(cred.identity_token == token);
}

TEST_CASE("docker config reads credHelpers and credsStore and drops empty auths entries",
          "[registry]") {
  DockerConfig config = MustParse(R"({
    "auths": {"https://index.docker.io/v1/": {}},
    "credHelpers": {"gcr.io": "gcloud", "https://123.dkr.ecr.us-east-1.amazonaws.com": "ecr-login"},
    "credsStore": "desktop",
    "currentContext": "default"
  })");
  CHECK(config.auths.empty());
  CHECK(config.cred_helpers ==
        std::map<std::string, std::string>{{"gcr.io", "gcloud"},
                                           {"123.dkr.ecr.us-east-1.amazonaws.com", "ecr-login"}});
  CHECK(config.creds_store == "desktop");
}

TEST_CASE("invalid docker configs fail without echoing their content", "[registry]") {
  auto [json, expected] = GENERATE(table<std::string, std::string>({
      {R"({"auths": {"ghcr.io": {"auth": "not*base64"}}})", "'auth' of registry 'ghcr.io'"},
      {R"({"auths": {"ghcr.io": {"auth": "bm9jb2xvbg=="}}})", "'auth' of registry 'ghcr.io'"},
      {R"({"auths": {"ghcr.io": {"auth": "not*base64", "password": "hunter2"}}})",
       "'auth' of registry"},
      {R"({"auths": {"ghcr.io": {"password": 7}}})",
       "'password' of registry 'ghcr.io' is not a string"},
      {R"({"auths": ["hunter2"]})", "'auths' is not an object"},
      {R"({"credHelpers": {"gcr.io": 1}})", "credHelpers entry for registry 'gcr.io'"},
      {R"({"credsStore": ["x"]})", "'credsStore'"},
      {R"({"auths": {"ghcr.io": {"auth": "hunter2)", "not JSON"},
      {R"(["hunter2"])", "top level is not an object"},
  }));
  CAPTURE(json);
  Result<DockerConfig> config = ParseDockerConfig(json);
  REQUIRE_FALSE(config.ok());
  CHECK(config.status().code() == StatusCode::kInvalidArgument);
  CHECK_THAT(config.status().message(), Catch::StartsWith("invalid docker config: "));
  CHECK_THAT(config.status().message(), Catch::Contains(expected));
  CHECK_THAT(config.status().message(),
             !Catch::Contains("hunter2") && !Catch::Contains("base64\"") &&
                 !Catch::Contains("bm9jb2xvbg") && !Catch::Contains("not*"));
}

struct HelperCall {
  std::string helper;
  std::string server_url;
};

// A fake helper that answers `reply` and records each call.
HelperRunner Recording(std::vector<HelperCall>& calls, std::string reply) {
  return [&calls, reply](const std::string& helper,
                         const std::string& server_url) -> Result<std::string> {
    calls.push_back({helper, server_url});
    return reply;
  };
}

TEST_CASE("look-up prefers credHelpers, then credsStore, then auths, as docker does",
          "[registry]") {
  DockerConfig config = MustParse(std::string(R"({
    "auths": {"ghcr.io": {"auth": ")") +
                                  kAliceAuth + R"("}, "quay.io": {"auth": ")" + kBobAuth + R"("}},
    "credHelpers": {"quay.io": "quayhelper"},
    "credsStore": "desktop"
  })");
  std::vector<HelperCall> calls;
  HelperRunner run =
      Recording(calls, R"({"ServerURL": "x", "Username": "helper-user", "Secret": "helper-pw"})");

  Result<std::optional<RegistryCredential>> quay = LookUp(config, "quay.io", run);
  REQUIRE(quay.ok());
  REQUIRE(quay->has_value());
  CHECK((*quay)->username == "helper-user");
  CHECK((*quay)->password == "helper-pw");
  REQUIRE(calls.size() == 1);
  CHECK(calls[0].helper == "quayhelper");
  CHECK(calls[0].server_url == "quay.io");

  Result<std::optional<RegistryCredential>> ghcr = LookUp(config, "ghcr.io", run);
  REQUIRE(ghcr.ok());
  REQUIRE(ghcr->has_value());
  CHECK((*ghcr)->username == "helper-user");
  REQUIRE(calls.size() == 2);
  CHECK(calls[1].helper == "desktop");

  Result<std::optional<RegistryCredential>> hub = LookUp(config, "index.docker.io", run);
  REQUIRE(hub.ok());
  REQUIRE(hub->has_value());
  REQUIRE(calls.size() == 3);
  CHECK(calls[2].helper == "desktop");
  CHECK(calls[2].server_url == "https://index.docker.io/v1/");

  // The store knowing nothing of a host leaves its auths entry.
  std::vector<HelperCall> none_calls;
  Result<std::optional<RegistryCredential>> fallback =
      LookUp(config, "ghcr.io", Recording(none_calls, ""));
  REQUIRE(fallback.ok());
  REQUIRE(fallback->has_value());
  CHECK((*fallback)->username == "alice");
}

TEST_CASE("look-up without any source finds nothing", "[registry]") {
  DockerConfig config =
      MustParse(std::string(R"({"auths": {"ghcr.io": {"auth": ")") + kAliceAuth + R"("}}})");
  Result<std::optional<RegistryCredential>> found = LookUp(config, "quay.io", NoHelper());
  REQUIRE(found.ok());
  CHECK_FALSE(found->has_value());
}

TEST_CASE("a helper's <token> username means the secret is an identity token", "[registry]") {
  DockerConfig config = MustParse(R"({"credsStore": "desktop"})");
  std::vector<HelperCall> calls;
  Result<std::optional<RegistryCredential>> found = LookUp(
      config, "ghcr.io",
      Recording(calls, R"({"ServerURL": "ghcr.io", "Username": "<token>", "Secret": "rt"})"));
  REQUIRE(found.ok());
  REQUIRE(found->has_value());
  CHECK((*found)->identity_token == "rt");
  CHECK((*found)->username.empty());
  CHECK((*found)->password.empty());
}

TEST_CASE("look-up maps a helper's empty answer to nothing and bad output to an error",
          "[registry]") {
  DockerConfig config = MustParse(R"({"credsStore": "desktop"})");
  std::vector<HelperCall> calls;
  Result<std::optional<RegistryCredential>> empty = LookUp(config, "ghcr.io", Recording(calls, ""));
  REQUIRE(empty.ok());
  CHECK_FALSE(empty->has_value());

  Result<std::optional<RegistryCredential>> bad =
      LookUp(config, "ghcr.io", Recording(calls, R"({"Username": "u", "Secret": "hunter2")"));
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().code() == StatusCode::kIoError);
  CHECK_THAT(bad.status().message(),
             Catch::Contains("docker-credential-desktop") && !Catch::Contains("hunter2"));

  HelperRunner failing = [](const std::string&, const std::string&) -> Result<std::string> {
    return Status::IoError("credential helper docker-credential-desktop failed (exit 3)");
  };
  Result<std::optional<RegistryCredential>> failed = LookUp(config, "ghcr.io", failing);
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.status().message() == "credential helper docker-credential-desktop failed (exit 3)");
}

// Writes an executable docker-credential-<name> into dir.
void WriteHelper(const testing::TempDir& dir, const std::string& name, const std::string& body) {
  std::string path = dir / ("docker-credential-" + name);
  testing::WriteFile(path, "#!/bin/sh\n" + body);
  REQUIRE(::chmod(path.c_str(), 0755) == 0);
}

TEST_CASE("process helper runner runs a real docker-credential helper", "[registry]") {
  testing::TempDir empty_dir;
  testing::TempDir dir;
  WriteHelper(
      dir, "fake",
      "[ \"$1\" = get ] || exit 9\n"
      "read -r url\n"
      "case \"$url\" in\n"
      "  ghcr.io) printf '{\"ServerURL\":\"%s\",\"Username\":\"alice\",\"Secret\":\"s3cret\"}\\n' "
      "\"$url\" ;;\n"
      "  https://index.docker.io/v1/) printf "
      "'{\"ServerURL\":\"%s\",\"Username\":\"<token>\",\"Secret\":\"rt\"}' \"$url\" ;;\n"
      "  *) echo 'credentials not found in native keychain'; exit 1 ;;\n"
      "esac\n");
  WriteHelper(dir, "broken", "echo 'hunter2 leaked on stderr' >&2\nexit 2\n");
  WriteHelper(dir, "exits-one", "echo 'something else' \nexit 1\n");
  HelperRunner run =
      ProcessHelperRunner(tools::RunWithProcessEnvironment, {"", empty_dir.path(), dir.path()});
  DockerConfig config = MustParse(R"({"credsStore": "fake"})");

  SECTION("found") {
    Result<std::optional<RegistryCredential>> found = LookUp(config, "ghcr.io", run);
    INFO(found.status().message());
    REQUIRE(found.ok());
    REQUIRE(found->has_value());
    CHECK((*found)->username == "alice");
    CHECK((*found)->password == "s3cret");

    Result<std::optional<RegistryCredential>> hub = LookUp(config, "docker.io", run);
    REQUIRE(hub.ok());
    REQUIRE(hub->has_value());
    CHECK((*hub)->identity_token == "rt");
  }
  SECTION("not found is no credential") {
    Result<std::optional<RegistryCredential>> found = LookUp(config, "quay.io", run);
    INFO(found.status().message());
    REQUIRE(found.ok());
    CHECK_FALSE(found->has_value());
  }
  SECTION("a failing helper is an error without its stderr") {
    Result<std::string> out = run("broken", "ghcr.io");
    REQUIRE_FALSE(out.ok());
    CHECK(out.status().code() == StatusCode::kIoError);
    CHECK(out.status().message() == "credential helper docker-credential-broken failed (exit 2)");
  }
  SECTION("exit 1 without 'credentials not found' is an error") {
    Result<std::string> out = run("exits-one", "ghcr.io");
    REQUIRE_FALSE(out.ok());
    CHECK(out.status().message() ==
          "credential helper docker-credential-exits-one failed (exit 1)");
  }
  SECTION("a missing helper is an error") {
    Result<std::string> out = run("absent", "ghcr.io");
    REQUIRE_FALSE(out.ok());
    CHECK(out.status().code() == StatusCode::kNotFound);
    CHECK_THAT(out.status().message(), Catch::Contains("docker-credential-absent"));
  }
  SECTION("a helper name that could escape the search path is refused") {
    std::string name = GENERATE(std::string("../fake"), std::string("a/b"), std::string(""),
                                std::string("Fake"), std::string("fake bar"));
    CAPTURE(name);
    Result<std::string> out = run(name, "ghcr.io");
    REQUIRE_FALSE(out.ok());
    CHECK(out.status().code() == StatusCode::kInvalidArgument);
  }
}

TEST_CASE("process helper runner kills a helper that does not answer in time", "[registry]") {
  testing::TempDir dir;
  WriteHelper(dir, "slow", "exec sleep 30\n");
  HelperRunner run = ProcessHelperRunner(tools::RunWithProcessEnvironment, {dir.path()},
                                         std::chrono::milliseconds(200));
  auto start = std::chrono::steady_clock::now();
  Result<std::string> out = run("slow", "ghcr.io");
  REQUIRE_FALSE(out.ok());
  CHECK(out.status().code() == StatusCode::kTimeout);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
}

TEST_CASE("a number too large for a double is a config error, not a crash", "[registry]") {
  // Found by the docker_config fuzz target: nlohmann's out_of_range escaped the parse_error
  // handler and aborted capstan-watch.
  auto config = ParseDockerConfig(R"({"auths": {"ghcr.io": {"auth": 1e999}}})");
  REQUIRE_FALSE(config.ok());
  CHECK(config.status().message().find("a number out of range") != std::string::npos);
}

}  // namespace
}  // namespace capstan::registry
