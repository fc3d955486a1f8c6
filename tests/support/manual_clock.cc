#include "support/manual_clock.h"

namespace capstan::testing {

std::chrono::system_clock::time_point ManualClock::DefaultStart() {
  return std::chrono::sys_days(std::chrono::year(2024) / 1 / 1);
}

ManualClock::ManualClock(std::chrono::system_clock::time_point start)
    : now_(start), start_(start) {}

std::chrono::system_clock::time_point ManualClock::Now() {
  std::lock_guard lock(mu_);
  return now_;
}

std::chrono::steady_clock::time_point ManualClock::Monotonic() {
  std::lock_guard lock(mu_);
  return std::chrono::steady_clock::time_point(
      std::chrono::duration_cast<std::chrono::steady_clock::duration>(now_ - start_));
}

void ManualClock::Sleep(std::chrono::milliseconds d) {
  {
    std::lock_guard lock(mu_);
    sleeps_.push_back(d);
    if (d.count() > 0) now_ += d;
  }
  Notify();
}

void ManualClock::Advance(std::chrono::milliseconds d) {
  if (d.count() <= 0) return;
  {
    std::lock_guard lock(mu_);
    now_ += d;
  }
  Notify();
}

void ManualClock::AdvanceTo(std::chrono::system_clock::time_point t) {
  {
    std::lock_guard lock(mu_);
    if (t <= now_) return;
    now_ = t;
  }
  Notify();
}

std::vector<std::chrono::milliseconds> ManualClock::Sleeps() {
  std::lock_guard lock(mu_);
  return sleeps_;
}

int ManualClock::AddListener(std::function<void()> fn) {
  std::lock_guard lock(listeners_mu_);
  int id = next_listener_++;
  listeners_.emplace(id, std::move(fn));
  return id;
}

void ManualClock::RemoveListener(int id) {
  std::lock_guard lock(listeners_mu_);
  listeners_.erase(id);
}

void ManualClock::Notify() {
  std::lock_guard lock(listeners_mu_);
  for (auto& [id, fn] : listeners_) fn();
}

}  // namespace capstan::testing
