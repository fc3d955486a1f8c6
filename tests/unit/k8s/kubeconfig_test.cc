#include "k8s/kubeconfig.h"

#include <catch2/catch.hpp>

#include "core/base64.h"
#include "fs/posix_file_system.h"
#include "support/temp_repo.h"

namespace capstan::k8s {
namespace {

const std::string kCaPem = "-----BEGIN CERTIFICATE-----\nMIIBca\n-----END CERTIFICATE-----\n";
const std::string kCertPem = "-----BEGIN CERTIFICATE-----\nMIIBcert\n-----END CERTIFICATE-----\n";
// The marker is split so that capstan-scan's PEM rule, run over this repository by the scan
// tests, does not take the fake key for a real one.
const std::string kKeyPem =
    "-----BEGIN "
    "PRIVATE KEY-----\nMIGHkey\n-----END "
    "PRIVATE KEY-----\n";
const std::string kToken = "eyJhbGciOiJSUzI1NiJ9.c2VjcmV0.sig";

// A kubeconfig with two contexts: "prod" (token, CA data) and "dev" (client cert files, CA
// file, a namespace).
std::string Kubeconfig(const std::string& current = "prod") {
  return "apiVersion: v1\n"
         "kind: Config\n"
         "current-context: " +
         current +
         "\n"
         "clusters:\n"
         "- name: prod-cluster\n"
         "  cluster:\n"
         "    server: https://prod.example.com:6443/\n"
         "    certificate-authority-data: " +
         EncodeBase64(kCaPem) +
         "\n"
         "- name: dev-cluster\n"
         "  cluster:\n"
         "    server: https://127.0.0.1:6443\n"
         "    certificate-authority: certs/ca.crt\n"
         "contexts:\n"
         "- name: prod\n"
         "  context:\n"
         "    cluster: prod-cluster\n"
         "    user: ci\n"
         "- name: dev\n"
         "  context:\n"
         "    cluster: dev-cluster\n"
         "    user: dev-user\n"
         "    namespace: flux-system\n"
         "users:\n"
         "- name: ci\n"
         "  user:\n"
         "    token: " +
         kToken +
         "\n"
         "- name: dev-user\n"
         "  user:\n"
         "    client-certificate: certs/client.crt\n"
         "    client-key: /ABS/client.key\n";
}

struct Fixture {
  testing::TempDir dir;
  capstan::fs::PosixFileSystem fs;
  std::string path = dir / "kube/config";

  Result<KubeAccess> Read(const std::string& text, KubeconfigOptions options = {}) {
    testing::WriteFile(path, text);
    return ReadKubeconfig(&fs, path, options);
  }
  void WriteCerts() {
    testing::WriteFile(dir / "kube/certs/ca.crt", kCaPem);
    testing::WriteFile(dir / "kube/certs/client.crt", kCertPem);
    testing::WriteFile(dir / "abs/client.key", kKeyPem);
  }
  std::string Text(const std::string& current = "prod") {
    std::string text = Kubeconfig(current);
    text.replace(text.find("/ABS"), 4, dir.path() + "/abs");
    return text;
  }
};

// The message must not carry any secret of the kubeconfig.
void CheckNoSecrets(const Status& s) {
  for (const std::string& secret : {kToken, std::string("MIGHkey"), std::string("MIIBcert")}) {
    CHECK(s.message().find(secret) == std::string::npos);
  }
}

TEST_CASE("the current context gives its cluster's server and CA data and its user's token") {
  Fixture f;
  Result<KubeAccess> a = f.Read(f.Text());
  REQUIRE(a.ok());
  CHECK(a->context == "prod");
  CHECK(a->server == "https://prod.example.com:6443");
  CHECK(a->ca_pem == kCaPem);
  CHECK(a->token == kToken);
  CHECK(a->client_cert_pem.empty());
  CHECK(a->context_namespace.empty());
  CHECK_FALSE(a->insecure_skip_verify);
  CHECK(AuthorizationHeader(*a) == "Bearer " + kToken);
}

TEST_CASE("a named context reads certificate files relative to the kubeconfig's directory") {
  Fixture f;
  f.WriteCerts();
  Result<KubeAccess> a = f.Read(f.Text(), {.context = "dev"});
  REQUIRE(a.ok());
  CHECK(a->context == "dev");
  CHECK(a->server == "https://127.0.0.1:6443");
  CHECK(a->ca_pem == kCaPem);
  CHECK(a->client_cert_pem == kCertPem);
  CHECK(a->client_key_pem == kKeyPem);
  CHECK(a->token.empty());
  CHECK(a->context_namespace == "flux-system");
  CHECK(AuthorizationHeader(*a).empty());
}

TEST_CASE("a missing certificate file is reported at the key that names it") {
  Fixture f;
  Result<KubeAccess> a = f.Read(f.Text(), {.context = "dev"});
  REQUIRE_FALSE(a.ok());
  CHECK(a.status().code() == StatusCode::kNotFound);
  CHECK(a.status().message().rfind(f.path + ":12:28: certificate-authority: ", 0) == 0);
  CHECK(a.status().message().find("kube/certs/ca.crt") != std::string::npos);
}

TEST_CASE("a tokenFile is read relative to the kubeconfig and trimmed") {
  Fixture f;
  testing::WriteFile(f.dir / "kube/token", "  " + kToken + "\n");
  std::string text = f.Text();
  text.replace(text.find("token: " + kToken), 7 + kToken.size(), "tokenFile: token");
  Result<KubeAccess> a = f.Read(text);
  REQUIRE(a.ok());
  CHECK(a->token == kToken);
}

TEST_CASE("a context that is not in the file is not found, at the name that asked for it") {
  Fixture f;
  Result<KubeAccess> current = f.Read(f.Text("staging"));
  REQUIRE_FALSE(current.ok());
  CHECK(current.status().code() == StatusCode::kNotFound);
  CHECK(current.status().message() == f.path + ":3:18: context 'staging' not found in contexts");
  Result<KubeAccess> named = f.Read(f.Text(), {.context = "qa"});
  CHECK(named.status().code() == StatusCode::kNotFound);
  CHECK(named.status().message() == f.path + ":13:1: context 'qa' not found in contexts");
}

TEST_CASE("a context naming an unknown user is not found at its user field") {
  Fixture f;
  std::string text = f.Text();
  text.replace(text.find("user: ci"), 8, "user: nobody");
  Result<KubeAccess> a = f.Read(text);
  REQUIRE_FALSE(a.ok());
  CHECK(a.status().code() == StatusCode::kNotFound);
  CHECK(a.status().message() == f.path + ":17:11: user 'nobody' not found in users");
}

TEST_CASE("exec and auth-provider users are refused with what to do instead") {
  Fixture f;
  std::string text = f.Text();
  text.replace(text.find("    token: " + kToken), 11 + kToken.size(),
               "    exec:\n"
               "      apiVersion: client.authentication.k8s.io/v1beta1\n"
               "      command: aws");
  Result<KubeAccess> a = f.Read(text);
  REQUIRE_FALSE(a.ok());
  CHECK(a.status().code() == StatusCode::kInvalidArgument);
  CHECK(a.status().message() ==
        f.path +
            ":26:5: user 'ci' authenticates with an exec plugin, which capstan does not "
            "run: give the context a user with a token (e.g. from `kubectl create token`) "
            "or a client certificate");
  text = f.Text();
  text.replace(text.find("    token: " + kToken), 11 + kToken.size(),
               "    auth-provider:\n      name: gcp");
  Result<KubeAccess> b = f.Read(text);
  REQUIRE_FALSE(b.ok());
  CHECK(b.status().message().find(":26:5: user 'ci' authenticates with an auth-provider") !=
        std::string::npos);
}

TEST_CASE("malformed kubeconfigs fail with a position and no secret") {
  struct Case {
    std::string name, from, to;
    StatusCode code;
    std::string message;  // after "<path>:"
  };
  auto c = GENERATE(
      Case{"yaml syntax", "  cluster:\n    server: https://prod",
           "  cluster:\n    server: [https://prod", StatusCode::kParseError, "7:13: "},
      Case{"bad base64", "certificate-authority-data: ", "certificate-authority-data: not*base64",
           StatusCode::kInvalidArgument, "8:33: certificate-authority-data is not valid base64"},
      Case{"server without scheme", "https://prod.example.com:6443/", "prod.example.com:6443",
           StatusCode::kInvalidArgument,
           "7:13: server 'prod.example.com:6443' must be an https:// or http:// URL"},
      Case{"insecure with a CA", "    server: https://prod.example.com:6443/\n",
           "    server: https://prod.example.com:6443/\n    insecure-skip-tls-verify: true\n",
           StatusCode::kInvalidArgument,
           "8:31: insecure-skip-tls-verify cannot be combined with a certificate authority"},
      Case{"token not a string", "token: " + kToken, "token: [" + kToken + "]",
           StatusCode::kInvalidArgument, "26:12: token must be a string"},
      Case{"certificate without key", "    client-key: /ABS/client.key\n", "",
           StatusCode::kInvalidArgument, "29:5: client certificate without a client key"},
      Case{"contexts not a list", "contexts:\n- name: prod", "contexts: {}\nx:\n- name: prod",
           StatusCode::kInvalidArgument, "13:11: contexts must be a list"});
  INFO(c.name);
  Fixture f;
  f.WriteCerts();
  std::string text = Kubeconfig(c.name == "certificate without key" ? "dev" : "prod");
  size_t at = text.find(c.from);
  REQUIRE(at != std::string::npos);
  text.replace(at, c.from.size(), c.to);
  if (size_t abs = text.find("/ABS"); abs != std::string::npos) {
    text.replace(abs, 4, f.dir.path() + "/abs");
  }
  Result<KubeAccess> a = f.Read(text);
  REQUIRE_FALSE(a.ok());
  CHECK(a.status().code() == c.code);
  CHECK(a.status().message().rfind(f.path + ":" + c.message, 0) == 0);
  CHECK(a.status().message().find('\n') == std::string::npos);
  CheckNoSecrets(a.status());
}

TEST_CASE("a missing kubeconfig and an empty current-context say so") {
  Fixture f;
  capstan::fs::PosixFileSystem fs;
  Result<KubeAccess> missing = ReadKubeconfig(&fs, f.dir / "nope");
  CHECK(missing.status().code() == StatusCode::kNotFound);
  CHECK(missing.status().message().rfind("cannot read kubeconfig '" + f.dir / "nope" + "': ", 0) ==
        0);
  Result<KubeAccess> none = f.Read("apiVersion: v1\nkind: Config\ncurrent-context: \"\"\n");
  CHECK(none.status().code() == StatusCode::kInvalidArgument);
  CHECK(none.status().message() == f.path + ":3:1: no current-context: name the context to use");
}

TEST_CASE("basic credentials make a Basic authorization header") {
  KubeAccess a;
  a.username = "admin";
  a.password = "pw";
  CHECK(AuthorizationHeader(a) == "Basic " + EncodeBase64("admin:pw"));
  a.token = "t";
  CHECK(AuthorizationHeader(a) == "Bearer t");
}

}  // namespace
}  // namespace capstan::k8s
