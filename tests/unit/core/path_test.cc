#include "core/path.h"

#include <catch2/catch.hpp>

namespace capstan {
namespace {

TEST_CASE("AppendPath adds one separator and normalises nothing") {
  CHECK(AppendPath("a", "b") == "a/b");
  CHECK(AppendPath("a/", "b") == "a/b");
  CHECK(AppendPath("", "b") == "b");
  CHECK(AppendPath("/", "b") == "/b");
  CHECK(AppendPath("a", "../b") == "a/../b");
}

TEST_CASE("JoinPath resolves dot and dot-dot components against the directory") {
  CHECK(JoinPath("a/b", "../c") == "a/c");
  CHECK(JoinPath("", "./x") == "x");
  CHECK(JoinPath("a", "./b/./c.yaml") == "a/b/c.yaml");
  CHECK(JoinPath("a", "../../x") == "../x");
  CHECK(JoinPath("a//b/", "c") == "a/b/c");
  CHECK(JoinPath("a", "") == "a");
}

TEST_CASE("JoinPath takes an absolute name on its own and never climbs above the root") {
  CHECK(JoinPath("a/b", "/etc/x") == "/etc/x");
  CHECK(JoinPath("", "/a/../../b") == "/b");
  CHECK(JoinPath("/", "..") == "/");
}

TEST_CASE("NormalizePath cleans a path without touching the file system") {
  CHECK(NormalizePath("/a/./b/../c") == "/a/c");
  CHECK(NormalizePath("/") == "/");
  CHECK(NormalizePath("./overlays/prod/") == "overlays/prod");
  CHECK(NormalizePath("") == "");
}

TEST_CASE("DirName is the part before the last slash") {
  CHECK(DirName("a/b/c.yaml") == "a/b");
  CHECK(DirName("c.yaml") == "");
  CHECK(DirName("/c") == "");
}

TEST_CASE("AtOrUnder holds a path in its directory and in the top of a relative tree only") {
  CHECK(AtOrUnder("a/b", "a"));
  CHECK(AtOrUnder("a", "a"));
  CHECK_FALSE(AtOrUnder("ab", "a"));
  CHECK_FALSE(AtOrUnder("a", "a/b"));
  CHECK(AtOrUnder("a/b", ""));
  CHECK(AtOrUnder("", ""));
  CHECK_FALSE(AtOrUnder("../a", ""));
  CHECK_FALSE(AtOrUnder("..", ""));
  CHECK_FALSE(AtOrUnder("/a", ""));
  CHECK(AtOrUnder("/r/a", "/r"));
}

}  // namespace
}  // namespace capstan
