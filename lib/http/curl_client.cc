#include "http/curl_client.h"

#include <arpa/inet.h>
#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <chrono>
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

// What the curl callbacks of one exchange share. Without `stream`, the body is buffered (Send).
struct Transfer {
  HttpResponse response;
  std::uint64_t max_bytes = 0;
  bool too_large = false;
  // Streaming (Stream) only.
  const StreamOptions* stream = nullptr;
  const StreamSink* sink = nullptr;
  bool head_done = false;  // the final response's headers are complete
  bool streaming = false;  // the body goes to the sink
  bool delivered = false;  // the sink has had a piece
  bool stopped = false;    // the sink returned false
  std::chrono::steady_clock::time_point last_byte;
};

// The status code of a status line ("HTTP/1.1 200 OK", "HTTP/2 403"), 0 when malformed.
int StatusOf(std::string_view line) {
  size_t space = line.find(' ');
  if (space == std::string_view::npos || space + 4 > line.size()) return 0;
  int code = 0;
  for (char c : line.substr(space + 1, 3)) {
    if (c < '0' || c > '9') return 0;
    code = code * 10 + (c - '0');
  }
  return code;
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = size * count;
  if (t->stream != nullptr) t->last_byte = std::chrono::steady_clock::now();
  if (t->streaming) {
    if (n == 0) return 0;
    t->delivered = true;
    if ((*t->sink)(std::string_view(data, n))) return n;
    t->stopped = true;
    return 0;  // makes curl abort with CURLE_WRITE_ERROR
  }
  if (t->response.body.size() + n > t->max_bytes) {
    t->too_large = true;
    return 0;
  }
  t->response.body.append(data, n);
  return n;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = size * count;
  std::string_view line(data, n);
  if (t->stream != nullptr) t->last_byte = std::chrono::steady_clock::now();
  // A new status line (after "100 Continue" or a proxy CONNECT) starts a new header block.
  if (line.rfind("HTTP/", 0) == 0) {
    t->response.headers.clear();
    t->response.status = StatusOf(line);
    return n;
  }
  if (Trim(line).empty()) {
    // The end of a header block; 1xx blocks are followed by the real one.
    if (t->stream != nullptr && !t->head_done && t->response.status >= 200) {
      t->head_done = true;
      t->streaming = t->stream->Streams(t->response);
    }
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

// A PEM held by CurlOptions, for libcurl to copy.
curl_blob Blob(const std::string& pem) {
  return curl_blob{const_cast<char*>(pem.data()), pem.size(), CURL_BLOB_COPY};
}

Status SetTls(CURL* h, const CurlOptions& options) {
  CURLcode rc = CURLE_OK;
  auto set = [&rc](CURLcode r) {
    if (rc == CURLE_OK) rc = r;
  };
  if (options.insecure_skip_verify) {
    set(curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L));
    set(curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L));
  } else {
    set(curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L));
    set(curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L));
    if (!options.ca_pem.empty() || !options.ca_file.empty()) {
      // Instead of the system store, not besides it: no default directory of CAs either.
      set(curl_easy_setopt(h, CURLOPT_CAPATH, nullptr));
      if (!options.ca_pem.empty()) {
        curl_blob ca = Blob(options.ca_pem);
        set(curl_easy_setopt(h, CURLOPT_CAINFO, nullptr));
        set(curl_easy_setopt(h, CURLOPT_CAINFO_BLOB, &ca));
      } else {
        set(curl_easy_setopt(h, CURLOPT_CAINFO, options.ca_file.c_str()));
      }
    }
  }
  if (!options.client_cert_pem.empty()) {
    curl_blob cert = Blob(options.client_cert_pem);
    curl_blob key = Blob(options.client_key_pem);
    set(curl_easy_setopt(h, CURLOPT_SSLCERTTYPE, "PEM"));
    set(curl_easy_setopt(h, CURLOPT_SSLCERT_BLOB, &cert));
    set(curl_easy_setopt(h, CURLOPT_SSLKEYTYPE, "PEM"));
    set(curl_easy_setopt(h, CURLOPT_SSLKEY_BLOB, &key));
  }
  if (rc != CURLE_OK) {
    return Status::Internal(std::string("cannot set TLS options: ") + curl_easy_strerror(rc));
  }
  return Status::Ok();
}

// One curl handle with every option a request gets, Send's and Stream's alike.
class Exchange {
 public:
  // Checks the URL (scheme, plain-HTTP policy) and sets the options. `t` must outlive this.
  Status Init(const HttpRequest& request, const CurlOptions& options, Transfer* t) {
    if (options.client_cert_pem.empty() != options.client_key_pem.empty()) {
      return Status::InvalidArgument("client certificate and key must be given together");
    }
    Result<UrlParts> parts = ParseUrl(request.url);
    if (!parts.ok()) return parts.status();
    CAPSTAN_RETURN_IF_ERROR(CheckAllowed(*parts, options.insecure_hosts, request.url));
    shown_ = RedactUrl(request.url);
    curl_.reset(curl_easy_init());
    if (!curl_) return Status::Internal("cannot create a curl handle");
    // Without this curl sends "Expect: 100-continue" for large bodies and waits for the server.
    headers_.reset(curl_slist_append(headers_.release(), "Expect:"));
    for (const auto& [name, value] : request.headers) {
      // "Name;" is curl's spelling of a header with an empty value.
      std::string line = value.empty() ? name + ";" : name + ": " + value;
      headers_.reset(curl_slist_append(headers_.release(), line.c_str()));
    }
    std::chrono::milliseconds timeout = request.timeout;
    if (request.deadline.count() > 0) timeout = std::min(timeout, request.deadline);
    timeout_ms_ = static_cast<long>(timeout.count());
    long connect_ms = static_cast<long>(std::min(options.connect_timeout, timeout).count());
    CURL* h = curl_.get();
    curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    CAPSTAN_RETURN_IF_ERROR(SetTls(h, options));
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);  // signals are unsafe with threads
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms_);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers_.get());
    curl_easy_setopt(h, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);  // a proxy's answer is no head
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, OnBody);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, t);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, OnHeader);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, t);
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
    return Status::Ok();
  }

  CURL* handle() const { return curl_.get(); }
  const std::string& shown() const { return shown_; }

  // Why the transfer ended with rc: curl's error buffer, else its text for rc.
  std::string Why(CURLcode rc) const {
    return error_[0] != '\0' ? std::string(Trim(error_)) : curl_easy_strerror(rc);
  }

  // The Status of a transfer that ended with rc != CURLE_OK, as CurlHttpClient::Send documents.
  Status Failure(CURLcode rc) const {
    switch (rc) {
      case CURLE_OPERATION_TIMEDOUT:
        return Status::Timeout("timed out after " + std::to_string(timeout_ms_) +
                               " ms talking to " + shown_);
      case CURLE_COULDNT_CONNECT:
      case CURLE_COULDNT_RESOLVE_HOST:
      case CURLE_COULDNT_RESOLVE_PROXY:
        return ConnectFailure(shown_, Why(rc));
      default:
        return Status::IoError("cannot reach " + shown_ + ": " + Why(rc));
    }
  }

  Status TooLarge(std::uint64_t max_bytes) const {
    return Status::LimitExceeded("response from " + shown_ + " exceeds " +
                                 std::to_string(max_bytes) + " bytes");
  }

 private:
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl_{nullptr, curl_easy_cleanup};
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers_{nullptr,
                                                                       curl_slist_free_all};
  char error_[CURL_ERROR_SIZE] = {};
  std::string shown_;
  long timeout_ms_ = 0;
};

// A multi handle driving one easy handle, so the caller can wake up between reads.
class Multi {
 public:
  explicit Multi(CURL* easy) : multi_(curl_multi_init()), easy_(easy) {
    if (multi_ != nullptr) curl_multi_add_handle(multi_, easy_);
  }
  ~Multi() {
    if (multi_ == nullptr) return;
    curl_multi_remove_handle(multi_, easy_);
    curl_multi_cleanup(multi_);
  }
  Multi(const Multi&) = delete;
  Multi& operator=(const Multi&) = delete;

  CURLM* get() const { return multi_; }

 private:
  CURLM* multi_;
  CURL* easy_;
};

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
  Transfer t;
  t.max_bytes = options_.max_response_bytes;
  Exchange x;
  CAPSTAN_RETURN_IF_ERROR(x.Init(request, options_, &t));
  curl_easy_setopt(x.handle(), CURLOPT_MAXFILESIZE_LARGE,
                   static_cast<curl_off_t>(options_.max_response_bytes));
  CURLcode rc = curl_easy_perform(x.handle());
  if (t.too_large || rc == CURLE_FILESIZE_EXCEEDED) return x.TooLarge(t.max_bytes);
  if (rc != CURLE_OK) return x.Failure(rc);
  long status = 0;
  curl_easy_getinfo(x.handle(), CURLINFO_RESPONSE_CODE, &status);
  t.response.status = static_cast<int>(status);
  return std::move(t.response);
}

Result<HttpResponse> CurlHttpClient::Stream(const HttpRequest& request,
                                            const StreamOptions& options, const StreamSink& sink) {
  Transfer t;
  t.max_bytes = options_.max_response_bytes;
  t.stream = &options;
  t.sink = &sink;
  Exchange x;
  CAPSTAN_RETURN_IF_ERROR(x.Init(request, options_, &t));
  Multi multi(x.handle());
  if (multi.get() == nullptr) return Status::Internal("cannot create a curl multi handle");

  // The idle timer runs on the monotonic clock, as curl's own timeouts do: this class is the
  // real transport and is never driven by a fake Clock.
  t.last_byte = std::chrono::steady_clock::now();
  const auto idle_limit = options.idle_timeout;
  bool idle = false;
  for (int running = 1;;) {
    CURLMcode mc = curl_multi_perform(multi.get(), &running);
    if (mc != CURLM_OK) {
      return Status::IoError("cannot reach " + x.shown() + ": " + curl_multi_strerror(mc));
    }
    if (running == 0) break;
    int wait_ms = 1000;
    if (idle_limit.count() > 0) {
      auto left = idle_limit - std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::steady_clock::now() - t.last_byte);
      if (left.count() <= 0) {
        idle = true;
        break;
      }
      wait_ms = static_cast<int>(std::min<std::int64_t>(left.count(), wait_ms));
    }
    mc = curl_multi_poll(multi.get(), nullptr, 0, wait_ms, nullptr);
    if (mc != CURLM_OK) {
      return Status::IoError("cannot reach " + x.shown() + ": " + curl_multi_strerror(mc));
    }
  }
  if (idle) {
    return Status::Timeout("no data from " + x.shown() + " for " +
                           std::to_string(idle_limit.count()) + " ms");
  }
  CURLcode rc = CURLE_OK;
  int left_in_queue = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi.get(), &left_in_queue)) {
    if (msg->msg == CURLMSG_DONE) rc = msg->data.result;
  }
  if (t.stopped) return std::move(t.response);
  if (t.too_large) return x.TooLarge(t.max_bytes);
  if (rc != CURLE_OK) {
    if (t.delivered && rc != CURLE_OPERATION_TIMEDOUT) {
      return Status::IoError("connection to " + x.shown() + " lost: " + x.Why(rc));
    }
    return x.Failure(rc);
  }
  long status = 0;
  curl_easy_getinfo(x.handle(), CURLINFO_RESPONSE_CODE, &status);
  t.response.status = static_cast<int>(status);
  return std::move(t.response);
}

}  // namespace capstan::http
