// capstan-sync's benchmark server (tests/bench/sync.sh), run by hand, never by CTest: the test
// suite's fake Argo CD (tests/support/fake_argocd.h: every request checked against swagger.json
// and recorded) on 127.0.0.1 and an ephemeral port, in its own process so that capstan-sync runs
// as a real program against it.
//
//   capstan_bench_fake_argocd --apps N --repo-url URL --deployed SHA --head SHA
//                             [--token T] [--speed X] [--resync DURATION_S]
//
// Serves N Applications app-000, app-001... (project default, namespace argocd, source URL at
// apps/<name>, targetRevision HEAD, Synced and Healthy at --deployed; every 4th one carries
// argocd.argoproj.io/manifest-generate-paths "."), each of whose repository head is --head, so a
// sync deploys it through the scripted controller (pickup 1 s, operation 2 s, reconcile 1 s,
// Progressing 3 s, then Healthy: fake_argocd_apps.h). Prints "port N" once it listens, serves
// until stdin closes or SIGINT/SIGTERM, then prints one JSON object: the requests by route, the
// syncs and streams by app, the GETs made while a stream for the same app was open
// ("pollsDuringStream"), and the violations of the API description.
//
// Time. The fake's apps move on a ManualClock, while capstan-sync reads the system clock. A thread
// here moves the fake clock in step with real time, --speed fake seconds per real second (default
// 60: the 7 scripted seconds of a sync take about 0.12 s), and the fake's own jump-ahead (it
// advances to the next scripted event when every client has waited 20 ms on a stream) is turned
// off, so fake time is a fixed multiple of real time and every run sees the same rhythm. That
// same thread plays the part of Argo CD's controller resync (timeout.reconciliation, 180 s by
// default): every --resync fake seconds, staggered over the apps, it sets an app's
// status.reconciledAt to the current time, which sends a MODIFIED frame on a stream for it as the
// real server does. capstan-sync's --settle is measured on its own (system) clock.
#define CATCH_CONFIG_RUNNER  // the support files fail through Catch2's FAIL: its implementation
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "core/rfc3339.h"
#include "support/fake_argocd.h"
#include "support/manual_clock.h"

namespace {

using capstan::testing::AppBehavior;
using capstan::testing::AppSpec;
using capstan::testing::FakeArgoCd;
using capstan::testing::FakeArgoCdOptions;
using capstan::testing::ManualClock;
using capstan::testing::RecordedRequest;
using std::chrono::milliseconds;

struct Args {
  int apps = 500;
  std::string repo_url = "https://github.com/acme/gitops.git";
  std::string deployed;
  std::string head;
  std::string token = "bench-token";
  double speed = 60;
  long resync_s = 180;
};

bool ParseArgs(int argc, char** argv, Args& a) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--apps") {
      a.apps = std::stoi(value);
    } else if (flag == "--repo-url") {
      a.repo_url = value;
    } else if (flag == "--deployed") {
      a.deployed = value;
    } else if (flag == "--head") {
      a.head = value;
    } else if (flag == "--token") {
      a.token = value;
    } else if (flag == "--speed") {
      a.speed = std::stod(value);
    } else if (flag == "--resync") {
      a.resync_s = std::stol(value);
    } else {
      return false;
    }
  }
  return argc % 2 == 1 && a.apps > 0 && a.deployed.size() == 40 && a.head.size() == 40 &&
         a.speed > 0 && a.resync_s >= 0;
}

std::string AppName(int i) {
  char name[32];
  std::snprintf(name, sizeof name, "app-%03d", i);
  return name;
}

// Stops when stdin closes or SIGINT/SIGTERM arrives (blocked in every thread, taken by sigwait).
class StopSignal {
 public:
  StopSignal() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set_, nullptr);
  }
  void Wait() {
    std::thread([this] {
      int sig = 0;
      sigwait(&set_, &sig);
      Stop();
    }).detach();
    std::thread([this] {
      char buffer[256];
      while (read(STDIN_FILENO, buffer, sizeof buffer) > 0) {
      }
      Stop();
    }).detach();
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return stopped_; });
  }

 private:
  void Stop() {
    std::lock_guard lock(mu_);
    stopped_ = true;
    cv_.notify_all();
  }
  sigset_t set_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopped_ = false;
};

nlohmann::json Report(const FakeArgoCd& argo) {
  std::map<std::string, int> by_route, syncs, streams, gets;
  int polls = 0;
  for (const RecordedRequest& r : argo.Requests()) {
    ++by_route[r.route.empty() ? "(none)" : r.route];
    if (r.route == "sync") ++syncs[r.app];
    if (r.route == "stream") ++streams[r.app];
    if (r.route != "get") continue;
    ++gets[r.app];
    for (const std::string& open : r.streams_open) polls += open == r.app || open == "*" ? 1 : 0;
  }
  nlohmann::json violations = nlohmann::json::array();
  for (const auto& v : argo.Violations()) violations.push_back(v.request + ": " + v.message);
  return {{"requests", by_route}, {"syncsByApp", syncs},        {"streamsByApp", streams},
          {"getsByApp", gets},    {"pollsDuringStream", polls}, {"violations", violations}};
}

int Serve(const Args& args) {
  StopSignal stop;
  const auto real_start = std::chrono::steady_clock::now();
  const auto fake_start = std::chrono::system_clock::now();
  ManualClock clock(fake_start);
  FakeArgoCdOptions options;
  options.token = args.token;
  options.idle_before_advance = std::chrono::hours(24 * 365);  // only the thread below moves time
  FakeArgoCd argo(clock, options);
  std::vector<std::string> names;
  for (int i = 0; i < args.apps; ++i) {
    AppSpec spec;
    spec.name = AppName(i);
    spec.repo_url = args.repo_url;
    spec.revision = args.deployed;
    if (i % 4 == 0) spec.annotations = {{"argocd.argoproj.io/manifest-generate-paths", "."}};
    argo.AddApp(spec, AppBehavior{.heads = {args.head}});
    names.push_back(spec.name);
  }

  std::atomic<bool> stopping = false;
  std::thread ticker([&] {
    const milliseconds resync(args.resync_s * 1000);
    std::vector<std::chrono::system_clock::time_point> next;
    for (int i = 0; i < args.apps; ++i) next.push_back(fake_start + resync * (i + 1) / args.apps);
    while (!stopping) {
      std::this_thread::sleep_for(milliseconds(5));
      const auto real = std::chrono::steady_clock::now() - real_start;
      const auto now = fake_start + std::chrono::duration_cast<std::chrono::system_clock::duration>(
                                        real * args.speed);
      clock.AdvanceTo(now);
      if (resync.count() == 0) continue;
      for (int i = 0; i < args.apps; ++i) {
        for (; next[i] <= now; next[i] += resync) {
          nlohmann::json patch = {{"status", {{"reconciledAt", capstan::FormatRfc3339(next[i])}}}};
          argo.Schedule(names[i], milliseconds(0), std::move(patch));
        }
      }
    }
  });

  std::cout << "port " << argo.port() << std::endl;
  stop.Wait();
  stopping = true;
  ticker.join();
  std::cout << Report(argo).dump() << std::endl;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  if (!ParseArgs(argc, argv, args)) {
    std::cerr << "usage: capstan_bench_fake_argocd --deployed SHA --head SHA [--apps N] "
                 "[--repo-url URL] [--token T] [--speed X] [--resync SECONDS]\n";
    return 2;
  }
  try {
    return Serve(args);
  } catch (const std::exception& e) {  // a support file's FAIL outside a test, a bad number
    std::cerr << "capstan_bench_fake_argocd: " << e.what() << "\n";
    return 3;
  }
}
