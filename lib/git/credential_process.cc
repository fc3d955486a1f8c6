#include "git/credential_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <string_view>
#include <vector>

extern char** environ;

namespace capstan::git::internal {
namespace {

// A helper that never answers must not hang a push.
constexpr int kHelperTimeoutMs = 30000;

long long NowMs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<long long>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

void CloseFd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

}  // namespace

std::optional<std::string> RunGitCredential(const std::string& dir, const char* action,
                                            const std::string& input) {
  int in[2] = {-1, -1};
  int out[2] = {-1, -1};
  // A socket for stdin so that a helper exiting early cannot raise SIGPIPE in this process.
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) != 0) return std::nullopt;
  if (::pipe2(out, O_CLOEXEC) != 0) {
    CloseFd(in[0]);
    CloseFd(in[1]);
    return std::nullopt;
  }

  std::vector<std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view v(*e);
    if (v.starts_with("GIT_TERMINAL_PROMPT=") || v.starts_with("GIT_ASKPASS=") ||
        v.starts_with("SSH_ASKPASS=")) {
      continue;
    }
    env.emplace_back(v);
  }
  env.emplace_back("GIT_TERMINAL_PROMPT=0");
  env.emplace_back("GIT_ASKPASS=");
  env.emplace_back("SSH_ASKPASS=");
  std::vector<char*> envp;
  for (std::string& s : env) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::string git = "git", dash_c = "-C", dir_arg = dir, credential = "credential",
              action_arg = action;
  char* argv[] = {git.data(),        dash_c.data(),     dir_arg.data(),
                  credential.data(), action_arg.data(), nullptr};

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[1], 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  int rc = ::posix_spawnp(&pid, "git", &actions, nullptr, argv, envp.data());
  posix_spawn_file_actions_destroy(&actions);
  CloseFd(in[1]);
  CloseFd(out[1]);
  if (rc != 0) {
    CloseFd(in[0]);
    CloseFd(out[0]);
    return std::nullopt;
  }

  for (std::size_t sent = 0; sent < input.size();) {
    ssize_t n = ::send(in[0], input.data() + sent, input.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  CloseFd(in[0]);

  std::string output;
  bool timed_out = false;
  const long long deadline = NowMs() + kHelperTimeoutMs;
  for (;;) {
    long long left = deadline - NowMs();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{out[0], POLLIN, 0};
    int ready = ::poll(&p, 1, static_cast<int>(left));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      timed_out = ready == 0;
      break;
    }
    char buf[4096];
    ssize_t n = ::read(out[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    output.append(buf, static_cast<std::size_t>(n));
  }
  CloseFd(out[0]);
  if (timed_out) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return std::nullopt;
  return output;
}

}  // namespace capstan::git::internal
