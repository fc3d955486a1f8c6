// The hooks end to end with real programs: the pre-commit framework (Debian's pre-commit) over
// .pre-commit-hooks.yaml, and git running the hooks `capstan-hooks install` writes, both
// calling the built capstan-scan and capstan-validate.
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "support/shell.h"
#include "support/temp_repo.h"

namespace capstan::testing {
namespace {

const std::string kTools = std::string(CAPSTAN_BINARY_DIR) + "/tools";

const std::string kPlainSecret =
    "apiVersion: v1\n"
    "kind: Secret\n"
    "metadata: {name: db}\n"
    "stringData:\n"
    "  password: hunter2hunter2\n";

// Encrypted the way SOPS encrypts Kubernetes Secrets (encrypted_regex on data/stringData), made
// by hand: the scanner verifies the structure, not the ciphertext.
const std::string kSopsSecret = R"(apiVersion: v1
kind: Secret
metadata:
  name: db
stringData:
  password: ENC[AES256_GCM,data:8sMmvNoDd3RWqw==,iv:j9sYS3yKY6uTiqcGcInD6gEqLdgIp6BWUQgUI1zhA1o=,tag:fhdx7eqGwJi719V1txp1Hw==,type:str]
sops:
  age:
    - recipient: age15uzrw396e67z9wdzsxzdk7ka0g2gr3l460e0slaea563zll3hdfqwqxdta
  lastmodified: '2024-01-01T00:00:00Z'
  mac: ENC[AES256_GCM,data:8sMmvNoDd3RWqw==,iv:j9sYS3yKY6uTiqcGcInD6gEqLdgIp6BWUQgUI1zhA1o=,tag:fhdx7eqGwJi719V1txp1Hw==,type:str]
  encrypted_regex: ^(data|stringData)$
  version: 3.8.1
)";

const std::string kConfigMap =
    "apiVersion: v1\n"
    "kind: ConfigMap\n"
    "metadata: {name: web}\n"
    "data:\n"
    "  LOG_LEVEL: info\n";

// A temp directory with its own HOME and pre-commit cache, so nothing touches the real home.
struct Sandbox {
  TempDir tmp;

  // `script` run in dir with HOME, XDG dirs and PRE_COMMIT_HOME inside the sandbox and PATH
  // holding only the system directories plus `path_prefix`.
  ShellResult Run(const std::string& dir, const std::string& script,
                  const std::string& path_prefix = "") {
    std::string home = tmp / "home";
    std::filesystem::create_directories(home);
    std::string path = (path_prefix.empty() ? "" : path_prefix + ":") + "/usr/bin:/bin";
    return RunShell(dir, "export HOME=" + ShellQuote(home) +
                             " XDG_CONFIG_HOME=" + ShellQuote(home + "/.config") +
                             " XDG_CACHE_HOME=" + ShellQuote(home + "/.cache") +
                             " PRE_COMMIT_HOME=" + ShellQuote(tmp / "pre-commit-cache") +
                             " PATH=" + ShellQuote(path) + "\n" + script);
  }

  std::string Head(const std::string& dir, const std::string& rev) {
    ShellResult r = Run(dir, "git rev-parse -q --verify " + rev);
    return r.exit_code == 0 ? r.output.substr(0, 40) : "";
  }
};

void RequireTools() {
  for (const char* tool : {"capstan-scan", "capstan-validate", "capstan-hooks"}) {
    INFO("the hooks integration tests run the built " << tool << "; build it first");
    REQUIRE(std::filesystem::exists(kTools + "/" + tool));
  }
}

// A git repository holding this checkout's .pre-commit-hooks.yaml, committed, as pre-commit
// needs (try-repo clones it; of a dirty checkout it would take only tracked files).
std::string HooksRepo(Sandbox& sb) {
  std::string repo = sb.tmp / "capstan";
  InitRepo(repo);
  std::filesystem::copy_file(std::string(CAPSTAN_SOURCE_DIR) + "/.pre-commit-hooks.yaml",
                             repo + "/.pre-commit-hooks.yaml");
  RunGit(repo, "add .pre-commit-hooks.yaml");
  RunGit(repo, "commit -q -m hooks");
  return repo;
}

// try-repo runs every hook of the manifest; the container ones need docker, which this machine
// does not have, so SKIP (pre-commit's own variable) leaves them out.
const std::string kTryRepo =
    "SKIP=capstan-scan-docker,capstan-validate-docker pre-commit try-repo ";

TEST_CASE("pre-commit accepts the hook manifest, the container hooks included",
          "[integration][hooks]") {
  Sandbox sb;
  ShellResult r = sb.Run(CAPSTAN_SOURCE_DIR, "pre-commit validate-manifest .pre-commit-hooks.yaml");
  INFO(r.output);
  CHECK(r.exit_code == 0);
  // The container hooks run the image's binaries by name: the ones the system hooks run.
  std::string manifest = ReadFile(std::string(CAPSTAN_SOURCE_DIR) + "/.pre-commit-hooks.yaml");
  for (const char* tool : {"capstan-scan", "capstan-validate"}) {
    CHECK(manifest.find(std::string("entry: --entrypoint ") + tool +
                        " ghcr.io/capstan-dev/capstan:0.1.0\n") != std::string::npos);
  }
  // A manifest pre-commit rejects is rejected: validate-manifest is not a no-op.
  WriteFile(sb.tmp / "bad.yaml", "- id: x\n  entry: y\n  language: nonsense\n");
  CHECK(sb.Run(sb.tmp.path(), "pre-commit validate-manifest bad.yaml").exit_code != 0);
}

TEST_CASE("pre-commit try-repo blocks a plaintext Secret and passes a SOPS one",
          "[integration][hooks]") {
  RequireTools();
  Sandbox sb;
  std::string hooks = HooksRepo(sb);
  std::string repo = sb.tmp / "config";
  InitRepo(repo);

  SECTION("plaintext") {
    WriteFile(repo + "/apps/db/secret.yaml", kPlainSecret);
    RunGit(repo, "add apps");
    ShellResult r = sb.Run(repo, kTryRepo + ShellQuote(hooks), kTools);
    INFO(r.output);
    CHECK(r.exit_code == 1);
    CHECK(r.output.find("capstan scan (plaintext secrets)") != std::string::npos);
    CHECK(r.output.find("apps/db/secret.yaml:5") != std::string::npos);
    CHECK(r.output.find("hunter2hunter2") == std::string::npos);
  }
  SECTION("SOPS-encrypted, next to an ordinary manifest") {
    WriteFile(repo + "/apps/db/secret.sops.yaml", kSopsSecret);
    WriteFile(repo + "/apps/web/configmap.yaml", kConfigMap);
    RunGit(repo, "add apps");
    ShellResult r = sb.Run(repo, kTryRepo + ShellQuote(hooks), kTools);
    INFO(r.output);
    CHECK(r.exit_code == 0);
    CHECK(r.output.find("capstan scan (plaintext secrets)") != std::string::npos);
    CHECK(r.output.find("capstan validate (Kubernetes manifests)") != std::string::npos);
  }
  SECTION("at the push and manual stages too (no `stages:` means every stage)") {
    WriteFile(repo + "/apps/db/secret.yaml", kPlainSecret);
    RunGit(repo, "add apps");
    for (const char* stage : {"push", "manual"}) {
      ShellResult r = sb.Run(
          repo, kTryRepo + ShellQuote(hooks) + " --hook-stage " + stage + " --all-files", kTools);
      INFO(stage << "\n" << r.output);
      CHECK(r.exit_code == 1);
      CHECK(r.output.find("apps/db/secret.yaml:5") != std::string::npos);
    }
  }
}

TEST_CASE("the installed pre-commit hook stops a real commit of a plaintext Secret",
          "[integration][hooks]") {
  RequireTools();
  Sandbox sb;
  std::string repo = sb.tmp / "config";
  InitRepo(repo);
  // PATH lacks the build directory: the hook must run the tools from the directory that
  // capstan-hooks wrote into it.
  ShellResult install = sb.Run(repo, ShellQuote(kTools + "/capstan-hooks") + " install");
  INFO(install.output);
  REQUIRE(install.exit_code == 0);

  WriteFile(repo + "/secret.yaml", kPlainSecret);
  ShellResult blocked = sb.Run(repo, "git add secret.yaml && git commit -q -m secret");
  INFO(blocked.output);
  CHECK(blocked.exit_code != 0);
  CHECK(blocked.output.find("secret.yaml") != std::string::npos);
  CHECK(blocked.output.find("hunter2hunter2") == std::string::npos);
  CHECK(sb.Head(repo, "HEAD").empty());

  WriteFile(repo + "/configmap.yaml", kConfigMap);
  WriteFile(repo + "/secret.sops.yaml", kSopsSecret);
  ShellResult clean = sb.Run(repo,
                             "git rm -q --cached secret.yaml && rm secret.yaml &&\n"
                             "git add . && git commit -q -m clean");
  INFO(clean.output);
  CHECK(clean.exit_code == 0);
  CHECK(sb.Run(repo, "git ls-tree --name-only HEAD").output ==
        "configmap.yaml\nsecret.sops.yaml\n");
}

// `git commit -a` (and `git commit <paths>`) stage into a temporary index that git names in
// GIT_INDEX_FILE for the hooks; --staged must read that index, not .git/index.
TEST_CASE("the installed pre-commit hook stops commit -a of a plaintext Secret",
          "[integration][hooks]") {
  RequireTools();
  Sandbox sb;
  std::string repo = sb.tmp / "config";
  InitRepo(repo);
  WriteFile(repo + "/db.yaml", kConfigMap);
  RunGit(repo, "add db.yaml");
  RunGit(repo, "commit -q -m configmap");
  REQUIRE(sb.Run(repo, ShellQuote(kTools + "/capstan-hooks") + " install").exit_code == 0);
  WriteFile(repo + "/db.yaml", kPlainSecret);
  ShellResult r = sb.Run(repo, "git commit -q -a -m secret");
  INFO(r.output);
  CHECK(r.exit_code != 0);
  CHECK(sb.Run(repo, "git log --format=%s").output == "configmap\n");
}

TEST_CASE("the installed pre-push hook stops a real push of a commit holding a secret",
          "[integration][hooks]") {
  RequireTools();
  Sandbox sb;
  std::string remote = sb.tmp / "remote.git";
  std::string repo = sb.tmp / "config";
  RunGit(sb.tmp.path(), "init -q --bare -b main remote.git");
  InitRepo(repo);
  RunGit(repo, "remote add origin " + ShellQuote(remote));
  REQUIRE(sb.Run(repo, ShellQuote(kTools + "/capstan-hooks") + " install --pre-push").exit_code ==
          0);

  WriteFile(repo + "/configmap.yaml", kConfigMap);
  ShellResult first =
      sb.Run(repo, "git add . && git commit -q -m first && git push -q origin main");
  INFO(first.output);
  REQUIRE(first.exit_code == 0);
  std::string pushed = sb.Head(repo, "HEAD");
  REQUIRE(sb.Head(remote, "main") == pushed);

  SECTION("an update adding a secret, even one removed again later, is rejected") {
    WriteFile(repo + "/secret.yaml", kPlainSecret);
    ShellResult r = sb.Run(repo,
                           "git add secret.yaml && git commit -q --no-verify -m secret &&\n"
                           "git rm -q secret.yaml && git commit -q --no-verify -m 'remove it' &&\n"
                           "git push -q origin main");
    INFO(r.output);
    CHECK(r.exit_code != 0);
    CHECK(r.output.find("secret.yaml") != std::string::npos);
    CHECK(r.output.find("hunter2hunter2") == std::string::npos);
    CHECK(sb.Head(remote, "main") == pushed);
  }
  SECTION("a clean update is pushed") {
    WriteFile(repo + "/secret.sops.yaml", kSopsSecret);
    ShellResult r = sb.Run(repo, "git add . && git commit -q -m sops && git push -q origin main");
    INFO(r.output);
    CHECK(r.exit_code == 0);
    CHECK(sb.Head(remote, "main") == sb.Head(repo, "HEAD"));
  }
  SECTION("a new branch with a secret is rejected") {
    WriteFile(repo + "/secret.yaml", kPlainSecret);
    ShellResult r = sb.Run(repo,
                           "git checkout -q -b feature && git add secret.yaml &&\n"
                           "git commit -q --no-verify -m secret && git push -q origin feature");
    INFO(r.output);
    CHECK(r.exit_code != 0);
    CHECK(r.output.find("secret.yaml") != std::string::npos);
    CHECK(sb.Head(remote, "feature").empty());
  }
  SECTION("a clean new branch is pushed") {
    WriteFile(repo + "/web.yaml", kConfigMap);
    ShellResult r = sb.Run(repo,
                           "git checkout -q -b feature && git add web.yaml &&\n"
                           "git commit -q -m web && git push -q origin feature");
    INFO(r.output);
    CHECK(r.exit_code == 0);
    CHECK(sb.Head(remote, "feature") == sb.Head(repo, "HEAD"));
  }
}

}  // namespace
}  // namespace capstan::testing
