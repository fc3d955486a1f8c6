#include "http/line_splitter.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace capstan::http {
namespace {

// Feeds `text` cut at the given offsets and returns the lines.
std::vector<std::string> Split(std::string_view text, const std::vector<std::size_t>& cuts,
                               LineSplitter* splitter) {
  std::vector<std::string> lines;
  auto on_line = [&](std::string_view line) {
    lines.emplace_back(line);
    return Status::Ok();
  };
  std::size_t from = 0;
  for (std::size_t cut : cuts) {
    REQUIRE(splitter->Feed(text.substr(from, cut - from), on_line).ok());
    from = cut;
  }
  REQUIRE(splitter->Feed(text.substr(from), on_line).ok());
  return lines;
}

TEST_CASE("line splitter ends lines at LF, CRLF and a lone CR", "[http]") {
  LineSplitter splitter(100);
  CHECK(Split("a\nb\r\nc\rd\n\ne", {}, &splitter) ==
        std::vector<std::string>{"a", "b", "c", "d", ""});
  CHECK(splitter.partial() == "e");
}

TEST_CASE("line splitter reads a CRLF split across pieces as one line end", "[http]") {
  LineSplitter splitter(100);
  CHECK(Split("a\r\nb\r\n", {2}, &splitter) == std::vector<std::string>{"a", "b"});
  CHECK(splitter.partial().empty());
}

TEST_CASE("line splitter ends a line at a CR that ends a piece, before the next arrives",
          "[http]") {
  LineSplitter splitter(100);
  std::vector<std::string> lines;
  auto on_line = [&](std::string_view line) {
    lines.emplace_back(line);
    return Status::Ok();
  };
  REQUIRE(splitter.Feed("a\r", on_line).ok());
  CHECK(lines == std::vector<std::string>{"a"});
  REQUIRE(splitter.Feed("\r", on_line).ok());  // not an LF: a second, empty line
  CHECK(lines == std::vector<std::string>{"a", ""});
}

TEST_CASE("line splitter gives the same lines at every cut", "[http]") {
  const std::string text = "first\r\nsecond\rthird\n\r\nlast\n";
  const std::vector<std::string> whole = {"first", "second", "third", "", "last"};
  for (std::size_t cut = 0; cut <= text.size(); ++cut) {
    for (std::size_t cut2 = cut; cut2 <= text.size(); ++cut2) {
      LineSplitter splitter(100);
      INFO("cuts " << cut << ", " << cut2);
      CHECK(Split(text, {cut, cut2}, &splitter) == whole);
    }
  }
}

TEST_CASE("line splitter refuses a line longer than its limit", "[http]") {
  LineSplitter splitter(4);
  auto on_line = [](std::string_view) { return Status::Ok(); };
  CHECK(splitter.Feed("abcd\n", on_line).ok());
  CHECK(splitter.Feed("ab", on_line).ok());
  Status status = splitter.Feed("cde", on_line);
  CHECK(status.code() == StatusCode::kLimitExceeded);
  CHECK(status.message() == "line exceeds 4 bytes");
}

TEST_CASE("line splitter stops at the first error its callback returns", "[http]") {
  LineSplitter splitter(100);
  int calls = 0;
  Status status = splitter.Feed("a\nb\nc\n", [&](std::string_view line) {
    ++calls;
    return line == "b" ? Status::ParseError("bad line") : Status::Ok();
  });
  CHECK(status.code() == StatusCode::kParseError);
  CHECK(calls == 2);
}

}  // namespace
}  // namespace capstan::http
