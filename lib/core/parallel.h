// Running work on more than one thread: a loop over known items (ParallelFor), and items handed
// to background threads as they are found (BackgroundQueue).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace capstan {

// Runs fn(i) for i in [0, n) on up to `jobs` threads (the caller's thread is one of them).
// Items are handed out in index order; results are the caller's business, so output order stays
// deterministic whatever `jobs` is. fn must be thread-safe and must not throw.
template <typename Fn>
void ParallelFor(std::size_t n, int jobs, Fn fn) {
  if (jobs < 1) jobs = 1;
  std::size_t workers = std::min<std::size_t>(static_cast<std::size_t>(jobs), n);
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next.fetch_add(1); i < n; i = next.fetch_add(1)) fn(i);
  };
  std::vector<std::thread> threads;
  for (std::size_t t = 1; t < workers; ++t) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();
}

// Items handed to `threads` background threads while the caller is still finding them (scan:
// files checked while the directory walk goes on), taken first in, first out. The threads start
// at the first Push, so a caller that pushes nothing starts none. Stop() lets each thread finish
// the item it holds and joins them; the items no thread took are dropped, so the caller must
// treat every item as possibly not done (and do it itself). fn must be thread-safe and must not
// throw.
template <typename Item>
class BackgroundQueue {
 public:
  BackgroundQueue(int threads, std::function<void(Item&)> fn)
      : threads_(threads), fn_(std::move(fn)) {}
  BackgroundQueue(const BackgroundQueue&) = delete;
  BackgroundQueue& operator=(const BackgroundQueue&) = delete;
  ~BackgroundQueue() { Stop(); }

  void Push(Item item) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_ || threads_ < 1) return;
      items_.push_back(std::move(item));
    }
    if (workers_.empty()) {
      for (int t = 0; t < threads_; ++t) workers_.emplace_back([this] { Work(); });
    }
    ready_.notify_one();
  }

  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    ready_.notify_all();
    for (std::thread& w : workers_) w.join();
    workers_.clear();
  }

 private:
  void Work() {
    for (;;) {
      Item item;
      {
        std::unique_lock<std::mutex> lock(mu_);
        ready_.wait(lock, [this] { return stopping_ || !items_.empty(); });
        if (stopping_) return;
        item = std::move(items_.front());
        items_.pop_front();
      }
      fn_(item);
    }
  }

  const int threads_;
  const std::function<void(Item&)> fn_;
  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<Item> items_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;  // touched only by the pushing thread
};

}  // namespace capstan
