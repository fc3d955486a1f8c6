#include "core/shell_words.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace capstan {
namespace {

using Words = std::vector<std::string>;

Words Split(std::string_view line) {
  Result<Words> words = SplitShellWords(line);
  INFO(line);
  REQUIRE(words.ok());
  return *words;
}

TEST_CASE("shell words are split at blanks and keep quoted text as written") {
  CHECK(Split("").empty());
  CHECK(Split(" \t\n").empty());
  CHECK(Split("--grpc-web") == Words{"--grpc-web"});
  CHECK(Split("  --server  argocd.example.com:443\t--plaintext\n") ==
        Words{"--server", "argocd.example.com:443", "--plaintext"});
  CHECK(Split("--header 'X-Team: platform ops'") == Words{"--header", "X-Team: platform ops"});
  CHECK(Split("--header \"X-Team: \\\"ops\\\" \\$HOME\"") ==
        Words{"--header", "X-Team: \"ops\" $HOME"});
  CHECK(Split("--header=\"A: b\"c'd e'") == Words{"--header=A: bcd e"});
  CHECK(Split("'' \"\"") == Words{"", ""});
  CHECK(Split("a\\ b c") == Words{"a b", "c"});
  CHECK(Split("'a\\b' \"a\\b\"") == Words{"a\\b", "a\\b"});
  CHECK(Split("a\\\nb") == Words{"ab"});
  CHECK(Split("\"a\\\nb\"") == Words{"ab"});
}

TEST_CASE("unterminated quoting is an error that says which") {
  CHECK(SplitShellWords("--header 'X: y").status().message() == "unterminated single quote");
  CHECK(SplitShellWords("--header \"X: y").status().message() == "unterminated double quote");
  CHECK(SplitShellWords("--header \"X: y\\\"").status().message() == "unterminated double quote");
  CHECK(SplitShellWords("--plaintext \\").status().message() == "unterminated backslash");
}

}  // namespace
}  // namespace capstan
