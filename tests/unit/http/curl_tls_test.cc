// CurlOptions' TLS settings against a real TLS server on 127.0.0.1 (Debian's cpp-httplib is
// built with OpenSSL: its pkg-config flags define CPPHTTPLIB_OPENSSL_SUPPORT everywhere).
#include <httplib.h>

#include <catch2/catch.hpp>
#include <memory>
#include <thread>

#include "http/curl_client.h"
#include "support/temp_repo.h"
#include "support/test_certs.h"

namespace capstan::http {
namespace {

using testing::TestCerts;

// An HTTPS server on 127.0.0.1 and a free port answering GET /hello with "hello"; with
// client_ca set it requires a client certificate signed by that CA.
class TlsServer {
 public:
  TlsServer(const TestCerts& certs, bool require_client_cert, bool elsewhere = false)
      : server_(elsewhere ? certs.elsewhere_crt.c_str() : certs.server_crt.c_str(),
                elsewhere ? certs.elsewhere_key.c_str() : certs.server_key.c_str(),
                require_client_cert ? certs.ca_crt.c_str() : nullptr) {
    REQUIRE(server_.is_valid());
    server_.Get("/hello", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("hello", "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~TlsServer() {
    server_.stop();
    thread_.join();
  }
  std::string Url(const std::string& host = "127.0.0.1") const {
    return "https://" + host + ":" + std::to_string(port_) + "/hello";
  }

 private:
  httplib::SSLServer server_;
  int port_ = 0;
  std::thread thread_;
};

Result<HttpResponse> Get(const CurlOptions& options, const std::string& url) {
  CurlHttpClient client(options);
  HttpRequest request;
  request.url = url;
  request.timeout = std::chrono::milliseconds(10000);
  return client.Send(request);
}

CurlOptions CaFile(const std::string& path) {
  CurlOptions o;
  o.ca_file = path;
  return o;
}

CurlOptions CaPem(const std::string& pem) {
  CurlOptions o;
  o.ca_pem = pem;
  return o;
}

struct Fixture {
  testing::TempDir dir;
  TestCerts certs = testing::MakeTestCerts(dir.path());
};

TEST_CASE("a server certificate from the ca_file is trusted") {
  Fixture f;
  TlsServer server(f.certs, false);
  Result<HttpResponse> r = Get(CaFile(f.certs.ca_crt), server.Url());
  REQUIRE(r.ok());
  CHECK(r->status == 200);
  CHECK(r->body == "hello");
  // The host name is still checked: "localhost" is in the certificate too.
  CHECK(Get(CaFile(f.certs.ca_crt), server.Url("localhost")).ok());
}

TEST_CASE("a server certificate from an in-memory ca_pem is trusted") {
  Fixture f;
  TlsServer server(f.certs, false);
  Result<HttpResponse> r = Get(CaPem(testing::ReadFile(f.certs.ca_crt)), server.Url());
  REQUIRE(r.ok());
  CHECK(r->status == 200);
}

TEST_CASE("the system store alone does not trust a private CA: one-line kIoError") {
  Fixture f;
  TlsServer server(f.certs, false);
  Result<HttpResponse> r = Get({}, server.Url());
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kIoError);
  CHECK(r.status().message().rfind("cannot reach " + server.Url() + ": ", 0) == 0);
  CHECK(r.status().message().find("certificate") != std::string::npos);
  CHECK(r.status().message().find('\n') == std::string::npos);
}

TEST_CASE("a ca_file replaces the system store instead of adding to it") {
  Fixture f;
  TlsServer server(f.certs, false);
  Result<HttpResponse> r = Get(CaFile(f.certs.other_ca_crt), server.Url());
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kIoError);
  Result<HttpResponse> pem = Get(CaPem(testing::ReadFile(f.certs.other_ca_crt)), server.Url());
  CHECK(pem.status().code() == StatusCode::kIoError);
}

TEST_CASE("a missing ca_file is a kIoError naming it") {
  Fixture f;
  TlsServer server(f.certs, false);
  Result<HttpResponse> r = Get(CaFile(f.dir / "nope.crt"), server.Url());
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kIoError);
  CHECK(r.status().message().find("cannot reach " + server.Url()) == 0);
}

TEST_CASE("the host name is verified against the certificate from the ca_file") {
  Fixture f;
  TlsServer server(f.certs, false, /*elsewhere=*/true);
  Result<HttpResponse> r = Get(CaFile(f.certs.ca_crt), server.Url());
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kIoError);
  CHECK(r.status().message().find("127.0.0.1") != std::string::npos);
}

TEST_CASE("insecure_skip_verify accepts an untrusted certificate and a wrong host name") {
  Fixture f;
  TlsServer server(f.certs, false, /*elsewhere=*/true);
  CurlOptions insecure;
  insecure.insecure_skip_verify = true;
  Result<HttpResponse> r = Get(insecure, server.Url());
  REQUIRE(r.ok());
  CHECK(r->status == 200);
  // ca_file is ignored: the other CA vouches for nothing here.
  insecure.ca_file = f.certs.other_ca_crt;
  CHECK(Get(insecure, server.Url()).ok());
}

TEST_CASE("a server requiring a client certificate accepts the configured one") {
  Fixture f;
  TlsServer server(f.certs, true);
  CurlOptions options = CaFile(f.certs.ca_crt);
  options.client_cert_pem = testing::ReadFile(f.certs.client_crt);
  options.client_key_pem = testing::ReadFile(f.certs.client_key);
  Result<HttpResponse> r = Get(options, server.Url());
  REQUIRE(r.ok());
  CHECK(r->status == 200);
}

TEST_CASE("a server requiring a client certificate refuses a client without one") {
  Fixture f;
  TlsServer server(f.certs, true);
  Result<HttpResponse> r = Get(CaFile(f.certs.ca_crt), server.Url());
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kIoError);
  CHECK(r.status().message().rfind("cannot reach " + server.Url() + ": ", 0) == 0);
  CHECK(r.status().message().find('\n') == std::string::npos);
}

TEST_CASE("a client key that does not match its certificate fails without showing either") {
  Fixture f;
  TlsServer server(f.certs, true);
  const std::string key = testing::ReadFile(f.certs.server_key);
  CurlOptions options = CaFile(f.certs.ca_crt);
  options.client_cert_pem = testing::ReadFile(f.certs.client_crt);
  options.client_key_pem = key;
  Result<HttpResponse> r = Get(options, server.Url());
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kIoError);
  CHECK(r.status().message().find("PRIVATE KEY") == std::string::npos);
  CHECK(r.status().message().find("CERTIFICATE") == std::string::npos);
}

TEST_CASE("a client certificate without its key is refused before any network access") {
  CurlOptions options;
  options.client_cert_pem = "-----BEGIN CERTIFICATE-----\n";
  Result<HttpResponse> r = Get(options, "https://127.0.0.1:1/");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kInvalidArgument);
  CHECK(r.status().message() == "client certificate and key must be given together");
}

}  // namespace
}  // namespace capstan::http
