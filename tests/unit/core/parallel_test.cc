#include "core/parallel.h"

#include <catch2/catch.hpp>
#include <future>
#include <mutex>
#include <vector>

namespace capstan {
namespace {

TEST_CASE("ParallelFor calls fn once for every index, whatever the number of jobs", "[parallel]") {
  for (int jobs : {0, 1, 2, 7}) {
    CAPTURE(jobs);
    std::vector<std::atomic<int>> calls(1000);
    ParallelFor(calls.size(), jobs, [&](std::size_t i) { ++calls[i]; });
    for (const auto& c : calls) CHECK(c.load() == 1);
  }
}

TEST_CASE("a background queue does each pushed item once, first in first out per thread",
          "[parallel]") {
  for (int threads : {1, 3}) {
    CAPTURE(threads);
    constexpr int kItems = 2000;
    std::vector<std::atomic<int>> calls(kItems);
    std::atomic<int> done{0};
    std::mutex order_mu;
    std::vector<int> order;
    BackgroundQueue<int> queue(threads, [&](int& i) {
      ++calls[i];
      if (threads == 1) {
        std::lock_guard<std::mutex> lock(order_mu);
        order.push_back(i);
      }
      ++done;
    });
    for (int i = 0; i < kItems; ++i) queue.Push(i);
    while (done.load() < kItems) std::this_thread::yield();
    queue.Stop();
    for (const auto& c : calls) CHECK(c.load() == 1);
    if (threads == 1) {
      std::vector<int> expected(kItems);
      for (int i = 0; i < kItems; ++i) expected[i] = i;
      CHECK(order == expected);
    }
  }
}

TEST_CASE("a background queue's Stop waits for the item under way, and nothing runs after it",
          "[parallel]") {
  std::promise<void> started, release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> calls{0};
  std::atomic<bool> first_finished{false};
  BackgroundQueue<int> queue(1, [&](int& i) {
    ++calls;
    if (i != 0) return;
    started.set_value();
    released.wait();
    first_finished = true;
  });
  queue.Push(0);
  started.get_future().wait();  // the one thread holds item 0
  for (int i = 1; i <= 5; ++i) queue.Push(i);
  std::future<void> stopping = std::async(std::launch::async, [&] { queue.Stop(); });
  release.set_value();
  stopping.get();
  CHECK(first_finished.load());
  int after_stop = calls.load();
  CHECK(after_stop >= 1);
  CHECK(after_stop <= 6);
  queue.Push(9);  // dropped: no thread restarts
  queue.Stop();
  CHECK(calls.load() == after_stop);
}

TEST_CASE("a background queue with no threads, or no pushes, runs nothing", "[parallel]") {
  std::atomic<int> calls{0};
  {
    BackgroundQueue<int> none(0, [&](int&) { ++calls; });
    none.Push(1);
    none.Push(2);
  }
  {
    BackgroundQueue<int> idle(2, [&](int&) { ++calls; });
  }
  CHECK(calls.load() == 0);
}

}  // namespace
}  // namespace capstan
