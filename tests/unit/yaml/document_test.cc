#include "yaml/document.h"

#include <catch2/catch.hpp>

#include "yaml/parser.h"

namespace capstan::yaml {
namespace {

TEST_CASE("StringAt reads a scalar at a key, through aliases") {
  ParsedFile f = Parse("base: &b api\nname: *b\nempty: ''\nn: 3\n");
  REQUIRE(f.documents.size() == 1);
  const Document& doc = f.documents[0];
  CHECK(doc.StringAt(doc.root(), "base") == "api");
  CHECK(doc.StringAt(doc.root(), "name") == "api");
  CHECK(doc.StringAt(doc.root(), "n") == "3");
  CHECK(doc.StringAt(doc.root(), "empty").empty());
}

TEST_CASE("StringAt is empty for a missing key, a collection value or no mapping at all") {
  ParsedFile f = Parse("list: [a]\nmap: {k: v}\n");
  REQUIRE(f.documents.size() == 1);
  const Document& doc = f.documents[0];
  CHECK(doc.StringAt(doc.root(), "absent").empty());
  CHECK(doc.StringAt(doc.root(), "list").empty());
  CHECK(doc.StringAt(doc.root(), "map").empty());
  CHECK(doc.StringAt(doc.Get(doc.root(), "map"), "k") == "v");
  CHECK(doc.StringAt(kNoNode, "k").empty());
  CHECK(doc.StringAt(doc.Get(doc.root(), "list"), "a").empty());
}

}  // namespace
}  // namespace capstan::yaml
