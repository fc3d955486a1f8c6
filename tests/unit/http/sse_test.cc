#include "http/sse.h"

#include <catch2/catch.hpp>
#include <ostream>
#include <string>
#include <vector>

namespace capstan::http {

std::ostream& operator<<(std::ostream& out, const SseEvent& e) {
  return out << "{type=" << e.type << " data=" << e.data << " id=" << e.id << "}";
}

namespace {

SseEvent Event(std::string data, std::string id = "", std::string type = "message") {
  return SseEvent{std::move(type), std::move(data), std::move(id)};
}

// Feeds `text` in pieces cut at `cuts` (ascending offsets) and returns every event.
std::vector<SseEvent> Parse(std::string_view text, const std::vector<std::size_t>& cuts = {}) {
  SseParser parser;
  std::vector<SseEvent> events;
  std::size_t from = 0;
  for (std::size_t cut : cuts) {
    REQUIRE(parser.Feed(text.substr(from, cut - from), &events).ok());
    from = cut;
  }
  REQUIRE(parser.Feed(text.substr(from), &events).ok());
  return events;
}

struct Case {
  std::string name;
  std::string stream;
  std::vector<SseEvent> events;
};

const std::vector<Case>& Cases() {
  static const std::vector<Case> cases = {
      {"one frame", "data: hello\n\n", {Event("hello")}},
      {"data lines joined with LF", "data: a\ndata: b\ndata: c\n\n", {Event("a\nb\nc")}},
      {"CRLF line ends", "data: a\r\ndata: b\r\n\r\n", {Event("a\nb")}},
      {"CR line ends", "data: a\rdata: b\r\r", {Event("a\nb")}},
      {"mixed line ends", "data: a\r\ndata: b\rdata: c\n\r\n", {Event("a\nb\nc")}},
      {"comments ignored", ": keepalive\n\n:\ndata: x\n: inside\n\n", {Event("x")}},
      {"one space after the colon removed", "data:x\n\ndata:  y\n\n", {Event("x"), Event(" y")}},
      {"a field without a colon has an empty value", "data\n\n", {Event("")}},
      {"an empty data line", "data:\ndata:\n\n", {Event("\n")}},
      {"colons in the value kept", "data: {\"a\":\"b:c\"}\n\n", {Event("{\"a\":\"b:c\"}")}},
      {"event type, reset after dispatch",
       "event: update\ndata: 1\n\ndata: 2\n\n",
       {Event("1", "", "update"), Event("2")}},
      {"id carries over to later events",
       "id: 7\ndata: a\n\ndata: b\n\nid\ndata: c\n\n",
       {Event("a", "7"), Event("b", "7"), Event("c", "")}},
      {"id with a NUL ignored",
       std::string("id: 1\ndata: a\n\nid: 2") + '\0' + "x\ndata: b\n\n",
       {Event("a", "1"), Event("b", "1")}},
      {"unknown fields and retry do not dispatch", "retry: 10\nfoo: bar\nDATA: x\n\n", {}},
      {"a blank line without data dispatches nothing",
       "event: ping\n\n\n\ndata: x\n\n",
       {Event("x")}},
      {"an unfinished event is not dispatched", "data: a\n\ndata: b\n", {Event("a")}},
      {"one leading byte order mark skipped",
       "\xEF\xBB\xBF"
       "data: a\n\n",
       {Event("a")}},
      {"a second byte order mark is part of the field name",
       "\xEF\xBB\xBF\xEF\xBB\xBF"
       "data: a\n\ndata: b\n\n",
       {Event("b")}},
      {"a byte order mark prefix that is not one is data",
       "\xEF\xBB"
       "data: a\n\ndata: b\n\n",
       {Event("b")}},
      {"Argo CD frames with keepalives",
       "data: {\"result\":{\"type\":\"ADDED\"}}\n\n: ping\n\n"
       "data: {\"result\":{\"type\":\"MODIFIED\"}}\n\n",
       {Event("{\"result\":{\"type\":\"ADDED\"}}"), Event("{\"result\":{\"type\":\"MODIFIED\"}}")}},
  };
  return cases;
}

TEST_CASE("sse parser follows the WHATWG event stream rules", "[http]") {
  for (const Case& c : Cases()) {
    INFO(c.name);
    CHECK(Parse(c.stream) == c.events);
  }
}

TEST_CASE("sse parser gives the same events when a frame is split at any byte", "[http]") {
  for (const Case& c : Cases()) {
    for (std::size_t cut = 0; cut <= c.stream.size(); ++cut) {
      INFO(c.name << ", split at " << cut);
      CHECK(Parse(c.stream, {cut}) == c.events);
    }
    std::vector<std::size_t> every_byte;
    for (std::size_t i = 1; i < c.stream.size(); ++i) every_byte.push_back(i);
    INFO(c.name << ", one byte at a time");
    CHECK(Parse(c.stream, every_byte) == c.events);
  }
}

TEST_CASE("sse parser dispatches a frame as soon as its blank line arrives", "[http]") {
  SseParser parser;
  std::vector<SseEvent> events;
  REQUIRE(parser.Feed("data: a\n", &events).ok());
  CHECK(events.empty());
  CHECK(parser.pending());
  REQUIRE(parser.Feed("\r", &events).ok());  // a CR ends the line without waiting for an LF
  CHECK(events == std::vector<SseEvent>{Event("a")});
  CHECK_FALSE(parser.pending());
  REQUIRE(parser.Feed("\n", &events).ok());  // the LF of that CRLF, not another blank line
  CHECK(events.size() == 1);
}

TEST_CASE("sse parser keeps the retry time and the last event id", "[http]") {
  SseParser parser;
  std::vector<SseEvent> events;
  REQUIRE(parser.Feed("retry: 1500\nid: 42\n\nretry: soon\nretry: -1\n\n", &events).ok());
  CHECK(events.empty());
  CHECK(parser.retry_ms() == std::optional<std::uint64_t>(1500));
  CHECK(parser.last_event_id() == "42");
}

TEST_CASE("sse parser bounds a line and an event's data", "[http]") {
  SECTION("a line without an end") {
    SseParser parser(16);
    std::vector<SseEvent> events;
    Status status = parser.Feed("data: " + std::string(20, 'x'), &events);
    CHECK(status.code() == StatusCode::kLimitExceeded);
    CHECK(status.message() == "server-sent event exceeds 16 bytes");
  }
  SECTION("data lines without a blank line") {
    SseParser parser(16);
    std::vector<SseEvent> events;
    REQUIRE(parser.Feed("data: 12345\ndata: 12345\n", &events).ok());
    Status status = parser.Feed("data: 12345\n", &events);
    CHECK(status.code() == StatusCode::kLimitExceeded);
    CHECK(status.message() == "server-sent event exceeds 16 bytes");
  }
}

HttpResponse Head(int status, std::string content_type) {
  HttpResponse head;
  head.status = status;
  if (!content_type.empty()) head.headers.emplace("content-type", std::move(content_type));
  return head;
}

TEST_CASE("an event stream is a 2xx answer of type text/event-stream", "[http]") {
  CHECK(IsEventStream(Head(200, "text/event-stream")));
  CHECK(IsEventStream(Head(200, "Text/Event-Stream; charset=utf-8")));
  CHECK(IsEventStream(Head(206, " text/event-stream ;x=y")));
  CHECK_FALSE(IsEventStream(Head(200, "application/json")));
  CHECK_FALSE(IsEventStream(Head(200, "text/event-streams")));
  CHECK_FALSE(IsEventStream(Head(200, "")));
  CHECK_FALSE(IsEventStream(Head(403, "text/event-stream")));
  CHECK_FALSE(IsEventStream(Head(503, "application/json")));
}

}  // namespace
}  // namespace capstan::http
