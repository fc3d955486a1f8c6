// Publishing over ssh:// to a real sshd on 127.0.0.1: the server's host key is checked against
// a known_hosts file (libgit2 1.5 accepts any host key by itself), then the client key logs in.
#include <catch2/catch.hpp>
#include <optional>
#include <string>
#include <vector>

#include "git/publish.h"
#include "support/git_servers.h"
#include "support/shell.h"
#include "support/temp_repo.h"

namespace capstan::git {
namespace {

using capstan::testing::CreateBareRepo;
using capstan::testing::RevParse;
using capstan::testing::RunGit;
using capstan::testing::RunShell;
using capstan::testing::ShellQuote;
using capstan::testing::ShellResult;
using capstan::testing::SshGitServer;
using capstan::testing::TempDir;
using capstan::testing::WriteFile;

const std::string kBump = std::string(CAPSTAN_BINARY_DIR) + "/tools/capstan-bump";

// Generates an ed25519 key pair dir/name, dir/name.pub; returns the public key line.
std::string NewKey(const std::string& dir, const std::string& name) {
  ShellResult r = RunShell(dir, "ssh-keygen -q -t ed25519 -N '' -f " + ShellQuote(name) +
                                    " && cat " + ShellQuote(name + ".pub"));
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  return r.output;
}

// A bare repository (root declared first so it outlives the server) served by sshd, and a clone
// "work" whose origin is the repository's ssh:// URL, holding one unpushed bump commit.
struct SshRepos {
  SshRepos() {
    bare = CreateBareRepo(root.path(), "app.git", {{"app/deploy.yaml", "image: app:v1\n"}});
    RunGit(clones.path(), "clone -q " + ShellQuote(bare) + " work");
    work = clones / "work";
    RunGit(work, "remote set-url origin " + ShellQuote(server.url(bare)));
    RunGit(work, "config user.name 'Bump Bot'");
    RunGit(work, "config user.email bot@example.com");
    initial = RevParse(bare, "main");
    WriteFile(work + "/app/deploy.yaml", "image: app:v2\n");
    Result<std::string> made =
        CommitFiles(work, {{"app/deploy.yaml", "image: app:v2\n"}}, {"bump app to v2", {}, {}});
    REQUIRE(made.ok());
    commit = *made;
  }

  PublishOptions Options() const {
    PublishOptions options;
    options.reapply = [](const ReadAtTip&) -> Result<std::vector<FileUpdate>> {
      return std::vector<FileUpdate>{};
    };
    options.credentials.credential_helper = false;
    options.credentials.ssh_agent = false;  // a developer's agent must not log in for us
    options.credentials.ssh_key_file = server.client_key();
    options.credentials.known_hosts_file = server.known_hosts();
    return options;
  }

  // "cannot connect to <url>: " as Publish words a refused connection.
  std::string CannotConnect() const {
    return "cannot connect to ssh://127.0.0.1:" + std::to_string(server.port()) + bare + ": ";
  }

  TempDir root;
  TempDir clones;
  TempDir scratch;
  std::string bare;
  SshGitServer server;
  std::string work;
  std::string initial;
  std::string commit;
};

TEST_CASE("publish pushes over ssh with a key file to a host in known_hosts",
          "[integration][publish]") {
  SshRepos repos;

  Result<PublishOutcome> outcome = Publish(repos.work, repos.commit, repos.Options());
  INFO((outcome.ok() ? "" : outcome.status().message()) << "\nsshd log:\n" << repos.server.log());
  REQUIRE(outcome.ok());
  CHECK(outcome->pushed);
  CHECK(RevParse(repos.bare, "main") == repos.commit);
}

TEST_CASE("publish over ssh fetches and re-applies when the remote moved",
          "[integration][publish]") {
  SshRepos repos;
  RunGit(repos.scratch.path(), "clone -q " + ShellQuote(repos.bare) + " other");
  const std::string other = repos.scratch / "other";
  PublishOptions options = repos.Options();
  options.before_push = [&](int attempt) {
    if (attempt != 1) return;
    WriteFile(other + "/README", "moved\n");
    RunGit(other, "add -A");
    RunGit(other, "commit -q -m 'other change'");
    RunGit(other, "push -q origin main");
  };
  options.reapply = [](const ReadAtTip& read) -> Result<std::vector<FileUpdate>> {
    Result<std::optional<std::string>> content = read("app/deploy.yaml");
    if (!content.ok()) return content.status();
    return std::vector<FileUpdate>{{"app/deploy.yaml", "image: app:v2\n"}};
  };

  Result<PublishOutcome> outcome = Publish(repos.work, repos.commit, options);
  INFO((outcome.ok() ? "" : outcome.status().message()) << "\nsshd log:\n" << repos.server.log());
  REQUIRE(outcome.ok());
  CHECK(outcome->attempts == 2);
  CHECK(RevParse(repos.bare, "main") == outcome->commit);
  CHECK(RevParse(repos.bare, "main^") == RevParse(other, "HEAD"));
  CHECK(RunGit(repos.bare, "show main:app/deploy.yaml") == "image: app:v2\n");
}

TEST_CASE("publish over ssh refuses a host whose key differs from known_hosts",
          "[integration][publish]") {
  SshRepos repos;
  PublishOptions options = repos.Options();
  options.credentials.known_hosts_file = repos.scratch / "known_hosts";
  WriteFile(options.credentials.known_hosts_file,
            "[127.0.0.1]:" + std::to_string(repos.server.port()) + " " +
                NewKey(repos.scratch.path(), "impostor"));

  Result<PublishOutcome> outcome = Publish(repos.work, repos.commit, options);
  REQUIRE_FALSE(outcome.ok());
  CHECK(outcome.status().code() == StatusCode::kIoError);
  CHECK(outcome.status().message() ==
        repos.CannotConnect() + "host key for 127.0.0.1:" + std::to_string(repos.server.port()) +
            " does not match " + options.credentials.known_hosts_file +
            " (someone may be intercepting the connection)");
  CHECK(RevParse(repos.bare, "main") == repos.initial);
  CHECK(RevParse(repos.work, "HEAD") == repos.commit);
}

TEST_CASE("publish over ssh refuses a host missing from known_hosts", "[integration][publish]") {
  SshRepos repos;
  const std::string port = std::to_string(repos.server.port());
  PublishOptions options = repos.Options();
  options.credentials.known_hosts_file = repos.scratch / "known_hosts";
  // Another host on this port, and this host on other ports.
  WriteFile(options.credentials.known_hosts_file,
            "[127.0.0.2]:" + port + " " + NewKey(repos.scratch.path(), "a") + "[127.0.0.1]:2222 " +
                NewKey(repos.scratch.path(), "b"));
  const std::string file = GENERATE(as<std::string>{}, "known_hosts", "empty", "missing");
  if (file == "empty") WriteFile(repos.scratch / "empty", "");
  options.credentials.known_hosts_file = repos.scratch / file;

  Result<PublishOutcome> outcome = Publish(repos.work, repos.commit, options);
  REQUIRE_FALSE(outcome.ok());
  CHECK(outcome.status().code() == StatusCode::kIoError);
  const std::string& f = options.credentials.known_hosts_file;
  CHECK(outcome.status().message() == repos.CannotConnect() + "127.0.0.1:" + port + " is not in " +
                                          f + ": add its key first (ssh-keyscan -p " + port +
                                          " 127.0.0.1 >> " + f + ")");
  CHECK(RevParse(repos.bare, "main") == repos.initial);
}

TEST_CASE("publish over ssh without a known_hosts file refuses to connect",
          "[integration][publish]") {
  SshRepos repos;
  PublishOptions options = repos.Options();
  options.credentials.known_hosts_file = "";

  Result<PublishOutcome> outcome = Publish(repos.work, repos.commit, options);
  REQUIRE_FALSE(outcome.ok());
  CHECK(outcome.status().message() ==
        repos.CannotConnect() + "no known_hosts file to verify 127.0.0.1:" +
            std::to_string(repos.server.port()) + "'s SSH key against");
  CHECK(RevParse(repos.bare, "main") == repos.initial);
}

TEST_CASE("publish over ssh with a key the server does not know fails authentication",
          "[integration][publish]") {
  SshRepos repos;
  NewKey(repos.scratch.path(), "stranger");
  PublishOptions options = repos.Options();
  options.credentials.ssh_key_file = repos.scratch / "stranger";

  Result<PublishOutcome> outcome = Publish(repos.work, repos.commit, options);
  REQUIRE_FALSE(outcome.ok());
  CHECK(outcome.status().code() == StatusCode::kIoError);
  CHECK(outcome.status().message() ==
        "authentication failed for ssh://127.0.0.1:" + std::to_string(repos.server.port()) +
            repos.bare + ": the server refused the key file " + options.credentials.ssh_key_file);
  CHECK(RevParse(repos.bare, "main") == repos.initial);
}

TEST_CASE("capstan-bump pushes over ssh with --ssh-key and --known-hosts", "[integration][bump]") {
  TempDir root;
  const std::string bare = CreateBareRepo(
      root.path(), "config.git",
      {{"apps/api/kustomization.yaml",
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
        "resources: [deploy.yaml]\nimages:\n  - name: ghcr.io/acme/api\n    newTag: 1.4.1\n"}});
  SshGitServer server;
  TempDir dir;
  RunGit(dir.path(), "clone -q " + ShellQuote(server.url(bare)) + " ci -c core.sshCommand=" +
                         ShellQuote("ssh -i " + server.client_key() + " -o UserKnownHostsFile=" +
                                    server.known_hosts() + " -o IdentitiesOnly=yes"));
  const std::string ci = dir / "ci";
  RunGit(ci, "config user.name CI");
  RunGit(ci, "config user.email ci@example.com");
  const std::string bump = ShellQuote(kBump) +
                           " --image ghcr.io/acme/api --tag 1.4.2 --push --ssh-key " +
                           ShellQuote(server.client_key()) + " --no-credential-helper";

  SECTION("with the server in --known-hosts") {
    ShellResult r = RunShell(
        ci, "SSH_AUTH_SOCK= " + bump + " --known-hosts " + ShellQuote(server.known_hosts()));
    INFO(r.output << "\nsshd log:\n" << server.log());
    CHECK(r.exit_code == 0);
    CHECK(RunGit(bare, "show main:apps/api/kustomization.yaml").find("newTag: 1.4.2") !=
          std::string::npos);
  }
  SECTION("with HOME's known_hosts lacking the server") {
    ShellResult r = RunShell(ci, "SSH_AUTH_SOCK= HOME=" + ShellQuote(dir.path()) + " " + bump);
    INFO(r.output);
    CHECK(r.exit_code == 3);
    CHECK(r.output.find("is not in " + dir.path() + "/.ssh/known_hosts") != std::string::npos);
    CHECK(RunGit(bare, "show main:apps/api/kustomization.yaml").find("newTag: 1.4.1") !=
          std::string::npos);
  }
}

}  // namespace
}  // namespace capstan::git
