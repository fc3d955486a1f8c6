#include "watch/stop_signal.h"

#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

namespace capstan::tools::watch {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

long MillisecondsSince(steady_clock::time_point t) {
  return std::chrono::duration_cast<milliseconds>(steady_clock::now() - t).count();
}

void (*Disposition(int sig))(int) {
  struct sigaction now {};
  ::sigaction(sig, nullptr, &now);
  return now.sa_handler;
}

TEST_CASE("a wait without a stop signal lasts its whole time", "[watch][stop]") {
  Result<std::unique_ptr<StopSignal>> stop = StopSignal::Install();
  REQUIRE(stop.ok());
  auto start = steady_clock::now();
  CHECK_FALSE((*stop)->Wait(milliseconds(150)));
  CHECK(MillisecondsSince(start) >= 150);
  CHECK((*stop)->signal() == 0);
}

TEST_CASE("SIGTERM ends a wait at once, is remembered, and the old handler comes back",
          "[watch][stop]") {
  void (*before)(int) = Disposition(SIGTERM);
  {
    Result<std::unique_ptr<StopSignal>> stop = StopSignal::Install();
    REQUIRE(stop.ok());
    std::thread sender([] {
      std::this_thread::sleep_for(milliseconds(100));
      ::kill(::getpid(), SIGTERM);  // to the process: any thread may take it
    });
    auto start = steady_clock::now();
    bool stopped = (*stop)->Wait(std::chrono::hours(1));
    sender.join();
    CHECK(stopped);
    CHECK(MillisecondsSince(start) < 5000);
    CHECK((*stop)->signal() == SIGTERM);
    CHECK(SignalName((*stop)->signal()) == "SIGTERM");
    // The next signal would now end the process by its default action.
    CHECK(Disposition(SIGTERM) == SIG_DFL);
    CHECK(Disposition(SIGINT) == SIG_DFL);
    // Once stopped, every later wait returns at once.
    start = steady_clock::now();
    CHECK((*stop)->Wait(std::chrono::hours(1)));
    CHECK(MillisecondsSince(start) < 1000);
  }
  CHECK(Disposition(SIGTERM) == before);
}

TEST_CASE("a signal the process started with ignored stays ignored", "[watch][stop]") {
  struct sigaction ignore {
  }, old{};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  ::sigaction(SIGINT, &ignore, &old);
  {
    Result<std::unique_ptr<StopSignal>> stop = StopSignal::Install();
    REQUIRE(stop.ok());
    CHECK(Disposition(SIGINT) == SIG_IGN);
    ::raise(SIGINT);
    CHECK_FALSE((*stop)->Wait(milliseconds(50)));
    CHECK((*stop)->signal() == 0);
  }
  CHECK(Disposition(SIGINT) == SIG_IGN);
  ::sigaction(SIGINT, &old, nullptr);
}

}  // namespace
}  // namespace capstan::tools::watch
