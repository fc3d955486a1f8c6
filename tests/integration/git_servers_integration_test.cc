// The test git servers (support/git_servers.h) driven by the real git CLI: clone and push over
// git:// and over http with basic auth, refusal of bad credentials, and nothing left listening
// once a server is destroyed.
#include <catch2/catch.hpp>
#include <string>

#include "support/git_servers.h"
#include "support/shell.h"
#include "support/temp_repo.h"

namespace capstan::testing {
namespace {

// Never prompts: no terminal prompt, no askpass program, no credential helper (RunShell turns
// global and system config off).
const std::string kNoPrompt = "export GIT_TERMINAL_PROMPT=0; unset GIT_ASKPASS SSH_ASKPASS\n";

// Clones url into dir/w, commits one more file and pushes it back to main.
ShellResult CloneCommitPush(const std::string& dir, const std::string& url) {
  return RunShell(dir, kNoPrompt + "git clone -q " + ShellQuote(url) +
                           " w && cd w && test \"$(cat README.md)\" = hello && "
                           "echo second > second.txt && git add second.txt && "
                           "git commit -q -m second && git push -q origin main");
}

std::string CommitCount(const std::string& bare) { return RunGit(bare, "rev-list --count main"); }

TEST_CASE("git daemon serves clone and push", "[integration]") {
  TempDir root;
  std::string bare = CreateBareRepo(root.path(), "app.git", {{"README.md", "hello\n"}});
  GitDaemon daemon(root.path());
  TempDir work;

  ShellResult r = CloneCommitPush(work.path(), daemon.url("app.git"));
  INFO(r.output << "\ndaemon log:\n" << daemon.log());
  REQUIRE(r.exit_code == 0);
  CHECK(CommitCount(bare) == "2\n");
  CHECK(daemon.log().find("Request receive-pack for '/app.git'") != std::string::npos);
}

TEST_CASE("http server serves clone and push with the right password", "[integration]") {
  TempDir root;
  std::string bare = CreateBareRepo(root.path(), "app.git", {{"README.md", "hello\n"}});
  HttpGitServer server(root.path(), "alice", "s3cret pass:word");
  TempDir work;

  ShellResult r = CloneCommitPush(work.path(), server.url_with_credentials("app.git"));
  INFO(r.output << "\nserver log:\n" << server.log());
  REQUIRE(r.exit_code == 0);
  CHECK(CommitCount(bare) == "2\n");
}

TEST_CASE("http server takes a push larger than git's post buffer", "[integration]") {
  TempDir root;
  std::string bare = CreateBareRepo(root.path(), "app.git", {{"README.md", "hello\n"}});
  HttpGitServer server(root.path(), "alice", "s3cret");
  TempDir work;

  // Incompressible and over http.postBuffer (1 MiB), so git sends a chunked request body.
  ShellResult r = RunShell(work.path(), kNoPrompt + "git clone -q " +
                                            ShellQuote(server.url_with_credentials("app.git")) +
                                            " w && cd w && head -c 3000000 /dev/urandom > blob && "
                                            "git add blob && git commit -q -m blob && "
                                            "git push -q origin main");
  INFO(r.output << "\nserver log:\n" << server.log());
  REQUIRE(r.exit_code == 0);
  CHECK(CommitCount(bare) == "2\n");
}

TEST_CASE("http server refuses a wrong password", "[integration]") {
  TempDir root;
  CreateBareRepo(root.path(), "app.git", {{"README.md", "hello\n"}});
  HttpGitServer server(root.path(), "alice", "s3cret");
  TempDir work;

  ShellResult r = RunShell(
      work.path(), kNoPrompt + "git ls-remote " +
                       ShellQuote(server.url_with_credentials("app.git", "alice", "wrong")));
  INFO(r.output);
  CHECK(r.exit_code != 0);
  CHECK(r.output.find("Authentication failed") != std::string::npos);
}

TEST_CASE("http server refuses a request without credentials", "[integration]") {
  TempDir root;
  CreateBareRepo(root.path(), "app.git", {{"README.md", "hello\n"}});
  HttpGitServer server(root.path(), "alice", "s3cret");
  TempDir work;

  ShellResult r =
      RunShell(work.path(), kNoPrompt + "git ls-remote " + ShellQuote(server.url("app.git")));
  INFO(r.output);
  CHECK(r.exit_code != 0);
}

TEST_CASE("destroyed servers no longer accept connections", "[integration]") {
  TempDir root;
  int port = 0;
  SECTION("git daemon") {
    GitDaemon daemon(root.path());
    port = daemon.port();
    REQUIRE(AcceptsConnections(port));
  }
  SECTION("http server") {
    HttpGitServer server(root.path(), "alice", "s3cret");
    port = server.port();
    REQUIRE(AcceptsConnections(port));
  }
  CHECK_FALSE(AcceptsConnections(port));
}

TEST_CASE("git cannot reach a closed port", "[integration]") {
  int port = ClosedPort();
  CHECK_FALSE(AcceptsConnections(port));
  TempDir work;
  ShellResult r =
      RunShell(work.path(),
               kNoPrompt + "git ls-remote git://127.0.0.1:" + std::to_string(port) + "/app.git");
  INFO(r.output);
  CHECK(r.exit_code != 0);
}

}  // namespace
}  // namespace capstan::testing
