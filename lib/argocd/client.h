// A client of Argo CD's REST API (the grpc-gateway in front of argocd-server), for the calls
// capstan-sync makes. It builds requests the way the server expects them and reads its answers;
// deciding what an answer means for a deployment (retry, wait, fail) is the caller's.
//
// Every request carries `Authorization: Bearer <token>` and the extra headers; every non-GET
// carries exactly `Content-Type: application/json` (the gateway compares the whole header and
// answers 415 to "application/json; charset=utf-8"). The token never appears in a returned
// Status or ApiError. Retries (5xx, connection failures) are the HttpClient's (http::
// PolicyClient); this client sends each call once.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "argocd/sync_request.h"
#include "core/env.h"
#include "core/result.h"

namespace capstan::argocd {

struct ServerOptions {
  std::string server;      // HOST[:PORT], as --server / ARGOCD_SERVER (no scheme)
  bool plaintext = false;  // http:// instead of https://
  std::string root_path;   // --grpc-web-root-path: "argocd" or "/argocd/" for a server under a path
  std::string token;       // the bearer token; never shown
  std::vector<std::pair<std::string, std::string>> headers;  // -H "Name: value"
  std::chrono::milliseconds request_timeout{30000};  // per call; the refresh deadline is apart
};

// "https://HOST[:PORT][/ROOT]" for options (no trailing '/'). kInvalidArgument when server is
// empty, has a scheme ("'https://argocd.example.com': --server takes HOST[:PORT], without a
// scheme"), a path, user-info or blanks.
Result<std::string> BaseUrl(const ServerOptions& options);

// An error answer of the API: the gateway's JSON {"error", "code", "message"} (or the status
// line's text when the body is not that JSON). `code` is the gRPC code (3 invalid argument, 5 not
// found, 7 permission denied, 9 failed precondition, 16 unauthenticated), 0 when absent.
struct ApiError {
  int http_status = 0;
  int code = 0;
  std::string message;  // one line, as the server wrote it (it never holds the token)

  // 400/409 code 9 "another operation is already in progress".
  bool OperationInProgress() const;
  // 400 code 9 "Cannot sync to <rev>: auto-sync currently set to <targetRevision>".
  bool AutoSyncRevisionMismatch() const;
  // 403 because a sync window blocks syncing now.
  bool SyncWindow() const;
  // DELETE operation while none runs (yet): "No operation is in progress".
  bool NoOperationInProgress() const;
};

// One answer: the JSON body of a 2xx, or the server's error.
struct Answer {
  int http_status = 0;
  nlohmann::json body;  // null for an error
  std::optional<ApiError> error;
};

struct AppRef {
  std::string name;
  std::string app_namespace;  // "" = the server's namespace
  std::string project;        // sent when known: a missing app is then 404, not 403
};

struct ListQuery {
  std::string selector;               // -l
  std::vector<std::string> projects;  // --project
  std::string app_namespace;
  // `fields=`, Argo CD's undocumented trimming: comma-joined paths such as "items.metadata.name"
  // (the server keeps only those). Empty: everything.
  std::vector<std::string> fields;
};

class Client {
 public:
  // `http` is borrowed and must outlive the client. REQUIRES: BaseUrl(options) succeeds.
  Client(HttpClient* http, ServerOptions options);

  // GET /api/v1/applications. A transport failure (no answer) is a failed Result (kIoError,
  // kTimeout, kInvalidArgument for a refused plain-HTTP URL); any HTTP answer is an Answer.
  Result<Answer> List(const ListQuery& query);
  // GET /api/v1/applications/{name}; refresh "normal" or "hard" asks the server to compare
  // again first: that call blocks server-side, so it carries `Grpc-Timeout: <refresh_timeout>`
  // (the gateway turns it into a deadline) and a client timeout a little longer.
  Result<Answer> Get(const AppRef& app, const std::string& refresh = "",
                     std::chrono::seconds refresh_timeout = std::chrono::seconds(30));
  // POST /api/v1/applications/{name}/sync with SyncRequestBody(request). Marked repeatable
  // (HttpRequest::repeatable): a retry after a 5xx or a timeout either starts the sync or is
  // answered "another operation is already in progress", which the caller handles anyway.
  Result<Answer> Sync(const SyncRequest& request);
  // DELETE /api/v1/applications/{name}/operation: terminates the running operation.
  Result<Answer> TerminateOperation(const AppRef& app);
  // GET /api/v1/applications/{name}/resource-tree.
  Result<Answer> ResourceTree(const AppRef& app);
  // GET /api/v1/applications/{name}/syncwindows: {activeWindows, assignedWindows, canSync}.
  // A sync refused by a window does not name it; this does.
  Result<Answer> SyncWindows(const AppRef& app);

  // The full URL of an API path with its query (for streaming calls made by the caller).
  std::string Url(const std::string& path,
                  const std::vector<std::pair<std::string, std::string>>& query) const;
  // The headers every request carries (Authorization, the -H headers).
  std::vector<std::pair<std::string, std::string>> Headers() const;

 private:
  Result<Answer> Call(std::string method, const std::string& path,
                      const std::vector<std::pair<std::string, std::string>>& query,
                      std::string body, std::string kind,
                      std::vector<std::pair<std::string, std::string>> extra_headers = {},
                      std::optional<std::chrono::milliseconds> timeout = std::nullopt,
                      bool repeatable = false);

  HttpClient* http_;
  ServerOptions options_;
  std::string base_;
};

// Reads an HTTP answer from the API into an Answer (exposed for tests and streaming callers).
Answer ReadAnswer(const HttpResponse& response);

}  // namespace capstan::argocd
