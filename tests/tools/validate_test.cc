#include "validate/validate.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "fs/posix_file_system.h"
#include "support/json_schema.h"
#include "support/run_tool.h"
#include "support/shared_data.h"
#include "support/temp_repo.h"

namespace capstan::tools {
namespace {

using testing::Lines;
using testing::RunTool;
using testing::TempDir;
using testing::ToolResult;
using testing::WriteFile;

ToolResult Validate(std::vector<std::string> args, const std::string& cwd,
                    const std::string& stdin_text = "", FileSystem* fs = nullptr) {
  return RunTool(RunValidate, std::move(args), cwd, stdin_text, fs);
}

const std::string kDeployment =
    "apiVersion: apps/v1\n"
    "kind: Deployment\n"
    "metadata:\n"
    "  name: web\n"
    "spec:\n"
    "  replicas: 2\n"
    "  selector:\n"
    "    matchLabels: {app: web}\n"
    "  template:\n"
    "    metadata:\n"
    "      labels: {app: web}\n"
    "    spec:\n"
    "      containers:\n"
    "        - name: web\n"
    "          image: nginx:1.27\n";

TEST_CASE("the example repo reports every planted problem at its line and column") {
  ToolResult r = Validate({"--strict", "examples/"}, CAPSTAN_SOURCE_DIR);
  CHECK(r.exit_code == 1);
  CHECK(r.err.empty());
  std::vector<std::string> expected = {
      "examples/apps/guestbook/base/configmap.yaml:3:1: error resource-identity: missing required "
      "field 'metadata.name' [ConfigMap]",
      "examples/apps/guestbook/base/deployment.yaml:7:13: error schema: spec.replicas: expected "
      "integer, got string [Deployment/guestbook-ui]",
      "examples/apps/guestbook/base/service.yaml:12:7: error duplicate-key: duplicate key 'port' "
      "(first defined at line 10) [Service/guestbook-ui]",
      "examples/apps/guestbook/overlays/prod/kustomization.yaml:9:5: error schema: unknown field "
      "'images[0].newtag' (did you mean 'newTag'?) [Kustomization]",
      "examples/argocd/guestbook.yaml:11:5: error schema: unknown field "
      "'spec.source.targetRevison' (did you mean 'targetRevision'?) "
      "[Application/argocd/guestbook-prod]",
      "examples/argocd/guestbook.yaml:23:9: error argocd-sync-option: unknown sync option "
      "'CreateNamespce=true' (did you mean 'CreateNamespace=true'?) "
      "[Application/argocd/guestbook-prod]",
      "examples/clusters/prod/root.yaml:23:22: error schema: metadata.labels.istio-injection: "
      "expected string, got boolean [Namespace/guestbook]",
      "7 errors in 9 files (10 documents)",
  };
  CHECK(Lines(r.out) == expected);
}

TEST_CASE("without --strict the Application typo passes but kustomization typos do not") {
  // kustomize rejects unknown fields itself, so kustomization files are always strict; the
  // GitOps checks do not depend on --strict.
  ToolResult r = Validate({"examples"}, CAPSTAN_SOURCE_DIR);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("'images[0].newtag'") != std::string::npos);
  CHECK(r.out.find("targetRevison") == std::string::npos);
  CHECK(r.out.find("error argocd-sync-option: unknown sync option 'CreateNamespce=true'") !=
        std::string::npos);
  CHECK(r.out.find("6 errors in 9 files") != std::string::npos);
}

TEST_CASE("a JSON number too large for a double is judged, not a crash") {
  // Found by the docker_config fuzz target: the strict JSON check let nlohmann's out_of_range
  // ("number overflow parsing '1e999'") escape, and capstan-validate aborted on the file.
  TempDir dir;
  WriteFile(dir / "cm.json",
            R"({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"},)"
            "\n"
            R"( "data": {"a": 1e999}})");
  ToolResult r = Validate({"cm.json"}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK(r.err.empty());
  CHECK(Lines(r.out) ==
        std::vector<std::string>{"cm.json:2:16: error schema: data.a: expected string, got number "
                                 "[ConfigMap/x]",
                                 "1 error in 1 file (1 document)"});
}

TEST_CASE("a clean directory exits 0 and says so") {
  TempDir dir;
  WriteFile(dir / "app/deploy.yaml", kDeployment);
  ToolResult r = Validate({"app"}, dir.path());
  CHECK(r.exit_code == 0);
  CHECK(r.out == "no problems in 1 file (1 document)\n");
}

TEST_CASE("output is the same whatever the number of jobs") {
  ToolResult one = Validate({"-j", "1", "--strict", "examples"}, CAPSTAN_SOURCE_DIR);
  ToolResult four = Validate({"-j4", "--strict", "examples"}, CAPSTAN_SOURCE_DIR);
  CHECK(one.out == four.out);
  CHECK(one.exit_code == four.exit_code);
}

TEST_CASE("sarif output of the example validates against the official schema") {
  if (!capstan::testing::RequireSharedData("data/sarif")) return;
  ToolResult r = Validate({"--strict", "--format", "sarif", "examples"}, CAPSTAN_SOURCE_DIR);
  CHECK(r.exit_code == 1);
  auto doc = nlohmann::json::parse(r.out);
  auto errors = testing::ValidateAgainstSchema(
      doc, std::string(CAPSTAN_SHARED_DIR) + "/data/sarif/sarif-schema-2.1.0.json");
  INFO(r.out);
  CHECK(errors.empty());
  CHECK(doc["runs"][0]["results"].size() == 7);
}

TEST_CASE("json output of the example validates against the report schema") {
  ToolResult r = Validate({"--strict", "-o", "json", "examples"}, CAPSTAN_SOURCE_DIR);
  auto doc = nlohmann::json::parse(r.out);
  auto errors = testing::ValidateAgainstSchema(
      doc, std::string(CAPSTAN_SOURCE_DIR) + "/schemas/report.schema.json");
  CHECK(errors.empty());
  CHECK(doc["summary"]["errors"] == 7);
}

TEST_CASE("stdin is read when the path is -") {
  ToolResult r = Validate({"-"}, CAPSTAN_SOURCE_DIR,
                          "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: 1\n");
  CHECK(r.exit_code == 1);
  CHECK(Lines(r.out)[0] ==
        "<stdin>:6:6: error schema: data.a: expected string, got integer [ConfigMap/x]");
}

TEST_CASE("usage errors exit 2 with one line and a hint") {
  ToolResult r = Validate({"--sarif"}, CAPSTAN_SOURCE_DIR);
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(Lines(r.err)[0] == "capstan-validate: error: unknown option '--sarif'");
  CHECK(Validate({"--format", "xml", "examples"}, CAPSTAN_SOURCE_DIR).exit_code == 2);
  CHECK(Validate({"-j", "zero", "examples"}, CAPSTAN_SOURCE_DIR).exit_code == 2);
  CHECK(Validate({"--schema-location", "https://example.com/{{ .ResourceKind }}.json", "examples"},
                 CAPSTAN_SOURCE_DIR)
            .exit_code == 2);
}

TEST_CASE("a 10,000-character flag value or path is echoed as a short prefix with its length") {
  const std::string garbage(10000, 'x');
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--fail-on", garbage, "examples"},
        std::vector<std::string>{garbage},
        std::vector<std::string>{"--schema-location", "https://" + garbage, "examples"}}) {
    ToolResult r = Validate(args, CAPSTAN_SOURCE_DIR);
    INFO(r.err.substr(0, 300));
    CHECK(r.exit_code >= 2);  // a usage error, or the kernel's "file name too long" (exit 3)
    REQUIRE(Lines(r.err).size() >= 1);
    CHECK(Lines(r.err)[0].size() < 600);  // a message around two cut echoes, not 10,000 bytes
    CHECK(r.err.find("bytes)") != std::string::npos);
  }
}

TEST_CASE("help lists every flag and the exit codes") {
  ToolResult r = Validate({"--help"}, CAPSTAN_SOURCE_DIR);
  CHECK(r.exit_code == 0);
  for (const char* flag :
       {"--strict", "--schema-location", "--crd", "--openapi", "--skip", "--ignore-missing-schemas",
        "--staged", "--changed-since", "--jobs", "--format", "--fail-on", "exit codes:"}) {
    CHECK(r.out.find(flag) != std::string::npos);
  }
}

TEST_CASE("the staged mode judges a partially staged file on what will be committed", "[git]") {
  TempDir dir;
  testing::InitRepo(dir.path());
  WriteFile(dir / "apps/web.yaml", kDeployment);
  testing::RunGit(dir.path(), "add apps/web.yaml");
  testing::RunGit(dir.path(), "commit -q -m base");
  std::string broken = kDeployment;
  broken.replace(broken.find("replicas: 2"), 11, "replicas: two");
  WriteFile(dir / "apps/web.yaml", broken);
  testing::RunGit(dir.path(), "add apps/web.yaml");
  WriteFile(dir / "apps/web.yaml", kDeployment);  // fixed in the work tree, not in the index

  ToolResult staged = Validate({"--staged"}, dir.path());
  CHECK(staged.exit_code == 1);
  CHECK(Lines(staged.out)[0] ==
        "apps/web.yaml:6:13: error schema: spec.replicas: expected integer, got string "
        "[Deployment/web]");
  ToolResult tree = Validate({"apps"}, dir.path());
  CHECK(tree.exit_code == 0);
}

TEST_CASE("the changed-since mode checks only what changed since the revision", "[git]") {
  TempDir dir;
  testing::InitRepo(dir.path());
  WriteFile(dir / "old.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: old}\ndata: {n: 1}\n");
  testing::RunGit(dir.path(), "add old.yaml");
  testing::RunGit(dir.path(), "commit -q -m base");
  WriteFile(dir / "new.yaml", kDeployment);
  ToolResult r = Validate({"--changed-since", "HEAD"}, dir.path());
  CHECK(r.exit_code == 0);
  CHECK(r.out == "no problems in 1 file (1 document)\n");
  ToolResult bad = Validate({"--changed-since", "nope"}, dir.path());
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("unknown revision 'nope'") != std::string::npos);
}

TEST_CASE("a nonexistent path is a usage error naming the path") {
  TempDir dir;
  ToolResult r = Validate({"nope.yaml"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(Lines(r.err) ==
        std::vector<std::string>{
            "capstan-validate: error: cannot read 'nope.yaml': no such file or directory"});
}

// Bad input: each gets one finding line naming the file and the problem, the right exit code,
// and no crash or hang (CI runs this under ASan and UBSan).
struct BadInput {
  const char* name;
  std::string content;
  const char* expected_line;  // prefix of the finding line
};

TEST_CASE("bad input gets one clear finding and exit 1") {
  std::string deep_flow = std::string(100000, '[') + std::string(100000, ']');
  std::string deep_block;
  for (int i = 0; i < 400; ++i) deep_block += std::string(static_cast<size_t>(i), ' ') + "a:\n";
  auto c = GENERATE_COPY(
      BadInput{"deep-flow.yaml", deep_flow,
               "deep-flow.yaml:1:257: error input-limit: nesting deeper than 256 levels"},
      BadInput{"deep-block.yaml", deep_block,
               "deep-block.yaml:257:257: error input-limit: nesting deeper than 256 levels"},
      BadInput{"binary.yaml",
               std::string("\x7f"
                           "ELF\0\0\x01",
                           7),
               "binary.yaml:1:5: error file-encoding: binary file: it contains a NUL byte"},
      BadInput{"latin1.yaml", "name: caf\xE9\n",
               "latin1.yaml:1:10: error file-encoding: invalid UTF-8 byte sequence"},
      BadInput{"tabs.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n",
               "tabs.yaml:4:"},
      BadInput{"unclosed.yaml", "a: [1, 2\n",
               "unclosed.yaml:1:4: error yaml-syntax: invalid YAML: found unclosed flow sequence"});
  TempDir dir;
  WriteFile(dir / c.name, c.content);
  ToolResult r = Validate({c.name}, dir.path());
  INFO(c.name << "\n" << r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.err.empty());
  std::vector<std::string> lines = Lines(r.out);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].rfind(c.expected_line, 0) == 0);
}

TEST_CASE("the tab finding explains that YAML indents with spaces") {
  TempDir dir;
  WriteFile(dir / "tabs.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n");
  ToolResult r = Validate({"tabs.yaml"}, dir.path());
  CHECK(r.out.find("tab character is used for indentation") != std::string::npos);
}

TEST_CASE("the alias bomb is named as one") {
  TempDir dir;
  std::string text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n";
  text += "  a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b', p = 'a'; c <= 'j'; ++c, ++p) {
    text += std::string("  ") + c + ": &" + c + " [*" + p;
    for (int i = 1; i < 10; ++i) text += std::string(", *") + p;
    text += "]\n";
  }
  WriteFile(dir / "bomb.yaml", text);
  ToolResult r = Validate({"bomb.yaml"}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("error input-limit: aliases expand to more than 1000000 nodes") !=
        std::string::npos);
}

TEST_CASE("a 50 MB single line is refused by the size limit without reading it all") {
  TempDir dir;
  {
    std::ofstream f(dir / "huge.yaml", std::ios::binary);
    std::string chunk(1 << 20, 'a');
    f << "k: ";
    for (int i = 0; i < 50; ++i) f << chunk;
  }
  ToolResult r = Validate({"huge.yaml"}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK(Lines(r.out)[0] ==
        "huge.yaml: error input-limit: file is larger than the 16 MiB limit (--max-file-size)");
}

TEST_CASE("empty, comment-only and separator-only files are clean") {
  TempDir dir;
  WriteFile(dir / "empty.yaml", "");
  WriteFile(dir / "comments.yaml", "# nothing here\n# at all\n");
  WriteFile(dir / "separator.yaml", "---\n");
  ToolResult r = Validate({"."}, dir.path());
  CHECK(r.exit_code == 0);
  CHECK(r.out == "no problems in 3 files (1 document)\n");
}

TEST_CASE("a BOM and CRLF line endings keep line numbers right") {
  TempDir dir;
  WriteFile(dir / "crlf.yaml",
            "\xEF\xBB\xBF"
            "apiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: x\r\ndata:\r\n  a: yes\r\n");
  ToolResult r = Validate({"crlf.yaml"}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK(Lines(r.out)[0] ==
        "crlf.yaml:6:6: error schema: data.a: expected string, got boolean [ConfigMap/x]");
}

TEST_CASE("a symlink loop is reported and does not hang") {
  TempDir dir;
  REQUIRE(::symlink("loop-b.yaml", (dir / "loop-a.yaml").c_str()) == 0);
  REQUIRE(::symlink("loop-a.yaml", (dir / "loop-b.yaml").c_str()) == 0);
  ToolResult r = Validate({"loop-a.yaml"}, dir.path());
  CHECK(r.exit_code == 3);
  CHECK(Lines(r.err)[0] ==
        "capstan-validate: error: cannot read 'loop-a.yaml': too many levels of symbolic links");
}

// Root reads any file whatever its mode, so an unreadable file is simulated by a file system
// that fails the read the way the kernel would.
class UnreadableFileSystem : public fs::PosixFileSystem {
 public:
  Result<std::string> ReadFile(const std::string& path, std::uint64_t max) override {
    if (path.find("secret-ops.yaml") != std::string::npos)
      return Status::IoError("cannot read '" + path + "': permission denied");
    return PosixFileSystem::ReadFile(path, max);
  }
};

TEST_CASE("an unreadable file named exits 3, one in a walked directory is a finding") {
  TempDir dir;
  WriteFile(dir / "secret-ops.yaml", kDeployment);
  WriteFile(dir / "ok.yaml", kDeployment);
  UnreadableFileSystem fs;
  ToolResult named = Validate({"secret-ops.yaml", "ok.yaml"}, dir.path(), "", &fs);
  CHECK(named.exit_code == 3);
  CHECK(named.err == "capstan-validate: error: cannot read 'secret-ops.yaml': permission denied\n");
  CHECK(named.out == "no problems in 1 file (1 document)\n");
  // Met in a walk, it is a file of the tree the check could not judge, like a dangling symlink.
  ToolResult walked = Validate({"."}, dir.path(), "", &fs);
  CHECK(walked.exit_code == 1);
  CHECK(walked.err.empty());
  CHECK(walked.out ==
        "secret-ops.yaml: error input-unreadable: cannot read this file: permission denied\n"
        "1 error in 2 files (1 document)\n");
}

TEST_CASE("a FIFO named on the command line is refused at once with exit 2") {
  // The old code opened it and blocked forever waiting for a writer.
  TempDir dir;
  REQUIRE(::mkfifo((dir / "pipe.yaml").c_str(), 0600) == 0);
  WriteFile(dir / "ok.yaml", kDeployment);
  ToolResult r = Validate({"pipe.yaml", "ok.yaml"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK(Lines(r.err) ==
        std::vector<std::string>{
            "capstan-validate: error: cannot read 'pipe.yaml': not a regular file"});
  CHECK(r.out == "no problems in 1 file (1 document)\n");
}

TEST_CASE("a symlink loop inside a walked directory is one finding, and the exit code agrees") {
  TempDir dir;
  WriteFile(dir / "apps/ok.yaml", kDeployment);
  REQUIRE(::symlink("loop.yaml", (dir / "apps/loop.yaml").c_str()) == 0);
  ToolResult r = Validate({"apps"}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK(r.err.empty());
  CHECK(Lines(r.out) ==
        std::vector<std::string>{
            "apps/loop.yaml: error input-unreadable: cannot read this file: too many "
            "levels of symbolic links",
            "1 error in 2 files (1 document)"});
  ToolResult json = Validate({"--format", "json", "apps"}, dir.path());
  CHECK(json.exit_code == 1);
  CHECK(json.out.find("\"rule\": \"input-unreadable\"") != std::string::npos);
}

TEST_CASE("editor and tool dot-directories are skipped unless --include-hidden") {
  TempDir dir;
  WriteFile(dir / "app/deploy.yaml", kDeployment);
  // JSON with comments and a trailing comma: VS Code accepts it, JSON does not.
  WriteFile(dir / "app/.vscode/settings.json",
            "{\n  // format on save\n  \"editor.formatOnSave\": true,\n}\n");
  ToolResult r = Validate({"."}, dir.path());
  CHECK(r.exit_code == 0);
  CHECK(r.out == "no problems in 1 file (1 document)\n");
  ToolResult hidden = Validate({"--include-hidden", "."}, dir.path());
  CHECK(hidden.exit_code == 1);
  CHECK(hidden.out.find("app/.vscode/settings.json:2:3: error yaml-syntax: invalid JSON") !=
        std::string::npos);
  // Named explicitly, it is checked.
  CHECK(Validate({"app/.vscode/settings.json"}, dir.path()).exit_code == 1);
}

TEST_CASE("a chart template that happens to parse is skipped like any other template") {
  TempDir dir;
  WriteFile(dir / "charts/web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\n");
  // No {{ }} and valid YAML, but spec.ports is wrong: rendering could still change it.
  WriteFile(dir / "charts/web/templates/sub/svc.yaml",
            "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: 80}\n");
  // A templates/ directory outside any chart holds manifests like any other.
  WriteFile(dir / "apps/templates/svc.yaml",
            "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: 80}\n");
  ToolResult r = Validate({"."}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK(Lines(r.out) ==
        std::vector<std::string>{
            "apps/templates/svc.yaml:4:15: error schema: spec.ports: expected array, "
            "got integer [Service/web]",
            "1 error in 3 files (2 documents)"});
  CHECK(Validate({"charts/web/templates/sub/svc.yaml"}, dir.path()).exit_code == 0);
  ToolResult inside = Validate({"."}, dir / "charts/web/templates");
  CHECK(inside.exit_code == 0);
}

TEST_CASE("flux substitution variables are not type or pattern errors") {
  TempDir dir;
  WriteFile(dir / "apps/secret.yaml",
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${APP}-key\n  namespace: ${NS}\n"
            "stringData:\n  key: ${KEY}\n");
  WriteFile(dir / "apps/deploy.yaml",
            std::string(kDeployment).replace(kDeployment.find("2\n"), 2, "${REPLICAS}\n"));
  ToolResult r = Validate({"--strict", "apps"}, dir.path());
  CHECK(r.out == "no problems in 2 files (2 documents)\n");
  CHECK(r.exit_code == 0);
}

TEST_CASE("a builtin transformer listed under transformers: is a kustomize input") {
  TempDir dir;
  WriteFile(dir / "app/kustomization.yaml",
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
            "resources: [deploy.yaml]\ntransformers: [labels.yaml, chart.yaml]\n");
  WriteFile(dir / "app/deploy.yaml", kDeployment);
  WriteFile(dir / "app/labels.yaml",
            "apiVersion: builtin\nkind: LabelTransformer\nmetadata: {name: labels}\n"
            "labels: {team: web}\nfieldSpecs: [{path: metadata/labels, create: true}]\n");
  WriteFile(dir / "app/chart.yaml",
            "apiVersion: someteam.example.com/v1\nkind: ChartInflator\nmetadata: {name: c}\n");
  ToolResult r = Validate({"app"}, dir.path());
  CHECK(r.out == "no problems in 4 files (4 documents)\n");
  CHECK(r.exit_code == 0);
}

TEST_CASE("a removed API version names its removal and replacement instead of asking for --crd") {
  TempDir dir;
  WriteFile(dir / "ingress.yaml",
            "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: web}\n");
  WriteFile(
      dir / "hr.yaml",
      "apiVersion: helm.toolkit.fluxcd.io/v2beta1\nkind: HelmRelease\nmetadata: {name: web}\n");
  ToolResult r = Validate({"."}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK(Lines(r.out) == std::vector<std::string>{
                            "hr.yaml:1:13: error removed-api: helm.toolkit.fluxcd.io/v2beta1 "
                            "HelmRelease was removed in Flux 2.7: use helm.toolkit.fluxcd.io/v2 "
                            "[HelmRelease/web]",
                            "ingress.yaml:1:13: error removed-api: extensions/v1beta1 Ingress was "
                            "removed in Kubernetes 1.22: use networking.k8s.io/v1 [Ingress/web]",
                            "2 errors in 2 files (2 documents)"});
}

TEST_CASE("the release removed and deprecated APIs are judged by is --kubernetes-version") {
  TempDir dir;
  WriteFile(dir / "ingress.yaml",
            "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: web}\n");
  WriteFile(
      dir / "hr.yaml",
      "apiVersion: helm.toolkit.fluxcd.io/v2beta1\nkind: HelmRelease\nmetadata: {name: web}\n");
  // An old cluster still serves the Ingress; Flux's removal does not depend on Kubernetes.
  ToolResult old = Validate({"--kubernetes-version", "v1.21.14", "."}, dir.path());
  CHECK(old.exit_code == 1);
  CHECK(Lines(old.out) ==
        std::vector<std::string>{
            "hr.yaml:1:13: error removed-api: helm.toolkit.fluxcd.io/v2beta1 HelmRelease was "
            "removed in Flux 2.7: use helm.toolkit.fluxcd.io/v2 [HelmRelease/web]",
            "ingress.yaml:1:13: warning deprecated-api: extensions/v1beta1 Ingress is deprecated "
            "since Kubernetes 1.14 and will be removed in 1.22: use networking.k8s.io/v1 "
            "[Ingress/web]",
            "1 error, 1 warning in 2 files (2 documents)"});
  ToolResult ingress = Validate({"--kubernetes-version=1.21", "ingress.yaml"}, dir.path());
  CHECK(ingress.exit_code == 0);
  CHECK(ingress.out.find("warning deprecated-api") != std::string::npos);
  CHECK(Validate({"--kubernetes-version", "master", "ingress.yaml"}, dir.path())
            .out.find("error removed-api") != std::string::npos);
}

TEST_CASE("a --kubernetes-version that is no Kubernetes release is a usage error") {
  TempDir dir;
  WriteFile(dir / "d.yaml", kDeployment);
  for (std::string bad : {"latest", "1", "2.0", "1.29.x"}) {
    CAPTURE(bad);
    ToolResult r = Validate({"--kubernetes-version", bad, "d.yaml"}, dir.path());
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(Lines(r.err) ==
          std::vector<std::string>{
              "capstan-validate: error: --kubernetes-version must be a Kubernetes release (1.29, "
              "1.29.3, v1.29.3-eks-1552ad0) or master, not '" +
                  bad + "'",
              "run 'capstan-validate --help' for usage"});
  }
}

TEST_CASE("the kubernetes version still fills kubeconform templates as written") {
  TempDir dir;
  WriteFile(dir / "schemas/v1.29.3-standalone/configmap-v1.json",
            R"({"type": "object", "required": ["data"]})");
  WriteFile(dir / "c.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n");
  ToolResult r = Validate(
      {"--schema-location", "schemas/", "--kubernetes-version", "1.29.3", "c.yaml"}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("missing required field 'data'") != std::string::npos);
}

TEST_CASE(
    "a removed version that a CustomResourceDefinition in the repository still serves is "
    "a warning, and is checked against that CRD") {
  TempDir dir;
  // An old Flux install vendored in the repository: its CRD serves HelmRelease v2beta1.
  WriteFile(dir / "flux-system/crds.yaml",
            "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
            "metadata: {name: helmreleases.helm.toolkit.fluxcd.io}\nspec:\n"
            "  group: helm.toolkit.fluxcd.io\n"
            "  names: {kind: HelmRelease, plural: helmreleases}\n  scope: Namespaced\n"
            "  versions:\n"
            "    - name: v2beta1\n      served: true\n      storage: true\n      schema:\n"
            "        openAPIV3Schema:\n          type: object\n          properties:\n"
            "            spec: {type: object, properties: {interval: {type: string}}}\n");
  WriteFile(dir / "apps/hr.yaml",
            "apiVersion: helm.toolkit.fluxcd.io/v2beta1\nkind: HelmRelease\n"
            "metadata: {name: web}\nspec: {interval: 5}\n");
  ToolResult r = Validate({"."}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK(Lines(r.out) ==
        std::vector<std::string>{
            "apps/hr.yaml:1:13: warning deprecated-api: helm.toolkit.fluxcd.io/v2beta1 "
            "HelmRelease was removed in Flux 2.7, but 'flux-system/crds.yaml' still serves it: "
            "use helm.toolkit.fluxcd.io/v2 [HelmRelease/web]",
            "apps/hr.yaml:4:18: error schema: spec.interval: expected string, got integer "
            "[HelmRelease/web]",
            "1 error, 1 warning in 2 files (2 documents)"});
  // Without the CRD the version is removed.
  CHECK(Validate({"apps"}, dir.path()).out.find("error removed-api") != std::string::npos);
}

const std::string kApplication =
    "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: web\n"
    "  namespace: argocd\nspec:\n  project: payment\n  source:\n"
    "    repoURL: https://github.com/acme/gitops\n    path: apps/web\n"
    "  destination: {name: in-cluster, namespace: web}\n";
const std::string kAppProject =
    "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata:\n  name: payments\n"
    "  namespace: argocd\nspec: {}\n";

TEST_CASE("an Application's project is looked for in a walked tree, not among named files") {
  TempDir dir;
  WriteFile(dir / "apps/web.yaml", kApplication);
  WriteFile(dir / "projects/payments.yaml", kAppProject);
  ToolResult r = Validate({"."}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK(Lines(r.out) == std::vector<std::string>{
                            "apps/web.yaml:7:12: error argocd-destination: project 'payment' "
                            "names no AppProject of the files checked (did you mean 'payments'?) "
                            "[Application/argocd/web]",
                            "1 error in 2 files (2 documents)"});
  // Named files may leave out the file that defines the project: no verdict.
  r = Validate({"apps/web.yaml", "projects/payments.yaml"}, dir.path());
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("argocd-destination") == std::string::npos);
}

TEST_CASE("a project finding across files is hidden by a capstan:allow marker or --disable") {
  TempDir dir;
  std::string app = kApplication;
  app.replace(app.find("project: payment\n"), 17,
              "project: infra  # capstan:allow=argocd-destination made by the Helm chart\n");
  WriteFile(dir / "apps/web.yaml", app);
  ToolResult r = Validate({"."}, dir.path());
  CHECK(r.exit_code == 0);
  CHECK(r.out == "no problems in 1 file (1 document)\n");
  // A marker for another rule hides nothing.
  app.replace(app.find("allow=argocd-destination"), 24, "allow=argocd-source");
  WriteFile(dir / "apps/web.yaml", app);
  r = Validate({"."}, dir.path());
  CHECK(r.out.find("apps/web.yaml:7:12: warning argocd-destination: project 'infra' is not "
                   "defined in the files checked") != std::string::npos);
  CHECK(Validate({"--disable", "argocd-destination", "."}, dir.path()).out ==
        "no problems in 1 file (1 document)\n");
}

TEST_CASE("Image Updater annotations are reported at the annotation, with its path") {
  TempDir dir;
  std::string app = kApplication;
  app.replace(app.find("  namespace: argocd\n"), 19,
              "  namespace: argocd\n  annotations:\n"
              "    argocd-image-updater.argoproj.io/image-list: web=ghcr.io/acme/web\n"
              "    argocd-image-updater.argoproj.io/web.update-strategy: newest\n"
              "    argocd-image-updater.argoproj.io/web.pull-secret: pullsecret:argocd/regcred\n");
  app.replace(app.find("payment\n"), 8, "default\n");
  WriteFile(dir / "web.yaml", app);
  ToolResult r = Validate({"--format", "json", "web.yaml"}, dir.path());
  CHECK(r.exit_code == 1);
  auto doc = nlohmann::json::parse(r.out);
  REQUIRE(doc["findings"].size() == 1);
  const auto& f = doc["findings"][0];
  CHECK(f["rule"] == "image-updater-annotation");
  CHECK(f["line"] == 8);
  CHECK(f["column"] == 5);
  CHECK(f["path"] == "/metadata/annotations/argocd-image-updater.argoproj.io~1web.update-strategy");
  CHECK(f["resource"]["kind"] == "Application");
  CHECK(f["resource"]["name"] == "web");
  CHECK(f["resource"]["namespace"] == "argocd");
  CHECK(f["message"] ==
        "unknown update-strategy 'newest': expected semver, newest-build, digest "
        "or alphabetical (Image Updater would use semver)");
  // --skip Application skips them too.
  CHECK(Validate({"--skip", "Application", "web.yaml"}, dir.path()).exit_code == 0);
}

TEST_CASE("a CustomResourceDefinition in the repository validates its custom resources") {
  TempDir dir;
  WriteFile(dir / "crds/widget.yaml",
            "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
            "metadata: {name: widgets.example.com}\nspec:\n  group: example.com\n"
            "  names: {kind: Widget, plural: widgets}\n  scope: Namespaced\n  versions:\n"
            "    - name: v1\n      served: true\n      storage: true\n      schema:\n"
            "        openAPIV3Schema:\n          type: object\n          properties:\n"
            "            spec: {type: object, properties: {size: {type: integer}}}\n");
  WriteFile(dir / "apps/widget.yaml",
            "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: big}\n");
  ToolResult r = Validate({"."}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK(Lines(r.out) == std::vector<std::string>{
                            "apps/widget.yaml:4:14: error schema: spec.size: expected integer, got "
                            "string [Widget/w]",
                            "1 error in 2 files (2 documents)"});
  // Alone, the custom resource has no schema.
  CHECK(Validate({"apps"}, dir.path()).out.find("schema-missing") != std::string::npos);
}

TEST_CASE("capstan:allow on the line or above suppresses a finding, =RULE only that rule") {
  TempDir dir;
  WriteFile(dir / "a.yaml",
            "apiVersion: extensions/v1beta1  # capstan:allow=removed-api cluster is 1.21\n"
            "kind: Ingress\nmetadata: {name: a}\n---\n"
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n"
            "# capstan:allow=removed-api\n"
            "data: {k: 1}\n---\n"
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"
            "data: {k: 1}  # capstan:allow\n");
  ToolResult r = Validate({"a.yaml"}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK(Lines(r.out) ==
        std::vector<std::string>{"a.yaml:9:11: error schema: data.k: expected string, got integer "
                                 "[ConfigMap/b]",
                                 "1 error in 1 file (3 documents)"});
}

TEST_CASE("disable drops a rule's findings, and unknown or fail-closed rules are usage errors") {
  TempDir dir;
  WriteFile(dir / "a.yaml",
            "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: a}\n---\n"
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\ndata: {k: 1}\n");
  ToolResult r = Validate({"--disable", "removed-api", "a.yaml"}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK(Lines(r.out) ==
        std::vector<std::string>{"a.yaml:8:11: error schema: data.k: expected string, got integer "
                                 "[ConfigMap/b]",
                                 "1 error in 1 file (2 documents)"});
  CHECK(Validate({"--disable", "schema,removed-api", "a.yaml"}, dir.path()).exit_code == 0);
  WriteFile(dir / ".capstan.yaml", "validate:\n  disable: [schema, removed-api]\n");
  CHECK(Validate({"a.yaml"}, dir.path()).exit_code == 0);
  struct Case {
    std::string value;
    std::string error;
  };
  const Case cases[] = {
      {"removed-apj", "--disable: no rule 'removed-apj' (did you mean 'removed-api'?)"},
      {"nothing-like-it", "--disable: no rule 'nothing-like-it'"},
      {"yaml-syntax",
       "--disable: rule 'yaml-syntax' cannot be disabled: a file capstan cannot read would pass "
       "unchecked"},
  };
  for (const Case& c : cases) {
    ToolResult bad = Validate({"--disable", c.value, "a.yaml"}, dir.path());
    INFO(c.value);
    CHECK(bad.exit_code == 2);
    CHECK(bad.out.empty());
    CHECK(Lines(bad.err)[0] == "capstan-validate: error: " + c.error);
  }
}

}  // namespace
}  // namespace capstan::tools
