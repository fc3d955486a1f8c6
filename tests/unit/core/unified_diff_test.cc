#include "core/unified_diff.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <string>

#include "support/shell.h"
#include "support/temp_repo.h"

namespace capstan {
namespace {

// What GNU diff -u prints for the same change, from its first hunk on.
std::string DiffHunks(const std::string& before, const std::string& after) {
  testing::TempDir dir;
  testing::WriteFile(dir / "a", before);
  testing::WriteFile(dir / "b", after);
  testing::ShellResult r = testing::RunShell(dir.path(), "diff -u a b");
  REQUIRE(r.exit_code == 1);
  return r.output.substr(r.output.find("@@"));
}

std::string Hunks(const std::string& diff) { return diff.substr(diff.find("@@")); }

TEST_CASE("unified diff matches GNU diff -u on typical bump edits", "[diff]") {
  std::string many;
  for (int i = 1; i <= 30; ++i) many += "line " + std::to_string(i) + "\n";
  auto replace = [&](std::string text, const std::string& from, const std::string& to) {
    return text.replace(text.find(from), from.size(), to);
  };
  auto [before, after] = GENERATE_REF(table<std::string, std::string>({
      {"a: 1\nb: 2\nc: 3\n", "a: 1\nb: 9\nc: 3\n"},
      {many, replace(many, "line 15\n", "line fifteen\n")},
      {many, replace(replace(many, "line 2\n", "two\n"), "line 28\n", "twenty-eight\n")},
      {many, replace(replace(many, "line 10\n", "ten\n"), "line 14\n", "fourteen\n")},
      {many, replace(many, "line 1\n", "")},
      {many, replace(many, "line 30\n", "line 30\nline 31\n")},
      {"x\ny", "x\nz"},
      {"x\ny\n", "x\ny"},
      {"", "new\n"},
  }));
  CAPTURE(before, after);
  std::string ours = UnifiedDiff("f.yaml", before, after);
  REQUIRE(ours.rfind("--- a/f.yaml\n+++ b/f.yaml\n@@ ", 0) == 0);
  CHECK(Hunks(ours) == DiffHunks(before, after));
}

TEST_CASE("unified diff of equal texts is empty", "[diff]") {
  CHECK(UnifiedDiff("f", "same\n", "same\n").empty());
}

TEST_CASE("unified diff shows a changed line ending", "[diff]") {
  std::string d = UnifiedDiff("f", "a: 1\r\n", "a: 1\n");
  CHECK(d.find("-a: 1\r\n+a: 1\n") != std::string::npos);
}

}  // namespace
}  // namespace capstan
