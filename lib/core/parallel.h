// Runs fn(i) for i in [0, n) on up to `jobs` threads (the caller's thread is one of them).
// Items are handed out in index order; results are the caller's business, so output order stays
// deterministic whatever `jobs` is. fn must be thread-safe and must not throw.
#pragma once

#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace capstan {

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

}  // namespace capstan
