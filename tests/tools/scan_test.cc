#include "scan/scan.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "fs/posix_file_system.h"
#include "support/json_schema.h"
#include "support/run_tool.h"
#include "support/temp_repo.h"

namespace capstan::tools {
namespace {

using testing::Lines;
using testing::RunGit;
using testing::RunTool;
using testing::TempDir;
using testing::ToolResult;
using testing::WriteFile;

ToolResult Scan(std::vector<std::string> args, const std::string& cwd,
                const std::string& stdin_text = "") {
  return RunTool(RunScan, std::move(args), cwd, stdin_text);
}

const std::string kPassword = "hunter2-Pa55";
const std::string kSecret =
    "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: " + kPassword +
    "\n";
const std::string kConfigMap =
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  level: info\n";

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST_CASE("scan reports a plaintext Secret at file:line:col without the value", "[scan]") {
  TempDir dir;
  WriteFile(dir / "apps/secret.yaml", kSecret);
  WriteFile(dir / "apps/cm.yaml", kConfigMap);
  ToolResult r = Scan({"apps"}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK(r.err.empty());
  CHECK(Lines(r.out) ==
        std::vector<std::string>{
            "apps/secret.yaml:6:13: error secret-string-data: stringData.password: plaintext "
            "value (12 chars, starts 'hu') [Secret/db]",
            "1 error in 2 files (1 document)"});
  CHECK(r.out.find(kPassword) == std::string::npos);
}

TEST_CASE("a clean tree exits 0", "[scan]") {
  TempDir dir;
  WriteFile(dir / "cm.yaml", kConfigMap);
  WriteFile(dir / "README.md", "Set the password in Vault.\n");
  ToolResult r = Scan({"."}, dir.path());
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("no problems") != std::string::npos);
}

TEST_CASE("scan reads stdin and checks every report format against its schema", "[scan]") {
  ToolResult r = Scan({"--format", "json", "-"}, "", kSecret);
  CHECK(r.exit_code == 1);
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j["findings"].size() == 1);
  CHECK(j["findings"][0]["file"] == "<stdin>");
  CHECK(j["findings"][0]["path"] == "/stringData/password");
  CHECK(testing::ValidateAgainstSchema(
            j, std::string(CAPSTAN_SOURCE_DIR) + "/schemas/report.schema.json")
            .empty());
  for (const char* format : {"sarif", "junit", "github", "codequality", "text"}) {
    ToolResult f = Scan({"--format", format, "-"}, "", kSecret);
    INFO(format);
    CHECK(f.exit_code == 1);
    CHECK(f.out.find(kPassword) == std::string::npos);
  }
}

TEST_CASE("scan usage errors exit 2 with one line and a hint", "[scan]") {
  TempDir dir;
  CHECK(Scan({"--bogus"}, dir.path()).exit_code == 2);
  ToolResult both = Scan({"--staged", "--history"}, dir.path());
  CHECK(both.exit_code == 2);
  CHECK(Lines(both.err).at(0) ==
        "capstan-scan: error: --staged, --range and --history cannot be combined");
  CHECK(Scan({"--fail-on", "fatal"}, dir.path()).exit_code == 2);
  ToolResult missing = Scan({"nope.yaml"}, dir.path());
  CHECK(missing.exit_code == 2);
  CHECK(missing.err == "capstan-scan: error: cannot read 'nope.yaml': no such file or directory\n");
  ToolResult help = Scan({"--help"}, dir.path());
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("capstan:allow") != std::string::npos);
}

TEST_CASE("user rule files add rules, a bad one is a usage error naming the file", "[scan]") {
  TempDir dir;
  WriteFile(dir / "rules.yaml",
            "rules:\n  - id: acme-key\n    regex: 'acme_[0-9a-f]{16}'\n    keywords: [acme_]\n");
  WriteFile(dir / "bad.yaml", "rules:\n  - id: x\n    regex: '('\n");
  WriteFile(dir / "app.env", "KEY=acme_0123456789abcdef\n");
  ToolResult r = Scan({"--rules", "rules.yaml", "app.env"}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("app.env:1:5: error acme-key:") == 0);
  ToolResult bad = Scan({"--rules", "bad.yaml", "app.env"}, dir.path());
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("capstan-scan: error: bad.yaml: ") == 0);
}

TEST_CASE(".capstanignore at the repository root excludes paths", "[scan]") {
  TempDir dir;
  testing::InitRepo(dir.path());
  WriteFile(dir / ".capstanignore", "# fake secrets for tests\ntestdata/\n");
  WriteFile(dir / "testdata/secret.yaml", kSecret);
  WriteFile(dir / "apps/secret.yaml", kSecret);
  ToolResult r = Scan({"--format", "json", "."}, dir / "apps/..");
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j["findings"].size() == 1);
  CHECK(j["findings"][0]["file"] == "apps/secret.yaml");
  // From a subdirectory, the root's ignore file still applies.
  ToolResult sub = Scan({"--format", "json", "../testdata"}, dir / "apps");
  CHECK(nlohmann::json::parse(sub.out)["findings"].empty());
  // An explicit --ignore-file that does not exist is an error, not "ignore nothing".
  CHECK(Scan({"--ignore-file", "missing", "."}, dir.path()).exit_code == 2);
}

TEST_CASE("baselines accept known findings and store no value", "[scan]") {
  TempDir dir;
  WriteFile(dir / "secret.yaml", kSecret);
  ToolResult write = Scan({"--write-baseline", "baseline.json", "secret.yaml"}, dir.path());
  CHECK(write.exit_code == 0);
  CHECK(write.err == "capstan-scan: wrote 1 finding to baseline.json\n");
  std::string baseline = ReadAll(dir / "baseline.json");
  CHECK(baseline.find(kPassword) == std::string::npos);
  CHECK(baseline.find("\"rule\":\"secret-string-data\"") != std::string::npos);
  ToolResult accepted = Scan({"--baseline", "baseline.json", "secret.yaml"}, dir.path());
  CHECK(accepted.exit_code == 0);
  CHECK(accepted.out.find("1 finding accepted by the baseline") != std::string::npos);
  // Moving the secret down the file keeps it accepted; a new value is reported.
  WriteFile(dir / "secret.yaml", "# moved\n\n" + kSecret);
  CHECK(Scan({"--baseline", "baseline.json", "secret.yaml"}, dir.path()).exit_code == 0);
  WriteFile(dir / "secret.yaml", kSecret + "  other: another-password\n");
  ToolResult fresh = Scan({"--baseline", "baseline.json", "secret.yaml"}, dir.path());
  CHECK(fresh.exit_code == 1);
  CHECK(fresh.out.find("stringData.other") != std::string::npos);
  CHECK(fresh.out.find("stringData.password") == std::string::npos);
  // Rewriting keeps the salt, so unchanged entries keep their hashes.
  std::string before = baseline.substr(0, baseline.find("\"findings\""));
  CHECK(Scan({"--write-baseline", "baseline.json", "secret.yaml"}, dir.path()).exit_code == 0);
  CHECK(ReadAll(dir / "baseline.json").find(before) == 0);
  WriteFile(dir / "broken.json", "{\"capstan_baseline\": 1}");
  ToolResult broken = Scan({"--baseline", "broken.json", "secret.yaml"}, dir.path());
  CHECK(broken.exit_code == 2);
  CHECK(broken.err ==
        "capstan-scan: error: broken.json: \"salt\" must be 32 lowercase hex digits\n");
}

TEST_CASE("secretGenerator payload files are judged as secrets whatever their extension",
          "[scan]") {
  TempDir dir;
  WriteFile(dir / "app/kustomization.yaml",
            "secretGenerator:\n  - name: db\n    envs: [db.properties]\n    files: [token]\n");
  WriteFile(dir / "app/db.properties", "USER=admin\nPASSWORD=s3cret-pw\n");
  WriteFile(dir / "app/token", "plain-token-value\n");
  // The walk meets db.properties before the kustomization naming it; with more than one job it
  // is scanned while the walk goes on, and that early answer must not stand.
  for (const char* jobs : {"1", "2", "4"}) {
    CAPTURE(jobs);
    ToolResult r = Scan({"--format", "json", "-j", jobs, "app"}, dir.path());
    auto j = nlohmann::json::parse(r.out);
    std::vector<std::string> got;
    for (const auto& f : j["findings"])
      got.push_back(f["file"].get<std::string>() + ":" + std::to_string(f["line"].get<int>()) +
                    " " + f["rule"].get<std::string>());
    CHECK(got == std::vector<std::string>{"app/db.properties:1 kustomize-secret-file",
                                          "app/db.properties:2 kustomize-secret-file",
                                          "app/token:1 kustomize-secret-file"});
  }
  // Named alone, as pre-commit does with a changed file, the payload is still recognised.
  ToolResult alone = Scan({"app/db.properties"}, dir.path());
  CHECK(alone.exit_code == 1);
  CHECK(alone.out.find("app/db.properties:2:10: error kustomize-secret-file") != std::string::npos);
}

TEST_CASE("a walk scanned while it goes on reports what a one-job scan reports", "[scan]") {
  TempDir dir;
  testing::InitRepo(dir.path());
  WriteFile(dir / ".capstanignore", "fixtures/\n*.bak\n");
  WriteFile(dir / ".gitignore", "build/\n");
  for (int i = 0; i < 40; ++i) {
    std::string app = "apps/app" + std::to_string(i);
    WriteFile(dir / (app + "/cm.yaml"), kConfigMap);
    if (i % 3 == 0) WriteFile(dir / (app + "/secret.yaml"), kSecret);
    if (i % 5 == 0) WriteFile(dir / (app + "/secret.yaml.bak"), kSecret);
    if (i % 7 == 0) {
      WriteFile(dir / (app + "/a.env"), "API_KEY=plain-api-key-" + std::to_string(i) + "\n");
      WriteFile(dir / (app + "/kustomization.yaml"),
                "secretGenerator:\n- name: s\n  envs: [a.env]\n");
    }
    if (i % 11 == 0) WriteFile(dir / (app + "/broken.yaml"), "kind: Secret\nstringData: [\n");
  }
  WriteFile(dir / "fixtures/secret.yaml", kSecret);
  WriteFile(dir / "build/secret.yaml", kSecret);
  ToolResult one = Scan({"--format", "json", "-j", "1"}, dir.path());
  auto one_json = nlohmann::json::parse(one.out);
  // Every planted Secret, payload and broken file, and nothing ignored.
  CHECK(one.exit_code == 1);
  std::map<std::string, int> rules;
  for (const auto& f : one_json["findings"]) ++rules[f["rule"].get<std::string>()];
  CHECK(rules == std::map<std::string, int>{{"secret-string-data", 14},
                                            {"kustomize-secret-file", 6},
                                            {"scan-unparsed", 4}});
  CHECK(one.out.find("fixtures/") == std::string::npos);
  CHECK(one.out.find(".bak") == std::string::npos);
  CHECK(one.out.find("build/") == std::string::npos);
  for (const char* jobs : {"2", "3", "8"}) {
    CAPTURE(jobs);
    ToolResult many = Scan({"--format", "json", "-j", jobs}, dir.path());
    CHECK(many.exit_code == one.exit_code);
    auto many_json = nlohmann::json::parse(many.out);
    CHECK(many_json["findings"] == one_json["findings"]);
    CHECK(many_json["summary"] == one_json["summary"]);
  }
}

TEST_CASE("staged mode scans what the next commit holds", "[scan]") {
  TempDir dir;
  testing::InitRepo(dir.path());
  WriteFile(dir / "cm.yaml", kConfigMap);
  RunGit(dir.path(), "add cm.yaml");
  RunGit(dir.path(), "commit -q -m init");
  WriteFile(dir / "secret.yaml", kSecret);
  RunGit(dir.path(), "add secret.yaml");
  WriteFile(dir / "secret.yaml", kConfigMap);  // the working tree is clean, the index is not
  ToolResult r = Scan({"--staged"}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("secret.yaml:6:13: error secret-string-data") == 0);
  RunGit(dir.path(), "add secret.yaml");
  CHECK(Scan({"--staged"}, dir.path()).exit_code == 0);
}

TEST_CASE("range and history modes name the commit that added a secret", "[scan]") {
  TempDir dir;
  testing::InitRepo(dir.path());
  WriteFile(dir / "cm.yaml", kConfigMap);
  RunGit(dir.path(), "add cm.yaml");
  RunGit(dir.path(), "commit -q -m init");
  WriteFile(dir / "apps/secret.yaml", kSecret);
  RunGit(dir.path(), "add apps");
  RunGit(dir.path(), "commit -q -m leak");
  std::string leak = RunGit(dir.path(), "rev-parse HEAD");
  leak = leak.substr(0, 40);
  RunGit(dir.path(), "rm -q apps/secret.yaml");
  RunGit(dir.path(), "commit -q -m 'remove it'");

  ToolResult history = Scan({"--history", "--format", "json"}, dir.path());
  CHECK(history.exit_code == 1);
  auto j = nlohmann::json::parse(history.out);
  REQUIRE(j["findings"].size() == 1);
  CHECK(j["findings"][0]["file"] == "apps/secret.yaml");
  CHECK(j["findings"][0]["commit"] == leak);
  CHECK(testing::ValidateAgainstSchema(
            j, std::string(CAPSTAN_SOURCE_DIR) + "/schemas/report.schema.json")
            .empty());
  ToolResult text = Scan({"--history"}, dir.path());
  CHECK(text.out.find("(commit " + leak.substr(0, 12) + ")") != std::string::npos);
  CHECK(text.out.find("from 3 commits") != std::string::npos);

  CHECK(Scan({"--range", "HEAD~1..HEAD"}, dir.path()).exit_code == 0);
  CHECK(Scan({"--range", "HEAD~2..HEAD"}, dir.path()).exit_code == 1);
  CHECK(Scan({"--range", "HEAD~2..HEAD", "other-dir"}, dir.path()).exit_code == 0);
  ToolResult unknown = Scan({"--range", "nope..HEAD"}, dir.path());
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("unknown revision 'nope'") != std::string::npos);
}

TEST_CASE("history mode refuses a shallow clone instead of scanning part of the history",
          "[scan]") {
  TempDir dir;
  testing::InitRepo(dir / "origin");
  WriteFile(dir / "origin/apps/secret.yaml", kSecret);
  testing::CommitAll(dir / "origin", "leak");
  RunGit(dir / "origin", "rm -q apps/secret.yaml");
  RunGit(dir / "origin", "commit -q -m 'remove it'");
  RunGit(dir.path(), "clone -q --depth 1 file://" + dir.path() + "/origin shallow");
  ToolResult r = Scan({"--history"}, dir / "shallow");
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  REQUIRE(testing::Lines(r.err).size() == 1);
  CHECK(r.err.find("--history needs the whole history and this is a shallow clone") !=
        std::string::npos);
  CHECK(r.err.find("fetch-depth: 0") != std::string::npos);
  CHECK(Scan({"--history"}, dir / "origin").exit_code == 1);
}

TEST_CASE("scan refuses a named FIFO at once and reports a walked symlink loop as a finding",
          "[scan]") {
  TempDir dir;
  REQUIRE(::mkfifo((dir / "pipe.env").c_str(), 0600) == 0);
  ToolResult fifo = Scan({"pipe.env"}, dir.path());
  CHECK(fifo.exit_code == 2);
  CHECK(fifo.err == "capstan-scan: error: cannot read 'pipe.env': not a regular file\n");

  WriteFile(dir / "apps/cm.yaml", kConfigMap);
  REQUIRE(::symlink("loop.env", (dir / "apps/loop.env").c_str()) == 0);
  ToolResult loop = Scan({"apps"}, dir.path());
  CHECK(loop.exit_code == 1);
  CHECK(loop.err.empty());
  CHECK(Lines(loop.out) == std::vector<std::string>{
                               "apps/loop.env: error input-unreadable: cannot read this file: too "
                               "many levels of symbolic links",
                               "1 error in 2 files (0 documents)"});
}

// Root reads any file whatever its mode, so an unreadable file (or one removed after the walk
// listed it) is simulated by a file system that fails the read the way the kernel would.
class FailingReadFileSystem : public fs::PosixFileSystem {
 public:
  Result<std::string> ReadFile(const std::string& path, std::uint64_t max) override {
    if (path.ends_with("ops.env"))
      return Status::IoError("cannot read '" + path + "': permission denied");
    if (path.ends_with("gone.yaml"))
      return Status::NotFound("cannot read '" + path + "': no such file or directory");
    return PosixFileSystem::ReadFile(path, max);
  }
};

TEST_CASE("scan reports a walked file it cannot read as a finding, a named one as exit 3",
          "[scan]") {
  TempDir dir;
  WriteFile(dir / "apps/ops.env", "TOKEN=x\n");
  WriteFile(dir / "apps/gone.yaml", kConfigMap);
  WriteFile(dir / "apps/secret.yaml", kSecret);
  FailingReadFileSystem fs;
  for (const char* jobs : {"1", "2"}) {
    CAPTURE(jobs);
    ToolResult walked = RunTool(RunScan, {"-j", jobs, "apps"}, dir.path(), "", &fs);
    CHECK(walked.exit_code == 1);
    CHECK(walked.err.empty());
    CHECK(Lines(walked.out) ==
          std::vector<std::string>{
              "apps/gone.yaml: error input-unreadable: cannot read this file: no such file or "
              "directory",
              "apps/ops.env: error input-unreadable: cannot read this file: permission denied",
              "apps/secret.yaml:6:13: error secret-string-data: stringData.password: plaintext "
              "value (12 chars, starts 'hu') [Secret/db]",
              "3 errors in 3 files (1 document)"});
  }
  ToolResult named = RunTool(RunScan, {"apps/ops.env"}, dir.path(), "", &fs);
  CHECK(named.exit_code == 3);
  CHECK(named.err == "capstan-scan: error: cannot read 'apps/ops.env': permission denied\n");
}

TEST_CASE("scan still reads hidden files and directories: credentials hide there", "[scan]") {
  TempDir dir;
  WriteFile(dir / "app/.secrets/secret.yaml", kSecret);
  ToolResult r = Scan({"."}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("app/.secrets/secret.yaml:6:13") != std::string::npos);
}

// --- fails closed (issue 14): what it cannot judge structurally blocks the commit, with the
// summary and the exit code agreeing.

const std::string kAwsKey = std::string("AKIA") + "IOSFODNN7EXAMPL" + "Q";

TEST_CASE("a Secret manifest that does not parse blocks the commit and names its plaintext",
          "[scan]") {
  TempDir dir;
  WriteFile(
      dir / "secret.yaml",
      "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: hunter2\n"
      "  note: \"unterminated\n");
  ToolResult r = Scan({"secret.yaml"}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("error scan-unparsed: could not be parsed") != std::string::npos);
  CHECK(r.out.find("secret.yaml:6:13: error secret-string-data: stringData.password") !=
        std::string::npos);
  CHECK(r.out.find("hunter2") == std::string::npos);
  CHECK(r.out.find("no problems") == std::string::npos);
}

TEST_CASE("a YAML file with a NUL byte is an error, a binary file is still skipped", "[scan]") {
  TempDir dir;
  WriteFile(dir / "secret.yaml", std::string("apiVersion: v1\nkind: Secret\n\0\n", 30));
  WriteFile(dir / "logo.png", std::string("\x89PNG\0\0\0", 7));
  ToolResult r = Scan({"."}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("secret.yaml:3:1: error scan-unparsed") != std::string::npos);
  CHECK(r.out.find("logo.png") == std::string::npos);
}

TEST_CASE("a file over --max-file-size is an error and its credentials are still found", "[scan]") {
  TempDir dir;
  testing::InitRepo(dir.path());
  // 2 MiB of padding on one line, then a credential: padding must not hide it.
  std::string padded = std::string(2u << 20, 'a') + "\nkey: " + kAwsKey + "\n";
  WriteFile(dir / "big.yaml", padded);
  ToolResult r = Scan({"--format", "json", "--max-file-size", "1", "big.yaml"}, dir.path());
  CHECK(r.exit_code == 1);
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j["findings"].size() == 2);
  CHECK(j["findings"][0]["rule"] == "input-limit");
  CHECK(j["findings"][0]["severity"] == "error");
  CHECK(j["findings"][1]["rule"] == "aws-access-key-id");
  CHECK(j["findings"][1]["line"] == 2);
  CHECK(j["findings"][1]["column"] == 6);
  CHECK(r.out.find(kAwsKey) == std::string::npos);

  // The same from stdin and from the index.
  ToolResult piped = Scan({"--format", "json", "--max-file-size", "1", "-"}, dir.path(), padded);
  CHECK(piped.exit_code == 1);
  CHECK(nlohmann::json::parse(piped.out)["findings"].size() == 2);
  testing::RunGit(dir.path(), "add big.yaml");
  ToolResult staged = Scan({"--format", "json", "--max-file-size", "1", "--staged"}, dir.path());
  CHECK(staged.exit_code == 1);
  CHECK(nlohmann::json::parse(staged.out)["findings"].size() == 2);

  // Listed in .capstanignore, it is accepted.
  WriteFile(dir / ".capstanignore", "big.yaml\n");
  ToolResult ignored = Scan({"--max-file-size", "1", "big.yaml"}, dir.path());
  CHECK(ignored.exit_code == 0);
}

TEST_CASE("a large file without a credential is still an error until it is ignored", "[scan]") {
  TempDir dir;
  WriteFile(dir / "dump.sql", std::string(3u << 20, 'x'));
  ToolResult r = Scan({"--max-file-size", "1", "."}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK(
      Lines(r.out).front().starts_with("dump.sql:1:1: error input-limit: larger than the 1 MiB "
                                       "limit (--max-file-size), so only the credential "
                                       "rules ran over it"));
}

}  // namespace
}  // namespace capstan::tools

namespace capstan::tools {
namespace {

TEST_CASE("capstan's own repository is clean, its .capstanignore keeps the planted fixtures out",
          "[scan]") {
  ToolResult r = Scan({"--format", "json", "."}, CAPSTAN_SOURCE_DIR);
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  // Without the ignore file the planted fixtures are found.
  testing::TempDir empty;
  WriteFile(empty / "nothing", "# ignore nothing\n");
  ToolResult all =
      Scan({"--ignore-file", empty / "nothing", "tests/fixtures/scan/flag"}, CAPSTAN_SOURCE_DIR);
  CHECK(all.exit_code == 1);
}

}  // namespace
}  // namespace capstan::tools
