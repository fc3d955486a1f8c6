#include "yaml/edit.h"

#include <catch2/catch.hpp>

#include "yaml/parser.h"
#include "yaml/path.h"

namespace capstan::yaml {
namespace {

// Sets the scalar at `path` (slash-separated) of document `doc_index` and returns the new text.
Result<std::string> Set(const std::string& text, const std::string& path, const std::string& value,
                        std::size_t doc_index = 0) {
  ParsedFile parsed = Parse(text);
  REQUIRE(parsed.issues.empty());
  REQUIRE(doc_index < parsed.documents.size());
  std::vector<std::string> segments;
  for (std::size_t start = 0; start <= path.size();) {
    std::size_t slash = path.find('/', start);
    segments.push_back(
        path.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  const Document& doc = parsed.documents[doc_index];
  Located at = Locate(doc, segments);
  REQUIRE(at.depth == segments.size());
  auto edit = SetScalar(text, doc, at.value, value);
  if (!edit.ok()) return edit.status();
  return ApplyEdits(text, {*edit});
}

TEST_CASE("a plain tag is replaced in place, with everything around it kept", "[yaml]") {
  std::string text =
      "\xEF\xBB\xBF# prod overlay\r\n"
      "images:\r\n"
      "  - name: ghcr.io/acme/api   # the API\r\n"
      "    newTag: 1.4.2 # bumped by CI\r\n"
      "resources: [../base]";  // no final newline
  auto out = Set(text, "images/0/newTag", "1.4.3");
  REQUIRE(out.ok());
  std::string expected = text;
  expected.replace(expected.find("1.4.2"), 5, "1.4.3");
  CHECK(*out == expected);
}

TEST_CASE("quoting changes only when the new value needs it", "[yaml]") {
  CHECK(*Set("newTag: 1.4.2\n", "newTag", "1.5") == "newTag: \"1.5\"\n");  // would be a float
  CHECK(*Set("newTag: v1.4.2\n", "newTag", "v1.5.0") == "newTag: v1.5.0\n");
  CHECK(*Set("newTag: \"1.4\"\n", "newTag", "1.5") == "newTag: \"1.5\"\n");
  CHECK(*Set("newTag: '1.4'\n", "newTag", "it's") == "newTag: 'it''s'\n");
  CHECK(*Set("tag: latest\n", "tag", "a: b") == "tag: \"a: b\"\n");
  CHECK(*Set("tag: latest\n", "tag", "yes") == "tag: \"yes\"\n");  // would be a boolean
  CHECK(*Set("tag: \"x\"\n", "tag", "q\"\\") == "tag: \"q\\\"\\\\\"\n");
  CHECK(*Set("{name: api, newTag: 1.0.0}\n", "newTag", "1.0.1") == "{name: api, newTag: 1.0.1}\n");
  CHECK(*Set("replicas: 1\n", "replicas", "3") == "replicas: 3\n");
}

TEST_CASE("the right document of a multi-document file is edited", "[yaml]") {
  std::string text = "a: 1.0.0\n---\na: 1.0.0\n";
  CHECK(*Set(text, "a", "2.0.0", 1) == "a: 1.0.0\n---\na: 2.0.0\n");
}

TEST_CASE("unsafe in-place edits are refused and change nothing", "[yaml]") {
  auto refused = [](const std::string& text, const std::string& path) {
    auto out = Set(text, path, "2.0.0");
    REQUIRE_FALSE(out.ok());
    return out.status().message();
  };
  CHECK(refused("base: &v 1.0.0\ntag: *v\n", "tag") ==
        "line 2:6: cannot edit in place: the value is an alias of an anchored value elsewhere");
  CHECK(refused("base: &v 1.0.0\ntag: *v\n", "base") ==
        "line 1:10: cannot edit in place: the value carries an anchor that other nodes may share");
  CHECK(refused("tag: |\n  1.0.0\n", "tag") ==
        "line 1:6: cannot edit in place: the value is a block scalar");
  CHECK(refused("tag: \"1.0.\n  0\"\n", "tag") ==
        "line 1:6: cannot edit in place: the value spans several lines");
  // Found by the yaml_edit fuzz target: after a lone carriage return, which libyaml reads as a
  // line break, the positions of the nodes no longer matched the text, and an edit changed
  // the bytes of another value. Positions now follow libyaml's character index.
  CHECK(*Set("a: 1\rtag: 1.0.0\nz: 3\n", "tag", "2.0.0") == "a: 1\rtag: 2.0.0\nz: 3\n");
  CHECK(*Set("a: 1\xE2\x80\xA8tag: 1.0.0\n", "tag", "2.0.0") == "a: 1\xE2\x80\xA8tag: 2.0.0\n");
  CHECK(*Set("a: 1\r\ntag: 1.0.0\r\n", "tag", "2.0.0") == "a: 1\r\ntag: 2.0.0\r\n");
  CHECK(refused("tag: \"1.0.\r  0\"\n", "tag") ==
        "line 1:6: cannot edit in place: the value spans several lines");
  // Found by the yaml_edit fuzz target: libyaml ends an anchor name at ':' ("&an:c x" anchors
  // ":c x"), but the value's position skipped to the next blank, so the anchored value was
  // edited, and only in part.
  CHECK(refused("image:\n  r: &an:c*an hor\n", "image/r") ==
        "line 2:9: cannot edit in place: the value carries an anchor that other nodes may share");
  // Found by the full-length yaml_edit fuzz run: "&-:or" is the anchor "-" on ":or", and the
  // look back over the text before the value stopped at the '-' as if it began a sequence
  // item, so the anchored value was edited. The parser now says which nodes carry an anchor.
  CHECK(refused("ophhr: &-:or\n", "ophhr") ==
        "line 1:10: cannot edit in place: the value carries an anchor that other nodes may share");
  CHECK(refused("tags:\n- &- 1.0.0\n- *-\n", "tags/0").find("carries an anchor") !=
        std::string::npos);
  CHECK(refused("tag: !!str &v 1.0.0\n", "tag").find("carries an anchor") != std::string::npos);
  // Found by the full-length yaml_edit fuzz run: "m: n" then a last line " \t". The plain
  // value took in the blank lines after it, tabs included; quoted (the new value, "", cannot be
  // plain), it left the tab to be read as indentation, and the file no longer parsed.
  {
    auto out = Set("m: n\n\n \t", "m", "");
    REQUIRE_FALSE(out.ok());
    CHECK(out.status().message() ==
          "line 1:4: cannot edit in place: the edited file would not read back: invalid YAML: a "
          "tab character is used for indentation; YAML indents with spaces only");
  }
  // Written plain, the new value takes them in as the old one did.
  CHECK(*Set("m: a\n\n \t", "m", "b") == "m: b\n\n \t");
  CHECK(refused("tag:\nx: 1\n", "tag").find("the key has no value to replace") !=
        std::string::npos);
  CHECK(refused("tag: [1]\n", "tag").find("not a scalar") != std::string::npos);
}

TEST_CASE("a new value that is not printable UTF-8 is refused rather than written", "[yaml]") {
  // Found by the yaml_edit fuzz target: the bytes went into the file as they were, and the
  // file no longer parsed.
  for (const char* bad : {"1.\xba", "\xc3", "\xed\xa0\x80", "ok\xff"}) {
    CAPTURE(bad);
    auto out = Set("second: doc\n", "second", bad);
    REQUIRE_FALSE(out.ok());
    CHECK(out.status().message() ==
          "line 1:9: cannot edit in place: the new value is not valid UTF-8");
  }
  CHECK(*Set("second: doc\n", "second", "caf\xc3\xa9") == "second: café\n");
  // Well-formed UTF-8 that YAML does not allow in a document: refused too (the fuzz target's
  // second finding, U+FFFF).
  for (const char* bad : {"a\xef\xbf\xbf", "a\x01", "\x7f", "a\xc2\x80"}) {
    CAPTURE(bad);
    auto out = Set("second: doc\n", "second", bad);
    REQUIRE_FALSE(out.ok());
    CHECK(out.status().message() ==
          "line 1:9: cannot edit in place: the new value holds a character YAML cannot hold");
  }
}

TEST_CASE("a new value with a character libyaml reads as a line break is escaped", "[yaml]") {
  // NEL, LS and PS are printable, but libyaml (YAML 1.1) breaks lines at them, so written as
  // they are they would fold the value.
  CHECK(*Set("tag: 1.0\n", "tag",
             "a\xE2\x80\xA8"
             "b") == "tag: \"a\\Lb\"\n");
  CHECK(*Set("tag: '1.0'\n", "tag",
             "a\xC2\x85"
             "b\xE2\x80\xA9") == "tag: \"a\\Nb\\P\"\n");
  for (const char* text : {"tag: 1.0\n", "tag: '1.0'\n", "tag: \"1.0\"\n"}) {
    auto out = Set(text, "tag",
                   "a\xE2\x80\xA8"
                   "b");
    REQUIRE(out.ok());
    ParsedFile parsed = Parse(*out);
    REQUIRE(parsed.issues.empty());
    CHECK(parsed.documents[0]
              .node(parsed.documents[0].Get(parsed.documents[0].root(), "tag"))
              .value ==
          "a\xE2\x80\xA8"
          "b");
  }
}

TEST_CASE("overlapping edits are refused", "[yaml]") {
  CHECK_FALSE(ApplyEdits("abcdef", {{1, 3, "x"}, {2, 1, "y"}}).ok());
  CHECK_FALSE(ApplyEdits("abc", {{2, 5, "x"}}).ok());
  CHECK(*ApplyEdits("abcdef", {{4, 1, "E"}, {0, 1, "A"}}) == "AbcdEf");
}

}  // namespace
}  // namespace capstan::yaml

namespace capstan::yaml {
namespace {

Result<std::string> Insert(const std::string& text, const std::string& mapping_path,
                           const std::string& key, const std::string& value) {
  ParsedFile parsed = Parse(text);
  REQUIRE(parsed.issues.empty());
  const Document& doc = parsed.documents[0];
  std::vector<std::string> segments;
  if (!mapping_path.empty()) {
    for (std::size_t start = 0;;) {
      std::size_t slash = mapping_path.find('/', start);
      segments.push_back(mapping_path.substr(
          start, slash == std::string::npos ? std::string::npos : slash - start));
      if (slash == std::string::npos) break;
      start = slash + 1;
    }
  }
  Located at = Locate(doc, segments);
  REQUIRE(at.depth == segments.size());
  auto edit = InsertKey(text, doc, at.value, key, value);
  if (!edit.ok()) return edit.status();
  auto out = ApplyEdits(text, {*edit});
  REQUIRE(out.ok());
  // Whatever was inserted must read back as the value asked for.
  ParsedFile again = Parse(*out);
  REQUIRE(again.issues.empty());
  segments.push_back(key);
  Located added = Locate(again.documents[0], segments);
  REQUIRE(added.depth == segments.size());
  CHECK(again.documents[0].node(added.value).value == value);
  return out;
}

TEST_CASE("a missing key is inserted with its siblings' indentation", "[yaml]") {
  std::string text =
      "images:\n"
      "  - name: ghcr.io/acme/api # api\n"
      "  - name: ghcr.io/acme/web\n"
      "    newName: ghcr.io/acme/web2\n"
      "resources:\n"
      "  - ../base\n";
  CHECK(*Insert(text, "images/0", "newTag", "1.4.2") ==
        "images:\n"
        "  - name: ghcr.io/acme/api # api\n"
        "    newTag: 1.4.2\n"
        "  - name: ghcr.io/acme/web\n"
        "    newName: ghcr.io/acme/web2\n"
        "resources:\n"
        "  - ../base\n");
  CHECK(*Insert(text, "images/1", "newTag", "1.5") ==
        "images:\n"
        "  - name: ghcr.io/acme/api # api\n"
        "  - name: ghcr.io/acme/web\n"
        "    newName: ghcr.io/acme/web2\n"
        "    newTag: \"1.5\"\n"
        "resources:\n"
        "  - ../base\n");
}

TEST_CASE("insertion keeps CRLF, follows nested values and handles flow maps and EOF", "[yaml]") {
  CHECK(*Insert("a:\r\n  b: 1\r\n  c:\r\n    d: 2\r\ne: 3\r\n", "a", "x", "z") ==
        "a:\r\n  b: 1\r\n  c:\r\n    d: 2\r\n  x: z\r\ne: 3\r\n");  // ("y" would be quoted: a
                                                                    // YAML 1.1 boolean)
  CHECK(*Insert("images: [{name: api}]\n", "images/0", "newTag", "2.0.0") ==
        "images: [{name: api, newTag: 2.0.0}]\n");
  CHECK(*Insert("m: {}\n", "m", "k", "v") == "m: {k: v}\n");
  CHECK(*Insert("a: 1", "", "b", "2.0.0") == "a: 1\nb: 2.0.0");
  CHECK(*Insert("s: |\n  text\nt: 1\n", "", "u", "v") == "s: |\n  text\nt: 1\nu: v\n");
  CHECK(*Insert("x:\n  s: |\n    text\ny: 1\n", "x", "u", "v") ==
        "x:\n  s: |\n    text\n  u: v\ny: 1\n");
  // A line broken by a lone CR (or NEL, LS, PS) has no indentation one can copy safely.
  auto lone_cr = Insert("a: 1\rb: 2\n", "", "c", "3");
  REQUIRE_FALSE(lone_cr.ok());
  CHECK(lone_cr.status().message().ends_with(
      "the file breaks a line with a lone carriage return or a Unicode separator"));
  auto dup = Insert("a: 1\n", "", "a", "2");
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.status().message() == "line 1:1: cannot edit in place: the key 'a' is already there");
}

}  // namespace
}  // namespace capstan::yaml
