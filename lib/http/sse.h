// Server-sent events (text/event-stream), parsed as the WHATWG HTML standard says ("Server-sent
// events", the event stream interpretation), from the pieces HttpClient::Stream delivers. Pure:
// no I/O, so every rule is testable without a server.
//
//   http::SseParser parser;
//   std::vector<http::SseEvent> events;
//   client.Stream(request, options, [&](std::string_view chunk) {
//     events.clear();
//     if (!parser.Feed(chunk, &events).ok()) return false;
//     for (const http::SseEvent& e : events) { ... e.data ... }
//     return true;
//   });
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/env.h"
#include "core/status.h"
#include "http/line_splitter.h"

namespace capstan::http {

struct SseEvent {
  std::string type = "message";  // the `event:` field; "message" when the event has none
  std::string data;              // its `data:` lines, joined with "\n"
  std::string id;                // the last `id:` of the stream so far (it carries over)

  bool operator==(const SseEvent&) const = default;
};

class SseParser {
 public:
  static constexpr std::size_t kDefaultMaxEventBytes = 16u << 20;

  // max_event_bytes bounds a single line and the data of one event, so a stream that never
  // sends a blank line cannot grow without bound. REQUIRES: max_event_bytes > 0.
  explicit SseParser(std::size_t max_event_bytes = kDefaultMaxEventBytes);

  // Feeds the next piece of the stream, split anywhere (mid-line, between CR and LF, inside the
  // byte order mark), and appends to *events each event a blank line completes, in order. As
  // the standard says: lines end with LF, CRLF or CR; one leading UTF-8 byte order mark is
  // skipped; lines starting with ':' are comments (keepalives) and ignored; "field: value"
  // loses one space after the colon, a line without a colon is a field with an empty value;
  // `data` appends a line, `event` sets the type, `id` sets the last event id (unless it holds
  // a NUL), `retry` sets retry_ms() (digits only), other fields are ignored; a blank line with
  // no data dispatches nothing. Bytes are passed through as they are (no UTF-8 decoding).
  // Fails with kLimitExceeded ("server-sent event exceeds <n> bytes") when a line or an event's
  // data grows past max_event_bytes; the parser must not be fed again after a failure.
  Status Feed(std::string_view chunk, std::vector<SseEvent>* events);

  // The reconnection time the stream last asked for with `retry:`, in milliseconds.
  std::optional<std::uint64_t> retry_ms() const { return retry_ms_; }
  // The last event id (`id:`), "" until one is set.
  const std::string& last_event_id() const { return last_id_; }
  // Whether an event has begun that no blank line has ended yet; a stream ending now loses it,
  // as the standard says.
  bool pending() const { return !data_.empty() || !type_.empty() || !lines_.partial().empty(); }

 private:
  Status Line(std::string_view line, std::vector<SseEvent>* events);

  std::size_t max_event_bytes_;
  LineSplitter lines_;
  std::size_t bom_seen_ = 0;  // bytes of a leading byte order mark matched so far
  bool bom_done_ = false;
  std::string data_;  // each data line followed by "\n"
  std::string type_;
  std::string last_id_;
  std::optional<std::uint64_t> retry_ms_;
};

// Whether a response head announces an event stream: a 2xx status and the media type
// text/event-stream (compared case-insensitively, parameters such as charset ignored). Suits
// StreamOptions::stream_body, so an error page or a JSON answer is read in full instead.
bool IsEventStream(const HttpResponse& head);

}  // namespace capstan::http
