#include "http/curl_client.h"

#include <arpa/inet.h>
#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>

#include "core/strings.h"
#include "http/connect_failure.h"

namespace capstan::http {
namespace {

struct UrlParts {
  std::string scheme, host, port;
};

Result<UrlParts> ParseUrl(const std::string& url) {
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> u(curl_url(), curl_url_cleanup);
  if (CURLUcode rc = curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0); rc != CURLUE_OK) {
    return Status::InvalidArgument("invalid url " +
                                   QuoteForMessage(RedactUrl(url), kQuotePathLimit) + ": " +
                                   curl_url_strerror(rc));
  }
  UrlParts parts;
  auto get = [&](CURLUPart part, unsigned flags, std::string* out) {
    char* value = nullptr;
    if (curl_url_get(u.get(), part, &value, flags) == CURLUE_OK && value != nullptr) {
      *out = AsciiLower(value);
    }
    curl_free(value);
  };
  get(CURLUPART_SCHEME, 0, &parts.scheme);
  get(CURLUPART_HOST, 0, &parts.host);
  get(CURLUPART_PORT, CURLU_DEFAULT_PORT, &parts.port);
  return parts;
}

Status CheckAllowed(const UrlParts& parts, const std::set<std::string>& insecure_hosts,
                    const std::string& url) {
  if (parts.scheme == "https") return Status::Ok();
  if (parts.scheme != "http") {
    return Status::InvalidArgument("unsupported url scheme " + QuoteForMessage(parts.scheme) +
                                   " in " + QuoteForMessage(RedactUrl(url), kQuotePathLimit));
  }
  if (IsLoopbackHost(parts.host)) return Status::Ok();
  for (const std::string& allowed : insecure_hosts) {
    std::string a = AsciiLower(allowed);
    if (a == parts.host || a == parts.host + ":" + parts.port) return Status::Ok();
  }
  return Status::InvalidArgument("refusing plain HTTP to " + parts.host +
                                 ": use https or list the host as insecure");
}

struct Transfer {
  HttpResponse response;
  std::uint64_t max_bytes = 0;
  bool too_large = false;
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = size * count;
  if (t->response.body.size() + n > t->max_bytes) {
    t->too_large = true;
    return 0;  // makes curl abort with CURLE_WRITE_ERROR
  }
  t->response.body.append(data, n);
  return n;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = size * count;
  std::string_view line(data, n);
  // A new status line (after "100 Continue" or a proxy CONNECT) starts a new header block.
  if (line.rfind("HTTP/", 0) == 0) {
    t->response.headers.clear();
    return n;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return n;
  t->response.headers.emplace(AsciiLower(Trim(line.substr(0, colon))),
                              std::string(Trim(line.substr(colon + 1))));
  return n;
}

void GlobalInitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

bool IsLoopbackHost(const std::string& host) {
  if (host == "localhost" || host == "[::1]" || host == "::1") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  return false;
}

CurlHttpClient::CurlHttpClient(CurlOptions options) : options_(std::move(options)) {
  GlobalInitOnce();
}

Result<HttpResponse> CurlHttpClient::Send(const HttpRequest& request) {
  Result<UrlParts> parts = ParseUrl(request.url);
  if (!parts.ok()) return parts.status();
  CAPSTAN_RETURN_IF_ERROR(CheckAllowed(*parts, options_.insecure_hosts, request.url));
  const std::string shown = RedactUrl(request.url);

  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return Status::Internal("cannot create a curl handle");
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(nullptr, curl_slist_free_all);
  // Without this curl sends "Expect: 100-continue" for large bodies and waits for the server.
  headers.reset(curl_slist_append(headers.release(), "Expect:"));
  for (const auto& [name, value] : request.headers) {
    // "Name;" is curl's spelling of a header with an empty value.
    std::string line = value.empty() ? name + ";" : name + ": " + value;
    headers.reset(curl_slist_append(headers.release(), line.c_str()));
  }

  Transfer t;
  t.max_bytes = options_.max_response_bytes;
  char error[CURL_ERROR_SIZE] = {};
  long timeout_ms = static_cast<long>(request.timeout.count());
  long connect_ms = static_cast<long>(std::min(options_.connect_timeout, request.timeout).count());
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);  // signals are unsafe with threads
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
  curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE,
                   static_cast<curl_off_t>(options_.max_response_bytes));
  curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &t);
  if (request.method == "HEAD") {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else if (request.method != "GET" || !request.body.empty()) {
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    if (!request.body.empty() || request.method == "POST" || request.method == "PUT" ||
        request.method == "PATCH") {
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
    }
  }

  CURLcode rc = curl_easy_perform(h);
  std::string why = error[0] != '\0' ? std::string(Trim(error)) : curl_easy_strerror(rc);
  if (t.too_large || rc == CURLE_FILESIZE_EXCEEDED) {
    return Status::LimitExceeded("response from " + shown + " exceeds " +
                                 std::to_string(options_.max_response_bytes) + " bytes");
  }
  switch (rc) {
    case CURLE_OK:
      break;
    case CURLE_OPERATION_TIMEDOUT:
      return Status::Timeout("timed out after " + std::to_string(timeout_ms) + " ms talking to " +
                             shown);
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return ConnectFailure(shown, why);
    default:
      return Status::IoError("cannot reach " + shown + ": " + why);
  }
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  t.response.status = static_cast<int>(status);
  return std::move(t.response);
}

}  // namespace capstan::http
