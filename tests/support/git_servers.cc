#include "support/git_servers.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/url.h"
#include "support/shell.h"

extern char** environ;

namespace capstan::testing {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kStartAttempts = 5;
constexpr auto kReadyTimeout = std::chrono::seconds(10);
constexpr auto kStopTimeout = std::chrono::seconds(5);
constexpr auto kGroupExitTimeout = std::chrono::seconds(2);
constexpr auto kPollInterval = std::chrono::milliseconds(20);

sockaddr_in Loopback(int port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string ReadFrom(const std::string& path, size_t offset) {
  std::string text = ReadAll(path);
  return offset < text.size() ? text.substr(offset) : "";
}

size_t FileSize(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? static_cast<size_t>(st.st_size) : 0;
}

void AppendLine(const std::string& path, const std::string& line) {
  std::ofstream out(path, std::ios::binary | std::ios::app);
  out << line << "\n";
}

std::string Describe(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "stopped";
}

// environ with `overrides` ("NAME=value") replacing entries of the same name.
std::vector<std::string> MergedEnvironment(const std::vector<std::string>& overrides) {
  std::vector<std::string> env = overrides;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry = *e;
    std::string name = entry.substr(0, entry.find('='));
    bool overridden = false;
    for (const std::string& o : overrides) {
      if (o.compare(0, name.size() + 1, name + "=") == 0) overridden = true;
    }
    if (!overridden) env.push_back(entry);
  }
  return env;
}

std::vector<char*> CStrings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// lighttpd's config strings have no escape for every character; our paths never need one.
std::string ConfString(const std::string& s) {
  if (s.find_first_of("\"\\\n$") != std::string::npos) {
    FAIL("cannot put " << s << " into a lighttpd config string");
  }
  return "\"" + s + "\"";
}

std::string CurrentUser() {
  const passwd* pw = ::getpwuid(::getuid());
  if (pw == nullptr) FAIL("cannot find the name of user " << ::getuid());
  return pw->pw_name;
}

void RunOrFail(const std::string& dir, const std::string& script) {
  ShellResult r = RunShell(dir, script);
  if (r.exit_code != 0) FAIL(script << " failed:\n" << r.output);
}

std::string GitExecPath() {
  std::string path = RunGit("/", "--exec-path");
  while (!path.empty() && (path.back() == '\n' || path.back() == '\r')) path.pop_back();
  return path;
}

}  // namespace

int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) FAIL("cannot create socket: " << std::strerror(errno));
  sockaddr_in addr = Loopback(0);
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    int err = errno;
    ::close(fd);
    FAIL("cannot bind 127.0.0.1:0: " << std::strerror(err));
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

int ClosedPort() { return FreePort(); }

bool AcceptsConnections(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in addr = Loopback(port);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  // A port from the ephemeral range can be handed to this very socket, and TCP then connects
  // it to itself although nothing listens.
  sockaddr_in local{};
  socklen_t len = sizeof local;
  if (ok && ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len) == 0 &&
      local.sin_port == addr.sin_port) {
    ok = false;
  }
  ::close(fd);
  return ok;
}

std::string CreateBareRepo(const std::string& root, const std::string& name,
                           const std::map<std::string, std::string>& files) {
  std::filesystem::create_directories(root);
  RunGit(root, "init -q --bare -b main " + ShellQuote(name));
  TempDir work;
  InitRepo(work.path());
  for (const auto& [path, content] : files) WriteFile(work / path, content);
  RunGit(work.path(), "add -A");
  RunGit(work.path(), "commit -q -m 'initial commit'");
  std::string bare = root + "/" + name;
  RunGit(work.path(), "push -q " + ShellQuote(bare) + " main");
  return bare;
}

ServerProcess::ServerProcess(ArgvForPort argv_for_port, std::vector<std::string> env,
                             std::string log_path, std::string ready_marker)
    : env_(std::move(env)), log_path_(std::move(log_path)), ready_marker_(std::move(ready_marker)) {
  for (int attempt = 1; attempt <= kStartAttempts; ++attempt) {
    if (StartOnce(argv_for_port)) return;
  }
  FAIL("server did not start after " << kStartAttempts << " attempts; log " << log_path_ << ":\n"
                                     << log());
}

ServerProcess::~ServerProcess() { Stop(); }

std::string ServerProcess::log() const { return ReadAll(log_path_); }

bool ServerProcess::StartOnce(const ArgvForPort& argv_for_port) {
  port_ = FreePort();
  std::vector<std::string> argv = argv_for_port(port_);
  std::vector<std::string> envp = MergedEnvironment(env_);
  std::vector<char*> c_argv = CStrings(argv);
  std::vector<char*> c_envp = CStrings(envp);
  size_t log_offset = FileSize(log_path_);

  int log_fd = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (log_fd < 0 || null_fd < 0) FAIL("cannot open " << log_path_ << " or /dev/null");

  pid_t pid = ::fork();
  if (pid == 0) {
    // Own process group, so Stop() also reaches the per-connection children and CGIs.
    ::setpgid(0, 0);
    ::dup2(null_fd, 0);
    ::dup2(log_fd, 1);
    ::dup2(log_fd, 2);
    ::execve(c_argv[0], c_argv.data(), c_envp.data());
    static const char kMsg[] = "capstan-testing: execve failed\n";
    (void)!::write(2, kMsg, sizeof kMsg - 1);
    ::_exit(127);
  }
  int fork_errno = errno;
  ::close(log_fd);
  ::close(null_fd);
  if (pid < 0) FAIL("cannot fork: " << std::strerror(fork_errno));
  // Also in the parent: Stop() may signal the group before the child ran setpgid.
  ::setpgid(pid, pid);
  pid_ = pid;

  auto deadline = Clock::now() + kReadyTimeout;
  while (Clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      AppendLine(log_path_, "capstan-testing: " + argv[0] + " " + Describe(status) +
                                " before it was ready on port " + std::to_string(port_));
      return false;
    }
    if (ReadFrom(log_path_, log_offset).find(ready_marker_) != std::string::npos &&
        AcceptsConnections(port_)) {
      return true;
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  Stop();
  FAIL(argv[0] << " not ready on port " << port_ << " after "
               << std::chrono::seconds(kReadyTimeout).count() << " s; log " << log_path_ << ":\n"
               << log());
  return false;
}

void ServerProcess::Stop() {
  if (pid_ <= 0) return;
  ::kill(-pid_, SIGTERM);
  auto deadline = Clock::now() + kStopTimeout;
  bool reaped = false;
  while (!reaped && Clock::now() < deadline) {
    reaped = ::waitpid(pid_, nullptr, WNOHANG) == pid_;
    if (!reaped) std::this_thread::sleep_for(kPollInterval);
  }
  if (!reaped) {
    ::kill(-pid_, SIGKILL);
    while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
  // The server's own children (per-connection processes, CGIs) are not ours to reap; wait
  // until the group is gone so none of them outlives the destructor. Bounded, because an
  // init that does not reap orphans would keep their zombies in the group.
  deadline = Clock::now() + kGroupExitTimeout;
  while (::kill(-pid_, 0) == 0 && Clock::now() < deadline) {
    std::this_thread::sleep_for(kPollInterval);
  }
  if (::kill(-pid_, 0) == 0) ::kill(-pid_, SIGKILL);
  pid_ = -1;
}

GitDaemon::GitDaemon(std::string root)
    : root_(std::move(root)),
      process_(
          [this](int port) {
            return std::vector<std::string>{
                GitExecPath() + "/git-daemon",
                "--reuseaddr",
                "--listen=127.0.0.1",
                "--port=" + std::to_string(port),
                "--base-path=" + root_,
                "--export-all",
                "--enable=receive-pack",
                "--informative-errors",
                "--verbose",
                "--log-destination=stderr",
                "--pid-file=" + state_ / "git-daemon.pid",
                root_,
            };
          },
          {"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null"}, state_ / "git-daemon.log",
          "Ready to rumble") {}

std::string GitDaemon::url(const std::string& repo_name) const {
  return "git://127.0.0.1:" + std::to_string(port()) + "/" + repo_name;
}

HttpGitServer::HttpGitServer(std::string root, std::string user, std::string password)
    : root_(std::move(root)),
      user_(std::move(user)),
      password_(std::move(password)),
      process_([this](int port) { return WriteConfig(port); }, {}, state_ / "lighttpd.log",
               "server started") {}

std::vector<std::string> HttpGitServer::WriteConfig(int port) const {
  std::filesystem::create_directories(state_ / "htdocs");
  std::filesystem::create_directories(state_ / "uploads");
  WriteFile(state_ / "users", user_ + ":" + password_ + "\n");
  // Every file lighttpd writes is named here (no defaults under /var); the document root is an
  // empty directory so only /git/ (http-backend) serves anything. mod_auth is listed before
  // mod_cgi so it runs first and sets REMOTE_USER for http-backend.
  std::string conf =
      "server.modules = (\"mod_alias\", \"mod_setenv\", \"mod_auth\", \"mod_authn_file\", "
      "\"mod_cgi\")\n"
      "server.bind = \"127.0.0.1\"\n"
      "server.port = " +
      std::to_string(port) +
      "\n"
      "server.document-root = " +
      ConfString(state_ / "htdocs") +
      "\n"
      "server.errorlog = " +
      ConfString(state_ / "lighttpd.log") +
      "\n"
      "server.pid-file = " +
      ConfString(state_ / "lighttpd.pid") +
      "\n"
      "server.upload-dirs = (" +
      ConfString(state_ / "uploads") +
      ")\n"
      "auth.backend = \"plain\"\n"
      "auth.backend.plain.userfile = " +
      ConfString(state_ / "users") +
      "\n"
      "auth.require = (\"\" => (\"method\" => \"basic\", \"realm\" => \"git\", "
      "\"require\" => \"valid-user\"))\n"
      "alias.url = (\"/git/\" => \"/usr/lib/git-core/git-http-backend/\")\n"
      "cgi.assign = (\"\" => \"\")\n"
      "setenv.set-environment = (\"GIT_PROJECT_ROOT\" => " +
      ConfString(root_) +
      ", \"GIT_HTTP_EXPORT_ALL\" => \"1\", \"GIT_CONFIG_NOSYSTEM\" => \"1\", "
      "\"GIT_CONFIG_GLOBAL\" => \"/dev/null\")\n";
  WriteFile(state_ / "lighttpd.conf", conf);
  return {"/usr/sbin/lighttpd", "-D", "-f", state_ / "lighttpd.conf"};
}

std::string HttpGitServer::url(const std::string& repo_name) const {
  return "http://127.0.0.1:" + std::to_string(port()) + "/git/" + repo_name;
}

std::string HttpGitServer::url_with_credentials(const std::string& repo_name) const {
  return url_with_credentials(repo_name, user_, password_);
}

std::string HttpGitServer::url_with_credentials(const std::string& repo_name,
                                                const std::string& user,
                                                const std::string& password) const {
  return "http://" + PercentEncode(user) + ":" + PercentEncode(password) +
         "@127.0.0.1:" + std::to_string(port()) + "/git/" + repo_name;
}

SshGitServer::SshGitServer()
    : user_(CurrentUser()),
      process_([this](int port) { return WriteConfig(port); }, {}, state_ / "sshd.log",
               "Server listening on") {}

std::vector<std::string> SshGitServer::WriteConfig(int port) const {
  std::filesystem::create_directories("/run/sshd");
  if (!std::filesystem::exists(state_ / "hostkey")) {
    RunOrFail(state_.path(),
              "ssh-keygen -q -t ed25519 -N '' -C capstan-test-host -f hostkey && "
              "ssh-keygen -q -t ed25519 -N '' -C capstan-test-client -f client_key && "
              "cp client_key.pub authorized_keys");
  }
  WriteFile(state_ / "known_hosts",
            "[127.0.0.1]:" + std::to_string(port) + " " + ReadAll(state_ / "hostkey.pub"));
  // sshd_config has no quoting for spaces; TempDir paths have none.
  std::string conf = "ListenAddress 127.0.0.1\n";
  conf += "HostKey " + state_ / "hostkey" + "\n";
  conf += "PidFile " + state_ / "sshd.pid" + "\n";
  conf += "AuthorizedKeysFile " + state_ / "authorized_keys" + "\n";
  conf +=
      "StrictModes no\n"
      "PasswordAuthentication no\n"
      "KbdInteractiveAuthentication no\n"
      "PubkeyAuthentication yes\n"
      "UsePAM no\n"
      "PermitRootLogin yes\n"
      "SetEnv GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null\n";
  WriteFile(state_ / "sshd_config", conf);
  return {"/usr/sbin/sshd", "-D", "-e", "-f", state_ / "sshd_config", "-p", std::to_string(port)};
}

std::string SshGitServer::url(const std::string& repo_path) const {
  return "ssh://" + user_ + "@127.0.0.1:" + std::to_string(port()) + repo_path;
}

}  // namespace capstan::testing
