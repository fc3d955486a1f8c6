#include "watch/stop_signal.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <thread>

namespace capstan::tools::watch {
namespace {

// Process-wide, as signal dispositions are; set up by Install before any handler can run.
constexpr int kSignals[] = {SIGTERM, SIGINT};
std::atomic<int> g_first{0};  // the signal that asked to stop
std::atomic<int> g_count{0};  // signals caught
int g_pipe[2] = {-1, -1};
struct sigaction g_previous[2];
bool g_installed[2] = {false, false};

static_assert(std::atomic<int>::is_always_lock_free, "used in a signal handler");

void ToDefault() {
  for (int i = 0; i < 2; ++i) {
    if (!g_installed[i]) continue;
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    ::sigaction(kSignals[i], &dfl, nullptr);
  }
}

// Only async-signal-safe calls.
extern "C" void OnStopSignal(int sig) {
  int saved = errno;
  ToDefault();
  if (g_count.fetch_add(1) > 0) {
    // Two signals raced onto two threads before either reset the dispositions: this second
    // one, blocked while its handler runs, takes its default action when the handler returns.
    ::raise(sig);
  } else {
    g_first.store(sig);
    char byte = 1;
    (void)!::write(g_pipe[1], &byte, 1);
  }
  errno = saved;
}

void Uninstall() {
  for (int i = 0; i < 2; ++i) {
    if (g_installed[i]) ::sigaction(kSignals[i], &g_previous[i], nullptr);
    g_installed[i] = false;
  }
  for (int& fd : g_pipe) {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
}

}  // namespace

Result<std::unique_ptr<StopSignal>> StopSignal::Install() {
  g_first = 0;
  g_count = 0;
  if (::pipe2(g_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
    return Status::IoError(std::string("cannot catch SIGTERM: pipe: ") + std::strerror(errno));
  }
  for (int i = 0; i < 2; ++i) {
    if (::sigaction(kSignals[i], nullptr, &g_previous[i]) != 0) {
      int error = errno;
      Uninstall();
      return Status::IoError("cannot catch " + SignalName(kSignals[i]) + ": " +
                             std::strerror(error));
    }
    if ((g_previous[i].sa_flags & SA_SIGINFO) == 0 && g_previous[i].sa_handler == SIG_IGN) continue;
    struct sigaction caught {};
    caught.sa_handler = OnStopSignal;
    sigemptyset(&caught.sa_mask);
    for (int other : kSignals) sigaddset(&caught.sa_mask, other);
    caught.sa_flags = SA_RESTART;
    g_installed[i] = true;
    if (::sigaction(kSignals[i], &caught, nullptr) != 0) {
      int error = errno;
      g_installed[i] = false;
      Uninstall();
      return Status::IoError("cannot catch " + SignalName(kSignals[i]) + ": " +
                             std::strerror(error));
    }
  }
  return std::unique_ptr<StopSignal>(new StopSignal());
}

StopSignal::~StopSignal() { Uninstall(); }

int StopSignal::signal() const { return g_first.load(); }

bool StopSignal::Wait(std::chrono::milliseconds d) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point end = Clock::now() + d;
  while (signal() == 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now());
    if (left.count() <= 0) return false;
    pollfd p{g_pipe[0], POLLIN, 0};
    // poll takes an int of milliseconds: a long interval is waited for in pieces.
    int ms = static_cast<int>(std::min<long long>(left.count() + 1, 1 << 30));
    if (::poll(&p, 1, ms) < 0 && errno != EINTR) {
      std::this_thread::sleep_for(std::min(left, std::chrono::milliseconds(100)));
    }
  }
  return true;
}

std::string SignalName(int sig) {
  if (sig == SIGTERM) return "SIGTERM";
  if (sig == SIGINT) return "SIGINT";
  return "signal " + std::to_string(sig);
}

}  // namespace capstan::tools::watch
