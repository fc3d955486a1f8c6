#include "watch/metrics.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <memory>
#include <sstream>

#include "core/strings.h"

namespace capstan::tools::watch {
namespace {

double Seconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

// Label values escaped as the exposition format requires.
std::string Label(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

void WriteAll(int fd, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

void Metrics::Record(const CycleReport& report, std::chrono::milliseconds duration,
                     std::chrono::system_clock::time_point now) {
  std::lock_guard<std::mutex> lock(mu_);
  bool ok = report.error.empty() && report.exit_code == 0;
  ++cycles_[ok ? "ok" : "error"];
  images_.clear();
  for (const policy::ImageOutcome& o : report.applied.outcomes) {
    ++images_[policy::StateName(o.state)];
    if (o.state == policy::ImageOutcome::State::kUpdated && report.pushed) ++updates_;
  }
  if (report.pushed) ++commits_;
  for (const auto& [host, kinds] : report.requests.requests) {
    for (const auto& [kind, n] : kinds) requests_[{host, kind}] += n;
  }
  last_duration_ = std::chrono::duration<double>(duration).count();
  last_cycle_ = Seconds(now);
  if (ok) last_success_ = last_cycle_;
}

std::string Metrics::Render() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::ostringstream out;
  out << "# HELP capstan_watch_cycles_total Cycles run, by result.\n# TYPE "
         "capstan_watch_cycles_total counter\n";
  for (const char* result : {"ok", "error"}) {
    auto it = cycles_.find(result);
    out << "capstan_watch_cycles_total{result=\"" << result << "\"} "
        << (it == cycles_.end() ? 0 : it->second) << "\n";
  }
  out << "# HELP capstan_watch_images Images of the last cycle, by outcome.\n# TYPE "
         "capstan_watch_images gauge\n";
  for (const auto& [state, n] : images_)
    out << "capstan_watch_images{state=\"" << state << "\"} " << n << "\n";
  out << "# HELP capstan_watch_updates_total Image updates pushed.\n# TYPE "
         "capstan_watch_updates_total counter\n"
      << "capstan_watch_updates_total " << updates_ << "\n";
  out << "# HELP capstan_watch_commits_total Commits pushed.\n# TYPE capstan_watch_commits_total "
         "counter\n"
      << "capstan_watch_commits_total " << commits_ << "\n";
  out << "# HELP capstan_watch_registry_requests_total Registry HTTP requests, by host and kind.\n"
      << "# TYPE capstan_watch_registry_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    out << "capstan_watch_registry_requests_total{host=\"" << Label(key.first) << "\",kind=\""
        << Label(key.second) << "\"} " << n << "\n";
  }
  out << "# HELP capstan_watch_last_cycle_duration_seconds Duration of the last cycle.\n"
      << "# TYPE capstan_watch_last_cycle_duration_seconds gauge\n"
      << "capstan_watch_last_cycle_duration_seconds " << last_duration_ << "\n";
  out << "# HELP capstan_watch_last_cycle_timestamp_seconds When the last cycle ended.\n"
      << "# TYPE capstan_watch_last_cycle_timestamp_seconds gauge\n"
      << "capstan_watch_last_cycle_timestamp_seconds " << std::fixed << last_cycle_ << "\n";
  out << "# HELP capstan_watch_last_success_timestamp_seconds When the last cycle without errors "
         "ended.\n"
      << "# TYPE capstan_watch_last_success_timestamp_seconds gauge\n"
      << "capstan_watch_last_success_timestamp_seconds " << std::fixed << last_success_ << "\n";
  return out.str();
}

Result<std::unique_ptr<MetricsServer>> MetricsServer::Start(const std::string& address,
                                                            const Metrics* metrics) {
  std::size_t colon = address.rfind(':');
  if (colon == std::string::npos) {
    return Status::InvalidArgument("--metrics-addr " + QuoteForMessage(address) +
                                   " is not HOST:PORT");
  }
  std::string host = address.substr(0, colon);
  if (host == "localhost" || host.empty()) host = host.empty() ? "0.0.0.0" : "127.0.0.1";
  int port = -1;
  std::string_view port_text(address.data() + colon + 1, address.size() - colon - 1);
  auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  if (ec != std::errc() || ptr != port_text.data() + port_text.size() || port < 0 || port > 65535 ||
      inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) {
    return Status::InvalidArgument("--metrics-addr " + QuoteForMessage(address) +
                                   " is not HOST:PORT with an IPv4 address");
  }
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::IoError("cannot listen on " + address + ": " + std::strerror(errno));
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0 || ::listen(fd, 16) < 0) {
    std::string why = std::strerror(errno);
    ::close(fd);
    return Status::IoError("cannot listen on " + address + ": " + why);
  }
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  return std::unique_ptr<MetricsServer>(new MetricsServer(fd, ntohs(addr.sin_port), metrics));
}

MetricsServer::MetricsServer(int fd, int port, const Metrics* metrics)
    : fd_(fd), port_(port), metrics_(metrics), thread_([this] { Serve(); }) {}

MetricsServer::~MetricsServer() {
  stop_ = true;
  thread_.join();
  ::close(fd_);
}

void MetricsServer::Serve() {
  while (!stop_) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    int client = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    // The request line is all we need; a slow client gets a second.
    std::string request;
    char buf[2048];
    while (request.find("\r\n\r\n") == std::string::npos && request.size() < 8192) {
      pollfd c{client, POLLIN, 0};
      if (::poll(&c, 1, 1000) <= 0) break;
      ssize_t n = ::recv(client, buf, sizeof buf, 0);
      if (n <= 0) break;
      request.append(buf, static_cast<std::size_t>(n));
    }
    std::string response;
    if (request.rfind("GET /metrics ", 0) == 0 || request.rfind("GET /metrics?", 0) == 0) {
      std::string body = metrics_->Render();
      response =
          "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; "
          "charset=utf-8\r\nContent-Length: " +
          std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
    } else {
      response =
          "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 10\r\nConnection: "
          "close\r\n\r\nnot found\n";
    }
    WriteAll(client, response);
    ::close(client);
  }
}

}  // namespace capstan::tools::watch
