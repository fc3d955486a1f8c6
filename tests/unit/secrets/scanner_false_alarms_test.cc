// Values that look like findings to a naive scanner but are not secrets, and the credential
// formats that stay errors wherever they are (issue 14, "False alarms that make people turn the
// hook off").
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "core/base64.h"
#include "secrets/scanner.h"
#include "support/scan_text.h"

namespace capstan::secrets {
namespace {

using testing::BuiltinScanner;
using testing::ScanText;

std::vector<std::string> Where(const FileScan& scan) { return testing::Where(scan, true); }

TEST_CASE("1Password references with spaces in their names are placeholders",
          "[secrets][scanner][false-alarm]") {
  std::string text =
      "apiVersion: v1\nkind: Secret\nmetadata: {name: x}\nstringData:\n"
      "  a: op://Home Lab/Grafana Admin/password\n"
      "  b: \"op://vault/item with spaces/section one/field\"\n"
      "  c: op://vault/item/one-time password?attribute=otp\n";
  CHECK(ScanText("s.yaml", text).findings.empty());
}

TEST_CASE("External Secrets template data: metadata passes, credentials do not",
          "[secrets][scanner][false-alarm]") {
  std::string text =
      "apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: {name: db}\nspec:\n"
      "  target:\n    template:\n      data:\n"
      "        host: 10.0.0.12\n"                                          // 8
      "        port: \"5432\"\n"                                           // 9
      "        server: db.prod.svc.cluster.local:5432\n"                   // 10
      "        endpoint: https://vault.example.com/v1/secret\n"            // 11
      "        username: admin\n"                                          // 12
      "        dsn: postgres://{{ .user }}:{{ .password }}@db:5432/app\n"  // 13
      "        password: hunter2\n"                                        // 14
      "        url: https://admin:hunter2@db.example.com/\n"               // 15
      "        signingSeed: 3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c\n";           // 16
  CHECK(Where(ScanText("es.yaml", text)) ==
        std::vector<std::string>{"external-secret-template-data@14:19:error",
                                 "external-secret-template-data@15:14:error",
                                 "external-secret-template-data@16:22:error"});
}

TEST_CASE("SealedSecret template data gets the same judgement", "[secrets][scanner][false-alarm]") {
  std::string text =
      "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {name: db}\nspec:\n"
      "  encryptedData: {password: AgBy3i4OJSWK+PiTySYZZA==}\n"
      "  template:\n    data:\n"
      "      host: db.example.com\n"
      "      apiKey: plain-api-key-value\n";
  CHECK(Where(ScanText("ss.yaml", text)) ==
        std::vector<std::string>{"sealed-secret-template-data@9:15:error"});
}

TEST_CASE("connection strings that interpolate placeholders are templates",
          "[secrets][scanner][false-alarm]") {
  std::string avp_dsn = EncodeBase64("postgres://<username>:<password>@db.example.com/app");
  std::string text =
      "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  annotations:\n    "
      "avp.kubernetes.io/path: kv/db\n"
      "stringData:\n"
      "  DATABASE_URL: postgres://<username>:<password>@db.example.com:5432/app\n"
      "  FLUX_URL: postgresql://${DB_USER}:${DB_PASS}@postgres:5432/app\n"
      "  PAIR: ${DB_USER}:${DB_PASS}\n"
      "data:\n"
      "  ENCODED_URL: " +
      avp_dsn +
      "\n"
      "---\n"
      "apiVersion: v1\nkind: Secret\nmetadata: {name: plain}\nstringData:\n"
      "  DATABASE_URL: postgres://app:hunter2@db:5432/app\n";
  CHECK(Where(ScanText("s.yaml", text)) ==
        std::vector<std::string>{"secret-string-data@18:17:error"});
}

TEST_CASE("Helm values that name a Secret, a key, an env var or a file are references",
          "[secrets][scanner][false-alarm]") {
  std::string text =
      "secretEnv: NAME\n"
      "envFromSecret: app-env\n"
      "existingSecret: db-credentials\n"
      "auth:\n  secretKey: key-name\n  existingSecretPasswordKey: password\n"
      "TS_KUBE_SECRET: tailscale\n"
      "grafana:\n  adminPassword: $__env{GF_ADMIN_PASSWORD}\n  adminPasswordFile: "
      "$__file{/etc/secrets/pw}\n"
      "tls:\n  secretName: \"{{ .Release.Name }}-secret\"\n"
      "jwtSecret: \"{{ .Release.Name }}-jwt\"\n"
      "db:\n  password: foo\n";  // 15: a literal password stays a warning
  CHECK(Where(ScanText("chart/values.yaml", text)) ==
        std::vector<std::string>{"helm-values-secret@15:13:warning"});
}

TEST_CASE("a recognised credential in Helm values is an error, not a warning",
          "[secrets][scanner][false-alarm]") {
  std::string key =
      "-----BEGIN RSA PRIVATE KEY-----\\nMIIEowIBAAKCAQEA1234567890abcdef\\n-----END RSA PRIVATE "
      "KEY-----";
  std::string text = "tls:\n  privateKey: \"" + key +
                     "\"\n"
                     "aws:\n  accessKey: AKIA"
                     "IOSFODNN7EXAMPL"
                     "Q\n"
                     "other:\n  password: hunter2\n";
  CHECK(Where(ScanText("values-prod.yaml", text)) ==
        std::vector<std::string>{"helm-values-secret@2:15:error", "helm-values-secret@4:14:error",
                                 "helm-values-secret@6:13:warning"});
}

}  // namespace
}  // namespace capstan::secrets
