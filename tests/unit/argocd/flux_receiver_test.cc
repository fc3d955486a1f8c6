#include "argocd/flux_receiver.h"

#include <catch2/catch.hpp>

#include "argocd/webhook.h"
#include "support/shell.h"
#include "support/temp_repo.h"

namespace capstan::argocd {
namespace {

using testing::ShellQuote;

// The HMAC of body keyed by key, computed by the openssl CLI (not lib/core/hmac), in hex.
std::string OpensslHmac(const std::string& alg, const std::string& key, const std::string& body) {
  testing::TempDir dir;
  testing::WriteFile(dir / "body", body);
  testing::ShellResult r = testing::RunShell(
      dir.path(), "openssl dgst -" + alg + " -hmac " + ShellQuote(key) + " -r body");
  REQUIRE(r.exit_code == 0);
  return r.output.substr(0, r.output.find(' '));
}

std::string HeaderOf(const HttpRequest& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

PushEvent Event() {
  PushEvent e;
  e.ref = "refs/heads/main";
  e.before = std::string(40, '1');
  e.after = std::string(40, '2');
  e.repository_url = "https://github.com/acme/config";
  e.default_branch = "main";
  e.modified = {"apps/web/deployment.yaml"};
  return e;
}

const std::string kUrl = "https://flux.example.com/hook/" + std::string(64, 'a');

TEST_CASE("receiver types parse as the Receiver's spec.type spells them") {
  CHECK(*ParseReceiverType("generic") == ReceiverType::kGeneric);
  CHECK(*ParseReceiverType("generic-hmac") == ReceiverType::kGenericHmac);
  CHECK(*ParseReceiverType("github") == ReceiverType::kGithub);
  Result<ReceiverType> bad = ParseReceiverType("gitlab");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().code() == StatusCode::kInvalidArgument);
  CHECK(bad.status().message() ==
        "unknown Flux receiver type 'gitlab': use generic, generic-hmac or github");
}

TEST_CASE("a github receiver request is signed like GitHub signs a push event") {
  const std::string token = "s3cret token; with 'quotes'";
  const std::string body = GithubPushPayload(Event());
  HttpRequest r = ReceiverRequest(ReceiverType::kGithub, kUrl, token, body);
  CHECK(r.method == "POST");
  CHECK(r.url == kUrl);
  CHECK(r.body == body);
  CHECK(HeaderOf(r, "Content-Type") == "application/json");
  CHECK(HeaderOf(r, "X-GitHub-Event") == "push");
  CHECK(HeaderOf(r, "X-Hub-Signature-256") == "sha256=" + OpensslHmac("sha256", token, body));
  CHECK(HeaderOf(r, "X-Signature").empty());
  CHECK(r.kind == "receiver");
}

TEST_CASE("a generic-hmac receiver request carries X-Signature sha256=<hex of the raw body>") {
  const std::string token = "flux-webhook-token";
  const std::string body = R"({"after":"abc"})";
  HttpRequest r = ReceiverRequest(ReceiverType::kGenericHmac, kUrl, token, body);
  CHECK(HeaderOf(r, "X-Signature") == "sha256=" + OpensslHmac("sha256", token, body));
  CHECK(HeaderOf(r, "Content-Type") == "application/json");
  CHECK(HeaderOf(r, "X-Hub-Signature-256").empty());
  CHECK(HeaderOf(r, "X-GitHub-Event").empty());
}

TEST_CASE("a generic receiver request carries no signature and nothing of the token") {
  HttpRequest r = ReceiverRequest(ReceiverType::kGeneric, kUrl, "tok3n", "{}");
  CHECK(r.method == "POST");
  CHECK(r.headers.size() == 1);
  CHECK(HeaderOf(r, "Content-Type") == "application/json");
  for (const auto& [name, value] : r.headers) CHECK(value.find("tok3n") == std::string::npos);
}

TEST_CASE("the receiver's answers map to one-line statuses that do not show the full hook") {
  struct Case {
    int status;
    StatusCode code;
    std::string message;
  };
  const std::string shown = "flux receiver https://flux.example.com/hook/aaaaaaaa\u2026";
  auto c = GENERATE_COPY(
      Case{400, StatusCode::kUnauthenticated,
           shown + " refused the request (400): bad signature, wrong token, or an event the "
                   "Receiver does not accept"},
      Case{404, StatusCode::kNotFound,
           "no " + shown + " (404): check the URL (it changes with the token)"},
      Case{413, StatusCode::kLimitExceeded,
           shown + " refused the request (413): the body is larger than 3 MiB"},
      Case{503, StatusCode::kIoError, shown + " is suspended or not ready (503)"},
      Case{500, StatusCode::kIoError, shown + " answered 500"});
  Status s = ReadReceiverAnswer(HttpResponse{c.status, {}, ""}, kUrl);
  CHECK(s.code() == c.code);
  CHECK(s.message() == c.message);
  CHECK(ReadReceiverAnswer(HttpResponse{200, {}, ""}, kUrl).ok());
}

TEST_CASE("a receiver URL in messages loses its user-info and most of its digest") {
  CHECK(ShownReceiverUrl("https://u:p@flux.example.com/hook/0123456789abcdef") ==
        "https://flux.example.com/hook/01234567\u2026");
  CHECK(ShownReceiverUrl("https://flux.example.com/other") == "https://flux.example.com/other");
}

TEST_CASE("the webhook path is the controller's sha256 of token, name and namespace") {
  testing::TempDir dir;
  testing::ShellResult r =
      testing::RunShell(dir.path(), "printf %s 'tokwebappflux-system' | openssl dgst -sha256 -r");
  REQUIRE(r.exit_code == 0);
  CHECK(ReceiverWebhookPath("tok", "webapp", "flux-system") ==
        "/hook/" + r.output.substr(0, r.output.find(' ')));
}

}  // namespace
}  // namespace capstan::argocd
