#include "yaml/to_json.h"

#include <catch2/catch.hpp>

namespace capstan::yaml {
namespace {

nlohmann::json Convert(const std::string& text) {
  ParsedFile f = Parse(text);
  REQUIRE(f.issues.empty());
  REQUIRE(f.documents.size() == 1);
  ConvertError err;
  auto j = ToJson(f.documents[0], kNoNode, Limits{}, &err);
  REQUIRE(j.has_value());
  return *j;
}

TEST_CASE("plain scalars are typed as go-yaml v2 types them") {
  auto j = Convert(
      "a: yes\nb: Off\nc: 010\nd: 0x1F\ne: 1_000\nf: 1.5e3\ng: ~\nh: \"yes\"\ni: '5'\n"
      "j: 2024-01-02\nk: .inf\nl: -7\nm: 1.2.3\nn: !!str 12\no:\n");
  CHECK(j["a"] == true);
  CHECK(j["b"] == false);
  CHECK(j["c"] == 8);
  CHECK(j["d"] == 31);
  CHECK(j["e"] == 1000);
  CHECK(j["f"] == 1500.0);
  CHECK(j["g"].is_null());
  CHECK(j["h"] == "yes");
  CHECK(j["i"] == "5");
  CHECK(j["j"] == "2024-01-02");
  CHECK(j["k"].is_number_float());
  CHECK(j["l"] == -7);
  CHECK(j["m"] == "1.2.3");
  CHECK(j["n"] == "12");
  CHECK(j["o"].is_null());
}

TEST_CASE("merge keys fill in keys the mapping does not set itself") {
  auto j = Convert("base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\n");
  CHECK(j["use"]["x"] == 1);
  CHECK(j["use"]["y"] == 3);
  CHECK_FALSE(j["use"].contains("<<"));
}

TEST_CASE("block scalars keep their text") {
  auto j = Convert("s: |\n  line1\n  line2\n");
  CHECK(j["s"] == "line1\nline2\n");
}

}  // namespace
}  // namespace capstan::yaml
