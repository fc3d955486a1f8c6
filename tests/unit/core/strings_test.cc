#include "core/strings.h"

#include <catch2/catch.hpp>
#include <string>

namespace capstan {
namespace {

TEST_CASE("Trim removes ASCII white space at both ends only") {
  CHECK(Trim("  a b\t\r\n") == "a b");
  CHECK(Trim("\v\fx") == "x");
  CHECK(Trim(" \t\n ").empty());
  CHECK(Trim("").empty());
  CHECK(Trim("\xC2\xA0x") == "\xC2\xA0x");  // a no-break space is not ASCII white space
}

TEST_CASE("AsciiLower lowers ASCII letters only") {
  CHECK(AsciiLower("Bearer REALM=x") == "bearer realm=x");
  CHECK(AsciiLower("\xC3\x89T\xC3\x89") == "\xC3\x89t\xC3\x89");  // É stays as it is
  CHECK(AsciiLower("").empty());
}

TEST_CASE("ShellQuote wraps text in single quotes and escapes the quotes in it") {
  CHECK(ShellQuote("a b") == "'a b'");
  CHECK(ShellQuote("") == "''");
  CHECK(ShellQuote("it's") == "'it'\\''s'");
  CHECK(ShellQuote("$HOME `x` \\n") == "'$HOME `x` \\n'");
}

TEST_CASE("a short value is quoted as it is") {
  CHECK(QuoteForMessage("ghcr.io/acme/api:1.2.3") == "'ghcr.io/acme/api:1.2.3'");
  CHECK(QuoteForMessage("") == "''");
  CHECK(QuoteForMessage("caf\xC3\xA9") == "'caf\xC3\xA9'");
}

TEST_CASE("a long value is cut to a prefix and its length") {
  // Issue 14: a 10,000-character constraint was echoed whole on stderr.
  std::string garbage(10000, 'x');
  CHECK(QuoteForMessage(garbage) ==
        "'" + std::string(kQuoteLimit, 'x') + "\xE2\x80\xA6' (10000 bytes)");
  CHECK(QuoteForMessage("abcdef", 3) == "'abc\xE2\x80\xA6' (6 bytes)");
  CHECK(QuoteForMessage("abc", 3) == "'abc'");
}

TEST_CASE("a cut never splits a multibyte character") {
  // "é" is two bytes, "€" three, "😀" four: a limit inside one drops the whole character.
  CHECK(QuoteForMessage("a\xC3\xA9z", 2) == "'a\xE2\x80\xA6' (4 bytes)");
  CHECK(QuoteForMessage("\xE2\x82\xAC\xE2\x82\xAC", 5) == "'\xE2\x82\xAC\xE2\x80\xA6' (6 bytes)");
  CHECK(QuoteForMessage("\xF0\x9F\x98\x80", 3) == "'\xE2\x80\xA6' (4 bytes)");
}

TEST_CASE("control characters, DEL and invalid UTF-8 are escaped") {
  CHECK(QuoteForMessage("a\nb\tc\rd") == "'a\\nb\\tc\\rd'");
  CHECK(QuoteForMessage("\x1b[31mred\x7f") == "'\\x1b[31mred\\x7f'");
  CHECK(QuoteForMessage("caf\xE9") == "'caf\\xe9'");
  CHECK(QuoteForMessage(std::string("a\0b", 3)) == "'a\\x00b'");
}

TEST_CASE("a cut never splits an escape") {
  CHECK(QuoteForMessage("ab\n", 3) == "'ab\xE2\x80\xA6' (3 bytes)");
  CHECK(QuoteForMessage("ab\n", 4) == "'ab\\n'");
}

TEST_CASE("edit distance counts insertions, deletions and substitutions, ignoring ASCII case") {
  CHECK(EditDistance("replicas", "replicas") == 0);
  CHECK(EditDistance("replcas", "replicas") == 1);
  CHECK(EditDistance("Prune", "prune") == 0);
  CHECK(EditDistance("", "abc") == 3);
  CHECK(EditDistance("kitten", "sitting") == 3);
}

TEST_CASE("closest suggests a near candidate only when the word is near enough to be a typo") {
  std::vector<std::string_view> options = {"CreateNamespace", "PruneLast", "ServerSideApply"};
  CHECK(Closest("CreateNamepsace", options) == "CreateNamespace");
  CHECK(Closest("prunelast", options) == "PruneLast");
  CHECK(Closest("Foo", options).empty());
  CHECK(Closest("x", {"y", "z"}) == "y");  // one edit is always near enough
  CHECK(Closest("abc", {}).empty());
  CHECK(Closest("abcd", {"abce", "abcf"}) == "abce");  // the first of equally near ones
}

}  // namespace
}  // namespace capstan
