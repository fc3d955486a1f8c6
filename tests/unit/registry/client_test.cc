#include "registry/client.h"

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/sha256.h"
#include "http/curl_client.h"
#include "http/policy.h"
#include "registry/protocol.h"

namespace capstan::registry {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

class FakeClock final : public Clock {
 public:
  std::chrono::system_clock::time_point Now() override {
    std::lock_guard<std::mutex> lock(mu_);
    return now_;
  }
  std::chrono::steady_clock::time_point Monotonic() override {
    std::lock_guard<std::mutex> lock(mu_);
    return std::chrono::steady_clock::time_point(now_.time_since_epoch());
  }
  void Sleep(milliseconds d) override {
    std::lock_guard<std::mutex> lock(mu_);
    now_ += d;
    sleeps_.push_back(d);
  }
  void Advance(std::chrono::seconds d) {
    std::lock_guard<std::mutex> lock(mu_);
    now_ += d;
  }
  std::vector<milliseconds> Sleeps() {
    std::lock_guard<std::mutex> lock(mu_);
    return sleeps_;
  }

 private:
  std::mutex mu_;
  std::chrono::system_clock::time_point now_ =
      std::chrono::sys_days(std::chrono::year(2024) / 1 / 1);
  std::vector<milliseconds> sleeps_;
};

struct Seen {
  std::string method;
  std::string path;
  std::string authorization;
  std::string accept;
  std::string content_type;
};

// A cpp-httplib server on 127.0.0.1 playing a registry: tests add routes, then Start().
class FakeServer {
 public:
  FakeServer() {
    port_ = server.bind_to_any_port("127.0.0.1");
    // Before the handler runs, so the client cannot see a response before it is recorded.
    server.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response&) {
      std::lock_guard<std::mutex> lock(mu_);
      seen_.push_back({req.method, req.path, req.get_header_value("Authorization"),
                       req.get_header_value("Accept"), req.get_header_value("Content-Type")});
      return httplib::Server::HandlerResponse::Unhandled;
    });
  }
  ~FakeServer() {
    server.stop();
    if (thread_.joinable()) thread_.join();
  }
  void Start() {
    thread_ = std::thread([this] { server.listen_after_bind(); });
    while (!server.is_running()) std::this_thread::sleep_for(1ms);
  }
  std::string Host() const { return "127.0.0.1:" + std::to_string(port_); }
  std::string Url(const std::string& path) const { return "http://" + Host() + path; }
  std::vector<Seen> Requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return seen_;
  }
  int Count(const std::string& method, const std::string& path) {
    int n = 0;
    for (const Seen& s : Requests()) n += s.method == method && s.path == path;
    return n;
  }
  Seen Last(const std::string& path) {
    Seen last;
    for (const Seen& s : Requests()) {
      if (s.path == path) last = s;
    }
    return last;
  }

  httplib::Server server;

 private:
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::vector<Seen> seen_;
};

void Json(httplib::Response& res, const std::string& body, int status = 200) {
  res.status = status;
  res.set_content(body, "application/json");
}

void AnonymousPing(FakeServer& s) {
  s.server.Get("/v2/", [](const httplib::Request&, httplib::Response& res) { Json(res, "{}"); });
}

// A Bearer registry whose token endpoint issues "tok<n>|<scope>" tokens, valid until revoked.
struct TokenService {
  std::mutex mu;
  std::vector<std::string> issued;
  std::string post_body;
  std::string service = "test-registry";

  void Install(FakeServer& s, bool challenge_on_ping = true) {
    std::string realm = s.Url("/token");
    std::string challenge = "Bearer realm=\"" + realm + "\",service=\"" + service + "\"";
    s.server.Get("/v2/", [challenge, challenge_on_ping](const httplib::Request&,
                                                        httplib::Response& res) {
      if (!challenge_on_ping) return Json(res, "{}");
      res.set_header("WWW-Authenticate", challenge);
      Json(res, R"({"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]})", 401);
    });
    auto issue = [this](const std::string& scope, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mu);
      std::string token = "tok" + std::to_string(issued.size()) + "|" + scope;
      issued.push_back(token);
      Json(res, R"({"token":")" + token + R"(","expires_in":300})");
    };
    s.server.Get("/token", [issue](const httplib::Request& req, httplib::Response& res) {
      if (req.has_header("Authorization") &&
          req.get_header_value("Authorization") != "Basic YWxpY2U6czNjcmV0") {
        return Json(res, R"({"errors":[{"code":"UNAUTHORIZED","message":"bad login"}]})", 401);
      }
      issue(req.get_param_value("scope"), res);
    });
    s.server.Post("/token", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mu);
      post_body = req.body;
      std::string token = "oauth" + std::to_string(issued.size());
      issued.push_back(token + "|" + req.get_param_value("scope"));
      Json(res, R"({"access_token":")" + token + "|" + req.get_param_value("scope") +
                    R"(","expires_in":300})");
    });
  }
  // Whether `authorization` carries a live token for repository.
  bool Allows(const std::string& authorization, const std::string& repository) {
    std::lock_guard<std::mutex> lock(mu);
    for (const std::string& t : issued) {
      if (authorization == "Bearer " + t &&
          t.substr(t.find('|') + 1) == "repository:" + repository + ":pull") {
        return true;
      }
    }
    return false;
  }
  void RevokeAll() {
    std::lock_guard<std::mutex> lock(mu);
    for (std::string& t : issued) t = "revoked";
  }
  void Refuse(httplib::Response& res, const std::string& realm) {
    res.set_header("WWW-Authenticate",
                   "Bearer realm=\"" + realm + "\",service=\"" + service + "\"");
    Json(res, R"({"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]})", 401);
  }
};

using Lookup = std::map<std::string, RegistryCredential>;

// The real client stack: CurlHttpClient under PolicyClient, both on a fake clock.
struct Harness {
  explicit Harness(Lookup credentials = {}, ClientOptions options = {})
      : policy(&curl, &clock, Policy()),
        client(
            &policy, &clock,
            [this,
             credentials](const std::string& host) -> Result<std::optional<RegistryCredential>> {
              ++lookups;
              auto it = credentials.find(host);
              if (it == credentials.end()) return std::optional<RegistryCredential>();
              return std::optional<RegistryCredential>(it->second);
            },
            options) {}

  static http::PolicyOptions Policy() {
    http::PolicyOptions o;
    o.jitter = 0;
    return o;
  }
  std::uint64_t Requests(const std::string& host, const std::string& kind) {
    http::RequestStats stats = policy.Stats();
    auto h = stats.requests.find(host);
    if (h == stats.requests.end()) return 0;
    auto k = h->second.find(kind);
    return k == h->second.end() ? 0 : k->second;
  }

  FakeClock clock;
  http::CurlHttpClient curl;
  http::PolicyClient policy;
  std::atomic<int> lookups{0};
  Client client;
};

image::Reference Ref(const FakeServer& s, const std::string& repository = "acme/api") {
  Result<image::Reference> r = image::ParseReference(s.Host() + "/" + repository);
  REQUIRE(r.ok());
  return *r;
}

void TagsOf(FakeServer& s, const std::string& repository, const std::string& tags_json) {
  s.server.Get("/v2/" + repository + "/tags/list",
               [repository, tags_json](const httplib::Request&, httplib::Response& res) {
                 Json(res, R"({"name":")" + repository + R"(","tags":)" + tags_json + "}");
               });
}

using Tags = std::vector<std::string>;

TEST_CASE("an anonymous registry lists tags after one ping", "[registry][client]") {
  FakeServer s;
  AnonymousPing(s);
  TagsOf(s, "acme/api", R"(["1.0","1.1","latest"])");
  TagsOf(s, "acme/empty", "null");
  s.Start();
  Harness h;
  Result<Tags> tags = h.client.ListTags(Ref(s));
  REQUIRE(tags.ok());
  CHECK(*tags == Tags{"1.0", "1.1", "latest"});
  Result<Tags> again = h.client.ListTags(Ref(s));
  REQUIRE(again.ok());
  Result<Tags> empty = h.client.ListTags(Ref(s, "acme/empty"));
  REQUIRE(empty.ok());
  CHECK(empty->empty());
  CHECK(s.Count("GET", "/v2/") == 1);
  CHECK(h.Requests(s.Host(), "ping") == 1);
  CHECK(h.Requests(s.Host(), "tags") == 3);
  for (const Seen& seen : s.Requests()) CHECK(seen.authorization.empty());
}

TEST_CASE("basic auth sends the credential and a refused one is unauthenticated",
          "[registry][client]") {
  FakeServer s;
  s.server.Get("/v2/", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("WWW-Authenticate", "Basic realm=\"test\"");
    Json(res, "{}", 401);
  });
  s.server.Get("/v2/acme/api/tags/list", [](const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("Authorization") != "Basic YWxpY2U6czNjcmV0") {
      res.set_header("WWW-Authenticate", "Basic realm=\"test\"");
      return Json(res, R"({"errors":[{"code":"UNAUTHORIZED","message":"bad login"}]})", 401);
    }
    Json(res, R"({"name":"acme/api","tags":["v1"]})");
  });
  s.Start();

  Harness good({{s.Host(), {"alice", "s3cret", ""}}});
  Result<Tags> tags = good.client.ListTags(Ref(s));
  REQUIRE(tags.ok());
  CHECK(*tags == Tags{"v1"});
  CHECK(good.lookups == 1);

  Harness bad({{s.Host(), {"alice", "wrong-pass", ""}}});
  Result<Tags> refused = bad.client.ListTags(Ref(s));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == StatusCode::kUnauthenticated);
  const std::string& m = refused.status().message();
  CHECK(m.rfind("cannot list tags of " + s.Host() + "/acme/api: ", 0) == 0);
  CHECK(m.find("wrong-pass") == std::string::npos);
  CHECK(m.find("YWxpY2U6d3JvbmctcGFzcw") == std::string::npos);  // base64 of alice:wrong-pass
}

TEST_CASE("a bearer token is fetched once per repository and again after it expires",
          "[registry][client]") {
  FakeServer s;
  TokenService tokens;
  tokens.Install(s);
  for (std::string repo : {"acme/api", "acme/web"}) {
    s.server.Get("/v2/" + repo + "/tags/list",
                 [&tokens, &s, repo](const httplib::Request& req, httplib::Response& res) {
                   if (!tokens.Allows(req.get_header_value("Authorization"), repo)) {
                     return tokens.Refuse(res, s.Url("/token"));
                   }
                   Json(res, R"({"name":")" + repo + R"(","tags":["1"]})");
                 });
  }
  s.Start();
  Harness h({{s.Host(), {"alice", "s3cret", ""}}});

  REQUIRE(h.client.ListTags(Ref(s)).ok());
  REQUIRE(h.client.ListTags(Ref(s)).ok());
  CHECK(s.Count("GET", "/token") == 1);
  Seen token_request = s.Last("/token");
  CHECK(token_request.authorization == "Basic YWxpY2U6czNjcmV0");

  h.clock.Advance(260s);  // 300 s token: still 40 s before the 30 s margin
  REQUIRE(h.client.ListTags(Ref(s)).ok());
  CHECK(s.Count("GET", "/token") == 1);
  h.clock.Advance(15s);  // now within 30 s of expiry
  REQUIRE(h.client.ListTags(Ref(s)).ok());
  CHECK(s.Count("GET", "/token") == 2);

  REQUIRE(h.client.ListTags(Ref(s, "acme/web")).ok());
  CHECK(s.Count("GET", "/token") == 3);
  CHECK(h.Requests(s.Host(), "token") == 3);
  CHECK(h.Requests(s.Host(), "ping") == 1);
  CHECK(h.lookups == 1);
}

TEST_CASE("a revoked cached token is replaced once", "[registry][client]") {
  FakeServer s;
  TokenService tokens;
  tokens.Install(s);
  s.server.Get("/v2/acme/api/tags/list", [&](const httplib::Request& req, httplib::Response& res) {
    if (!tokens.Allows(req.get_header_value("Authorization"), "acme/api")) {
      return tokens.Refuse(res, s.Url("/token"));
    }
    Json(res, R"({"name":"acme/api","tags":["1"]})");
  });
  s.Start();
  Harness h;
  REQUIRE(h.client.ListTags(Ref(s)).ok());
  tokens.RevokeAll();
  REQUIRE(h.client.ListTags(Ref(s)).ok());
  CHECK(s.Count("GET", "/token") == 2);
  CHECK(s.Last("/token").authorization.empty());  // anonymous token
  CHECK(s.Count("GET", "/v2/acme/api/tags/list") == 3);
}

TEST_CASE("a repository that needs a token behind an anonymous ping gets one",
          "[registry][client]") {
  FakeServer s;
  TokenService tokens;
  tokens.Install(s, /*challenge_on_ping=*/false);
  s.server.Get("/v2/acme/private/tags/list",
               [&](const httplib::Request& req, httplib::Response& res) {
                 if (!tokens.Allows(req.get_header_value("Authorization"), "acme/private")) {
                   return tokens.Refuse(res, s.Url("/token"));
                 }
                 Json(res, R"({"name":"acme/private","tags":["x"]})");
               });
  s.Start();
  Harness h;
  Result<Tags> tags = h.client.ListTags(Ref(s, "acme/private"));
  REQUIRE(tags.ok());
  CHECK(*tags == Tags{"x"});
  CHECK(s.Count("GET", "/token") == 1);
}

TEST_CASE("an identity token is exchanged with a refresh_token POST", "[registry][client]") {
  FakeServer s;
  TokenService tokens;
  tokens.Install(s);
  s.server.Get("/v2/acme/api/tags/list", [&](const httplib::Request& req, httplib::Response& res) {
    if (!tokens.Allows(req.get_header_value("Authorization"), "acme/api")) {
      return tokens.Refuse(res, s.Url("/token"));
    }
    Json(res, R"({"name":"acme/api","tags":["1"]})");
  });
  s.Start();
  Harness h({{s.Host(), {"", "", "refresh-xyz"}}});
  REQUIRE(h.client.ListTags(Ref(s)).ok());
  CHECK(s.Count("GET", "/token") == 0);
  REQUIRE(s.Count("POST", "/token") == 1);
  Seen post = s.Last("/token");
  CHECK(post.content_type == "application/x-www-form-urlencoded");
  CHECK(post.authorization.empty());
  std::lock_guard<std::mutex> lock(tokens.mu);
  CHECK(tokens.post_body ==
        "grant_type=refresh_token&service=test-registry&scope=repository%3Aacme%2Fapi%3Apull"
        "&refresh_token=refresh-xyz&client_id=capstan");
}

TEST_CASE("a refused token request is unauthenticated without the secret", "[registry][client]") {
  FakeServer s;
  TokenService tokens;
  tokens.Install(s);
  s.Start();
  Harness h({{s.Host(), {"alice", "hunter2", ""}}});
  Result<Tags> tags = h.client.ListTags(Ref(s));
  REQUIRE_FALSE(tags.ok());
  CHECK(tags.status().code() == StatusCode::kUnauthenticated);
  CHECK(tags.status().message().find("cannot list tags of " + s.Host() + "/acme/api") == 0);
  CHECK(tags.status().message().find("hunter2") == std::string::npos);
  CHECK(tags.status().message().find("alice") == std::string::npos);
}

TEST_CASE("tags follow Link pages up to the page cap", "[registry][client]") {
  FakeServer s;
  AnonymousPing(s);
  s.server.Get("/v2/acme/api/tags/list", [](const httplib::Request& req, httplib::Response& res) {
    CHECK(req.get_param_value("n") == "2");
    std::string last = req.get_param_value("last");
    if (last.empty()) {
      res.set_header("Link", "</v2/acme/api/tags/list?n=2&last=b>; rel=\"next\"");
      return Json(res, R"({"name":"acme/api","tags":["a","b"]})");
    }
    if (last == "b") {
      res.set_header("Link", "</v2/acme/api/tags/list?n=2&last=d>; rel=\"next\"");
      return Json(res, R"({"name":"acme/api","tags":["c","d"]})");
    }
    Json(res, R"({"name":"acme/api","tags":["e"]})");
  });
  s.Start();
  ClientOptions options;
  options.page_size = 2;
  Harness h({}, options);
  Result<Tags> tags = h.client.ListTags(Ref(s));
  REQUIRE(tags.ok());
  CHECK(*tags == Tags{"a", "b", "c", "d", "e"});

  options.max_tag_pages = 2;
  Harness capped({}, options);
  Result<Tags> too_many = capped.client.ListTags(Ref(s));
  REQUIRE_FALSE(too_many.ok());
  CHECK(too_many.status().code() == StatusCode::kLimitExceeded);
  CHECK(too_many.status().message() ==
        "cannot list tags of " + s.Host() + "/acme/api: more than 2 pages of tags");
}

TEST_CASE("an unknown repository is not found", "[registry][client]") {
  FakeServer s;
  AnonymousPing(s);
  s.server.Get("/v2/acme/gone/tags/list", [](const httplib::Request&, httplib::Response& res) {
    Json(res, R"({"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known"}]})", 404);
  });
  s.Start();
  Harness h;
  Result<Tags> tags = h.client.ListTags(Ref(s, "acme/gone"));
  REQUIRE_FALSE(tags.ok());
  CHECK(tags.status().code() == StatusCode::kNotFound);
  CHECK(tags.status().message().find("repository not found") != std::string::npos);
}

const std::string kManifest =
    R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",)"
    R"("config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":2,)"
    R"("digest":"sha256:)" +
    std::string(64, 'c') + R"("},"layers":[]})";

TEST_CASE("the digest comes from one HEAD with the full Accept list", "[registry][client]") {
  FakeServer s;
  AnonymousPing(s);
  s.server.Get(
      R"(/v2/acme/api/manifests/(.+))", [](const httplib::Request& req, httplib::Response& res) {
        if (req.matches[1] != "1.0") {
          return Json(res, R"({"errors":[{"code":"MANIFEST_UNKNOWN","message":"unknown"}]})", 404);
        }
        res.set_header("Docker-Content-Digest", "sha256:" + std::string(64, 'a'));
        res.set_content(kManifest, "application/vnd.oci.image.manifest.v1+json");
      });
  s.Start();
  Harness h;
  Result<std::string> digest = h.client.Digest(Ref(s), "1.0");
  REQUIRE(digest.ok());
  CHECK(*digest == "sha256:" + std::string(64, 'a'));
  Seen head = s.Last("/v2/acme/api/manifests/1.0");
  CHECK(head.method == "HEAD");
  std::string accept;
  for (const std::string& type : ManifestAcceptTypes()) {
    accept += (accept.empty() ? "" : ", ") + type;
  }
  CHECK(head.accept == accept);
  CHECK(h.Requests(s.Host(), "manifest-head") == 1);
  CHECK(h.Requests(s.Host(), "manifest") == 0);

  Result<std::string> deleted = h.client.Digest(Ref(s), "2.0");
  REQUIRE_FALSE(deleted.ok());
  CHECK(deleted.status().code() == StatusCode::kNotFound);
  CHECK(deleted.status().message().rfind("cannot get digest of " + s.Host() + "/acme/api:2.0: ",
                                         0) == 0);

  Result<std::string> bad = h.client.Digest(Ref(s), "../x");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().code() == StatusCode::kInvalidArgument);
}

TEST_CASE("without Docker-Content-Digest the digest is the sha256 of the manifest",
          "[registry][client]") {
  FakeServer s;
  AnonymousPing(s);
  s.server.Get("/v2/acme/api/manifests/1.0", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(kManifest, "application/vnd.oci.image.manifest.v1+json");
  });
  s.Start();
  Harness h;
  Result<std::string> digest = h.client.Digest(Ref(s), "1.0");
  REQUIRE(digest.ok());
  CHECK(*digest == "sha256:" + Sha256Hex(kManifest));
  CHECK(s.Count("HEAD", "/v2/acme/api/manifests/1.0") == 1);
  CHECK(s.Count("GET", "/v2/acme/api/manifests/1.0") == 1);
}

TEST_CASE("a 429 with Retry-After is waited out on the clock", "[registry][client]") {
  FakeServer s;
  AnonymousPing(s);
  std::atomic<int> calls{0};
  s.server.Get("/v2/acme/api/tags/list", [&](const httplib::Request&, httplib::Response& res) {
    if (calls++ == 0) {
      res.set_header("Retry-After", "2");
      return Json(res, R"({"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]})", 429);
    }
    Json(res, R"({"name":"acme/api","tags":["1"]})");
  });
  s.Start();
  Harness h;
  Result<Tags> tags = h.client.ListTags(Ref(s));
  REQUIRE(tags.ok());
  CHECK(h.clock.Sleeps() == std::vector<milliseconds>{2000ms});
  CHECK(h.policy.Stats().rate_limited == 1);
  CHECK(h.Requests(s.Host(), "tags") == 1);
}

// Answers every connection with `respond(request head)` and closes it, so a response can lie
// about its Content-Length.
class RawServer {
 public:
  explicit RawServer(std::function<std::string(const std::string&)> respond)
      : respond_(std::move(respond)) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    REQUIRE(listen(fd_, 8) == 0);
    thread_ = std::thread([this] { Serve(); });
  }
  ~RawServer() {
    stop_ = true;
    thread_.join();
    close(fd_);
  }
  std::string Host() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  void Serve() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 50) <= 0) continue;
      int c = accept(fd_, nullptr, nullptr);
      if (c < 0) continue;
      std::string head;
      char buf[4096];
      while (head.find("\r\n\r\n") == std::string::npos) {
        ssize_t n = read(c, buf, sizeof buf);
        if (n <= 0) break;
        head.append(buf, static_cast<size_t>(n));
      }
      std::string out = respond_(head);
      ssize_t written = write(c, out.data(), out.size());
      (void)written;
      close(c);
    }
  }

  std::function<std::string(const std::string&)> respond_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

TEST_CASE("a truncated body is a clear error, not a crash", "[registry][client]") {
  RawServer raw([](const std::string& head) -> std::string {
    if (head.rfind("GET /v2/ ", 0) == 0) {
      return "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}";
    }
    return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n"
           "Connection: close\r\n\r\n{\"name\":\"acme/api\",\"tags\":[\"1.";
  });
  Harness h;
  Result<image::Reference> ref = image::ParseReference(raw.Host() + "/acme/api");
  REQUIRE(ref.ok());
  Result<Tags> tags = h.client.ListTags(*ref);
  REQUIRE_FALSE(tags.ok());
  CHECK(tags.status().code() == StatusCode::kIoError);
  CHECK(tags.status().message().rfind("cannot list tags of " + raw.Host() + "/acme/api: ", 0) == 0);
  CHECK(tags.status().message().find('\n') == std::string::npos);
}

TEST_CASE("a malformed tags list is a parse error", "[registry][client]") {
  FakeServer s;
  AnonymousPing(s);
  TagsOf(s, "acme/api", R"("not-a-list")");
  s.server.Get("/v2/acme/junk/tags/list",
               [](const httplib::Request&, httplib::Response& res) { Json(res, "{\"tags\":["); });
  s.Start();
  Harness h;
  for (std::string repo : {"acme/api", "acme/junk"}) {
    Result<Tags> tags = h.client.ListTags(Ref(s, repo));
    REQUIRE_FALSE(tags.ok());
    CHECK(tags.status().code() == StatusCode::kParseError);
  }
}

// An index of linux/amd64, linux/arm64 and an attestation; each image has its own config.
struct IndexedImage {
  std::map<std::string, std::string> manifests;  // tag or digest -> body
  std::map<std::string, std::string> blobs;      // digest -> body
  std::string Add(std::map<std::string, std::string>& store, const std::string& body) {
    std::string digest = "sha256:" + Sha256Hex(body);
    store[digest] = body;
    return digest;
  }
  std::string Image(const std::string& arch, const std::string& created) {
    std::string config = Add(
        blobs, R"({"created":")" + created + R"(","os":"linux","architecture":")" + arch + R"("})");
    return Add(manifests,
               R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",)"
               R"("config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":")" +
                   config + R"(","size":10},"layers":[]})");
  }
  IndexedImage() {
    std::string amd = Image("amd64", "2024-03-01T10:00:00Z");
    std::string arm = Image("arm64", "2024-03-02T11:30:00.25+02:00");
    std::string att = Add(manifests, R"({"schemaVersion":2,"config":{"digest":"sha256:)" +
                                         std::string(64, 'e') + R"("}})");
    auto entry = [](const std::string& digest, const std::string& os, const std::string& arch) {
      return R"({"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":")" + digest +
             R"(","size":100,"platform":{"os":")" + os + R"(","architecture":")" + arch + R"("}})";
    };
    manifests["latest"] =
        R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json",)"
        R"("manifests":[)" +
        entry(amd, "linux", "amd64") + "," + entry(arm, "linux", "arm64") + "," +
        entry(att, "unknown", "unknown") + "]}";
    manifests["single"] = manifests[amd];
    manifests["undated"] = manifests[Image("riscv64", "last tuesday")];
  }
  void Install(FakeServer& s, const std::string& blob_redirect = "") {
    s.server.Get(R"(/v2/acme/api/manifests/(.+))",
                 [this](const httplib::Request& req, httplib::Response& res) {
                   auto it = manifests.find(req.matches[1]);
                   if (it == manifests.end()) return Json(res, "{}", 404);
                   res.set_content(it->second, "application/vnd.oci.image.index.v1+json");
                 });
    s.server.Get(R"(/v2/acme/api/blobs/(.+))", [this, blob_redirect](const httplib::Request& req,
                                                                     httplib::Response& res) {
      if (!blob_redirect.empty()) {
        res.status = 307;
        res.set_header("Location", blob_redirect + std::string(req.matches[1]) + "?sig=x");
        return;
      }
      auto it = blobs.find(req.matches[1]);
      if (it == blobs.end()) return Json(res, "{}", 404);
      Json(res, it->second);
    });
  }
};

std::vector<std::string> Names(const std::vector<Platform>& platforms) {
  std::vector<std::string> out;
  for (const Platform& p : platforms) out.push_back(p.ToString());
  return out;
}

TEST_CASE("inspect picks the wanted platform of an index and reads its config",
          "[registry][client]") {
  IndexedImage image;
  FakeServer s;
  AnonymousPing(s);
  image.Install(s);
  s.Start();
  Harness h;
  Result<ImageInfo> info = h.client.Inspect(Ref(s), "latest", {{"linux", "arm64", ""}});
  REQUIRE(info.ok());
  CHECK(info->digest == "sha256:" + Sha256Hex(image.manifests["latest"]));
  CHECK(Names(info->platforms) == std::vector<std::string>{"linux/amd64", "linux/arm64"});
  REQUIRE(info->created.has_value());
  CHECK(*info->created ==
        std::chrono::sys_days(std::chrono::year(2024) / 3 / 2) + 9h + 30min + 250ms);
  CHECK(h.Requests(s.Host(), "manifest") == 2);
  CHECK(h.Requests(s.Host(), "blob") == 1);

  Result<ImageInfo> first = h.client.Inspect(Ref(s), "latest", {});
  REQUIRE(first.ok());
  CHECK(*first->created == std::chrono::sys_days(std::chrono::year(2024) / 3 / 1) + 10h);

  Result<ImageInfo> single = h.client.Inspect(Ref(s), "single", {{"linux", "amd64", ""}});
  REQUIRE(single.ok());
  CHECK(Names(single->platforms) == std::vector<std::string>{"linux/amd64"});
}

TEST_CASE("inspect of an image whose config has no valid created gives no time",
          "[registry][client]") {
  IndexedImage image;
  FakeServer s;
  AnonymousPing(s);
  image.Install(s);
  s.Start();
  Harness h;
  Result<ImageInfo> info = h.client.Inspect(Ref(s), "undated", {{"linux", "riscv64", ""}});
  REQUIRE(info.ok());
  CHECK(Names(info->platforms) == std::vector<std::string>{"linux/riscv64"});
  CHECK_FALSE(info->created.has_value());
}

TEST_CASE("inspect names the offered platforms when the wanted one is missing",
          "[registry][client]") {
  IndexedImage image;
  FakeServer s;
  AnonymousPing(s);
  image.Install(s);
  s.Start();
  Harness h;
  Result<ImageInfo> info = h.client.Inspect(Ref(s), "latest", {{"linux", "s390x", ""}});
  REQUIRE_FALSE(info.ok());
  CHECK(info.status().code() == StatusCode::kNotFound);
  CHECK(info.status().message() == "cannot inspect " + s.Host() +
                                       "/acme/api:latest: offers linux/amd64, linux/arm64, not "
                                       "linux/s390x");
  Result<ImageInfo> single = h.client.Inspect(Ref(s), "single", {{"linux", "arm64", ""}});
  REQUIRE_FALSE(single.ok());
  CHECK(single.status().code() == StatusCode::kNotFound);
}

TEST_CASE("inspect refuses documents over the size cap", "[registry][client]") {
  IndexedImage image;
  FakeServer s;
  AnonymousPing(s);
  image.Install(s);
  s.Start();
  ClientOptions options;
  options.max_document_bytes = 100;
  Harness h({}, options);
  Result<ImageInfo> info = h.client.Inspect(Ref(s), "latest", {});
  REQUIRE_FALSE(info.ok());
  CHECK(info.status().code() == StatusCode::kLimitExceeded);
}

TEST_CASE("a blob redirect to another host drops the Authorization header", "[registry][client]") {
  IndexedImage image;
  FakeServer storage;
  storage.server.Get(R"(/storage/(.+))", [&](const httplib::Request& req, httplib::Response& res) {
    auto it = image.blobs.find(req.matches[1]);
    if (it == image.blobs.end()) return Json(res, "{}", 404);
    Json(res, it->second);
  });
  storage.Start();
  FakeServer s;
  s.server.Get("/v2/", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("WWW-Authenticate", "Basic realm=\"test\"");
    Json(res, "{}", 401);
  });
  image.Install(s, storage.Url("/storage/"));
  s.Start();
  Harness h({{s.Host(), {"alice", "s3cret", ""}}});
  Result<ImageInfo> info = h.client.Inspect(Ref(s), "single", {});
  REQUIRE(info.ok());
  REQUIRE(info->created.has_value());
  std::vector<Seen> at_storage = storage.Requests();
  REQUIRE(at_storage.size() == 1);
  CHECK(at_storage[0].authorization.empty());
  for (const Seen& seen : s.Requests()) {
    if (seen.path != "/v2/") CHECK(seen.authorization == "Basic YWxpY2U6czNjcmV0");
  }
  CHECK(h.Requests(storage.Host(), "blob") == 1);
}

TEST_CASE("a relative blob redirect on the registry keeps the Authorization header",
          "[registry][client]") {
  IndexedImage image;
  FakeServer s;
  s.server.Get("/v2/", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("WWW-Authenticate", "Basic realm=\"test\"");
    Json(res, "{}", 401);
  });
  s.server.Get(R"(/local/(.+))", [&](const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("Authorization") != "Basic YWxpY2U6czNjcmV0") {
      return Json(res, "{}", 401);
    }
    Json(res, image.blobs[req.matches[1]]);
  });
  image.Install(s, "/local/");
  s.Start();
  Harness h({{s.Host(), {"alice", "s3cret", ""}}});
  Result<ImageInfo> info = h.client.Inspect(Ref(s), "single", {});
  REQUIRE(info.ok());
  CHECK(info->created.has_value());
  CHECK(h.Requests(s.Host(), "blob") == 2);
}

TEST_CASE("several threads share one client", "[registry][client]") {
  FakeServer s;
  TokenService tokens;
  tokens.Install(s);
  for (std::string repo : {"acme/a", "acme/b"}) {
    s.server.Get("/v2/" + repo + "/tags/list",
                 [&tokens, &s, repo](const httplib::Request& req, httplib::Response& res) {
                   if (!tokens.Allows(req.get_header_value("Authorization"), repo)) {
                     return tokens.Refuse(res, s.Url("/token"));
                   }
                   Json(res, R"({"name":")" + repo + R"(","tags":["1","2"]})");
                 });
  }
  s.Start();
  Harness h;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&, i] {
      for (int j = 0; j < 5; ++j) {
        Result<Tags> tags = h.client.ListTags(Ref(s, i % 2 == 0 ? "acme/a" : "acme/b"));
        if (tags.ok() && tags->size() == 2) ++ok;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  CHECK(ok == 30);
  CHECK(s.Count("GET", "/v2/acme/a/tags/list") >= 15);
  // One ping for the host however many threads asked at once (regression: all of them pinged).
  CHECK(h.Requests(s.Host(), "ping") == 1);
}

TEST_CASE("RateLimit-Remaining slows requests down and stops them at zero", "[registry][client]") {
  FakeServer s;
  AnonymousPing(s);
  std::atomic<int> calls{0};
  s.server.Get("/v2/acme/api/tags/list", [&](const httplib::Request&, httplib::Response& res) {
    res.set_header("RateLimit-Remaining", calls++ == 0 ? "5;w=21600" : "0;w=21600");
    Json(res, R"({"name":"acme/api","tags":["1"]})");
  });
  s.Start();
  ClientOptions options;
  options.slow_down_pause = 1500ms;
  Harness h({}, options);
  REQUIRE(h.client.ListTags(Ref(s)).ok());
  CHECK(h.clock.Sleeps().empty());
  REQUIRE(h.client.ListTags(Ref(s)).ok());
  CHECK(h.clock.Sleeps() == std::vector<milliseconds>{1500ms});
  Result<Tags> exhausted = h.client.ListTags(Ref(s));
  REQUIRE_FALSE(exhausted.ok());
  CHECK(exhausted.status().code() == StatusCode::kLimitExceeded);
  CHECK(exhausted.status().message() == "cannot list tags of " + s.Host() + "/acme/api: " +
                                            s.Host() + ": registry rate limit exhausted");
  CHECK(s.Count("GET", "/v2/acme/api/tags/list") == 2);

  h.client.ForgetCredentials();  // a new cycle tries again
  REQUIRE(h.client.ListTags(Ref(s)).ok());
  CHECK(s.Count("GET", "/v2/acme/api/tags/list") == 3);
}

TEST_CASE("requests are counted by kind", "[registry][client]") {
  IndexedImage image;
  FakeServer s;
  AnonymousPing(s);
  TagsOf(s, "acme/api", R"(["1.0"])");
  image.Install(s);
  s.Start();
  Harness h;
  REQUIRE(h.client.ListTags(Ref(s)).ok());
  REQUIRE(h.client.Digest(Ref(s), "latest").ok());
  REQUIRE(h.client.Inspect(Ref(s), "latest", {}).ok());
  http::RequestStats stats = h.policy.Stats();
  CHECK(stats.requests[s.Host()] ==
        std::map<std::string, std::uint64_t>{
            {"blob", 1}, {"manifest", 3}, {"manifest-head", 1}, {"ping", 1}, {"tags", 1}});
}

TEST_CASE("platforms parse as os/arch[/variant]", "[registry][client]") {
  Result<Platform> p = ParsePlatform("linux/arm64/v8");
  REQUIRE(p.ok());
  CHECK(p->os == "linux");
  CHECK(p->architecture == "arm64");
  CHECK(p->variant == "v8");
  CHECK(p->ToString() == "linux/arm64/v8");
  CHECK(ParsePlatform("linux/amd64")->ToString() == "linux/amd64");
  auto bad = GENERATE(as<std::string>{}, "", "linux", "linux/", "/amd64", "a/b/c/d", "li nux/x");
  Result<Platform> r = ParsePlatform(bad);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kInvalidArgument);
  CHECK(r.status().message() == "invalid platform '" + bad + "': expected os/arch[/variant]");
}

// Answers every request itself and records the URLs, for what no local server can stand in for.
class RecordingTransport final : public HttpClient {
 public:
  Result<HttpResponse> Send(const HttpRequest& request) override {
    urls.push_back(request.url);
    HttpResponse r;
    r.status = 200;
    r.body = R"({"name":"x","tags":["1.0.0"]})";
    return r;
  }
  std::vector<std::string> urls;
};

TEST_CASE("Docker Hub is asked at registry-1.docker.io, insecure hosts over plain HTTP",
          "[registry][client]") {
  RecordingTransport transport;
  FakeClock clock;
  ClientOptions options;
  options.plain_http_hosts = {"registry.internal:5000"};
  Client client(&transport, &clock, {}, options);
  REQUIRE(client.ListTags(*image::ParseReference("nginx")).ok());
  REQUIRE(client.ListTags(*image::ParseReference("registry.internal:5000/team/app")).ok());
  REQUIRE(client.ListTags(*image::ParseReference("ghcr.io/acme/api")).ok());
  CHECK(transport.urls == std::vector<std::string>{
                              "https://registry-1.docker.io/v2/",
                              "https://registry-1.docker.io/v2/library/nginx/tags/list?n=1000",
                              "http://registry.internal:5000/v2/",
                              "http://registry.internal:5000/v2/team/app/tags/list?n=1000",
                              "https://ghcr.io/v2/",
                              "https://ghcr.io/v2/acme/api/tags/list?n=1000",
                          });
}

}  // namespace
}  // namespace capstan::registry
