#include "core/edit_distance.h"

#include <catch2/catch.hpp>
#include <string_view>
#include <vector>

namespace capstan {
namespace {

TEST_CASE("EditDistance counts insertions, deletions and substitutions, ignoring ASCII case") {
  CHECK(EditDistance("replcas", "replicas") == 1);
  CHECK(EditDistance("PreSync", "presync") == 0);
  CHECK(EditDistance("kitten", "sitting") == 3);
  CHECK(EditDistance("", "abc") == 3);
  CHECK(EditDistance("abc", "") == 3);
}

TEST_CASE("ClosestMatch suggests the nearest candidate only when it is a likely typo") {
  std::vector<std::string_view> options = {"CreateNamespace=true", "PruneLast=true",
                                           "Replace=true"};
  CHECK(ClosestMatch("CreateNamspace=true", options) == "CreateNamespace=true");
  CHECK(ClosestMatch("createnamespace=TRUE", options) == "CreateNamespace=true");
  CHECK(ClosestMatch("Replase=true", options) == "Replace=true");
  CHECK(ClosestMatch("Something=else", options).empty());
  // A short word is matched only by a one-letter slip.
  std::vector<std::string_view> words = {"Sync", "Skip"};
  CHECK(ClosestMatch("Synk", words) == "Sync");
  CHECK(ClosestMatch("Sxnk", words).empty());
  // Ties go to the first candidate.
  CHECK(ClosestMatch("Sk", std::vector<std::string_view>{"Ska", "Skb"}) == "Ska");
  CHECK(ClosestMatch("x", std::vector<std::string_view>{}).empty());
}

}  // namespace
}  // namespace capstan
