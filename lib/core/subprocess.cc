#include "core/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>

namespace capstan {
namespace {

long long NowMs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<long long>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

void CloseFd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

std::string_view NameOf(std::string_view entry) { return entry.substr(0, entry.find('=')); }

}  // namespace

std::vector<std::string> ApplyEnvironmentChanges(std::vector<std::string> base,
                                                 const std::vector<std::string>& changes) {
  for (const std::string& change : changes) {
    std::string_view name = NameOf(change);
    bool set = change.size() > name.size();
    auto it = std::find_if(base.begin(), base.end(),
                           [&](const std::string& e) { return NameOf(e) == name; });
    if (it != base.end() && set) {
      *it = change;
    } else if (it != base.end()) {
      base.erase(it);
    } else if (set) {
      base.push_back(change);
    }
  }
  return base;
}

Result<SubprocessResult> RunSubprocess(const SubprocessOptions& options,
                                       const std::vector<std::string>& base_environment) {
  if (options.argv.empty()) return Status::InvalidArgument("no program to run");
  const std::string& program = options.argv[0];
  int in[2] = {-1, -1};
  int out[2] = {-1, -1};
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) != 0 ||
      ::pipe2(out, O_CLOEXEC) != 0) {
    int err = errno;
    CloseFd(in[0]);
    CloseFd(in[1]);
    return Status::IoError("cannot run " + program + ": " + std::strerror(err));
  }
  std::vector<std::string> args = options.argv;
  std::vector<std::string> env = ApplyEnvironmentChanges(base_environment, options.env_changes);
  std::vector<char*> argv = Pointers(args);
  std::vector<char*> envp = Pointers(env);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[1], 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  char** child_env = envp.data();
  int rc = options.search_path
               ? ::posix_spawnp(&pid, program.c_str(), &actions, nullptr, argv.data(), child_env)
               : ::posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), child_env);
  posix_spawn_file_actions_destroy(&actions);
  CloseFd(in[1]);
  CloseFd(out[1]);
  if (rc != 0) {
    CloseFd(in[0]);
    CloseFd(out[0]);
    return Status::IoError("cannot run " + program + ": " + std::strerror(rc));
  }

  for (std::size_t sent = 0; sent < options.input.size();) {
    ssize_t n =
        ::send(in[0], options.input.data() + sent, options.input.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  CloseFd(in[0]);

  SubprocessResult result;
  bool timed_out = false, too_big = false;
  const long long deadline = NowMs() + options.timeout.count();
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
    result.output.append(buf, static_cast<std::size_t>(n));
    if (result.output.size() > options.max_output) {
      too_big = true;
      break;
    }
  }
  CloseFd(out[0]);
  if (timed_out || too_big) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    return Status::Timeout(program + " timed out after " + std::to_string(options.timeout.count()) +
                           " ms");
  }
  if (too_big)
    return Status::LimitExceeded(program + " wrote more than " +
                                 std::to_string(options.max_output) + " bytes");
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
  return result;
}

std::vector<std::string> SplitSearchPath(std::string_view path) {
  std::vector<std::string> dirs;
  for (;;) {
    std::size_t colon = path.find(':');
    std::string_view dir = path.substr(0, colon);
    dirs.emplace_back(dir.empty() ? "." : dir);
    if (colon == std::string_view::npos) return dirs;
    path.remove_prefix(colon + 1);
  }
}

}  // namespace capstan
