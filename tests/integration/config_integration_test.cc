// .capstan.yaml read by the built tools: a bad file stops each of them with one line naming
// the file, line and column, and exit 2; a good one sets defaults the command line overrides.
#include <catch2/catch.hpp>
#include <string>

#include "support/shell.h"
#include "support/temp_repo.h"

namespace capstan::testing {
namespace {

const std::string kTools = std::string(CAPSTAN_BINARY_DIR) + "/tools";

// Arguments that get each tool past its own usage checks to where it reads the file.
std::string Command(const std::string& tool) {
  std::string args = tool == "bump"    ? " --image ghcr.io/acme/api --tag 1.0.0"
                     : tool == "watch" ? " --once"
                     : tool == "sync"  ? " web"
                                       : "";
  return ShellQuote(kTools + "/capstan-" + tool) + args;
}

TEST_CASE("each tool stops at a bad .capstan.yaml with its position and exit 2", "[integration]") {
  // A key of the right shape for each tool, to give a value of the wrong one.
  const std::string tool = GENERATE("validate", "scan", "bump", "watch", "sync");
  const std::string count = tool == "bump"    ? "max-attempts"
                            : tool == "watch" ? "concurrency"
                                              : "jobs";
  auto [text, where, message] = GENERATE_COPY(table<std::string, std::string, std::string>({
      {tool + ":\n  zzz-nope: 1\n", "2:3", "unknown key '" + tool + ".zzz-nope'"},
      {tool + ":\n  " + count + ": many\n", "2:" + std::to_string(5 + count.size()),
       "'" + tool + "." + count + "' must be a whole number"},
      {"images:\n  - image: nginx\n    tag: x\n", "3:5", "unknown key 'images[0].tag'"},
  }));
  TempDir repo;
  InitRepo(repo.path());
  WriteFile(repo / ".capstan.yaml", text);
  WriteFile(repo / "apps/web/deploy.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n");
  INFO(tool << "\n" << text);
  // From a subdirectory: the file is the one at the root of the working tree.
  ShellResult r = RunShell(repo / "apps", Command(tool) + " </dev/null");
  CHECK(r.exit_code == 2);
  CHECK(r.output == "capstan-" + tool + ": error: " + repo.path() + "/.capstan.yaml:" + where +
                        ": " + message + "\n");
}

TEST_CASE("validate and scan take defaults from .capstan.yaml and flags win", "[integration]") {
  const std::string tool = GENERATE("validate", "scan");
  TempDir repo;
  InitRepo(repo.path());
  WriteFile(repo / ".capstan.yaml", tool + ":\n  format: json\n");
  WriteFile(repo / "deploy.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n");
  ShellResult json = RunShell(repo.path(), Command(tool) + " deploy.yaml");
  INFO(json.output);
  CHECK(json.exit_code == 0);
  CHECK(json.output.starts_with("{"));
  ShellResult text = RunShell(repo.path(), Command(tool) + " --format text deploy.yaml");
  INFO(text.output);
  CHECK(text.exit_code == 0);
  CHECK_FALSE(text.output.starts_with("{"));
}

}  // namespace
}  // namespace capstan::testing
