// The syntax issues of lib/yaml/syntax_error.cc, seen through Parse().
#include <catch2/catch.hpp>

#include "yaml/parser.h"

namespace capstan::yaml {
namespace {

struct Expected {
  int line;
  int column;
  std::string message;
};

Expected OnlyIssue(const std::string& text) {
  ParsedFile f = Parse(text);
  INFO(text);
  REQUIRE(f.issues.size() == 1);
  CHECK(f.issues[0].kind == IssueKind::kSyntax);
  CHECK_FALSE(f.complete);
  return {f.issues[0].pos.line, f.issues[0].pos.column, f.issues[0].message};
}

void CheckIssue(const std::string& text, const Expected& want) {
  Expected got = OnlyIssue(text);
  INFO(text);
  CHECK(got.message == want.message);
  CHECK(got.line == want.line);
  CHECK(got.column == want.column);
}

// Issue 14: these were reported at the end of the stream, far from the quote.
TEST_CASE("an unterminated quoted scalar is reported where its quote opens") {
  CheckIssue(
      "a: 1\nb: \"open\nc: 2\nd: 3\n",
      {2, 4, "invalid YAML: found unterminated double-quoted scalar (opened at line 2, column 4)"});
  CheckIssue(
      "a: 'it''s open\n",
      {1, 4, "invalid YAML: found unterminated single-quoted scalar (opened at line 1, column 4)"});
  CheckIssue(
      "k: [x, \"y\n",
      {1, 8, "invalid YAML: found unterminated double-quoted scalar (opened at line 1, column 8)"});
}

TEST_CASE("an unterminated quoted scalar cut off by a document marker says so") {
  CheckIssue("a: \"x\n---\nb: 1\n", {1, 4,
                                     "invalid YAML: found unterminated double-quoted scalar "
                                     "(opened at line 1, column 4): the document "
                                     "marker at line 2 comes before its closing quote"});
}

TEST_CASE("the column of an opening quote counts code points") {
  CheckIssue(
      "\xC3\xA9t\xC3\xA9: \"open\n",
      {1, 6, "invalid YAML: found unterminated double-quoted scalar (opened at line 1, column 6)"});
}

TEST_CASE(
    "a flow sequence or mapping left open at the end of the file is reported where it opens") {
  CheckIssue("a: 1\nz: [1, 2\n", {2, 4,
                                  "invalid YAML: found unclosed flow sequence (opened at line 2, "
                                  "column 4): the file ends before "
                                  "its ']'"});
  CheckIssue("m: {a: 1, b: 2\n\n# trailing comment\n",
             {1, 4,
              "invalid YAML: found unclosed flow mapping (opened at line 1, column 4): the file "
              "ends before "
              "its '}'"});
}

TEST_CASE("a flow sequence left open before the next document is reported where it opens") {
  CheckIssue(
      "a: [1, 2\n---\nb: 1\n",
      {1, 4,
       "invalid YAML: found unclosed flow sequence (opened at line 1, column 4): the document ends "
       "before its ']'"});
}

TEST_CASE("a flow sequence left open before the next key is reported where it opens") {
  CheckIssue("spec:\n  args: [\"a\", \"b\"\n  env: x\n",
             {2, 9,
              "invalid YAML: found unclosed flow sequence (opened at line 2, column 9): expected "
              "',' or ']' "
              "before line 3, column 3"});
}

TEST_CASE("a missing comma inside a multi-line flow sequence is reported at the item") {
  CheckIssue("args: [\n  \"a\"\n  \"b\",\n]\n", {3, 3,
                                                 "invalid YAML: did not find expected ',' or ']' "
                                                 "(while parsing a flow sequence that starts at "
                                                 "line 1, column 7)"});
}

TEST_CASE("a key without its colon is reported at the key") {
  CheckIssue(
      "metadata:\n  name: x\n  labels\n  app: web\n",
      {3, 3,
       "invalid YAML: could not find expected ':' after the key that starts at line 3, column 3"});
}

TEST_CASE(
    "an error inside a construct points at the problem and names where the construct starts") {
  CheckIssue(
      "a: 1\nb: \"bad \\q escape\"\n",
      {2, 9,
       "invalid YAML: found unknown escape character (while parsing a quoted scalar that starts at "
       "line 2, column 4)"});
  CheckIssue("a:\n  b: 1\n c: 2\n", {3, 2,
                                     "invalid YAML: did not find expected key (while parsing a "
                                     "block mapping that starts at line 1, "
                                     "column 1)"});
}

TEST_CASE("an error without a context keeps libyaml's problem and its position") {
  CheckIssue("a: b: c\n", {1, 5, "invalid YAML: mapping values are not allowed in this context"});
}

}  // namespace
}  // namespace capstan::yaml
