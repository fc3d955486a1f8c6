#include "core/glob.h"

#include <catch2/catch.hpp>
#include <string>
#include <tuple>

namespace capstan {
namespace {

TEST_CASE("glob matching follows gitignore wildcards", "[core][glob]") {
  auto [pattern, path, want] = GENERATE(table<std::string, std::string, bool>({
      {"*.yaml", "a.yaml", true},
      {"*.yaml", "dir/a.yaml", false},
      {"**/a.yaml", "a.yaml", true},
      {"**/a.yaml", "x/y/a.yaml", true},
      {"docs/**", "docs/x/y.md", true},
      {"a/**/b", "a/b", true},
      {"a/**/b", "a/x/y/b", true},
      {"a/**/b", "a/x/c", false},
      {"file?.txt", "file1.txt", true},
      {"file?.txt", "file/.txt", false},
      {"[a-c]x", "bx", true},
      {"[!a-c]x", "bx", false},
      {"[^a-c]x", "dx", true},
      {"[]a]", "]", true},
      {"\\*lit", "*lit", true},
      {"\\*lit", "alit", false},
      {"[unterminated", "[unterminated", true},
      {"v1.*-rc*", "v1.2-rc.1", true},
      {"v1.*-rc*", "v1.2", false},
  }));
  CAPTURE(pattern, path);
  CHECK(GlobMatch(pattern, path) == want);
}

TEST_CASE("glob check rejects what matching would read literally", "[core][glob]") {
  CHECK(CheckGlob("*-rc[0-9]").ok());
  CHECK(CheckGlob("\\[literal\\]").ok());
  CHECK(CheckGlob("[]]").ok());
  Status unterminated = CheckGlob("[a");
  CHECK(unterminated.code() == StatusCode::kInvalidArgument);
  CHECK(unterminated.message() == "invalid glob '[a': unterminated character class");
  CHECK(CheckGlob("a\\").message() == "invalid glob 'a\\': trailing backslash");
}

}  // namespace
}  // namespace capstan
