#include "input/ignore_file.h"

#include <catch2/catch.hpp>

namespace capstan::input {
namespace {

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
  CHECK_FALSE(list.Ignored("testdata"));               // a file named like the directory
  CHECK(list.Ignored("docs/intro.md"));
  CHECK_FALSE(list.Ignored("apps/docs/intro.md"));  // anchored
  CHECK(list.Ignored("apps/db.example.yaml"));
  CHECK_FALSE(list.Ignored("apps/keep.example.yaml"));  // last match wins
  CHECK(list.Ignored("charts/redis/ci/values.yaml"));
  CHECK(list.Ignored("charts/a/b/ci/values.yaml"));
  CHECK_FALSE(list.Ignored("apps/secret.yaml"));
  CHECK(IgnoreList::Parse("# only comments\n").empty());
}

}  // namespace
}  // namespace capstan::input
