#include "http/policy.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <condition_variable>
#include <ctime>
#include <iomanip>
#include <locale>
#include <random>
#include <sstream>

#include "core/strings.h"
#include "http/connect_failure.h"

namespace capstan::http {

struct PolicyClient::Host {
  std::mutex mu;
  std::condition_variable cv;
  int in_flight = 0;
  bool bucket_started = false;
  double tokens = 0;
  std::chrono::steady_clock::time_point refilled;
};

namespace {

bool IsIdempotent(const std::string& method) { return method != "POST" && method != "PATCH"; }

bool IsRetryableStatus(int status) {
  return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

// Holds one of a host's in-flight slots for its lifetime.
class Slot {
 public:
  Slot(std::mutex& mu, std::condition_variable& cv, int& in_flight, int limit)
      : mu_(mu), cv_(cv), in_flight_(in_flight) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return limit <= 0 || in_flight_ < limit; });
    ++in_flight_;
  }
  ~Slot() {
    {
      std::lock_guard lock(mu_);
      --in_flight_;
    }
    cv_.notify_one();
  }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;

 private:
  std::mutex& mu_;
  std::condition_variable& cv_;
  int& in_flight_;
};

}  // namespace

std::string HostOf(std::string_view url) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return "";
  std::string_view rest = url.substr(scheme_end + 3);
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  return AsciiLower(authority);
}

std::optional<std::chrono::milliseconds> ParseRetryAfter(
    std::string_view value, std::chrono::system_clock::time_point now) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    if (value.size() > 9) return std::nullopt;
    return std::chrono::seconds(std::stoll(std::string(value)));
  }
  std::tm tm{};
  std::istringstream in{std::string(value)};
  in.imbue(std::locale::classic());
  in >> std::get_time(&tm, "%a, %d %b %Y %H:%M:%S");
  std::string zone;
  in >> zone;
  if (in.fail() || zone != "GMT") return std::nullopt;
  auto when = std::chrono::system_clock::from_time_t(timegm(&tm));
  if (when <= now) return std::chrono::milliseconds(0);
  return std::chrono::duration_cast<std::chrono::milliseconds>(when - now);
}

PolicyClient::PolicyClient(HttpClient* inner, Clock* clock, PolicyOptions options)
    : inner_(inner), clock_(clock), options_(std::move(options)) {
  random_ = options_.random;
  if (!random_) {
    auto engine = std::make_shared<std::mt19937_64>(options_.seed);
    random_ = [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); };
  }
}

PolicyClient::~PolicyClient() = default;

RequestStats PolicyClient::Stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

PolicyClient::Host& PolicyClient::HostFor(const std::string& host) {
  std::lock_guard lock(mu_);
  std::unique_ptr<Host>& slot = hosts_[host];
  if (!slot) slot = std::make_unique<Host>();
  return *slot;
}

void PolicyClient::TakeToken(Host& host) {
  if (options_.rate_per_second <= 0) return;
  const double burst = std::max(1, options_.burst);
  for (;;) {
    std::chrono::milliseconds wait;
    {
      std::lock_guard lock(host.mu);
      auto now = clock_->Monotonic();
      if (!host.bucket_started) {
        host.bucket_started = true;
        host.tokens = burst;
        host.refilled = now;
      }
      double elapsed = std::chrono::duration<double>(now - host.refilled).count();
      host.tokens =
          std::min(burst, host.tokens + std::max(0.0, elapsed) * options_.rate_per_second);
      host.refilled = now;
      if (host.tokens >= 1) {
        host.tokens -= 1;
        return;
      }
      wait = std::chrono::milliseconds(static_cast<std::int64_t>(
          std::ceil((1 - host.tokens) / options_.rate_per_second * 1000)));
    }
    clock_->Sleep(wait);
  }
}

std::chrono::milliseconds PolicyClient::Backoff(int retry) {
  double base = static_cast<double>(options_.initial_backoff.count()) *
                std::pow(options_.multiplier, retry - 1);
  base = std::min(base, static_cast<double>(options_.max_backoff.count()));
  double u;
  {
    std::lock_guard lock(mu_);
    u = random_();
  }
  double factor = 1 - options_.jitter + 2 * options_.jitter * u;
  return std::chrono::milliseconds(std::llround(base * factor));
}

Result<HttpResponse> PolicyClient::Send(const HttpRequest& request) {
  return Attempts(
      request,
      [this](const HttpRequest& r, Host& host) {
        Slot slot(host.mu, host.cv, host.in_flight, options_.max_in_flight_per_host);
        return inner_->Send(r);
      },
      nullptr);
}

Result<HttpResponse> PolicyClient::Stream(const HttpRequest& request, const StreamOptions& options,
                                          const StreamSink& sink) {
  bool delivered = false;
  const StreamSink counted = [&](std::string_view chunk) {
    delivered = true;
    return sink(chunk);
  };
  return Attempts(
      request,
      [&](const HttpRequest& r, Host& host) {
        std::optional<Slot> slot(std::in_place, host.mu, host.cv, host.in_flight,
                                 options_.max_in_flight_per_host);
        StreamOptions attempt_options = options;
        attempt_options.stream_body = [&](const HttpResponse& head) {
          bool streams = options.Streams(head);
          if (streams) slot.reset();
          return streams;
        };
        return inner_->Stream(r, attempt_options, counted);
      },
      &delivered);
}

Result<HttpResponse> PolicyClient::Attempts(
    const HttpRequest& request,
    const std::function<Result<HttpResponse>(const HttpRequest&, Host&)>& attempt,
    const bool* delivered) {
  const std::string host_name = HostOf(request.url);
  {
    std::lock_guard lock(mu_);
    ++stats_.requests[host_name][request.kind.empty() ? "other" : request.kind];
  }
  Host& host = HostFor(host_name);
  const bool idempotent = request.repeatable || IsIdempotent(request.method);
  const auto start = clock_->Monotonic();
  auto left = [&] {
    return request.deadline -
           std::chrono::duration_cast<std::chrono::milliseconds>(clock_->Monotonic() - start);
  };
  for (int attempt_no = 1;; ++attempt_no) {
    TakeToken(host);
    Result<HttpResponse> result = [&] {
      if (request.deadline.count() <= 0) return attempt(request, host);
      HttpRequest cut = request;
      cut.deadline = std::chrono::milliseconds(0);
      cut.timeout = std::max(std::chrono::milliseconds(1), std::min(request.timeout, left()));
      return attempt(cut, host);
    }();
    if (delivered != nullptr && *delivered) return result;

    bool retry = false;
    std::optional<std::chrono::milliseconds> wait;
    if (!result.ok()) {
      StatusCode code = result.status().code();
      retry = (code == StatusCode::kIoError || code == StatusCode::kTimeout) &&
              (idempotent || IsConnectFailure(result.status()));
    } else {
      int status = result->status;
      if (status == 429) {
        std::lock_guard lock(mu_);
        ++stats_.rate_limited;
      }
      retry = idempotent && IsRetryableStatus(status);
      if (retry && (status == 429 || status == 503)) {
        auto it = result->headers.find("retry-after");
        if (it != result->headers.end()) {
          wait = ParseRetryAfter(it->second, clock_->Now());
          if (wait && *wait > options_.max_retry_after) return result;
        }
      }
    }
    if (!retry || attempt_no >= options_.max_attempts) return result;
    const std::chrono::milliseconds pause = wait.value_or(Backoff(attempt_no));
    if (request.deadline.count() > 0 && pause >= left()) return result;
    {
      std::lock_guard lock(mu_);
      ++stats_.retries;
    }
    clock_->Sleep(pause);
  }
}

}  // namespace capstan::http
