// CurlHttpClient::Stream against a real cpp-httplib server on 127.0.0.1 that streams
// text/event-stream with delays, stalls, drops, and refuses.
#include <httplib.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "http/curl_client.h"
#include "http/sse.h"

namespace capstan::http {
namespace {

using std::chrono::milliseconds;
using Steady = std::chrono::steady_clock;

class EventServer {
 public:
  EventServer() {
    // Two frames (the second only once the client has the first, so a client that buffered the
    // body would never see it), three keepalive comments 150 ms apart, then silence.
    server.Get("/events", [this](const httplib::Request&, httplib::Response& res) {
      res.set_chunked_content_provider(
          "text/event-stream", [this](size_t, httplib::DataSink& sink) {
            Write(sink, "data: one\n\n");
            WaitFor([this] { return first_seen.load(); }, milliseconds(3000));
            Write(sink, "data: two\n\n");
            for (int i = 0; i < 3; ++i) {
              Pause(milliseconds(150));
              Write(sink, ": keepalive\n\n");
            }
            WaitFor([] { return false; }, milliseconds(10000));
            return false;
          });
    });
    // Frames every 20 ms until the client goes away.
    server.Get("/forever", [this](const httplib::Request&, httplib::Response& res) {
      res.set_chunked_content_provider("text/event-stream",
                                       [this](size_t, httplib::DataSink& sink) {
                                         for (int i = 0; !closing; ++i) {
                                           if (!Write(sink, "data: " + std::to_string(i) + "\n\n"))
                                             return false;
                                           Pause(milliseconds(20));
                                         }
                                         return false;
                                       });
    });
    // One frame and a half, then the connection is closed without the final chunk.
    server.Get("/drop", [this](const httplib::Request&, httplib::Response& res) {
      res.set_chunked_content_provider("text/event-stream",
                                       [this](size_t, httplib::DataSink& sink) {
                                         Write(sink, "data: {\"a\":1}\n\ndata: {\"b\":");
                                         Pause(milliseconds(50));
                                         return false;
                                       });
    });
    // Two frames and a proper end.
    server.Get("/short", [](const httplib::Request&, httplib::Response& res) {
      res.set_chunked_content_provider("text/event-stream", [](size_t, httplib::DataSink& sink) {
        sink.write("data: a\n\n", 9);
        sink.write("data: b\n\n", 9);
        sink.done();
        return true;
      });
    });
    server.Get("/forbidden", [](const httplib::Request&, httplib::Response& res) {
      res.status = 403;
      res.set_content(R"({"error":"permission denied","code":7,"message":"permission denied"})",
                      "application/json");
    });
    server.Get("/json", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(R"({"result":{}})", "application/json");
    });
    // No answer at all for a while.
    server.Get("/silent", [this](const httplib::Request&, httplib::Response& res) {
      WaitFor([] { return false; }, milliseconds(3000));
      res.set_content("late", "text/plain");
    });
    port = server.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server.listen_after_bind(); });
  }
  ~EventServer() {
    closing = true;
    server.stop();
    thread_.join();
  }
  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port) + path;
  }

  httplib::Server server;
  int port = 0;
  std::atomic<bool> first_seen{false};
  std::atomic<bool> closing{false};

 private:
  static bool Write(httplib::DataSink& sink, const std::string& text) {
    return sink.write(text.data(), text.size());
  }
  // Sleeps for d, or less when the server is closing.
  void Pause(milliseconds d) {
    WaitFor([] { return false; }, d);
  }
  template <typename Pred>
  void WaitFor(Pred done, milliseconds limit) {
    auto end = Steady::now() + limit;
    while (!done() && !closing && Steady::now() < end) std::this_thread::sleep_for(milliseconds(5));
  }

  std::thread thread_;
};

HttpRequest Get(std::string url) {
  HttpRequest r;
  r.url = std::move(url);
  r.headers = {{"Accept", "text/event-stream"}};
  r.timeout = milliseconds(5000);
  return r;
}

// Collects what a stream delivers and parses it as server-sent events.
struct Collector {
  std::string raw;
  std::vector<SseEvent> events;
  SseParser parser;
  int calls = 0;
  bool parse_failed = false;

  // Never throws: the sink runs inside libcurl's callback, which an exception must not cross.
  StreamSink Sink(std::function<void()> after = {}) {
    return [this, after](std::string_view chunk) {
      ++calls;
      raw.append(chunk);
      if (!parser.Feed(chunk, &events).ok()) {
        parse_failed = true;
        return false;
      }
      if (after) after();
      return true;
    };
  }
  std::vector<std::string> Data() const {
    CHECK_FALSE(parse_failed);
    std::vector<std::string> out;
    for (const SseEvent& e : events) out.push_back(e.data);
    return out;
  }
};

StreamOptions EventStreamOptions(milliseconds idle) {
  StreamOptions options;
  options.idle_timeout = idle;
  options.stream_body = IsEventStream;
  return options;
}

TEST_CASE("curl stream delivers each frame as it arrives, then times out when idle", "[http]") {
  EventServer server;
  CurlHttpClient client;
  Collector got;
  auto start = Steady::now();
  Result<HttpResponse> r = client.Stream(Get(server.Url("/events")),
                                         EventStreamOptions(milliseconds(300)), got.Sink([&] {
                                           if (!got.events.empty()) server.first_seen = true;
                                         }));
  auto elapsed = Steady::now() - start;
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kTimeout);
  CHECK(r.status().message() == "no data from " + server.Url("/events") + " for 300 ms");
  CHECK(got.Data() == std::vector<std::string>{"one", "two"});
  CHECK(got.raw == "data: one\n\ndata: two\n\n: keepalive\n\n: keepalive\n\n: keepalive\n\n");
  // The keepalives, 150 ms apart, kept a 300 ms idle timer from firing; silence then fired it.
  CHECK(elapsed >= milliseconds(750));
  CHECK(elapsed < milliseconds(2500));
}

TEST_CASE("curl stream reports the head before any of the body", "[http]") {
  EventServer server;
  CurlHttpClient client;
  std::vector<std::string> order;
  StreamOptions options;
  options.stream_body = [&](const HttpResponse& head) {
    order.push_back("head " + std::to_string(head.status) + " " + head.Header("content-type"));
    CHECK(head.body.empty());
    return IsEventStream(head);
  };
  Result<HttpResponse> r =
      client.Stream(Get(server.Url("/short")), options, [&](std::string_view chunk) {
        order.push_back("body " + std::string(chunk));
        return true;
      });
  REQUIRE(r.ok());
  CHECK(r->status == 200);
  CHECK(r->body.empty());
  CHECK(r->Header("content-type") == "text/event-stream");
  REQUIRE(order.size() >= 2);
  CHECK(order[0] == "head 200 text/event-stream");
  std::string body;
  for (std::size_t i = 1; i < order.size(); ++i) body += order[i].substr(5);
  CHECK(body == "data: a\n\ndata: b\n\n");
}

TEST_CASE("curl stream fails with kIoError when the server drops the connection mid-frame",
          "[http]") {
  EventServer server;
  CurlHttpClient client;
  Collector got;
  Result<HttpResponse> r =
      client.Stream(Get(server.Url("/drop")), EventStreamOptions(milliseconds(2000)), got.Sink());
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kIoError);
  CHECK(r.status().message().rfind("connection to " + server.Url("/drop") + " lost: ", 0) == 0);
  CHECK(got.Data() == std::vector<std::string>{"{\"a\":1}"});
  CHECK(got.parser.pending());  // the half frame is never dispatched
}

TEST_CASE("curl stream returns a 403 answer whole, with its JSON body", "[http]") {
  EventServer server;
  CurlHttpClient client;
  Collector got;
  Result<HttpResponse> r = client.Stream(Get(server.Url("/forbidden")),
                                         EventStreamOptions(milliseconds(2000)), got.Sink());
  REQUIRE(r.ok());
  CHECK(r->status == 403);
  CHECK(r->Header("content-type") == "application/json");
  CHECK(r->body == R"({"error":"permission denied","code":7,"message":"permission denied"})");
  CHECK(got.calls == 0);
}

TEST_CASE("curl stream reads a 2xx that is not an event stream in full", "[http]") {
  EventServer server;
  CurlHttpClient client;
  Collector got;
  Result<HttpResponse> r =
      client.Stream(Get(server.Url("/json")), EventStreamOptions(milliseconds(2000)), got.Sink());
  REQUIRE(r.ok());
  CHECK(r->status == 200);
  CHECK(r->body == R"({"result":{}})");
  CHECK(got.calls == 0);
}

TEST_CASE("curl stream caps a body read in full, not a streamed one", "[http]") {
  EventServer server;
  CurlOptions small;
  small.max_response_bytes = 10;
  CurlHttpClient client(small);
  Collector got;
  Result<HttpResponse> refused = client.Stream(Get(server.Url("/forbidden")),
                                               EventStreamOptions(milliseconds(2000)), got.Sink());
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == StatusCode::kLimitExceeded);
  Result<HttpResponse> streamed =
      client.Stream(Get(server.Url("/short")), EventStreamOptions(milliseconds(2000)), got.Sink());
  REQUIRE(streamed.ok());
  CHECK(got.Data() == std::vector<std::string>{"a", "b"});
}

TEST_CASE("curl stream stops promptly when the callback returns false", "[http]") {
  EventServer server;
  CurlHttpClient client;
  int calls = 0;
  auto start = Steady::now();
  Result<HttpResponse> r = client.Stream(
      Get(server.Url("/forever")), EventStreamOptions(milliseconds(2000)), [&](std::string_view) {
        ++calls;
        return false;
      });
  REQUIRE(r.ok());
  CHECK(r->status == 200);
  CHECK(calls == 1);
  CHECK(Steady::now() - start < milliseconds(1000));
}

TEST_CASE("curl stream ends with kTimeout at the request's timeout however busy it is", "[http]") {
  EventServer server;
  CurlHttpClient client;
  Collector got;
  HttpRequest request = Get(server.Url("/forever"));
  request.timeout = milliseconds(300);
  auto start = Steady::now();
  Result<HttpResponse> r =
      client.Stream(request, EventStreamOptions(milliseconds(200)), got.Sink());
  auto elapsed = Steady::now() - start;
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kTimeout);
  CHECK(r.status().message() == "timed out after 300 ms talking to " + server.Url("/forever"));
  CHECK(got.events.size() >= 3);  // frames every 20 ms: the idle timer never fired
  CHECK(elapsed >= milliseconds(250));
  CHECK(elapsed < milliseconds(1500));
}

TEST_CASE("curl stream times out when the server sends nothing, not even a head", "[http]") {
  EventServer server;
  CurlHttpClient client;
  bool head_seen = false;
  StreamOptions options = EventStreamOptions(milliseconds(200));
  options.stream_body = [&](const HttpResponse&) { return head_seen = true; };
  auto start = Steady::now();
  Result<HttpResponse> r =
      client.Stream(Get(server.Url("/silent")), options, [](std::string_view) { return true; });
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kTimeout);
  CHECK_FALSE(head_seen);
  CHECK(Steady::now() - start < milliseconds(1500));
}

TEST_CASE("curl stream applies the same checks as Send before connecting", "[http]") {
  CurlHttpClient client;
  Result<HttpResponse> r = client.Stream(Get("http://example.invalid/api/v1/stream/applications"),
                                         StreamOptions{}, [](std::string_view) { return true; });
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace capstan::http
