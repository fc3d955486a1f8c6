#include "http/sse.h"

#include "core/strings.h"

namespace capstan::http {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

}  // namespace

SseParser::SseParser(std::size_t max_event_bytes)
    : max_event_bytes_(max_event_bytes), lines_(max_event_bytes) {}

Status SseParser::Feed(std::string_view chunk, std::vector<SseEvent>* events) {
  auto on_line = [&](std::string_view line) { return Line(line, events); };
  Status status;
  if (!bom_done_) {
    while (!chunk.empty() && bom_seen_ < kBom.size() && chunk[0] == kBom[bom_seen_]) {
      ++bom_seen_;
      chunk.remove_prefix(1);
    }
    if (bom_seen_ < kBom.size() && chunk.empty()) return Status::Ok();
    bom_done_ = true;
    // Not a byte order mark after all: its matched start is data.
    if (bom_seen_ < kBom.size()) status = lines_.Feed(kBom.substr(0, bom_seen_), on_line);
  }
  if (status.ok()) status = lines_.Feed(chunk, on_line);
  if (status.code() == StatusCode::kLimitExceeded) {
    return Status::LimitExceeded("server-sent event exceeds " + std::to_string(max_event_bytes_) +
                                 " bytes");
  }
  return status;
}

Status SseParser::Line(std::string_view line, std::vector<SseEvent>* events) {
  if (line.empty()) {
    if (!data_.empty()) {
      data_.pop_back();  // the "\n" after the last data line
      events->push_back({type_.empty() ? "message" : type_, std::move(data_), last_id_});
    }
    data_.clear();
    type_.clear();
    return Status::Ok();
  }
  if (line[0] == ':') return Status::Ok();
  std::string_view field = line, value;
  if (std::size_t colon = line.find(':'); colon != std::string_view::npos) {
    field = line.substr(0, colon);
    value = line.substr(colon + 1);
    if (!value.empty() && value[0] == ' ') value.remove_prefix(1);
  }
  if (field == "data") {
    if (data_.size() + value.size() + 1 > max_event_bytes_) {
      return Status::LimitExceeded("event data");  // worded by Feed
    }
    data_.append(value);
    data_.push_back('\n');
  } else if (field == "event") {
    type_ = value;
  } else if (field == "id") {
    if (value.find('\0') == std::string_view::npos) last_id_ = value;
  } else if (field == "retry") {
    // Longer values would overflow; the standard leaves them to the implementation.
    if (!value.empty() && value.size() <= 18 &&
        value.find_first_not_of("0123456789") == std::string_view::npos) {
      retry_ms_ = std::stoull(std::string(value));
    }
  }
  return Status::Ok();
}

bool IsEventStream(const HttpResponse& head) {
  if (head.status < 200 || head.status >= 300) return false;
  std::string type = head.Header("content-type");
  std::string_view media = Trim(std::string_view(type).substr(0, type.find(';')));
  return AsciiLower(media) == "text/event-stream";
}

}  // namespace capstan::http
