// A Clock for tests whose time moves only when something moves it: Sleep(d) returns at once
// having advanced the time by d, Advance / AdvanceTo move it explicitly. Give the same clock to
// the code under test (its Env) and to the fakes it talks to (FakeArgoCd), so a 10-minute wait
// takes milliseconds and every timestamp is reproducible.
//
// Thread-safe: any thread may read or move the time. The time never goes back.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <vector>

#include "core/env.h"

namespace capstan::testing {

class ManualClock final : public Clock {
 public:
  // 2024-01-01T00:00:00Z.
  static std::chrono::system_clock::time_point DefaultStart();

  explicit ManualClock(std::chrono::system_clock::time_point start = DefaultStart());

  std::chrono::system_clock::time_point Now() override;
  // Moves with Now(): the same offset from an arbitrary origin.
  std::chrono::steady_clock::time_point Monotonic() override;
  // Records d (see Sleeps()) and advances the time by d; never blocks.
  void Sleep(std::chrono::milliseconds d) override;

  void Advance(std::chrono::milliseconds d);
  // Moves the time to t; nothing when t is not later than Now().
  void AdvanceTo(std::chrono::system_clock::time_point t);

  // Every Sleep's argument, in call order.
  std::vector<std::chrono::milliseconds> Sleeps();

  // Calls fn after each change of the time, on the thread that changed it, outside the clock's
  // lock (fn may call Now()). Returns an id for RemoveListener. fn must not call AddListener or
  // RemoveListener.
  int AddListener(std::function<void()> fn);
  // After it returns, the listener is not running and will not be called again.
  void RemoveListener(int id);

 private:
  void Notify();

  std::mutex mu_;
  std::chrono::system_clock::time_point now_;
  std::chrono::system_clock::time_point start_;
  std::vector<std::chrono::milliseconds> sleeps_;

  std::mutex listeners_mu_;  // held while listeners run
  std::map<int, std::function<void()>> listeners_;
  int next_listener_ = 1;
};

}  // namespace capstan::testing
