#include "http/curl_client.h"

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "http/connect_failure.h"

namespace capstan::http {
namespace {

using std::chrono::milliseconds;

// A cpp-httplib server on 127.0.0.1 and a free port, serving until destroyed.
class LocalServer {
 public:
  LocalServer() {
    server.Get("/hello", [](const httplib::Request& req, httplib::Response& res) {
      res.set_header("X-Capstan-Test", "yes");
      res.set_content("hello " + req.get_header_value("X-Who"), "text/plain");
    });
    server.Get("/boom", [](const httplib::Request&, httplib::Response& res) {
      res.status = 500;
      res.set_content("broken", "text/plain");
    });
    server.Get("/slow", [](const httplib::Request&, httplib::Response& res) {
      std::this_thread::sleep_for(milliseconds(400));
      res.set_content("late", "text/plain");
    });
    server.Get("/big", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(4096, 'x'), "text/plain");
    });
    server.Get("/big-chunked", [](const httplib::Request&, httplib::Response& res) {
      res.set_chunked_content_provider("text/plain", [](size_t, httplib::DataSink& sink) {
        std::string chunk(1024, 'y');
        for (int i = 0; i < 4; ++i) sink.write(chunk.data(), chunk.size());
        sink.done();
        return true;
      });
    });
    server.Post("/echo", [](const httplib::Request& req, httplib::Response& res) {
      res.set_content(req.method + " " + req.body, "text/plain");
    });
    port = server.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server.listen_after_bind(); });
  }
  ~LocalServer() {
    server.stop();
    thread_.join();
  }
  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port) + path;
  }

  httplib::Server server;
  int port = 0;

 private:
  std::thread thread_;
};

// A loopback port nobody listens on.
int ClosedPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

HttpRequest Get(std::string url) {
  HttpRequest r;
  r.url = std::move(url);
  r.timeout = milliseconds(5000);
  return r;
}

TEST_CASE("curl client returns the body and lowercased headers", "[http]") {
  LocalServer server;
  CurlHttpClient client;
  HttpRequest request = Get(server.Url("/hello"));
  request.headers = {{"X-Who", "capstan"}};
  Result<HttpResponse> r = client.Send(request);
  REQUIRE(r.ok());
  CHECK(r->status == 200);
  CHECK(r->body == "hello capstan");
  auto it = r->headers.find("x-capstan-test");
  REQUIRE(it != r->headers.end());
  CHECK(it->second == "yes");
  CHECK(r->headers.count("content-type") == 1);
}

TEST_CASE("curl client sends a POST body", "[http]") {
  LocalServer server;
  CurlHttpClient client;
  HttpRequest request = Get(server.Url("/echo"));
  request.method = "POST";
  request.body = "{\"prune\":false}";
  Result<HttpResponse> r = client.Send(request);
  REQUIRE(r.ok());
  CHECK(r->body == "POST {\"prune\":false}");
}

TEST_CASE("curl client returns status 500 as a response, not an error", "[http]") {
  LocalServer server;
  CurlHttpClient client;
  Result<HttpResponse> r = client.Send(Get(server.Url("/boom")));
  REQUIRE(r.ok());
  CHECK(r->status == 500);
  CHECK(r->body == "broken");
}

TEST_CASE("curl client times out with kTimeout", "[http]") {
  LocalServer server;
  CurlHttpClient client;
  HttpRequest request = Get(server.Url("/slow"));
  request.timeout = milliseconds(100);
  Result<HttpResponse> r = client.Send(request);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kTimeout);
}

TEST_CASE("curl client ends the exchange at the request's deadline when it is shorter", "[http]") {
  LocalServer server;
  CurlHttpClient client;
  HttpRequest request = Get(server.Url("/slow"));
  request.timeout = milliseconds(5000);
  request.deadline = milliseconds(100);
  auto start = std::chrono::steady_clock::now();
  Result<HttpResponse> r = client.Send(request);
  CHECK(std::chrono::steady_clock::now() - start < milliseconds(350));
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kTimeout);
  CHECK(r.status().message() == "timed out after 100 ms talking to " + server.Url("/slow"));
}

TEST_CASE("curl client caps the response size", "[http]") {
  auto path = GENERATE(as<std::string>{}, "/big", "/big-chunked");
  LocalServer server;
  CurlOptions options;
  options.max_response_bytes = 1000;
  CurlHttpClient client(options);
  Result<HttpResponse> r = client.Send(Get(server.Url(path)));
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kLimitExceeded);
}

TEST_CASE("curl client reports a refused connection as a connect failure", "[http]") {
  CurlHttpClient client;
  std::string url = "http://user:secret@127.0.0.1:" + std::to_string(ClosedPort()) + "/";
  Result<HttpResponse> r = client.Send(Get(url));
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kIoError);
  CHECK(IsConnectFailure(r.status()));
  CHECK(r.status().message().rfind("cannot reach http://127.0.0.1:", 0) == 0);
  CHECK(r.status().message().find("secret") == std::string::npos);
}

TEST_CASE("curl client refuses plain HTTP to a non-loopback host before connecting", "[http]") {
  CurlHttpClient client;
  // 10.255.255.1 is unroutable: any attempt to connect would run into the timeout.
  auto url = GENERATE(as<std::string>{}, "http://example.invalid/v2/", "http://10.255.255.1/");
  auto start = std::chrono::steady_clock::now();
  Result<HttpResponse> r = client.Send(Get(url));
  CHECK(std::chrono::steady_clock::now() - start < milliseconds(1000));
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kInvalidArgument);
  CHECK(r.status().message().rfind("refusing plain HTTP to ", 0) == 0);
}

TEST_CASE("curl client allows plain HTTP to an insecure host", "[http]") {
  auto entry = GENERATE(as<std::string>{}, "example.invalid", "Example.Invalid:80");
  CurlOptions options;
  options.insecure_hosts = {entry};
  CurlHttpClient client(options);
  Result<HttpResponse> r = client.Send(Get("http://example.invalid/v2/"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kIoError);
}

TEST_CASE("curl client rejects other schemes and malformed urls", "[http]") {
  CurlHttpClient client;
  auto url = GENERATE(as<std::string>{}, "file:///etc/passwd", "ftp://127.0.0.1/", "not a url");
  Result<HttpResponse> r = client.Send(Get(url));
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kInvalidArgument);
}

TEST_CASE("urls in messages lose their user-info", "[http]") {
  CHECK(RedactUrl("https://user:pw@ghcr.io/v2/") == "https://ghcr.io/v2/");
  CHECK(RedactUrl("https://ghcr.io/v2/?a=b@c") == "https://ghcr.io/v2/?a=b@c");
  CHECK(RedactUrl("https://tok@en@h") == "https://h");
  CHECK(RedactUrl("not a url") == "not a url");
}

}  // namespace
}  // namespace capstan::http
