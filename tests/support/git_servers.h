// Real git servers on 127.0.0.1 for integration tests (STYLE 9, after libgit2's test daemons and
// git's t/lib-httpd.sh): `git daemon` for git:// and lighttpd running `git http-backend` behind
// HTTP basic auth for http://, and OpenSSH's sshd for ssh://. Each server listens on an ephemeral
// port, keeps its config, pid and log files in its own TempDir, and is stopped (SIGTERM, then
// SIGKILL) and reaped by its destructor. Constructors fail the test (Catch2 FAIL, with the server's
// log) when the server cannot be started.
//
// Typical use:
//   TempDir root;                      // declared first so it outlives the server
//   CreateBareRepo(root.path(), "app.git", {{"README", "hi\n"}});
//   HttpGitServer server(root.path(), "alice", "s3cret");
//   RunShell(dir, "git clone " + ShellQuote(server.url_with_credentials("app.git")) + " w");
#pragma once

#include <sys/types.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "support/temp_repo.h"

namespace capstan::testing {

// A TCP port on 127.0.0.1 that was free a moment ago: bound with port 0, read back, closed.
// Another process may take it before the caller does. Fails the test when no socket can be
// bound.
int FreePort();

// A port on 127.0.0.1 where nothing listens, for "server down" tests: a FreePort() that nobody
// is started on. Connecting to it is refused (unless another process grabs it meanwhile).
int ClosedPort();

// Whether a TCP connection to 127.0.0.1:port succeeds right now (a TCP self-connect, possible
// when nothing listens, counts as no). Never fails the test.
bool AcceptsConnections(int port);

// Creates the bare repository root/name (HEAD on branch "main") holding one commit with
// `files` (path relative to the work tree -> content), made in a temporary clone with RunGit's
// fixed identity and dates and pushed to it. root is created when missing. Returns the bare
// repository's path. Fails the test on error.
// REQUIRES: files is not empty; name is a relative path (e.g. "app.git").
std::string CreateBareRepo(const std::string& root, const std::string& name,
                           const std::map<std::string, std::string>& files);

// One server process, started with fork/execve in its own process group, stdin from /dev/null
// and stdout/stderr appended to log_path. Used by the servers below; usable for other local
// servers (proxies, fake registries) the same way.
//
// The constructor picks a FreePort(), calls argv_for_port(port) (which may also write config
// files naming the port) and starts argv[0] (an absolute path) with the current environment
// plus `env` ("NAME=value" entries, overriding). The server is ready when the log written by
// this attempt contains ready_marker and the port accepts connections; it waits up to about
// 10 s for that. When the process exits first (say the port was taken) it retries with a new
// port, up to 5 attempts. On failure it stops the process and fails the test with the log.
class ServerProcess {
 public:
  using ArgvForPort = std::function<std::vector<std::string>(int port)>;

  ServerProcess(ArgvForPort argv_for_port, std::vector<std::string> env, std::string log_path,
                std::string ready_marker);
  // Sends SIGTERM to the process group, waits up to 5 s for the server to exit, then sends
  // SIGKILL and waits for it; then waits up to 2 s more for the rest of the group (the
  // server's own children) to go.
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  // Everything the server wrote to its log so far, over all start attempts ("" when the log
  // cannot be read).
  std::string log() const;

 private:
  // Returns false when the process exited before becoming ready; fails the test on timeout.
  bool StartOnce(const ArgvForPort& argv_for_port);
  void Stop();

  std::vector<std::string> env_;
  std::string log_path_;
  std::string ready_marker_;
  int port_ = 0;
  pid_t pid_ = -1;
};

// `git daemon` serving every repository under root over git://, with push (receive-pack)
// enabled and no authentication, verbose log to log(). Runs git-daemon from `git
// --exec-path` directly, with system and global git configuration off.
// REQUIRES: root exists and outlives the daemon.
class GitDaemon {
 public:
  explicit GitDaemon(std::string root);

  const std::string& root() const { return root_; }
  int port() const { return process_.port(); }
  // "git://127.0.0.1:<port>/<repo_name>", repo_name relative to root (e.g. "app.git").
  std::string url(const std::string& repo_name) const;
  std::string log() const { return process_.log(); }

 private:
  std::string root_;
  TempDir state_;  // pid file and log
  ServerProcess process_;
};

// lighttpd (/usr/sbin/lighttpd, foreground) running git-http-backend as CGI for every
// repository under root (GIT_PROJECT_ROOT, GIT_HTTP_EXPORT_ALL), with HTTP basic auth
// required for every request, so both fetch and push need user/password. Push works because
// mod_auth sets REMOTE_USER, which http-backend requires for receive-pack. Config, user file,
// pid file, upload buffers and the error log all live in the server's own TempDir; it sets no
// server.username, so it runs as the current user (root included).
// REQUIRES: root exists and outlives the server; user has no ':'; neither user nor password
// has a newline.
class HttpGitServer {
 public:
  HttpGitServer(std::string root, std::string user, std::string password);

  const std::string& root() const { return root_; }
  int port() const { return process_.port(); }
  const std::string& user() const { return user_; }
  const std::string& password() const { return password_; }
  // "http://127.0.0.1:<port>/git/<repo_name>", without credentials: git refuses to fetch it
  // unless a credential helper or prompt supplies them.
  std::string url(const std::string& repo_name) const;
  // url() with the constructor's user and password (percent-encoded) in it.
  std::string url_with_credentials(const std::string& repo_name) const;
  // url() with the given user and password (percent-encoded), e.g. a wrong password.
  std::string url_with_credentials(const std::string& repo_name, const std::string& user,
                                   const std::string& password) const;
  // lighttpd's error log, which also holds its stdout/stderr and http-backend's stderr.
  std::string log() const { return process_.log(); }

 private:
  std::vector<std::string> WriteConfig(int port) const;

  std::string root_;
  std::string user_;
  std::string password_;
  TempDir state_;  // lighttpd.conf, users, pid file, uploads, log
  ServerProcess process_;
};

// OpenSSH's sshd (/usr/sbin/sshd, foreground, log on stderr) on 127.0.0.1 letting the current
// user in with one key pair and nothing else (no password, no PAM), so ssh:// URLs reach every
// repository on this machine by absolute path. Its host key, the client key pair (ed25519, no
// passphrase), authorized_keys, a known_hosts file holding "[127.0.0.1]:<port> <host key>",
// sshd_config, pid file and log live in its own TempDir. Sessions get GIT_CONFIG_NOSYSTEM=1
// and GIT_CONFIG_GLOBAL=/dev/null. Creates /run/sshd (sshd's privilege separation directory)
// when missing.
// REQUIRES: running as root (sshd's privilege separation needs it), ssh-keygen on PATH.
class SshGitServer {
 public:
  SshGitServer();

  int port() const { return process_.port(); }
  // The current user's name (getpwuid), whom sshd lets in.
  const std::string& user() const { return user_; }
  // The client's private key; its public key is client_key() + ".pub".
  std::string client_key() const { return state_ / "client_key"; }
  // A known_hosts file naming this server and its host key.
  std::string known_hosts() const { return state_ / "known_hosts"; }
  // "ssh://<user>@127.0.0.1:<port><repo_path>".
  // REQUIRES: repo_path is absolute.
  std::string url(const std::string& repo_path) const;
  // sshd's log (-e: everything on stderr).
  std::string log() const { return process_.log(); }

 private:
  std::vector<std::string> WriteConfig(int port) const;

  std::string user_;
  TempDir state_;  // keys, authorized_keys, known_hosts, sshd_config, pid file, log
  ServerProcess process_;
};

}  // namespace capstan::testing
