#include "secrets/scanner.h"

#include <catch2/catch.hpp>

#include "core/base64.h"
#include "support/scan_text.h"

namespace capstan::secrets {
namespace {

using testing::BuiltinScanner;
using testing::ScanText;

std::vector<std::string> Where(const FileScan& scan) { return testing::Where(scan, false); }

std::string B64(std::string_view s) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < s.size(); i += 3) {
    unsigned v = (unsigned char)s[i] << 16 | (unsigned char)s[i + 1] << 8 | (unsigned char)s[i + 2];
    for (int k = 18; k >= 0; k -= 6) out += kAlphabet[(v >> k) & 63];
  }
  if (i + 1 == s.size()) {
    unsigned v = (unsigned char)s[i] << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == s.size()) {
    unsigned v = (unsigned char)s[i] << 16 | (unsigned char)s[i + 1] << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += "=";
  }
  return out;
}

TEST_CASE("the test's base64 encoder agrees with the decoder", "[secrets][scanner]") {
  for (std::string s : {"", "a", "ab", "abc", "change-me", "{\"auths\":{}}"})
    CHECK(DecodeBase64(B64(s)) == s);
}

TEST_CASE("a Secret's data and stringData values are reported at the value, once",
          "[secrets][scanner]") {
  std::string text =
      "apiVersion: v1\n"
      "kind: \"Secret\"\n"
      "metadata: {name: db, namespace: prod}\n"
      "data:\n"
      "  password: " +
      B64("pw") +
      "\n"
      "  tls.crt: " +
      B64("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n") +
      "\n"
      "  empty: \"\"\n"
      "stringData:\n"
      "  token: ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"
      "  vault: <path:kv/data/db#token>\n";
  FileScan scan = ScanText("secret.yaml", text);
  CHECK(scan.parsed);
  CHECK(scan.documents == 1);
  CHECK(Where(scan) == std::vector<std::string>{"secret-data@5:13", "secret-data@6:12",
                                                "secret-string-data@9:10"});
  CHECK(scan.findings[1].finding.severity == report::Severity::kWarning);  // a certificate
  const report::Finding& f = scan.findings[0].finding;
  CHECK(f.path == "/data/password");
  CHECK(f.resource.kind == "Secret");
  CHECK(f.resource.ns == "prod");
  CHECK(f.message == "data.password: plaintext value, only base64-encoded (2 chars)");
  for (const auto& sf : scan.findings) CHECK(sf.finding.message.find("ghp_") == std::string::npos);
}

TEST_CASE("kind after a long data block, merge keys and CRLF are handled", "[secrets][scanner]") {
  std::string text =
      "defaults: &defaults\r\n"
      "  user: " +
      B64("admin") +
      "\r\n"
      "data:\r\n"
      "  <<: *defaults\r\n"
      "  password: " +
      B64("change-me") +
      "\r\n"
      "metadata:\r\n"
      "  name: app\r\n"
      "apiVersion: v1\r\n"
      "kind: Secret\r\n";
  FileScan scan = ScanText("s.yaml", text);
  // The merged value is reported where it is written (the anchor), the own one in place.
  CHECK(Where(scan) == std::vector<std::string>{"secret-data@2:9", "secret-data@5:13"});
}

TEST_CASE("invalid base64 in data is a finding of its own", "[secrets][scanner]") {
  FileScan scan = ScanText(
      "s.yaml", "apiVersion: v1\nkind: Secret\nmetadata: {name: x}\ndata:\n  k: hunter2!\n");
  CHECK(Where(scan) == std::vector<std::string>{"secret-data-invalid-base64@5:6"});
}

TEST_CASE("docker config secrets are judged by their auths", "[secrets][scanner]") {
  std::string with_auth =
      B64(R"({"auths":{"ghcr.io":{"auth":")" + B64("bot:s3cr3t-token") + R"("}}})");
  std::string without = B64(R"({"auths":{"ghcr.io":{"auth":")" + B64("bot:${TOKEN}") + R"("}}})");
  auto secret = [](const std::string& v) {
    return "apiVersion: v1\nkind: Secret\nmetadata: {name: pull}\ntype: "
           "kubernetes.io/dockerconfigjson\n"
           "data:\n  .dockerconfigjson: " +
           v + "\n";
  };
  FileScan scan = ScanText("pull.yaml", secret(with_auth));
  REQUIRE(Where(scan) == std::vector<std::string>{"docker-config-auth@6:22"});
  CHECK(scan.findings[0].finding.message.find("ghcr.io") != std::string::npos);
  CHECK(ScanText("pull.yaml", secret(without)).findings.empty());
}

TEST_CASE("Argo CD repository secrets: connection details pass, credentials do not",
          "[secrets][scanner]") {
  std::string text =
      "apiVersion: v1\nkind: Secret\nmetadata:\n  name: repo\n  labels:\n"
      "    argocd.argoproj.io/secret-type: repository\n"
      "stringData:\n  type: git\n  url: https://github.com/acme/config\n  username: bot\n"
      "  password: not-a-placeholder\n";
  CHECK(Where(ScanText("repo.yaml", text)) == std::vector<std::string>{"secret-string-data@11:13"});
}

TEST_CASE("List items and SOPS documents are judged one by one", "[secrets][scanner]") {
  std::string text =
      "apiVersion: v1\nkind: List\nitems:\n"
      "  - apiVersion: v1\n    kind: Secret\n    metadata: {name: a}\n    stringData: {k: v1}\n"
      "  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: b}\n    data: {k: v2}\n"
      "---\n"
      "apiVersion: v1\nkind: Secret\nmetadata: {name: c}\n"
      "stringData:\n  k: "
      "ENC[AES256_GCM,data:AAAA,iv:AAAAAAAAAAAAAAAA,tag:AAAAAAAAAAAAAAAAAAAAAA==,type:str]\n"
      "sops:\n  mac: "
      "ENC[AES256_GCM,data:AAAA,iv:AAAAAAAAAAAAAAAA,tag:AAAAAAAAAAAAAAAAAAAAAA==,type:str]\n"
      "  lastmodified: \"2024-03-01T10:00:00Z\"\n  version: 3.8.1\n  encrypted_regex: "
      "^(data|stringData)$\n";
  FileScan scan = ScanText("list.yaml", text);
  CHECK(scan.documents == 2);
  REQUIRE(Where(scan) == std::vector<std::string>{"secret-string-data@7:21"});
  CHECK(scan.findings[0].finding.path == "/items/0/stringData/k");
  CHECK(scan.findings[0].finding.resource.name == "a");
}

TEST_CASE("files without a trigger word are not parsed, templates and binaries are not either",
          "[secrets][scanner]") {
  CHECK_FALSE(ScanText("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n").parsed);
  FileScan tmpl = ScanText(
      "chart/templates/secret.yaml",
      "{{- if .Values.x }}\nkind: Secret\nstringData:\n  k: {{ .Values.k }}\n{{- end }}\n");
  CHECK_FALSE(tmpl.parsed);
  CHECK(tmpl.findings.empty());
  FileScan binary = ScanText("logo.png", std::string("\x89PNG\0\0secret AKIAIOSFODNN7EXAMPLE", 34));
  CHECK(binary.binary);
  CHECK(binary.findings.empty());
}

TEST_CASE("token findings carry the YAML path of the scalar that holds them",
          "[secrets][scanner]") {
  FileScan scan =
      ScanText("cm.yaml",
               "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n"
               "  script: |\n    aws configure set key AKIAIOSFODNN7EXAMPLE\n    token stuff\n");
  REQUIRE(Where(scan) == std::vector<std::string>{"aws-access-key-id@6:27"});
  CHECK(scan.findings[0].finding.path == "/data/script");
  CHECK(scan.findings[0].finding.resource.kind == "ConfigMap");
}

TEST_CASE("capstan:allow on the line or the line above suppresses a finding",
          "[secrets][scanner]") {
  std::string text =
      "apiVersion: v1\nkind: Secret\nmetadata: {name: x}\nstringData:\n"
      "  a: one-value  # capstan:allow rotated 2024-01\n"
      "  # capstan:allow test fixture\n"
      "  b: two-value\n"
      "  c: three-value\n";
  CHECK(Where(ScanText("s.yaml", text)) == std::vector<std::string>{"secret-string-data@8:6"});
}

TEST_CASE("capstan:allow=ids suppresses only the scan rules it names", "[secrets][scanner]") {
  std::string text =
      "apiVersion: v1\nkind: Secret\nmetadata: {name: x}\nstringData:\n"
      "  a: one-value  # capstan:allow=removed-api\n"
      "  b: two-value  # capstan:allow=removed-api,secret-string-data\n";
  CHECK(Where(ScanText("s.yaml", text)) == std::vector<std::string>{"secret-string-data@5:6"});
  // Token rules too: a marker for another rule leaves the key reported.
  std::string key = "AKIAIOSFODNN7EXAMPLF";
  std::string env =
      "A=" + key + " # capstan:allow=schema\nB=" + key + " # capstan:allow=aws-access-key-id\n";
  CHECK(Where(ScanText("app.txt", env)) == std::vector<std::string>{"aws-access-key-id@1:3"});
}

TEST_CASE("secretGenerator payloads: env files per value, other files whole, SOPS passes",
          "[secrets][scanner]") {
  FileScan env =
      ScanText("app/db.env", "# comment\nUSER=admin\nPASSWORD = hunter2\nFROM_ENV\nEMPTY=\n",
               Payload::kEnvFile);
  CHECK(Where(env) ==
        std::vector<std::string>{"kustomize-secret-file@2:6", "kustomize-secret-file@3:12"});
  FileScan file = ScanText("app/key.txt", "\n  sekrit\n", Payload::kFile);
  CHECK(Where(file) == std::vector<std::string>{"kustomize-secret-file@2:3"});
  FileScan sops = ScanText("app/db.env",
                           "PASSWORD=ENC[AES256_GCM,data:AAAA,iv:AAAAAAAAAAAAAAAA,tag:"
                           "AAAAAAAAAAAAAAAAAAAAAA==,type:str]\n"
                           "sops_mac=ENC[AES256_GCM,data:AAAA,iv:AAAAAAAAAAAAAAAA,tag:"
                           "AAAAAAAAAAAAAAAAAAAAAA==,type:str]\n"
                           "sops_lastmodified=2024-03-01T10:00:00Z\nsops_version=3.8.1\n",
                           Payload::kEnvFile);
  CHECK(sops.findings.empty());
}

TEST_CASE("digests depend on rule and value, never contain it", "[secrets][scanner]") {
  auto digest = [](const std::string& value) {
    FileScan s = ScanText(
        "s.yaml",
        "apiVersion: v1\nkind: Secret\nmetadata: {name: x}\nstringData: {k: " + value + "}\n");
    REQUIRE(s.findings.size() == 1);
    return s.findings[0].digest;
  };
  CHECK(digest("hunter2") == digest("hunter2"));
  CHECK(digest("hunter2") != digest("hunter3"));
  CHECK(digest("hunter2").find("hunter2") == std::string::npos);
  CHECK(digest("hunter2").size() == 64);
}

}  // namespace
}  // namespace capstan::secrets
