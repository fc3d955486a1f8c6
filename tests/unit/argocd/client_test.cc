#include "argocd/client.h"

#include <catch2/catch.hpp>
#include <deque>

namespace capstan::argocd {
namespace {

// Answers each request with the next scripted response and keeps every request.
class Recorder final : public HttpClient {
 public:
  std::deque<Result<HttpResponse>> answers;
  std::vector<HttpRequest> requests;

  Result<HttpResponse> Send(const HttpRequest& request) override {
    requests.push_back(request);
    if (answers.empty()) return HttpResponse{200, {}, "{}"};
    Result<HttpResponse> next = std::move(answers.front());
    answers.pop_front();
    return next;
  }
};

std::string HeaderOf(const HttpRequest& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return "";
}

int CountHeader(const HttpRequest& r, const std::string& name) {
  int n = 0;
  for (const auto& [k, v] : r.headers) n += k == name;
  return n;
}

ServerOptions Options() {
  ServerOptions o;
  o.server = "argocd.example.com";
  o.token = "s3cr3t-token";
  o.headers = {{"X-Team", "platform"}};
  return o;
}

TEST_CASE("the base URL is https by default, http with --plaintext, under a root path",
          "[argocd]") {
  ServerOptions o = Options();
  CHECK(*BaseUrl(o) == "https://argocd.example.com");
  o.server = "argocd.example.com:8443";
  o.plaintext = true;
  o.root_path = "/argocd/";
  CHECK(*BaseUrl(o) == "http://argocd.example.com:8443/argocd");
  o.root_path = "argocd";
  CHECK(*BaseUrl(o) == "http://argocd.example.com:8443/argocd");
}

TEST_CASE("a server given with a scheme, a path or credentials is refused with the reason",
          "[argocd]") {
  ServerOptions o = Options();
  o.server = "https://argocd.example.com";
  CHECK(BaseUrl(o).status().message() ==
        "'https://argocd.example.com': --server takes HOST[:PORT], without a scheme (add "
        "--plaintext for http)");
  o.server = "argocd.example.com/argocd";
  CHECK(BaseUrl(o).status().message().find("without a path") != std::string::npos);
  o.server = "user:pw@argocd.example.com";
  CHECK(BaseUrl(o).status().message().find("pw") == std::string::npos);
  o.server = "";
  CHECK(BaseUrl(o).status().message().find("ARGOCD_SERVER") != std::string::npos);
}

TEST_CASE("every request carries the token and headers, only non-GETs a content type", "[argocd]") {
  Recorder http;
  Client client(&http, Options());
  REQUIRE(client.List({"team=a", {"shop", "ops"}, "", {"items.metadata.name"}}).ok());
  SyncRequest sync;
  sync.name = "web";
  sync.project = "shop";
  REQUIRE(client.Sync(sync).ok());
  REQUIRE(client.TerminateOperation({"web", "team-a", "shop"}).ok());
  REQUIRE(http.requests.size() == 3);
  const HttpRequest& list = http.requests[0];
  CHECK(list.method == "GET");
  CHECK(list.url ==
        "https://argocd.example.com/api/v1/applications?selector=team%3Da&projects=shop&"
        "projects=ops&fields=items.metadata.name");
  CHECK(HeaderOf(list, "Authorization") == "Bearer s3cr3t-token");
  CHECK(HeaderOf(list, "X-Team") == "platform");
  CHECK(CountHeader(list, "Content-Type") == 0);
  const HttpRequest& post = http.requests[1];
  CHECK(post.method == "POST");
  CHECK(post.url == "https://argocd.example.com/api/v1/applications/web/sync");
  CHECK(HeaderOf(post, "Content-Type") == "application/json");
  CHECK(CountHeader(post, "Content-Type") == 1);
  CHECK(post.body == R"({"name":"web","project":"shop"})");
  const HttpRequest& del = http.requests[2];
  CHECK(del.method == "DELETE");
  CHECK(del.url ==
        "https://argocd.example.com/api/v1/applications/web/operation?appNamespace=team-a&"
        "project=shop");
  CHECK(HeaderOf(del, "Content-Type") == "application/json");
}

TEST_CASE("a refresh carries a Grpc-Timeout and a client deadline beyond it", "[argocd]") {
  Recorder http;
  Client client(&http, Options());
  REQUIRE(client.Get({"web", "", "shop"}, "hard", std::chrono::seconds(30)).ok());
  const HttpRequest& get = http.requests.at(0);
  CHECK(get.url == "https://argocd.example.com/api/v1/applications/web?project=shop&refresh=hard");
  CHECK(HeaderOf(get, "Grpc-Timeout") == "30S");
  CHECK(get.timeout > std::chrono::seconds(30));
  REQUIRE(client.Get({"web", "", ""}).ok());
  CHECK(HeaderOf(http.requests.at(1), "Grpc-Timeout").empty());
}

TEST_CASE("the gateway's error body becomes an ApiError that names the case", "[argocd]") {
  Recorder http;
  Client client(&http, Options());
  http.answers.push_back(
      HttpResponse{400,
                   {},
                   R"({"error":"another operation is already in progress","code":9,)"
                   R"("message":"another operation is already in progress"})"});
  http.answers.push_back(HttpResponse{
      400, {}, R"({"code":9,"message":"Cannot sync to abc: auto-sync currently set to main"})"});
  http.answers.push_back(
      HttpResponse{403, {}, R"({"code":7,"message":"Cannot sync: Blocked by sync window"})"});
  http.answers.push_back(HttpResponse{403, {}, R"({"code":7,"message":"permission denied"})"});
  http.answers.push_back(HttpResponse{415, {}, "Invalid content type"});
  http.answers.push_back(HttpResponse{502, {}, ""});
  SyncRequest sync;
  sync.name = "web";
  std::vector<ApiError> errors;
  for (int i = 0; i < 6; ++i) {
    Result<Answer> a = client.Sync(sync);
    REQUIRE(a.ok());
    REQUIRE(a->error.has_value());
    errors.push_back(*a->error);
  }
  CHECK(errors[0].OperationInProgress());
  CHECK(errors[0].code == 9);
  CHECK_FALSE(errors[0].AutoSyncRevisionMismatch());
  CHECK(errors[1].AutoSyncRevisionMismatch());
  CHECK(errors[2].SyncWindow());
  CHECK(errors[2].message == "Cannot sync: Blocked by sync window");
  CHECK_FALSE(errors[3].SyncWindow());
  CHECK(errors[3].message == "permission denied");
  CHECK(errors[4].message == "Invalid content type");
  CHECK(errors[5].message == "HTTP 502");
}

TEST_CASE("a transport failure is a failed result, never an answer", "[argocd]") {
  Recorder http;
  Client client(&http, Options());
  http.answers.push_back(Status::IoError("cannot reach https://argocd.example.com/: refused"));
  Result<Answer> a = client.List({});
  REQUIRE_FALSE(a.ok());
  CHECK(a.status().code() == StatusCode::kIoError);
  CHECK(a.status().message().find("s3cr3t") == std::string::npos);
}

}  // namespace
}  // namespace capstan::argocd
