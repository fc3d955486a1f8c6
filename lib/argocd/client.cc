#include "argocd/client.h"

#include "core/strings.h"
#include "core/url.h"

namespace capstan::argocd {
namespace {

bool Mentions(const std::string& message, std::string_view phrase) {
  return AsciiLower(message).find(AsciiLower(phrase)) != std::string::npos;
}

std::string OneLine(std::string text) {
  for (char& c : text)
    if (c == '\n' || c == '\r') c = ' ';
  return std::string(Trim(text));
}

// "argocd", "/argocd/" -> "/argocd"; "" and "/" -> "".
std::string RootPath(std::string_view root) {
  while (!root.empty() && root.front() == '/') root.remove_prefix(1);
  while (!root.empty() && root.back() == '/') root.remove_suffix(1);
  return root.empty() ? std::string() : "/" + PercentEncode(root, "/");
}

}  // namespace

Result<std::string> BaseUrl(const ServerOptions& options) {
  const std::string& server = options.server;
  auto refuse = [&](std::string_view why) {
    return Status::InvalidArgument(QuoteForMessage(RedactUrl(server), kQuotePathLimit) + ": " +
                                   std::string(why));
  };
  if (server.empty())
    return Status::InvalidArgument(
        "no Argo CD server: give --server HOST[:PORT] or set "
        "ARGOCD_SERVER");
  if (server.find('@') != std::string::npos)  // never echoed: it may hold a password
    return Status::InvalidArgument(
        "--server takes HOST[:PORT], without user name or password "
        "(the token goes in ARGOCD_AUTH_TOKEN or --auth-token-file)");
  if (server.find("://") != std::string::npos)
    return refuse("--server takes HOST[:PORT], without a scheme (add --plaintext for http)");
  if (server.find_first_of("/ \t\r\n?#") != std::string::npos)
    return refuse(
        "--server takes HOST[:PORT], without a path (use --grpc-web-root-path for "
        "a server under a path)");
  return std::string(options.plaintext ? "http://" : "https://") + server +
         RootPath(options.root_path);
}

bool ApiError::OperationInProgress() const {
  return Mentions(message, "another operation is already in progress");
}

bool ApiError::AutoSyncRevisionMismatch() const {
  return Mentions(message, "auto-sync currently set to");
}

bool ApiError::SyncWindow() const { return http_status == 403 && Mentions(message, "sync window"); }

bool ApiError::NoOperationInProgress() const {
  return Mentions(message, "no operation is in progress");
}

Answer ReadAnswer(const HttpResponse& response) {
  Answer answer;
  answer.http_status = response.status;
  nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
  if (response.status >= 200 && response.status < 300) {
    if (!body.is_discarded()) {
      answer.body = std::move(body);
      return answer;
    }
    answer.error = ApiError{response.status, 0, "the server's answer is not JSON"};
    return answer;
  }
  ApiError error{response.status, 0, ""};
  if (body.is_object()) {
    if (auto code = body.find("code"); code != body.end() && code->is_number_integer())
      error.code = code->get<int>();
    for (const char* key : {"message", "error"}) {
      auto it = body.find(key);
      if (it != body.end() && it->is_string() && !it->get<std::string>().empty()) {
        error.message = OneLine(it->get<std::string>());
        break;
      }
    }
  }
  if (error.message.empty()) {
    error.message = body.is_discarded() && !response.body.empty()
                        ? OneLine(response.body.substr(0, 200))
                        : "HTTP " + std::to_string(response.status);
  }
  answer.error = std::move(error);
  return answer;
}

Client::Client(HttpClient* http, ServerOptions options)
    : http_(http), options_(std::move(options)) {
  Result<std::string> base = BaseUrl(options_);
  base_ = base.ok() ? *base : std::string();
}

std::string Client::Url(const std::string& path,
                        const std::vector<std::pair<std::string, std::string>>& query) const {
  std::string url = base_ + path;
  char sep = '?';
  for (const auto& [name, value] : query) {
    url += sep + PercentEncode(name) + "=" + PercentEncode(value);
    sep = '&';
  }
  return url;
}

std::vector<std::pair<std::string, std::string>> Client::Headers() const {
  std::vector<std::pair<std::string, std::string>> headers = options_.headers;
  headers.emplace_back("Authorization", "Bearer " + options_.token);
  return headers;
}

Result<Answer> Client::Call(std::string method, const std::string& path,
                            const std::vector<std::pair<std::string, std::string>>& query,
                            std::string body, std::string kind,
                            std::vector<std::pair<std::string, std::string>> extra_headers,
                            std::optional<std::chrono::milliseconds> timeout, bool repeatable) {
  HttpRequest request;
  request.url = Url(path, query);
  request.headers = Headers();
  request.headers.emplace_back("Accept", "application/json");
  if (method != "GET") request.headers.emplace_back("Content-Type", "application/json");
  for (auto& h : extra_headers) request.headers.push_back(std::move(h));
  request.method = std::move(method);
  request.body = std::move(body);
  request.timeout = timeout.value_or(options_.request_timeout);
  request.kind = std::move(kind);
  request.repeatable = repeatable;
  Result<HttpResponse> response = http_->Send(request);
  if (!response.ok()) return response.status();
  return ReadAnswer(*response);
}

namespace {

std::vector<std::pair<std::string, std::string>> RefQuery(const AppRef& app) {
  std::vector<std::pair<std::string, std::string>> query;
  if (!app.app_namespace.empty()) query.emplace_back("appNamespace", app.app_namespace);
  if (!app.project.empty()) query.emplace_back("project", app.project);
  return query;
}

std::string AppPath(const std::string& name, std::string_view suffix = "") {
  return "/api/v1/applications/" + PercentEncode(name) + std::string(suffix);
}

}  // namespace

Result<Answer> Client::List(const ListQuery& query) {
  std::vector<std::pair<std::string, std::string>> q;
  if (!query.selector.empty()) q.emplace_back("selector", query.selector);
  for (const std::string& p : query.projects) q.emplace_back("projects", p);
  if (!query.app_namespace.empty()) q.emplace_back("appNamespace", query.app_namespace);
  if (!query.fields.empty()) q.emplace_back("fields", Join(query.fields, ","));
  return Call("GET", "/api/v1/applications", q, "", "list");
}

Result<Answer> Client::Get(const AppRef& app, const std::string& refresh,
                           std::chrono::seconds refresh_timeout) {
  std::vector<std::pair<std::string, std::string>> q = RefQuery(app);
  if (refresh.empty()) return Call("GET", AppPath(app.name), q, "", "get");
  q.emplace_back("refresh", refresh);
  // The gateway turns Grpc-Timeout into the server-side deadline; the client waits a little
  // longer so the server's own "deadline exceeded" answer arrives rather than a cut connection.
  return Call("GET", AppPath(app.name), q, "", "refresh",
              {{"Grpc-Timeout", std::to_string(refresh_timeout.count()) + "S"}},
              std::chrono::milliseconds(refresh_timeout) + std::chrono::seconds(5));
}

Result<Answer> Client::Sync(const SyncRequest& request) {
  return Call("POST", AppPath(request.name, "/sync"), {}, SyncRequestBody(request), "sync", {},
              std::nullopt, true);
}

Result<Answer> Client::TerminateOperation(const AppRef& app) {
  return Call("DELETE", AppPath(app.name, "/operation"), RefQuery(app), "", "terminate");
}

Result<Answer> Client::ResourceTree(const AppRef& app) {
  return Call("GET", AppPath(app.name, "/resource-tree"), RefQuery(app), "", "resource-tree");
}

Result<Answer> Client::SyncWindows(const AppRef& app) {
  return Call("GET", AppPath(app.name, "/syncwindows"), RefQuery(app), "", "syncwindows");
}

}  // namespace capstan::argocd
