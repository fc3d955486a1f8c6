#include "yaml/parser.h"

#include <catch2/catch.hpp>

#include "yaml/to_json.h"

namespace capstan::yaml {
namespace {

TEST_CASE("every key and value carries a 1-based line and column") {
  ParsedFile f = Parse("a: 1\nbb:\n  c: \"x\"\n");
  REQUIRE(f.issues.empty());
  REQUIRE(f.documents.size() == 1);
  const Document& d = f.documents[0];
  NodeId bb = d.GetKey(d.root(), "bb");
  REQUIRE(bb != kNoNode);
  CHECK(d.node(bb).pos.line == 2);
  CHECK(d.node(bb).pos.column == 1);
  NodeId c = d.Get(d.Get(d.root(), "bb"), "c");
  CHECK(d.node(c).pos.line == 3);
  CHECK(d.node(c).pos.column == 6);
  CHECK(d.node(c).style == ScalarStyle::kDoubleQuoted);
}

TEST_CASE("an empty view with no data is an empty file, not a libyaml assertion") {
  // Found by the yaml_edit fuzz target on an empty input: libyaml asserts on a null pointer,
  // which std::string_view{} carries.
  ParsedFile parsed = Parse(std::string_view{});
  CHECK(parsed.documents.empty());
  CHECK(parsed.issues.empty());
  CHECK(parsed.complete);
}

TEST_CASE("duplicate keys are reported at the second occurrence") {
  ParsedFile f = Parse("a: 1\nb: 2\na: 3\n");
  REQUIRE(f.issues.size() == 1);
  CHECK(f.issues[0].kind == IssueKind::kDuplicateKey);
  CHECK(f.issues[0].pos.line == 3);
  CHECK(f.issues[0].pos.column == 1);
  CHECK(f.issues[0].message == "duplicate key 'a' (first defined at line 1)");
}

TEST_CASE("duplicate keys in a large mapping are found through the hash set") {
  std::string text;
  for (int i = 0; i < 100; ++i) text += "k" + std::to_string(i) + ": v\n";
  text += "k42: again\n";
  ParsedFile f = Parse(text);
  REQUIRE(f.issues.size() == 1);
  CHECK(f.issues[0].pos.line == 101);
}

TEST_CASE("crlf line endings and a byte order mark keep positions right") {
  ParsedFile f = Parse(
      "\xEF\xBB\xBF"
      "a: 1\r\nb: x\r\n");
  REQUIRE(f.issues.empty());
  const Document& d = f.documents[0];
  NodeId b = d.Get(d.root(), "b");
  CHECK(d.node(b).pos.line == 2);
  CHECK(d.node(b).pos.column == 4);
  NodeId a = d.GetKey(d.root(), "a");
  CHECK(d.node(a).pos.column == 1);
  CHECK(d.node(a).pos.offset == 3);
}

TEST_CASE("positions stay on the right bytes after line breaks libyaml counts and git does not") {
  // libyaml (YAML 1.1) breaks lines at a lone CR, NEL, LS and PS too; lines here are what git,
  // grep and the scanner count (LF), and a node's offset must be its own bytes either way.
  // Found by the yaml_edit fuzz target.
  for (std::string brk : {"\r", "\xC2\x85", "\xE2\x80\xA8", "\xE2\x80\xA9"}) {
    std::string text = "a: 1" + brk + "bb: x\nc: [\xC3\xA9, yy]\n";
    INFO("break " << brk.size() << " bytes");
    ParsedFile f = Parse(text);
    REQUIRE(f.issues.empty());
    const Document& d = f.documents[0];
    const Node& bb = d.node(d.Get(d.root(), "bb"));
    CHECK(text.substr(bb.pos.offset, bb.end - bb.pos.offset) == "x");
    CHECK(bb.pos.line == 1);
    CHECK(bb.pos.column == 10);
    const Node& yy = d.node(d.node(d.Get(d.root(), "c")).children[1]);
    CHECK(text.substr(yy.pos.offset, 2) == "yy");
    CHECK(yy.pos.line == 2);
    CHECK(yy.pos.column == 8);
  }
}

TEST_CASE("a control character is reported where it is") {
  ParsedFile f = Parse("a: 1\nb: x\x01y\n");
  REQUIRE(f.issues.size() == 1);
  CHECK(f.issues[0].message == "invalid YAML: control characters are not allowed");
  CHECK(f.issues[0].pos.line == 2);
  CHECK(f.issues[0].pos.column == 5);
}

TEST_CASE("columns count code points, not bytes") {
  ParsedFile f = Parse("k: \xC3\xA9t\xC3\xA9\nz: [\xC3\xA9, b]\n");
  REQUIRE(f.issues.empty());
  const Document& d = f.documents[0];
  NodeId seq = d.Get(d.root(), "z");
  CHECK(d.node(d.node(seq).children[1]).pos.column == 8);
}

TEST_CASE("multi-document files keep every document and its index") {
  ParsedFile f = Parse("a: 1\n---\nb: 2\n---\n---\nc: 3\n");
  REQUIRE(f.issues.empty());
  REQUIRE(f.documents.size() == 4);
  CHECK(f.documents[2].root() != kNoNode);
  CHECK(f.documents[2].node(f.documents[2].root()).type == NodeType::kNull);
  CHECK(f.documents[3].index() == 3);
  CHECK(f.documents[3].start().line == 5);
}

TEST_CASE("empty and comment-only files have no documents") {
  CHECK(Parse("").documents.empty());
  CHECK(Parse("# only a comment\n").documents.empty());
  CHECK(Parse("").issues.empty());
}

TEST_CASE("a syntax error names the line and column and keeps earlier documents") {
  ParsedFile f = Parse("a: 1\n---\nz: [1, 2\n");
  CHECK_FALSE(f.complete);
  REQUIRE(f.documents.size() == 1);
  REQUIRE(f.issues.size() == 1);
  CHECK(f.issues[0].kind == IssueKind::kSyntax);
  CHECK(f.issues[0].pos.line >= 3);
  CHECK(f.issues[0].message.rfind("invalid YAML: ", 0) == 0);
}

TEST_CASE("tabs used for indentation are explained and pointed at") {
  ParsedFile f = Parse("a:\n\tb: 1\n");
  REQUIRE(f.issues.size() == 1);
  CHECK(f.issues[0].pos.line == 2);
  CHECK(f.issues[0].pos.column == 1);
  CHECK(f.issues[0].message.find("tab character") != std::string::npos);
}

TEST_CASE("a quoted string left open at the end of the file is a syntax error") {
  // Regression: yaml-cpp 0.7, the first parser capstan used, accepted both of these silently.
  // Where the quote opens is tested in syntax_error_test.cc.
  for (const char* text : {"a: 1\nb: \"open\n", "a: 'it''s open\n"}) {
    ParsedFile f = Parse(text);
    REQUIRE(f.issues.size() == 1);
    CHECK(f.issues[0].kind == IssueKind::kSyntax);
    CHECK(f.issues[0].message.find("-quoted scalar (opened at line ") != std::string::npos);
  }
  CHECK(Parse("a: \"x\\\"y\"\nb: 'it''s'\n").issues.empty());
}

TEST_CASE("deep nesting is refused with a limit issue, not a crash") {
  std::string flow(100000, '[');
  flow += std::string(100000, ']');
  ParsedFile f = Parse(flow);
  REQUIRE(f.issues.size() == 1);
  CHECK(f.issues[0].kind == IssueKind::kLimit);
  CHECK(f.issues[0].message == "nesting deeper than 256 levels is not supported");

  std::string block;
  for (int i = 0; i < 2000; ++i) block += std::string(static_cast<size_t>(i), ' ') + "a:\n";
  ParsedFile g = Parse(block);
  REQUIRE(g.issues.size() == 1);
  CHECK(g.issues[0].kind == IssueKind::kLimit);
  CHECK(g.issues[0].pos.line == 257);
}

TEST_CASE("binary and non-UTF-8 text are refused before parsing") {
  ParsedFile bin = Parse(std::string("a: 1\n\0\x01", 7));
  REQUIRE(bin.issues.size() == 1);
  CHECK(bin.issues[0].kind == IssueKind::kEncoding);
  CHECK(bin.issues[0].pos.line == 2);
  ParsedFile latin1 = Parse("a: caf\xE9\n");
  REQUIRE(latin1.issues.size() == 1);
  CHECK(latin1.issues[0].message == "invalid UTF-8 byte sequence");
  CHECK(latin1.issues[0].pos.column == 7);
}

TEST_CASE("an alias inside the node it names is refused, not expanded forever") {
  // Found by the fuzzer: libyaml reports the anchor before the collection's children.
  ParsedFile f = Parse("a: &a [x, *a]\n");
  REQUIRE(f.issues.size() == 1);
  CHECK(f.issues[0].message == "invalid YAML: alias '*a' refers to a node that contains it");
  CHECK(f.issues[0].pos.column == 11);
}

TEST_CASE("aliases that stack nesting deeper than the limit are refused when expanded") {
  std::string text = "a0: &a0 " + std::string(200, '[') + std::string(200, ']') + "\n";
  for (int i = 1; i < 8; ++i) {
    text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " " + std::string(200, '[') +
            "*a" + std::to_string(i - 1) + std::string(200, ']') + "\n";
  }
  ParsedFile f = Parse(text);
  REQUIRE(f.issues.empty());
  ConvertError err;
  CHECK_FALSE(ToJson(f.documents[0], kNoNode, Limits{}, &err).has_value());
  CHECK(err.kind == IssueKind::kLimit);
  CHECK(err.message == "aliases nest deeper than 1024 levels");
}

TEST_CASE("an alias bomb is stopped by the expansion limit") {
  std::string text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  char prev = 'a';
  for (char c = 'b'; c <= 'k'; ++c, ++prev) {
    text += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) text += std::string(i ? ", *" : "*") + prev;
    text += "]\n";
  }
  ParsedFile f = Parse(text);
  REQUIRE(f.issues.empty());
  ConvertError err;
  auto json = ToJson(f.documents[0], kNoNode, Limits{}, &err);
  CHECK_FALSE(json.has_value());
  CHECK(err.kind == IssueKind::kLimit);
  CHECK(err.message.find("alias") != std::string::npos);
}

}  // namespace
}  // namespace capstan::yaml
