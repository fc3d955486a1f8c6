// capstan-watch's bare cache against real servers on 127.0.0.1: git daemon (git://) and
// lighttpd running git http-backend behind basic auth (http://).
#include <stdlib.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "git/publish.h"
#include "support/git_env.h"
#include "support/git_servers.h"
#include "support/temp_repo.h"

namespace capstan::git {
namespace {

using capstan::testing::CreateBareRepo;
using capstan::testing::GitDaemon;
using capstan::testing::HermeticGitEnv;
using capstan::testing::HttpGitServer;
using capstan::testing::RevParse;
using capstan::testing::RunGit;
using capstan::testing::TempDir;
using capstan::testing::WriteFile;

constexpr char kUser[] = "alice";
constexpr char kPassword[] = "s3cret-Token-47ab";

// A served bare repository (root declared first so it outlives the servers) and the path of
// capstan-watch's cache.
struct Repos {
  Repos() {
    bare = CreateBareRepo(root.path(), "app.git",
                          {{"app/deploy.yaml", "image: app:v1\n"}, {"README", "hello\n"}});
    cache = state / "cache/app.git";
    initial = RevParse(bare, "main");
  }

  TempDir root;
  TempDir state;
  std::string bare;
  std::string cache;
  std::string initial;
};

PublishOntoOptions CacheOptions(const std::string& url, const std::string& base) {
  PublishOntoOptions options;
  options.publish.remote = url;
  options.publish.branch = "main";
  options.publish.credentials.credential_helper = false;
  options.publish.credentials.ssh_agent = false;
  options.publish.reapply = [](const ReadAtTip& read) -> Result<std::vector<FileUpdate>> {
    Result<std::optional<std::string>> content = read("app/deploy.yaml");
    if (!content.ok()) return content.status();
    if (!*content || **content != "image: app:v1\n") return std::vector<FileUpdate>{};
    return std::vector<FileUpdate>{{"app/deploy.yaml", "image: app:v2\n"}};
  };
  options.base = base;
  options.follow_local = false;
  return options;
}

const CommitRequest kRequest = {
    "bump app to v2", {"Watch Bot", "watch@example.com"}, {"Watch Bot", "watch@example.com"}};

TEST_CASE("a bare cache fetches and publishes onto a git daemon", "[integration][publish_onto]") {
  Repos repos;
  GitDaemon daemon(repos.root.path());
  const std::string url = daemon.url("app.git");
  REQUIRE(EnsureBareRepository(repos.cache).ok());
  Credentials credentials;
  credentials.credential_helper = false;
  Result<std::optional<std::string>> base = FetchBranch(repos.cache, url, "main", credentials);
  REQUIRE(base.ok());
  REQUIRE(*base);
  CHECK(**base == repos.initial);

  Result<PublishOutcome> outcome = PublishOnto(repos.cache, kRequest, CacheOptions(url, **base));
  REQUIRE(outcome.ok());
  CHECK(outcome->pushed);
  CHECK(outcome->attempts == 1);
  CHECK(RevParse(repos.bare, "main") == outcome->commit);
  CHECK(RevParse(repos.bare, "main~1") == repos.initial);
  CHECK(RunGit(repos.bare, "show main:app/deploy.yaml") == "image: app:v2\n");
}

TEST_CASE("publish onto fails when the remote branch is deleted while pushing",
          "[integration][publish_onto]") {
  Repos repos;
  GitDaemon daemon(repos.root.path());
  const std::string url = daemon.url("app.git");
  REQUIRE(EnsureBareRepository(repos.cache).ok());
  // Deletes main while receive-pack holds our update, so its compare-and-swap fails.
  WriteFile(repos.bare + "/hooks/pre-receive",
            "#!/bin/sh\nunset GIT_QUARANTINE_PATH\ngit update-ref -d refs/heads/main\n");
  REQUIRE(::chmod((repos.bare + "/hooks/pre-receive").c_str(), 0755) == 0);

  Result<PublishOutcome> outcome = PublishOnto(repos.cache, kRequest, CacheOptions(url, ""));
  REQUIRE_FALSE(outcome.ok());
  CHECK(outcome.status().code() == StatusCode::kIoError);
  CHECK(outcome.status().message() ==
        "cannot push to " + url + ": main was deleted on the remote while pushing");
  CHECK(RunGit(repos.bare, "for-each-ref refs/heads").empty());
}

TEST_CASE("a bare cache with a wrong token fails to fetch and to publish without showing it",
          "[integration][publish_onto]") {
  HermeticGitEnv hermetic;
  Repos repos;
  HttpGitServer server(repos.root.path(), kUser, kPassword);
  const std::string url = server.url("app.git");
  const std::string wrong = "wrong-token-8e2f";
  REQUIRE(EnsureBareRepository(repos.cache).ok());
  Credentials credentials;
  credentials.credential_helper = false;
  credentials.username = kUser;
  credentials.token = wrong;
  credentials.token_source = "$CAPSTAN_GIT_TOKEN";
  const std::string expected =
      "authentication failed for " + url + ": the server refused the token from $CAPSTAN_GIT_TOKEN";

  Result<std::optional<std::string>> base = FetchBranch(repos.cache, url, "main", credentials);
  REQUIRE_FALSE(base.ok());
  CHECK(base.status().code() == StatusCode::kIoError);
  CHECK(base.status().message() == expected);

  PublishOntoOptions options = CacheOptions(url, "");
  options.publish.credentials = credentials;
  Result<PublishOutcome> outcome = PublishOnto(repos.cache, kRequest, options);
  REQUIRE_FALSE(outcome.ok());
  CHECK(outcome.status().message() == expected);
  CHECK(outcome.status().message().find(wrong) == std::string::npos);
  CHECK(RevParse(repos.bare, "main") == repos.initial);
}

TEST_CASE("a bare cache publishes over http with the token", "[integration][publish_onto]") {
  HermeticGitEnv hermetic;
  Repos repos;
  HttpGitServer server(repos.root.path(), kUser, kPassword);
  const std::string url = server.url("app.git");
  REQUIRE(EnsureBareRepository(repos.cache).ok());
  PublishOntoOptions options = CacheOptions(url, "");
  options.publish.credentials.username = kUser;
  options.publish.credentials.token = kPassword;

  Result<PublishOutcome> outcome = PublishOnto(repos.cache, kRequest, options);
  REQUIRE(outcome.ok());
  CHECK(outcome->pushed);
  CHECK(RevParse(repos.bare, "main") == outcome->commit);
  CHECK(RevParse(repos.cache, "refs/capstan/fetch-tip") == repos.initial);
}

}  // namespace
}  // namespace capstan::git
