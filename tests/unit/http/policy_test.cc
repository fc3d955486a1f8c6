#include "http/policy.h"

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <deque>
#include <thread>
#include <vector>

#include "http/connect_failure.h"

namespace capstan::http {
namespace {

using std::chrono::milliseconds;

// Records sleeps; Sleep advances both clocks instead of waiting.
class FakeClock final : public Clock {
 public:
  std::chrono::system_clock::time_point Now() override {
    std::lock_guard lock(mu_);
    return wall_;
  }
  std::chrono::steady_clock::time_point Monotonic() override {
    std::lock_guard lock(mu_);
    return mono_;
  }
  void Sleep(milliseconds d) override {
    std::lock_guard lock(mu_);
    sleeps.push_back(d);
    wall_ += d;
    mono_ += d;
  }
  std::vector<milliseconds> sleeps;

 private:
  std::mutex mu_;
  // 2015-10-21 07:28:00 UTC.
  std::chrono::system_clock::time_point wall_ = std::chrono::system_clock::from_time_t(1445412480);
  std::chrono::steady_clock::time_point mono_{};
};

// Answers from a script, one outcome per Send; repeats the last one when the script runs out.
class ScriptedClient final : public HttpClient {
 public:
  explicit ScriptedClient(std::vector<Result<HttpResponse>> script) : script_(std::move(script)) {}
  Result<HttpResponse> Send(const HttpRequest& request) override {
    std::lock_guard lock(mu_);
    urls.push_back(request.url);
    size_t i = std::min(calls++, script_.size() - 1);
    return script_[i];
  }
  size_t calls = 0;
  std::vector<std::string> urls;

 private:
  std::mutex mu_;
  std::vector<Result<HttpResponse>> script_;
};

HttpResponse Response(int status, std::string body = "",
                      std::multimap<std::string, std::string> headers = {}) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

HttpRequest Get(std::string url, std::string kind = "") {
  HttpRequest r;
  r.url = std::move(url);
  r.kind = std::move(kind);
  return r;
}

PolicyOptions Options() {
  PolicyOptions o;
  o.max_attempts = 4;
  o.initial_backoff = milliseconds(100);
  o.multiplier = 2;
  o.jitter = 0.2;
  o.max_in_flight_per_host = 0;
  return o;
}

TEST_CASE("policy retries 503 with growing jittered backoff then succeeds", "[http]") {
  ScriptedClient inner({Response(503), Response(503), Response(200, "ok")});
  FakeClock clock;
  PolicyClient client(&inner, &clock, Options());
  Result<HttpResponse> r = client.Send(Get("https://r.example/v2/"));
  REQUIRE(r.ok());
  CHECK(r->status == 200);
  CHECK(r->body == "ok");
  CHECK(inner.calls == 3);
  REQUIRE(clock.sleeps.size() == 2);
  CHECK(clock.sleeps[0] >= milliseconds(80));
  CHECK(clock.sleeps[0] <= milliseconds(120));
  CHECK(clock.sleeps[1] >= milliseconds(160));
  CHECK(clock.sleeps[1] <= milliseconds(240));
  CHECK(client.Stats().retries == 2);
}

TEST_CASE("policy backoff is deterministic for a given random source", "[http]") {
  PolicyOptions o = Options();
  o.random = [] { return 1.0; };  // the top of the jitter range
  ScriptedClient inner({Response(500)});
  FakeClock clock;
  PolicyClient client(&inner, &clock, o);
  (void)client.Send(Get("https://r.example/"));
  CHECK(clock.sleeps ==
        std::vector<milliseconds>{milliseconds(120), milliseconds(240), milliseconds(480)});
}

TEST_CASE("policy gives up after max attempts and returns the last outcome", "[http]") {
  SECTION("a response") {
    ScriptedClient inner({Response(502, "first"), Response(504, "last")});
    FakeClock clock;
    PolicyClient client(&inner, &clock, Options());
    Result<HttpResponse> r = client.Send(Get("https://r.example/"));
    REQUIRE(r.ok());
    CHECK(r->status == 504);
    CHECK(inner.calls == 4);
    CHECK(clock.sleeps.size() == 3);
  }
  SECTION("an error") {
    ScriptedClient inner({Status::Timeout("timed out")});
    FakeClock clock;
    PolicyClient client(&inner, &clock, Options());
    Result<HttpResponse> r = client.Send(Get("https://r.example/"));
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == StatusCode::kTimeout);
    CHECK(inner.calls == 4);
  }
}

TEST_CASE("policy does not retry a 404", "[http]") {
  ScriptedClient inner({Response(404), Response(200)});
  FakeClock clock;
  PolicyClient client(&inner, &clock, Options());
  Result<HttpResponse> r = client.Send(Get("https://r.example/"));
  REQUIRE(r.ok());
  CHECK(r->status == 404);
  CHECK(inner.calls == 1);
  CHECK(clock.sleeps.empty());
}

TEST_CASE("policy waits exactly what Retry-After says on 429", "[http]") {
  auto value = GENERATE(as<std::string>{}, "7", "Wed, 21 Oct 2015 07:28:07 GMT");
  ScriptedClient inner({Response(429, "", {{"retry-after", value}}), Response(200)});
  FakeClock clock;
  PolicyClient client(&inner, &clock, Options());
  Result<HttpResponse> r = client.Send(Get("https://r.example/"));
  REQUIRE(r.ok());
  CHECK(r->status == 200);
  CHECK(clock.sleeps == std::vector<milliseconds>{milliseconds(7000)});
  CHECK(client.Stats().rate_limited == 1);
}

TEST_CASE("policy returns a 429 whose Retry-After exceeds the cap without waiting", "[http]") {
  PolicyOptions o = Options();
  o.max_retry_after = milliseconds(10000);
  ScriptedClient inner({Response(429, "", {{"retry-after", "3600"}}), Response(200)});
  FakeClock clock;
  PolicyClient client(&inner, &clock, o);
  Result<HttpResponse> r = client.Send(Get("https://r.example/"));
  REQUIRE(r.ok());
  CHECK(r->status == 429);
  CHECK(inner.calls == 1);
  CHECK(clock.sleeps.empty());
}

TEST_CASE("Retry-After parses seconds and HTTP-dates against now", "[http]") {
  auto now = std::chrono::system_clock::from_time_t(1445412480);  // 07:28:00 GMT
  CHECK(ParseRetryAfter("120", now) == milliseconds(120000));
  CHECK(ParseRetryAfter("Wed, 21 Oct 2015 07:29:00 GMT", now) == milliseconds(60000));
  CHECK(ParseRetryAfter("Wed, 21 Oct 2015 07:00:00 GMT", now) == milliseconds(0));
  CHECK_FALSE(ParseRetryAfter("soon", now).has_value());
  CHECK_FALSE(ParseRetryAfter("-5", now).has_value());
}

TEST_CASE("policy retries POST only when no connection was made", "[http]") {
  HttpRequest post = Get("https://argocd.example/api/v1/applications/web/sync");
  post.method = "POST";
  SECTION("503 is not retried") {
    ScriptedClient inner({Response(503), Response(200)});
    FakeClock clock;
    PolicyClient client(&inner, &clock, Options());
    CHECK(client.Send(post)->status == 503);
    CHECK(inner.calls == 1);
  }
  SECTION("a timeout is not retried") {
    ScriptedClient inner({Status::Timeout("timed out"), Response(200)});
    FakeClock clock;
    PolicyClient client(&inner, &clock, Options());
    CHECK(client.Send(post).status().code() == StatusCode::kTimeout);
    CHECK(inner.calls == 1);
  }
  SECTION("a refused connection is retried") {
    ScriptedClient inner({ConnectFailure("https://argocd.example/", "refused"), Response(200)});
    FakeClock clock;
    PolicyClient client(&inner, &clock, Options());
    CHECK(client.Send(post)->status == 200);
    CHECK(inner.calls == 2);
  }
}

TEST_CASE("policy counts requests per host and kind", "[http]") {
  ScriptedClient inner({Response(200)});
  FakeClock clock;
  PolicyClient client(&inner, &clock, Options());
  (void)client.Send(Get("https://user:pw@Ghcr.io/v2/a/tags/list", "tags"));
  (void)client.Send(Get("https://ghcr.io/v2/b/tags/list", "tags"));
  (void)client.Send(Get("https://ghcr.io/v2/a/manifests/1", "manifest"));
  (void)client.Send(Get("http://127.0.0.1:8080/healthz"));
  RequestStats stats = client.Stats();
  CHECK(stats.requests["ghcr.io"]["tags"] == 2);
  CHECK(stats.requests["ghcr.io"]["manifest"] == 1);
  CHECK(stats.requests["127.0.0.1:8080"]["other"] == 1);
  CHECK(stats.requests.size() == 2);
  CHECK(stats.retries == 0);
}

TEST_CASE("token bucket makes the request after the burst sleep", "[http]") {
  PolicyOptions o = Options();
  o.rate_per_second = 2;
  o.burst = 3;
  ScriptedClient inner({Response(200)});
  FakeClock clock;
  PolicyClient client(&inner, &clock, o);
  for (int i = 0; i < 3; ++i) (void)client.Send(Get("https://r.example/"));
  CHECK(clock.sleeps.empty());
  (void)client.Send(Get("https://r.example/"));
  CHECK(clock.sleeps == std::vector<milliseconds>{milliseconds(500)});
  (void)client.Send(Get("https://other.example/"));  // buckets are per host
  CHECK(clock.sleeps.size() == 1);
}

// Sleeps a little inside Send so concurrent callers overlap, and records the peak.
class SlowClient final : public HttpClient {
 public:
  Result<HttpResponse> Send(const HttpRequest&) override {
    int now = ++in_flight;
    int seen = max_in_flight.load();
    while (now > seen && !max_in_flight.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(milliseconds(5));
    --in_flight;
    return Response(200);
  }
  std::atomic<int> in_flight{0};
  std::atomic<int> max_in_flight{0};
};

TEST_CASE("per-host concurrency limit holds under threads", "[http]") {
  PolicyOptions o = Options();
  o.max_in_flight_per_host = 2;
  SlowClient inner;
  FakeClock clock;
  PolicyClient client(&inner, &clock, o);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 5; ++i) (void)client.Send(Get("https://r.example/", "tags"));
    });
  }
  for (std::thread& t : threads) t.join();
  CHECK(inner.max_in_flight.load() == 2);
  CHECK(client.Stats().requests["r.example"]["tags"] == 40);
}

}  // namespace
}  // namespace capstan::http
