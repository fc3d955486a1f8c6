// PolicyClient: the one place where HTTP requests are retried, paced and counted (STYLE 12).
// It wraps another HttpClient (usually CurlHttpClient) and takes time only from a Clock, so
// tests drive it with a fake clock and a scripted client.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/env.h"

namespace capstan::http {

struct PolicyOptions {
  // Attempts per Send, including the first; 1 disables retries.
  int max_attempts = 4;
  // Backoff before retry n (1-based) is min(initial_backoff * multiplier^(n-1), max_backoff),
  // scaled by a uniform factor in [1 - jitter, 1 + jitter].
  std::chrono::milliseconds initial_backoff{500};
  double multiplier = 2.0;
  std::chrono::milliseconds max_backoff{30000};
  double jitter = 0.2;
  // A Retry-After (on 429 or 503) longer than this is not waited for: the response is returned
  // at once, since retrying earlier than the server asked would only be refused again.
  std::chrono::milliseconds max_retry_after{60000};
  // Requests in flight per host (host[:port] of the URL); 0 = unlimited. Excess callers block.
  int max_in_flight_per_host = 4;
  // Token bucket per host: `rate_per_second` tokens refill continuously up to `burst`; each
  // attempt takes one, sleeping on the Clock when the bucket is empty. 0 = unlimited.
  double rate_per_second = 0;
  int burst = 10;
  // Uniform numbers in [0, 1) for jitter. Empty: a std::mt19937_64 seeded with `seed`.
  std::function<double()> random;
  std::uint64_t seed = 0x5eed;
};

// Counters since construction.
struct RequestStats {
  // host -> request kind (HttpRequest::kind, "" as "other") -> Send calls.
  std::map<std::string, std::map<std::string, std::uint64_t>> requests;
  std::uint64_t retries = 0;       // attempts beyond the first
  std::uint64_t rate_limited = 0;  // 429 responses received
};

// Retries an attempt when it failed with kIoError or kTimeout, or answered 500, 502, 503, 504
// or 429, until max_attempts; then returns the last outcome (response or error) unchanged.
// 429 and 503 honour Retry-After (delta-seconds or an HTTP-date, read against clock.Now());
// without it the exponential backoff applies. Other statuses (4xx) are returned at once.
// Non-idempotent methods (POST, PATCH) are retried only when no connection was made
// (http::IsConnectFailure), never on a status or a timeout, so nothing is sent twice, unless
// the request is marked HttpRequest::repeatable.
//
// request.deadline, when set, bounds the whole Send or Stream on `clock`'s monotonic time: each
// attempt runs with its timeout cut to what is left, and a retry whose wait would reach the
// deadline is not made (the last outcome is returned instead).
//
// Thread-safe. `inner` and `clock` are borrowed and must outlive this client.
class PolicyClient final : public HttpClient {
 public:
  PolicyClient(HttpClient* inner, Clock* clock, PolicyOptions options = {});
  ~PolicyClient() override;

  Result<HttpResponse> Send(const HttpRequest& request) override;

  // inner->Stream under the same pacing, counting and retry rules as Send, with one more: once
  // a piece of the body has reached `sink`, the outcome is final and never retried, so the
  // caller sees no byte twice. Before that, an idle timeout is retried like any other timeout
  // (a caller that must fall back at once streams through a client with max_attempts 1). A
  // retried attempt calls options.stream_body again. A streamed body releases the host's
  // in-flight slot when its head arrives, so long-lived streams do not starve the host's other
  // requests; until then the attempt holds one as Send does.
  Result<HttpResponse> Stream(const HttpRequest& request, const StreamOptions& options,
                              const StreamSink& sink) override;

  // A consistent copy of the counters.
  RequestStats Stats() const;

 private:
  struct Host;
  Host& HostFor(const std::string& host);
  void TakeToken(Host& host);
  std::chrono::milliseconds Backoff(int retry);
  // The retry loop of Send and Stream. `attempt` makes one attempt of the request it is given
  // (request with its timeout cut to the deadline); `delivered`, when set, turns true once the
  // outcome must not be retried.
  Result<HttpResponse> Attempts(
      const HttpRequest& request,
      const std::function<Result<HttpResponse>(const HttpRequest&, Host&)>& attempt,
      const bool* delivered);

  HttpClient* inner_;
  Clock* clock_;
  PolicyOptions options_;
  mutable std::mutex mu_;  // guards everything below
  std::map<std::string, std::unique_ptr<Host>> hosts_;
  RequestStats stats_;
  std::function<double()> random_;
};

// The host[:port] of url, lowercased, without user-info; "" when url has no "://".
std::string HostOf(std::string_view url);

// Parses a Retry-After value: delta-seconds or an IMF-fixdate HTTP-date, relative to now
// (a date in the past is zero). Empty when malformed.
std::optional<std::chrono::milliseconds> ParseRetryAfter(std::string_view value,
                                                         std::chrono::system_clock::time_point now);

}  // namespace capstan::http
