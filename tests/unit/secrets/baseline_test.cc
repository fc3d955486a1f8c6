#include "secrets/baseline.h"

#include <catch2/catch.hpp>

namespace capstan::secrets {
namespace {

const std::string kSalt = "00112233445566778899aabbccddeeff";

TEST_CASE("baselines round-trip and match by rule, file and value digest only", "[secrets]") {
  Baseline b(kSalt);
  BaselineEntry e = b.EntryFor("secret-data", "apps/db.yaml", "digest-of-value");
  CHECK(e.hash.size() == 64);
  b.Add(e);
  auto parsed = Baseline::Parse(b.Serialize());
  REQUIRE(parsed.ok());
  CHECK(parsed->salt() == kSalt);
  CHECK(parsed->Contains(parsed->EntryFor("secret-data", "apps/db.yaml", "digest-of-value")));
  CHECK_FALSE(parsed->Contains(parsed->EntryFor("secret-data", "apps/db.yaml", "another value")));
  CHECK_FALSE(
      parsed->Contains(parsed->EntryFor("secret-data", "apps/other.yaml", "digest-of-value")));
  CHECK_FALSE(
      parsed->Contains(parsed->EntryFor("secret-string-data", "apps/db.yaml", "digest-of-value")));
  // A different salt gives different hashes for the same finding.
  Baseline other("ffeeddccbbaa99887766554433221100");
  CHECK(other.EntryFor("secret-data", "apps/db.yaml", "digest-of-value").hash != e.hash);
}

TEST_CASE("an empty baseline serialises to a parseable file", "[secrets]") {
  auto parsed = Baseline::Parse(Baseline(kSalt).Serialize());
  REQUIRE(parsed.ok());
  CHECK(parsed->size() == 0);
}

TEST_CASE("malformed baselines are refused with a reason", "[secrets]") {
  auto error = [](const std::string& text) {
    auto b = Baseline::Parse(text);
    REQUIRE_FALSE(b.ok());
    return b.status().message();
  };
  CHECK(error("not json") == "not a capstan baseline: not valid JSON");
  CHECK(error("{}") == "not a capstan baseline: no \"capstan_baseline\" key");
  CHECK(
      error(
          R"({"capstan_baseline": 2, "salt": "00112233445566778899aabbccddeeff", "findings": []})") ==
      "unsupported baseline version (expected 1)");
  CHECK(error(R"({"capstan_baseline": 1, "salt": "xyz", "findings": []})") ==
        "\"salt\" must be 32 lowercase hex digits");
  CHECK(
      error(
          R"({"capstan_baseline": 1, "salt": "00112233445566778899aabbccddeeff", "findings": [], "extra": 1})") ==
      "unknown key \"extra\"");
  CHECK(
      error(
          R"({"capstan_baseline": 1, "salt": "00112233445566778899aabbccddeeff", "findings": [{"rule": "r", "file": "f"}]})") ==
      "findings[0]: \"hash\" must be a string");
  CHECK(
      error(
          R"({"capstan_baseline": 1, "salt": "00112233445566778899aabbccddeeff", "findings": [{"rule": "r", "file": "f", "hash": "ab", "value": "x"}]})") ==
      "findings[0]: unknown key \"value\"");
}

}  // namespace
}  // namespace capstan::secrets
