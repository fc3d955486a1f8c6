#include "input/ignore_file.h"

#include <catch2/catch.hpp>

namespace capstan::input {
namespace {

TEST_CASE("glob matching follows gitignore wildcards", "[input]") {
  CHECK(GlobMatch("*.yaml", "a.yaml"));
  CHECK_FALSE(GlobMatch("*.yaml", "dir/a.yaml"));
  CHECK(GlobMatch("**/a.yaml", "a.yaml"));
  CHECK(GlobMatch("**/a.yaml", "x/y/a.yaml"));
  CHECK(GlobMatch("docs/**", "docs/x/y.md"));
  CHECK(GlobMatch("a/**/b", "a/b"));
  CHECK(GlobMatch("a/**/b", "a/x/y/b"));
  CHECK_FALSE(GlobMatch("a/**/b", "a/x/c"));
  CHECK(GlobMatch("file?.txt", "file1.txt"));
  CHECK_FALSE(GlobMatch("file?.txt", "file/.txt"));
  CHECK(GlobMatch("[a-c]x", "bx"));
  CHECK_FALSE(GlobMatch("[!a-c]x", "bx"));
  CHECK(GlobMatch("\\*lit", "*lit"));
  CHECK_FALSE(GlobMatch("\\*lit", "alit"));
  CHECK(GlobMatch("[unterminated", "[unterminated"));
}

TEST_CASE("ignore lists exclude files, directories and re-include", "[input]") {
  IgnoreList list = IgnoreList::Parse(
      "# test fixtures hold fake secrets\n"
      "\n"
      "testdata/\n"
      "/docs/*.md\r\n"
      "*.example.yaml\n"
      "!keep.example.yaml\n"
      "charts/**/ci/*.yaml\n");
  CHECK(list.Ignored("testdata/secret.yaml"));
  CHECK(list.Ignored("apps/testdata/x/secret.yaml"));  // no slash inside: any depth
  CHECK_FALSE(list.Ignored("testdata"));                // a file named like the directory
  CHECK(list.Ignored("docs/intro.md"));
  CHECK_FALSE(list.Ignored("apps/docs/intro.md"));      // anchored
  CHECK(list.Ignored("apps/db.example.yaml"));
  CHECK_FALSE(list.Ignored("apps/keep.example.yaml"));  // last match wins
  CHECK(list.Ignored("charts/redis/ci/values.yaml"));
  CHECK(list.Ignored("charts/a/b/ci/values.yaml"));
  CHECK_FALSE(list.Ignored("apps/secret.yaml"));
  CHECK(IgnoreList::Parse("# only comments\n").empty());
}

}  // namespace
}  // namespace capstan::input
