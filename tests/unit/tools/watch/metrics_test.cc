#include "watch/metrics.h"

#include <catch2/catch.hpp>

#include "core/flags.h"
#include "http/curl_client.h"

namespace capstan::tools::watch {
namespace {

CycleReport Report(bool pushed, int exit_code) {
  CycleReport r;
  r.pushed = pushed;
  r.exit_code = exit_code;
  r.policies.resize(2);
  r.applied.outcomes.resize(2);
  r.applied.outcomes[0].state = policy::ImageOutcome::State::kUpdated;
  r.applied.outcomes[1].state = policy::ImageOutcome::State::kFailed;
  r.requests.requests["ghcr.io"]["tags"] = 2;
  r.requests.requests["ghcr.io"]["token"] = 1;
  return r;
}

TEST_CASE("metrics add up cycles, updates and registry requests", "[watch][metrics]") {
  Metrics m;
  auto t = std::chrono::system_clock::time_point(std::chrono::seconds(1795000000));
  m.Record(Report(true, 3), std::chrono::milliseconds(1500), t);
  m.Record(Report(false, 0), std::chrono::milliseconds(250), t + std::chrono::seconds(60));
  std::string text = m.Render();
  CHECK(text.find("capstan_watch_cycles_total{result=\"ok\"} 1\n") != std::string::npos);
  CHECK(text.find("capstan_watch_cycles_total{result=\"error\"} 1\n") != std::string::npos);
  CHECK(text.find("capstan_watch_updates_total 1\n") != std::string::npos);
  CHECK(text.find("capstan_watch_commits_total 1\n") != std::string::npos);
  CHECK(text.find("capstan_watch_images{state=\"failed\"} 1\n") != std::string::npos);
  CHECK(text.find("capstan_watch_registry_requests_total{host=\"ghcr.io\",kind=\"tags\"} 4\n") !=
        std::string::npos);
  CHECK(text.find("capstan_watch_last_cycle_duration_seconds 0.25\n") != std::string::npos);
  CHECK(text.find("capstan_watch_last_success_timestamp_seconds 1795000060.000000\n") !=
        std::string::npos);
}

TEST_CASE("the metrics server answers /metrics and 404 elsewhere", "[watch][metrics]") {
  Metrics m;
  auto server = MetricsServer::Start("127.0.0.1:0", &m);
  REQUIRE(server.ok());
  http::CurlHttpClient client;
  HttpRequest request;
  request.url = "http://127.0.0.1:" + std::to_string((*server)->port()) + "/metrics";
  auto ok = client.Send(request);
  REQUIRE(ok.ok());
  CHECK(ok->status == 200);
  CHECK(ok->body.find("# TYPE capstan_watch_cycles_total counter") != std::string::npos);
  request.url += "x";
  auto missing = client.Send(request);
  REQUIRE(missing.ok());
  CHECK(missing->status == 404);
}

TEST_CASE("a bad metrics address is refused before listening", "[watch][metrics]") {
  Metrics m;
  for (const char* bad : {"9090", "127.0.0.1:http", "127.0.0.1:70000", "example.com:9090"}) {
    auto server = MetricsServer::Start(bad, &m);
    REQUIRE_FALSE(server.ok());
    CHECK(server.status().code() == StatusCode::kInvalidArgument);
  }
}

TEST_CASE("durations read h, m, s and ms, and plain seconds", "[watch][metrics][flags]") {
  CHECK(*flags::ParseDuration("interval", "5m") == std::chrono::minutes(5));
  CHECK(*flags::ParseDuration("interval", "300") == std::chrono::seconds(300));
  CHECK(*flags::ParseDuration("grace", "0", std::chrono::milliseconds(0)) ==
        std::chrono::seconds(0));
  CHECK(*flags::ParseDuration("interval", "1h30m") == std::chrono::minutes(90));
  CHECK(*flags::ParseDuration("interval", "250ms") == std::chrono::milliseconds(250));
  for (const char* bad : {"", "5 ", "m", "5x", "-1s", "1.5m", "-5", "99999999999999"}) {
    auto d = flags::ParseDuration("interval", bad);
    REQUIRE_FALSE(d.ok());
    CHECK(d.status().message().rfind("option '--interval' needs a duration", 0) == 0);
  }
  CHECK_FALSE(flags::ParseDuration("interval", "500ms", std::chrono::seconds(1)).ok());
}

TEST_CASE("a remote URL's cache directory names its host and path without credentials",
          "[watch][metrics]") {
  CHECK(CacheDirFor("/c", "https://bot:tok@git.example.com/platform/config.git") ==
        "/c/git.example.com_platform_config.git");
  CHECK(CacheDirFor("/c", "ssh://git@git.example.com:2222/a/b") ==
        "/c/git.example.com_2222_a_b.git");
}

}  // namespace
}  // namespace capstan::tools::watch
