#include "secrets/structural_trigger.h"

#include <re2/re2.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "secrets/builtin_rules.h"
#include "secrets/token_rules.h"
#include "support/shared_data.h"

namespace capstan::secrets::internal {
namespace {

// The trigger's literal gate may only skip texts its regex does not match: on every text the
// answer must be the regex's own.
void AgreesWithRegex(const StructuralTrigger& trigger, const std::string& text) {
  static const RE2 manifest(kManifestTrigger);
  static const RE2 values(kValuesTrigger);
  INFO(text.substr(0, 200));
  CHECK(trigger.Matches(text, false) == RE2::PartialMatch(text, manifest));
  CHECK(trigger.Matches(text, true) == RE2::PartialMatch(text, values));
  // The same answers from the literals the credential rules' keyword pass finds (the scanner's
  // one pass over a file).
  static const TokenScanner tokens = [] {
    Result<TokenScanner> created =
        TokenScanner::Create(BuiltinRules(), StructuralTrigger::Literals());
    REQUIRE(created.ok());
    return std::move(*created);
  }();
  std::vector<bool> seen;
  tokens.Scan(text, &seen);
  REQUIRE(seen.size() == StructuralTrigger::Literals().size());
  CHECK(trigger.Matches(text, false, seen) == RE2::PartialMatch(text, manifest));
  CHECK(trigger.Matches(text, true, seen) == RE2::PartialMatch(text, values));
}

TEST_CASE("a structural trigger answers as its regex on the texts the scanner parses",
          "[secrets]") {
  const StructuralTrigger trigger;
  CHECK(trigger.Matches("kind: Secret\n", false));
  CHECK(trigger.Matches("KIND: SealedSecret\n", false));
  CHECK(trigger.Matches("env:\n  - name: DB_PASSWORD\n    value: hunter2\n", false));
  CHECK(
      trigger.Matches("- value: x\n  name: API_\xE2\x84\xAA"
                      "EY\n",
                      false));
  CHECK_FALSE(trigger.Matches("kind: Deployment\nspec:\n  replicas: 2\n", false));
  CHECK(trigger.Matches("auth: x\n", true));
  CHECK_FALSE(trigger.Matches("author: x\n", true));
  CHECK_FALSE(trigger.Matches("replicaCount: 2\n", true));
  for (const char* text :
       {"kind: Secret\n", "kind: ConfigMap\n", "kind: Config\n", "sops:\n  mac: x\n",
        "secretGenerator:\n", "- name: TOKEN\n  value: x\n", "value: x\nname: x_pwd\n",
        "- name: TO\xE2\x84\xAA"
        "EN\n  value: x\n",
        "\xC5\xBFops: {}\n", "apiKey: x\n", "auth-key: x\n", "author: me\n", "value: 1\n", ""}) {
    AgreesWithRegex(trigger, text);
  }
}

TEST_CASE("on random texts a structural trigger answers as its regex", "[secrets]") {
  const std::vector<std::string> pieces = {
      "kind",      ": ",    "Secret", "Config", "sops",         "name",
      "value",     "PASSW", "pwd",    "token",  "Credential",   "auth",
      "key",       "api",   "_",      "-",      "\n",           "\"",
      "'",         " ",     "x",      "store",  "\xE2\x84\xAA", "\xC5\xBF",
      "generator", "{",     ",",      "or"};
  std::mt19937 rng(15);
  std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
  std::uniform_int_distribution<int> length(0, 14);
  const StructuralTrigger trigger;
  for (int i = 0; i < 4000; ++i) {
    std::string text;
    for (int n = length(rng); n > 0; --n) text += pieces[pick(rng)];
    AgreesWithRegex(trigger, text);
  }
}

TEST_CASE("on every YAML file of the corpus a structural trigger answers as its regex",
          "[secrets][corpus]") {
  if (!testing::RequireSharedData("corpus")) return;
  const std::filesystem::path corpus = std::filesystem::path(CAPSTAN_SHARED_DIR) / "corpus";
  const StructuralTrigger trigger;
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(corpus)) {
    const std::string ext = entry.path().extension().string();
    if (!entry.is_regular_file() || (ext != ".yaml" && ext != ".yml")) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    AgreesWithRegex(trigger, text.str());
    ++files;
  }
  CHECK(files > 100);
}

}  // namespace
}  // namespace capstan::secrets::internal
