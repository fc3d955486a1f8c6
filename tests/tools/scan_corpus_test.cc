// capstan-scan over the real GitOps repositories of ../shared/corpus (see its SOURCES.md): the
// exact findings on each repository, each one justified below, and none at all on the documents
// that keep their secrets encrypted (SOPS, SealedSecrets) or only refer to them (ExternalSecret,
// SecretStore, PushSecret, 1Password `op://` references).
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "scan/scan.h"
#include "support/run_tool.h"
#include "support/shared_data.h"

namespace capstan::tools {
namespace {

using testing::RunTool;
using testing::ToolResult;

const std::string kCorpusDir = std::string(CAPSTAN_SHARED_DIR) + "/corpus";

struct ExpectedFinding {
  const char* file;  // relative to the corpus directory
  const char* rule;
  int line;
  const char* severity;
  const char* why;  // why this is a real plaintext credential
};

struct Repo {
  const char* dir;
  std::vector<ExpectedFinding> findings;
};

// Found by reading every Secret, env list, Helm values file, secretGenerator and token-shaped
// string of the corpus. Everything not listed must not be reported, in particular the 52
// SOPS-encrypted documents of onedr0p__home-ops__sops-2022-11, the SealedSecrets of the
// sealed-2025-07 PR, the 36 ExternalSecrets and op:// Secrets of onedr0p__home-ops, `${VAR}`
// Flux substitutions, valueFrom env, and the secretGenerators of home-ops 2022 whose payloads
// (*.sops.ini, *.sops.toml) are SOPS files not present in the corpus.
const std::vector<Repo> kRepos = {
    {"argoproj__argocd-example-apps",
     {
         {"argoproj__argocd-example-apps/sock-shop/base/catalogue-db-dep.yaml",
          "env-secret-literal", 23, "error",
          "MYSQL_ROOT_PASSWORD is the literal 'fake_password': the sock-shop demo's real root "
          "password, committed in the Deployment"},
         {"argoproj__argocd-example-apps/helm-dependency/values.yaml", "helm-values-secret", 4,
          "warning",
          "wordpress.wordpressPassword: foo is a literal demo admin password in a chart's values"},
         {"argoproj__argocd-example-apps/helm-dependency/values.yaml", "helm-values-secret", 7,
          "warning", "wordpress.mariadb.db.password: bar, a literal demo database password"},
         {"argoproj__argocd-example-apps/helm-dependency/values.yaml", "helm-values-secret", 9,
          "warning", "wordpress.mariadb.rootUser.password: baz, a literal demo root password"},
         {"argoproj__argocd-example-apps/helm-dependency/values-nomaria.yaml", "helm-values-secret",
          5, "warning",
          "wordpress.wordpressPassword: foo again, in the chart's second values file "
          "(externalDatabase.password is empty and must not be reported)"},
     }},
    {"GoogleCloudPlatform__microservices-demo",
     {
         {"GoogleCloudPlatform__microservices-demo/kustomize/components/shopping-assistant/"
          "shoppingassistantservice.yaml",
          "env-secret-literal", 52, "error",
          "GOOGLE_API_KEY holds the literal GOOGLE_API_KEY_VAL, a sed fill-in marker the "
          "component's README replaces with the real key in place: no placeholder syntax the "
          "scanner can know, so the committed result is a literal key (ALLOYDB_SECRET_NAME on "
          "line 62 names a secret and must not be reported)"},
     }},
    {"codefresh-contrib__gitops-certification-examples",
     {
         {"codefresh-contrib__gitops-certification-examples/secret-app/never-commit-to-git/"
          "unsealed_secrets/db-creds.yml",
          "secret-data", 7, "error",
          "plaintext Secret: connection decodes to my-db-connection.example.com:3306"},
         {"codefresh-contrib__gitops-certification-examples/secret-app/never-commit-to-git/"
          "unsealed_secrets/db-creds.yml",
          "secret-data", 8, "error", "plaintext Secret: password decodes to the demo password"},
         {"codefresh-contrib__gitops-certification-examples/secret-app/never-commit-to-git/"
          "unsealed_secrets/db-creds.yml",
          "secret-data", 9, "error", "plaintext Secret: username decodes to the demo user"},
         {"codefresh-contrib__gitops-certification-examples/secret-app/never-commit-to-git/"
          "unsealed_secrets/paypal-cert.yml",
          "secret-data", 7, "warning",
          "plaintext Secret: paypal.crt decodes to a PEM certificate the course seals before "
          "committing; public material, so a warning (and no token rule fires inside it)"},
     }},
    {"codefresh-contrib__gitops-certification-examples__sealed-2025-07",
     {
         {"codefresh-contrib__gitops-certification-examples__sealed-2025-07/secret-app/"
          "never-commit-to-git/unsealed_secrets/db-creds.yml",
          "secret-data", 7, "error",
          "the learner's PR keeps the plaintext Secret it sealed: connection"},
         {"codefresh-contrib__gitops-certification-examples__sealed-2025-07/secret-app/"
          "never-commit-to-git/unsealed_secrets/db-creds.yml",
          "secret-data", 8, "error", "same plaintext Secret: password"},
         {"codefresh-contrib__gitops-certification-examples__sealed-2025-07/secret-app/"
          "never-commit-to-git/unsealed_secrets/db-creds.yml",
          "secret-data", 9, "error", "same plaintext Secret: username"},
         {"codefresh-contrib__gitops-certification-examples__sealed-2025-07/secret-app/"
          "never-commit-to-git/unsealed_secrets/paypal-cert.yml",
          "secret-data", 7, "warning",
          "same plaintext Secret: paypal.crt, a certificate (the SealedSecrets in manifests/ are "
          "not reported)"},
     }},
    {"onedr0p__home-ops__sops-2022-11",
     {
         {"onedr0p__home-ops__sops-2022-11/cluster/apps/storage/kopia-jobs/cron-job.yaml",
          "env-secret-literal", 45, "error",
          "KOPIA_PASSWORD is the literal \"none\": the password of the Kopia backup repository, "
          "committed in plaintext in the first CronJob"},
         {"onedr0p__home-ops__sops-2022-11/cluster/apps/storage/kopia-jobs/cron-job.yaml",
          "env-secret-literal", 108, "error",
          "the same literal repository password in the second CronJob"},
         {"onedr0p__home-ops__sops-2022-11/cluster/apps/kube-tools/kyverno/policies/"
          "snapshot-cronjob-controller.yaml",
          "env-secret-literal", 97, "error",
          "the same literal KOPIA_PASSWORD in the CronJob a Kyverno policy generates "
          "(spec.rules[].generate.data is a manifest too); the map-form env of the kopia-web "
          "HelmRelease is not a container env item and is not reported"},
     }},
    {"onedr0p__home-ops", {}},
    {"fluxcd__flux2-kustomize-helm-example", {}},
    {"stefanprodan__podinfo", {}},
    {"argoproj__argo-cd", {}},
};

struct Report {
  bool parsed = false;
  std::set<std::string> findings;  // "<file> <rule> <line> <severity>"
  std::vector<std::string> details;
  bool any_error = false;
};

Report Parse(const ToolResult& r) {
  Report out;
  nlohmann::json doc = nlohmann::json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.contains("findings")) return out;
  out.parsed = true;
  for (const nlohmann::json& f : doc["findings"]) {
    std::string key = f.value("file", std::string()) + " " + f.value("rule", std::string()) + " " +
                      std::to_string(f.value("line", 0)) + " " + f.value("severity", std::string());
    out.findings.insert(key);
    out.details.push_back(key + ":" + std::to_string(f.value("column", 0)) + " " +
                          f.value("severity", std::string()) + ": " +
                          f.value("message", std::string()));
    out.any_error = out.any_error || f.value("severity", std::string()) == "error";
  }
  return out;
}

std::set<std::string> Difference(const std::set<std::string>& a, const std::set<std::string>& b) {
  std::set<std::string> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::inserter(out, out.end()));
  return out;
}

TEST_CASE("each corpus repository yields exactly its justified findings", "[scan][corpus]") {
  if (!capstan::testing::RequireSharedData("corpus")) return;
  REQUIRE(std::filesystem::is_directory(kCorpusDir));
  for (const Repo& repo : kRepos) {
    ToolResult r = RunTool(RunScan, {"--format", "json", repo.dir}, kCorpusDir);
    Report report = Parse(r);
    std::ostringstream details;
    for (const std::string& d : report.details) details << d << "\n";
    INFO(repo.dir << "\nfindings:\n" << details.str() << "stderr:\n" << r.err);
    REQUIRE(report.parsed);
    std::set<std::string> expected;
    bool expect_error = false;
    for (const ExpectedFinding& f : repo.findings) {
      expected.insert(std::string(f.file) + " " + f.rule + " " + std::to_string(f.line) + " " +
                      f.severity);
      expect_error = expect_error || std::string(f.severity) == "error";
    }
    for (const std::string& missing : Difference(expected, report.findings)) {
      FAIL_CHECK(repo.dir << ": expected finding not reported: " << missing);
    }
    for (const std::string& extra : Difference(report.findings, expected)) {
      FAIL_CHECK(repo.dir << ": unexpected finding: " << extra);
    }
    CHECK(r.exit_code == (expect_error ? 1 : 0));
  }
}

// Files (relative to the corpus directory) whose documents keep secrets encrypted or only refer
// to them. Picked by content, so a corpus refresh keeps the check honest.
std::vector<std::string> EncryptedOrReferenceFiles(int* sops, int* sealed, int* external) {
  const std::vector<std::string> kMarkers = {"ENC[AES256_GCM",
                                             "kind: SealedSecret",
                                             "kind: ExternalSecret",
                                             "kind: SecretStore",
                                             "kind: ClusterSecretStore",
                                             "kind: PushSecret",
                                             "op://"};
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(kCorpusDir)) {
    if (!entry.is_regular_file()) continue;
    std::string rel = std::filesystem::relative(entry.path(), kCorpusDir).generic_string();
    if (rel.find('/') == std::string::npos) continue;  // SOURCES.md
    std::ifstream in(entry.path(), std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    bool match = false;
    for (const std::string& m : kMarkers) match = match || text.find(m) != std::string::npos;
    if (!match) continue;
    out.push_back(rel);
    if (text.find("ENC[AES256_GCM") != std::string::npos) ++*sops;
    if (text.find("kind: SealedSecret") != std::string::npos) ++*sealed;
    if (text.find("kind: ExternalSecret") != std::string::npos) ++*external;
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST_CASE("encrypted and reference-only documents of the corpus yield no finding",
          "[scan][corpus]") {
  if (!capstan::testing::RequireSharedData("corpus")) return;
  int sops = 0, sealed = 0, external = 0;
  std::vector<std::string> files = EncryptedOrReferenceFiles(&sops, &sealed, &external);
  CHECK(sops >= 50);      // onedr0p__home-ops__sops-2022-11: 50 SOPS files, 52 documents
  CHECK(sealed >= 2);     // the two SealedSecrets of the sealed-2025-07 PR (and a CRD)
  CHECK(external >= 35);  // onedr0p__home-ops: 36 ExternalSecrets in 35 files
  std::vector<std::string> args = {"--format", "json"};
  args.insert(args.end(), files.begin(), files.end());
  ToolResult r = RunTool(RunScan, args, kCorpusDir);
  Report report = Parse(r);
  std::ostringstream details;
  for (const std::string& d : report.details) details << d << "\n";
  INFO(files.size() << " files\nfindings:\n" << details.str() << "stderr:\n" << r.err);
  REQUIRE(report.parsed);
  CHECK(report.findings.empty());
  CHECK(r.exit_code == 0);
}

}  // namespace
}  // namespace capstan::tools
