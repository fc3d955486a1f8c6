// schemas/capstan-config.schema.json against what the tools accept: every key of a tool's section
// is a flag of its real table (and the reverse), the images and registries keys are those the
// watch config reader reads, and the schema itself is a valid draft-07 schema.
#include <catch2/catch.hpp>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "bump/bump.h"
#include "common/config_file.h"
#include "core/embedded.h"
#include "k8s/schema_check.h"
#include "policy/sources.h"
#include "report/writer.h"
#include "scan/scan.h"
#include "support/json_schema.h"
#include "sync/sync.h"
#include "validate/validate.h"
#include "watch/watch.h"

namespace capstan::tools {
namespace {

const std::string kSchemaPath = CAPSTAN_SOURCE_DIR "/schemas/capstan-config.schema.json";

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const nlohmann::json& Schema() {
  static const nlohmann::json schema = nlohmann::json::parse(Slurp(kSchemaPath));
  return schema;
}

// Every tool that reads a section, from its own header: a flag added to a table shows up here.
std::vector<ConfigSection> Sections() {
  return {ValidateConfigSection(), ScanConfigSection(), BumpConfigSection(), WatchConfigSection(),
          SyncConfigSection()};
}

std::set<std::string> KeysOf(const nlohmann::json& object_schema) {
  std::set<std::string> keys;
  for (const auto& [key, value] : object_schema.at("properties").items()) keys.insert(key);
  return keys;
}

std::set<std::string> TypesOf(const nlohmann::json& schema) {
  std::set<std::string> types;
  const nlohmann::json& t = schema.at("type");
  if (t.is_string()) types.insert(t.get<std::string>());
  if (t.is_array())
    for (const auto& x : t) types.insert(x.get<std::string>());
  return types;
}

TEST_CASE("the schema has a section for each tool that reads one, and images and registries") {
  std::set<std::string> expected = {"images", "registries"};
  for (const ConfigSection& s : Sections()) expected.insert(std::string(s.name));
  CHECK(KeysOf(Schema()) == expected);
  CHECK(Schema().at("additionalProperties") == false);
}

TEST_CASE("every flag a tool takes from .capstan.yaml is a key of its section, and no other") {
  for (const ConfigSection& section : Sections()) {
    INFO("section " << section.name);
    const nlohmann::json& schema = Schema().at("properties").at(std::string(section.name));
    std::set<std::string> accepted;
    for (const flags::Flag& f : section.flags)
      if (IsConfigKey(section, f.name)) accepted.insert(std::string(f.name));
    CHECK(KeysOf(schema) == accepted);
    CHECK(schema.at("additionalProperties") == false);
    // A per-run name that is no flag would leave the flag it meant open to the file.
    for (std::string_view name : section.per_run) {
      INFO("per-run " << name);
      CHECK(std::any_of(section.flags.begin(), section.flags.end(),
                        [&](const flags::Flag& f) { return f.name == name; }));
    }
  }
}

TEST_CASE("each section key is described by its flag's help and typed by the flag's kind") {
  for (const ConfigSection& section : Sections()) {
    const nlohmann::json& properties =
        Schema().at("properties").at(std::string(section.name)).at("properties");
    for (const flags::Flag& f : section.flags) {
      if (!properties.contains(std::string(f.name))) continue;
      INFO(section.name << "." << f.name);
      const nlohmann::json& key = properties.at(std::string(f.name));
      CHECK(key.at("description") == std::string(f.help));
      std::set<std::string> types = TypesOf(key);
      if (f.value_name.empty()) {
        CHECK(types == std::set<std::string>{"boolean"});
        CHECK(key.at("default") == false);
      } else if (f.repeatable) {
        CHECK(types == std::set<std::string>{"string", "array"});
        CHECK(key.at("items").at("type") == "string");
      } else {
        for (const std::string& t : types) {
          INFO("type " << t);
          CHECK((t == "string" || t == "integer" || t == "number"));
        }
      }
    }
  }
}

TEST_CASE("a format key lists exactly the report formats the writers know") {
  std::vector<std::string> formats;
  std::string names = report::FormatNames();
  for (std::size_t start = 0; start <= names.size();) {
    std::size_t bar = std::min(names.find('|', start), names.size());
    formats.push_back(names.substr(start, bar - start));
    start = bar + 1;
  }
  for (const ConfigSection& section : Sections()) {
    const nlohmann::json& properties =
        Schema().at("properties").at(std::string(section.name)).at("properties");
    if (!properties.contains("format")) continue;
    INFO(section.name);
    CHECK(properties.at("format").at("enum").get<std::vector<std::string>>() == formats);
  }
}

TEST_CASE("the images and registries keys are those the watch config reader reads") {
  const nlohmann::json& images = Schema().at("properties").at("images").at("items");
  const nlohmann::json& registries = Schema().at("properties").at("registries").at("items");
  CHECK(KeysOf(images) ==
        std::set<std::string>(std::begin(policy::kImageKeys), std::end(policy::kImageKeys)));
  CHECK(KeysOf(registries) ==
        std::set<std::string>(std::begin(policy::kRegistryKeys), std::end(policy::kRegistryKeys)));
  CHECK(images.at("required") == nlohmann::json::array({"image"}));
  CHECK(registries.at("required") == nlohmann::json::array({"host"}));
}

// A value for each images / registries key and what the reader makes of it: proves each key
// the schema admits is read, not merely tolerated.
struct Sample {
  std::string yaml;  // the key's line(s) under "  - image: ghcr.io/acme/api\n"
  std::function<bool(const policy::ProjectConfig&)> read;
};

const std::map<std::string, Sample>& ImageSamples() {
  static const std::map<std::string, Sample> samples = {
      {"name", {"    name: api\n", [](auto& c) { return c.images[0].alias == "api"; }}},
      {"image", {"", [](auto& c) { return c.images[0].image.repository == "acme/api"; }}},
      {"strategy",
       {"    strategy: newest-build\n",
        [](auto& c) { return c.images[0].tags.strategy == image::Strategy::kNewestBuild; }}},
      {"constraint",
       {"    constraint: ~1.4\n", [](auto& c) { return c.images[0].tags.constraint == "~1.4"; }}},
      {"allow-tags",
       {"    allow-tags: '^v(\\d+)$'\n",
        [](auto& c) { return c.images[0].tags.allow_regex == "^v(\\d+)$"; }}},
      {"extract",
       {"    allow-tags: '^v(\\d+)$'\n    extract: '\\1'\n",
        [](auto& c) { return c.images[0].tags.extract == "\\1"; }}},
      {"ignore-tags",
       {"    ignore-tags: ['*-rc*']\n",
        [](auto& c) { return c.images[0].tags.ignore_tags == std::vector<std::string>{"*-rc*"}; }}},
      {"platforms",
       {"    platforms: linux/arm64\n",
        [](auto& c) { return c.images[0].platforms == std::vector<std::string>{"linux/arm64"}; }}},
      {"pin-digest", {"    pin-digest: true\n", [](auto& c) { return c.images[0].pin_digest; }}},
      {"files",
       {"    files: [apps/a.yaml]\n",
        [](auto& c) {
          return c.images[0].write.files == std::vector<std::string>{"apps/a.yaml"};
        }}},
      {"helm-keys",
       {"    helm-keys: [image.tag]\n",
        [](auto& c) {
          return c.images[0].write.helm_keys == std::vector<std::string>{"image.tag"};
        }}},
      {"flux-policies",
       {"    flux-policies: [flux-system:api]\n",
        [](auto& c) {
          return c.images[0].flux_policies == std::vector<std::string>{"flux-system:api"};
        }}},
  };
  return samples;
}

const std::map<std::string, Sample>& RegistrySamples() {
  static const std::map<std::string, Sample> samples = {
      {"host", {"", [](auto& c) { return c.registries[0].host == "registry.local:5000"; }}},
      {"insecure", {"    insecure: true\n", [](auto& c) { return c.registries[0].insecure; }}},
      {"credentials",
       {"    credentials: env:REGISTRY_CREDS\n",
        [](auto& c) { return c.registries[0].credentials == "env:REGISTRY_CREDS"; }}},
  };
  return samples;
}

TEST_CASE("every images and registries key the schema admits changes what capstan-watch reads") {
  auto check = [](const std::string& section, const std::string& first,
                  const std::map<std::string, Sample>& samples) {
    for (const std::string& key : KeysOf(Schema().at("properties").at(section).at("items"))) {
      INFO(section << "." << key);
      auto sample = samples.find(key);
      REQUIRE(sample != samples.end());  // a new key needs a sample here
      std::string text = section + ":\n  - " + first + "\n" + sample->second.yaml;
      INFO(text);
      REQUIRE(CheckConfigText(".capstan.yaml", text).ok());
      Result<policy::ProjectConfig> read = policy::ParseProjectConfig(".capstan.yaml", text);
      REQUIRE(read.ok());
      CHECK(sample->second.read(*read));
      if (sample->second.yaml.empty()) continue;
      Result<policy::ProjectConfig> without =
          policy::ParseProjectConfig(".capstan.yaml", section + ":\n  - " + first + "\n");
      REQUIRE(without.ok());
      CHECK_FALSE(sample->second.read(*without));
    }
  };
  check("images", "image: ghcr.io/acme/api", ImageSamples());
  check("registries", "host: registry.local:5000", RegistrySamples());
}

TEST_CASE("the embedded config schema is the file in schemas/") {
  CHECK(embedded::Find(kConfigSchemaName) == Slurp(kSchemaPath));
}

TEST_CASE("the config schema is a draft-07 schema that valijson compiles") {
  CHECK(Schema().at("$schema") == "http://json-schema.org/draft-07/schema#");
  nlohmann::json meta =
      nlohmann::json::parse(Slurp(CAPSTAN_SOURCE_DIR "/tests/fixtures/json-schema/draft-07.json"));
  CHECK(testing::ValidateAgainstLoadedSchema(Schema(), meta) == std::vector<std::string>{});
  Result<std::shared_ptr<const k8s::Schema>> compiled = k8s::CompileSchema(Schema(), "config");
  CHECK(compiled.ok());
}

// The meta-schema admits any unknown keyword, so a misspelt "additionalProperties" or a key
// without its description would pass it.
TEST_CASE("every object in the config schema is closed and every key is described") {
  std::function<void(const nlohmann::json&, const std::string&)> walk = [&](const nlohmann::json& s,
                                                                            const std::string& at) {
    INFO(at);
    static const std::set<std::string> kKeywords = {
        "$schema", "$id",  "title",   "description", "type",     "properties",
        "items",   "enum", "default", "minimum",     "required", "additionalProperties"};
    for (const auto& [keyword, value] : s.items()) {
      INFO(keyword);
      CHECK(kKeywords.count(keyword) == 1);
    }
    if (at != "") CHECK(s.contains("description"));
    if (s.contains("properties")) {
      CHECK(s.at("additionalProperties") == false);
      for (const auto& [key, value] : s.at("properties").items()) walk(value, at + "/" + key);
    }
    if (s.contains("items") && s.at("items").contains("properties"))
      walk(s.at("items"), at + "/items");
  };
  walk(Schema(), "");
}

TEST_CASE("every default in the config schema is valid against its own key") {
  std::function<void(const nlohmann::json&, const std::string&)> walk = [&](const nlohmann::json& s,
                                                                            const std::string& at) {
    if (s.contains("default")) {
      INFO(at << " default " << s.at("default").dump());
      nlohmann::json key = s;
      key.erase("default");
      CHECK(testing::ValidateAgainstLoadedSchema(s.at("default"), key) ==
            std::vector<std::string>{});
    }
    if (s.contains("properties"))
      for (const auto& [key, value] : s.at("properties").items()) walk(value, at + "/" + key);
    if (s.contains("items")) walk(s.at("items"), at + "/items");
  };
  walk(Schema(), "");
}

TEST_CASE("the example .capstan.yaml names the schema for editors and passes it") {
  std::string text = Slurp(CAPSTAN_SOURCE_DIR "/examples/.capstan.yaml");
  REQUIRE_FALSE(text.empty());
  const std::string modeline =
      "# yaml-language-server: $schema=../schemas/capstan-config.schema.json\n";
  CHECK(text.starts_with(modeline));
  Status checked = CheckConfigText("examples/.capstan.yaml", text);
  INFO(checked.message());
  CHECK(checked.ok());
  Result<policy::ProjectConfig> read = policy::ParseProjectConfig("examples/.capstan.yaml", text);
  INFO(read.status().message());
  CHECK(read.ok());
}

}  // namespace
}  // namespace capstan::tools
