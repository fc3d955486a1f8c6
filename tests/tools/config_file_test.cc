// tools/common/config_file.h: .capstan.yaml checked against its schema, and a tool's section
// turned into command-line arguments.
#include "common/config_file.h"

#include <catch2/catch.hpp>

#include "bump/bump.h"
#include "fs/posix_file_system.h"
#include "support/temp_repo.h"

namespace capstan::tools {
namespace {

using testing::TempDir;
using testing::WriteFile;

std::string ErrorOf(const std::string& text) {
  Status s = CheckConfigText(".capstan.yaml", text);
  return s.ok() ? "" : s.message();
}

TEST_CASE("a .capstan.yaml problem is told at the offending key or value, in the file's terms") {
  auto [text, message] = GENERATE(table<std::string, std::string>({
      {"bump:\n  autor: x\n",
       ".capstan.yaml:2:3: unknown key 'bump.autor' (did you mean 'author'?)"},
      {"bmup:\n  author: x\n", ".capstan.yaml:1:1: unknown key 'bmup'"},
      {"bump:\n  tag: 1.0\n", ".capstan.yaml:2:3: unknown key 'bump.tag'"},
      {"bump:\n  require-match: yes please\n",
       ".capstan.yaml:2:18: 'bump.require-match' must be true or false"},
      {"bump:\n  author: [a, b]\n", ".capstan.yaml:2:11: 'bump.author' must be a string"},
      {"bump:\n  helm-key: {a: b}\n",
       ".capstan.yaml:2:13: 'bump.helm-key' must be a string or a list of strings"},
      {"bump:\n  helm-key: [a, [b]]\n",
       ".capstan.yaml:2:17: 'bump.helm-key' items must be strings"},
      {"bump: 3\n", ".capstan.yaml:1:7: 'bump' must be a mapping"},
      {"- bump\n", ".capstan.yaml:1:1: expected a mapping of sections"},
      {"validate:\n  fail-on: fatal\n",
       ".capstan.yaml:2:12: 'validate.fail-on' must be error, warning or note, not 'fatal'"},
      {"validate:\n  jobs: many\n", ".capstan.yaml:2:9: 'validate.jobs' must be a whole number"},
      {"sync:\n  timeout: [5m]\n",
       ".capstan.yaml:2:12: 'sync.timeout' must be a string or a whole number"},
      {"images: nginx\n", ".capstan.yaml:1:9: 'images' must be a list"},
      {"images:\n  - nginx\n", ".capstan.yaml:2:5: 'images' items must be mappings"},
      {"images:\n  - image: nginx\n    strategyy: semver\n",
       ".capstan.yaml:3:5: unknown key 'images[0].strategyy' (did you mean 'strategy'?)"},
      {"registries:\n  - host: ghcr.io\n    password: x\n",
       ".capstan.yaml:3:5: unknown key 'registries[0].password'"},
      {"images:\n  - image: a\n  - name: b\n", ".capstan.yaml:3:5: missing key 'images[1].image'"},
      {"images:\n  - image: a\n    strategy: newest\n",
       ".capstan.yaml:3:15: 'images[0].strategy' must be semver, newest-build, digest, "
       "alphabetical, numerical, latest or name, not 'newest'"},
      {"images:\n  - image: a\n    pin-digest: maybe\n",
       ".capstan.yaml:3:17: 'images[0].pin-digest' must be true or false"},
      {"watch:\n  concurrency: 0\n",
       ".capstan.yaml:2:16: 'watch.concurrency': expected number greater than or equal to 1"},
  }));
  INFO(text);
  CHECK(ErrorOf(text) == message);
}

TEST_CASE("the first problem in the file is the one told") {
  CHECK(ErrorOf("scan:\n  nope: 1\nbump:\n  autor: x\n  require-match: 3\n") ==
        ".capstan.yaml:2:3: unknown key 'scan.nope'");
  CHECK(ErrorOf("bump:\n  require-match: 3\n  autor: x\n") ==
        ".capstan.yaml:2:18: 'bump.require-match' must be true or false");
}

TEST_CASE(
    "the schema check of a file that is not valid YAML tells the YAML error and its position") {
  CHECK(ErrorOf("bump:\n  author: [a\n").starts_with(".capstan.yaml:"));
  CHECK(ErrorOf("bump:\n  author: a\n  author: b\n").starts_with(".capstan.yaml:3:3: "));
}

TEST_CASE("an empty file, empty sections and every kind of value pass the schema") {
  for (std::string_view text : {"", "# nothing\n", "bump:\nimages:\nregistries: []\n",
                                "validate:\n"
                                "  strict: true\n"
                                "  skip: Secret\n"
                                "  crd: [crds/, more.yaml]\n"
                                "  kubernetes-version: 1.29\n"
                                "  jobs: 4\n"
                                "sync:\n"
                                "  timeout: 300\n"
                                "  settle: 10s\n"
                                "watch: &w {author: x <x@y>}\n"
                                "bump: *w\n"}) {
    INFO(text);
    CHECK(ErrorOf(std::string(text)) == "");
  }
}

struct ConfigDir {
  TempDir dir;
  fs::PosixFileSystem fs;
  Env env;
  ConfigDir() {
    env.fs = &fs;
    env.cwd = dir.path();
  }
  void Write(const std::string& text) { WriteFile(dir / ".capstan.yaml", text); }
};

Result<std::vector<std::string>> BumpArgs(ConfigDir& c, std::vector<std::string> command_line) {
  Result<flags::Parsed> parsed = flags::Parse(BumpConfigSection().flags, command_line);
  REQUIRE(parsed.ok());
  return ConfigArgs(c.env, "", BumpConfigSection(), *parsed);
}

TEST_CASE("a section becomes --name=value arguments that the command line overrides") {
  ConfigDir c;
  c.Write(
      "bump:\n"
      "  author: -CI <ci@acme.dev>\n"
      "  helm-key: [image.tag, 'images[0].tag']\n"
      "  require-match: true\n"
      "  allow-dirty: false\n"
      "  max-attempts: 07\n"
      "scan:\n"
      "  fail-on: warning\n");
  Result<std::vector<std::string>> args = BumpArgs(c, {});
  INFO(args.status().message());
  REQUIRE(args.ok());
  CHECK(*args == std::vector<std::string>{"--author=-CI <ci@acme.dev>", "--helm-key=image.tag",
                                          "--helm-key=images[0].tag", "--require-match",
                                          "--max-attempts=07"});
  // The command line wins over a single value; a repeatable flag adds up.
  args = BumpArgs(c, {"--author", "Me <me@x>", "--helm-key", "x"});
  REQUIRE(args.ok());
  CHECK(*args == std::vector<std::string>{"--helm-key=image.tag", "--helm-key=images[0].tag",
                                          "--require-match", "--max-attempts=07"});
}

TEST_CASE("no file or no section gives no arguments") {
  ConfigDir c;
  CHECK(BumpArgs(c, {})->empty());
  c.Write("scan:\n  fail-on: note\n");
  CHECK(BumpArgs(c, {})->empty());
  c.Write("bump:\n");
  CHECK(BumpArgs(c, {})->empty());
}

TEST_CASE("a bad file anywhere fails every tool's reading, named by its full path") {
  ConfigDir c;
  c.Write("scan:\n  fial-on: note\n");
  Result<std::vector<std::string>> args = BumpArgs(c, {});
  REQUIRE_FALSE(args.ok());
  CHECK(args.status().code() == StatusCode::kInvalidArgument);
  CHECK(args.status().message() ==
        c.dir.path() + "/.capstan.yaml:2:3: unknown key 'scan.fial-on' (did you mean 'fail-on'?)");
}

TEST_CASE("a .capstan.yaml that cannot be read is an I/O error") {
  ConfigDir c;
  WriteFile(c.dir / ".capstan.yaml/x", "");  // a directory by that name
  Result<std::vector<std::string>> args = BumpArgs(c, {});
  REQUIRE_FALSE(args.ok());
  CHECK(args.status().code() == StatusCode::kIoError);
}

TEST_CASE("per-run flags, --help and --version are not config keys") {
  ConfigSection bump = BumpConfigSection();
  CHECK(IsConfigKey(bump, "author"));
  CHECK_FALSE(IsConfigKey(bump, "tag"));
  CHECK_FALSE(IsConfigKey(bump, "push"));
  CHECK_FALSE(IsConfigKey(bump, "help"));
  CHECK_FALSE(IsConfigKey(bump, "version"));
  CHECK_FALSE(IsConfigKey(bump, "no-such-flag"));
}

}  // namespace
}  // namespace capstan::tools
