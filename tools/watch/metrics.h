// capstan-watch's loop-mode observability: counters and gauges in the Prometheus text
// exposition format (version 0.0.4), served over plain HTTP on --metrics-addr at /metrics.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "core/result.h"
#include "watch/cycle.h"

namespace capstan::tools::watch {

class Metrics {
 public:
  // Adds one finished cycle: its result, duration, images by outcome, and registry requests by
  // host and kind. `now` is the wall-clock time the cycle ended.
  void Record(const CycleReport& report, std::chrono::milliseconds duration,
              std::chrono::system_clock::time_point now);

  // The exposition text:
  //   capstan_watch_cycles_total{result="ok|error"}
  //   capstan_watch_images{state="updated|up-to-date|..."}          (last cycle)
  //   capstan_watch_updates_total, capstan_watch_commits_total
  //   capstan_watch_registry_requests_total{host,kind}
  //   capstan_watch_last_cycle_duration_seconds, capstan_watch_last_cycle_timestamp_seconds,
  //   capstan_watch_last_success_timestamp_seconds
  std::string Render() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::uint64_t> cycles_;  // result -> count
  std::map<std::string, std::uint64_t> images_;  // state -> count, last cycle
  std::uint64_t updates_ = 0;
  std::uint64_t commits_ = 0;
  std::map<std::pair<std::string, std::string>, std::uint64_t> requests_;
  double last_duration_ = 0;
  double last_cycle_ = 0;
  double last_success_ = 0;
};

// A minimal HTTP/1.1 server answering GET /metrics (anything else: 404) on one thread, one
// connection at a time, closing each after the response.
class MetricsServer {
 public:
  // Listens on "HOST:PORT" (an IPv4 address or "localhost"; port 0 picks a free one). Fails
  // with kInvalidArgument for a malformed address and kIoError "cannot listen on <addr>: <why>".
  static Result<std::unique_ptr<MetricsServer>> Start(const std::string& address,
                                                      const Metrics* metrics);
  ~MetricsServer();  // stops the thread and closes the socket

  int port() const { return port_; }

 private:
  MetricsServer(int fd, int port, const Metrics* metrics);
  void Serve();

  int fd_;
  int port_;
  const Metrics* metrics_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace capstan::tools::watch
