#include "http/policy.h"

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <deque>
#include <future>
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
    timeouts.push_back(request.timeout);
    size_t i = std::min(calls++, script_.size() - 1);
    return script_[i];
  }
  size_t calls = 0;
  std::vector<std::string> urls;
  std::vector<milliseconds> timeouts;

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
  SECTION("a POST marked repeatable (a webhook delivery) is retried on 503") {
    post.repeatable = true;
    ScriptedClient inner({Response(503), Response(503), Response(200)});
    FakeClock clock;
    PolicyClient client(&inner, &clock, Options());
    CHECK(client.Send(post)->status == 200);
    CHECK(inner.calls == 3);
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

TEST_CASE("policy deadline cuts each attempt's timeout and skips a retry that would pass it",
          "[http]") {
  PolicyOptions o = Options();
  o.random = [] { return 0.5; };  // no jitter: backoff 100, 200, 400 ms
  ScriptedClient inner({Response(503)});
  FakeClock clock;
  PolicyClient client(&inner, &clock, o);
  HttpRequest request = Get("https://argocd.example/api/v1/applications/web");
  request.timeout = milliseconds(5000);
  request.deadline = milliseconds(350);
  Result<HttpResponse> r = client.Send(request);
  REQUIRE(r.ok());
  CHECK(r->status == 503);
  // 350 left, then 250 after 100 ms, then 50 after 200 more; waiting 400 would pass it.
  CHECK(inner.timeouts ==
        std::vector<milliseconds>{milliseconds(350), milliseconds(250), milliseconds(50)});
  CHECK(clock.sleeps == std::vector<milliseconds>{milliseconds(100), milliseconds(200)});
  CHECK(client.Stats().retries == 2);
}

TEST_CASE("policy without a deadline gives every attempt the full timeout", "[http]") {
  ScriptedClient inner({Response(503)});
  FakeClock clock;
  PolicyClient client(&inner, &clock, Options());
  HttpRequest request = Get("https://r.example/");
  request.timeout = milliseconds(700);
  (void)client.Send(request);
  CHECK(inner.timeouts == std::vector<milliseconds>(4, milliseconds(700)));
}

// Streams from a script: each attempt answers `head` (or fails before it with `error`); a
// streamed body delivers `pieces` then ends with `end`.
class ScriptedStreamClient final : public HttpClient {
 public:
  struct Attempt {
    Status error;  // not ok: fails before any head
    HttpResponse head;
    std::vector<std::string> pieces;
    Status end;
  };
  explicit ScriptedStreamClient(std::vector<Attempt> script) : script_(std::move(script)) {}

  Result<HttpResponse> Send(const HttpRequest&) override { return Status::Internal("unused"); }
  Result<HttpResponse> Stream(const HttpRequest&, const StreamOptions& options,
                              const StreamSink& sink) override {
    const Attempt& a = script_[std::min(calls++, script_.size() - 1)];
    if (!a.error.ok()) return a.error;
    if (!options.Streams(a.head)) return a.head;
    for (const std::string& piece : a.pieces) {
      if (!sink(piece)) return a.head;
    }
    if (!a.end.ok()) return a.end;
    return a.head;
  }
  size_t calls = 0;

 private:
  std::vector<Attempt> script_;
};

TEST_CASE("policy stream retries what fails before the body, then streams", "[http]") {
  ScriptedStreamClient inner({
      {Status::IoError("cannot reach https://argocd.example/: reset"), {}, {}, {}},
      {{}, Response(503, "busy"), {}, {}},
      {{}, Response(200), {"data: a\n\n", "data: b\n\n"}, {}},
  });
  FakeClock clock;
  PolicyClient client(&inner, &clock, Options());
  std::vector<std::string> pieces;
  Result<HttpResponse> r = client.Stream(Get("https://argocd.example/api/v1/stream/applications"),
                                         StreamOptions{}, [&](std::string_view piece) {
                                           pieces.emplace_back(piece);
                                           return true;
                                         });
  REQUIRE(r.ok());
  CHECK(r->status == 200);
  CHECK(pieces == std::vector<std::string>{"data: a\n\n", "data: b\n\n"});
  CHECK(inner.calls == 3);
  CHECK(client.Stats().retries == 2);
}

TEST_CASE("policy stream never retries once a piece reached the callback", "[http]") {
  auto end = GENERATE(Status::IoError("connection to https://argocd.example/ lost: reset"),
                      Status::Timeout("no data from https://argocd.example/ for 300 ms"));
  ScriptedStreamClient inner({{{}, Response(200), {"data: a\n\n"}, end}});
  FakeClock clock;
  PolicyClient client(&inner, &clock, Options());
  int pieces = 0;
  Result<HttpResponse> r =
      client.Stream(Get("https://argocd.example/api/v1/stream/applications"), StreamOptions{},
                    [&](std::string_view) { return ++pieces > 0; });
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == end.code());
  CHECK(pieces == 1);
  CHECK(inner.calls == 1);
  CHECK(clock.sleeps.empty());
}

TEST_CASE("policy stream retries a 2xx stream that failed before its first piece", "[http]") {
  ScriptedStreamClient inner({
      {{}, Response(200), {}, Status::Timeout("no data from https://argocd.example/ for 300 ms")},
      {{}, Response(200), {"data: a\n\n"}, {}},
  });
  FakeClock clock;
  PolicyClient client(&inner, &clock, Options());
  int pieces = 0;
  Result<HttpResponse> r =
      client.Stream(Get("https://argocd.example/api/v1/stream/applications"), StreamOptions{},
                    [&](std::string_view) { return ++pieces > 0; });
  REQUIRE(r.ok());
  CHECK(pieces == 1);
  CHECK(inner.calls == 2);
}

TEST_CASE("policy stream returns a refusal whole, without retrying a 403", "[http]") {
  ScriptedClient inner({Response(403, R"({"error":"permission denied","code":7})")});
  FakeClock clock;
  PolicyClient client(&inner, &clock, Options());
  int pieces = 0;
  Result<HttpResponse> r =
      client.Stream(Get("https://argocd.example/api/v1/stream/applications", "stream"),
                    StreamOptions{}, [&](std::string_view) { return ++pieces > 0; });
  REQUIRE(r.ok());
  CHECK(r->status == 403);
  CHECK(r->body == R"({"error":"permission denied","code":7})");
  CHECK(pieces == 0);
  CHECK(inner.calls == 1);
  CHECK(client.Stats().requests["argocd.example"]["stream"] == 1);
}

TEST_CASE("a fake client without Stream delivers a streamed body as one piece", "[http]") {
  ScriptedClient inner({Response(200, "data: a\n\ndata: b\n\n")});
  std::vector<std::string> pieces;
  Result<HttpResponse> r =
      inner.Stream(Get("https://argocd.example/"), StreamOptions{}, [&](std::string_view piece) {
        pieces.emplace_back(piece);
        return true;
      });
  REQUIRE(r.ok());
  CHECK(r->body.empty());
  CHECK(pieces == std::vector<std::string>{"data: a\n\ndata: b\n\n"});
}

// Streams one piece, then holds the stream open until released.
class HeldStreamClient final : public HttpClient {
 public:
  Result<HttpResponse> Send(const HttpRequest&) override { return Response(200, "quick"); }
  Result<HttpResponse> Stream(const HttpRequest&, const StreamOptions& options,
                              const StreamSink& sink) override {
    HttpResponse head = Response(200);
    if (!options.Streams(head)) return head;
    (void)sink("data: a\n\n");
    release.get_future().wait();
    return head;
  }
  std::promise<void> release;
};

TEST_CASE("policy stream frees its host slot once the body streams", "[http]") {
  PolicyOptions o = Options();
  o.max_in_flight_per_host = 1;
  HeldStreamClient inner;
  FakeClock clock;
  PolicyClient client(&inner, &clock, o);
  std::promise<void> streaming;
  std::thread stream([&] {
    (void)client.Stream(Get("https://argocd.example/stream"), StreamOptions{},
                        [&](std::string_view) {
                          streaming.set_value();
                          return true;
                        });
  });
  streaming.get_future().wait();
  // With the stream holding the host's only slot, this Send would wait for ever.
  auto send = std::async(std::launch::async,
                         [&] { return client.Send(Get("https://argocd.example/api/v1/session")); });
  bool sent_while_streaming = send.wait_for(std::chrono::seconds(5)) == std::future_status::ready;
  inner.release.set_value();
  stream.join();
  CHECK(sent_while_streaming);
  CHECK(send.get()->body == "quick");
}

}  // namespace
}  // namespace capstan::http
