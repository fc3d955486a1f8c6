#include "secrets/credential_shape.h"

#include <catch2/catch.hpp>
#include <string>

namespace capstan::secrets {
namespace {

TEST_CASE("hosts, addresses, ports and URLs without a password are connection metadata",
          "[secrets]") {
  auto value =
      GENERATE(as<std::string>{}, "10.0.0.12", "10.0.0.12:5432", "10.244.0.0/16", "fd00::1",
               "[fd00::1]:8443", "5432", "db.prod.svc.cluster.local", "db.example.com:5432",
               "localhost:6379", "https://grafana.example.com/d/abc?orgId=1", "ops@example.com",
               "redis://redis-master.cache.svc:6379/0");
  INFO(value);
  CHECK(IsConnectionMetadata(value));
}

TEST_CASE("credentials and plain words are not connection metadata", "[secrets]") {
  auto value = GENERATE(as<std::string>{}, "hunter2", "https://user:pw@host.example.com/",
                        "https://host.example.com/?token=abc123", "10.0.0", "300.1.1.1",
                        "a b.example.com", "s3cr3t-v4lue", "123456");
  INFO(value);
  CHECK_FALSE(IsConnectionMetadata(value));
}

TEST_CASE("connection strings whose secret parts are placeholders are templates", "[secrets]") {
  auto value =
      GENERATE(as<std::string>{}, "postgres://{{ .user }}:{{ .password }}@db:5432/app",
               "postgresql://${DB_USER}:${DB_PASS}@postgres.db.svc:5432/app?sslmode=require",
               "mongodb://{{ .user }}:{{ .pass }}@mongo-0.mongo,mongo-1.mongo/admin",
               "https://{{ .host }}/api?token={{ .token }}",
               "host=db.svc port=5432 user={{ .user }} password={{ .password }} dbname=app",
               "Server=sql;Database=app;User Id=${USER};Password=${PASSWORD};",
               "https://git@{{ .host }}/org/repo.git");
  INFO(value);
  CHECK(IsConnectionTemplate(value));
}

TEST_CASE("AVP <key> placeholders make a connection template only under the AVP annotation",
          "[secrets]") {
  CHECK(IsConnectionTemplate("postgres://<username>:<password>@host/db",
                             PlaceholderContext{.avp_annotated = true}));
  CHECK_FALSE(IsConnectionTemplate("postgres://<username>:<password>@host/db"));
}

TEST_CASE("a literal password or token in a connection string is not a template", "[secrets]") {
  auto value = GENERATE(as<std::string>{}, "postgres://{{ .user }}:hunter2@db/app",
                        "https://{{ .host }}/?token=abc123", "host={{ .h }} password=hunter2",
                        "pass-${SUFFIX}", "postgres://user:pw@db/app",
                        "https://x9Tq2LmZ8vRk4Wn1@{{ .host }}/");
  INFO(value);
  CHECK_FALSE(IsConnectionTemplate(value));
}

TEST_CASE("URL credentials", "[secrets]") {
  CHECK(HasUrlCredential("https://user:s3cret@host/"));
  CHECK(
      HasUrlCredential("https://ghp"
                       "_0123456789abcdefghijABCDEFGHIJ012345@github.com/x"));
  CHECK_FALSE(HasUrlCredential("https://git@github.com/org/repo"));
  CHECK_FALSE(HasUrlCredential("https://user:${PW}@host/"));
  CHECK_FALSE(HasUrlCredential("https://host/"));
}

TEST_CASE("names of Secrets, keys, env vars and files are references", "[secrets]") {
  auto value = GENERATE(as<std::string>{}, "tailscale", "db-credentials", "key-name", "tls.key",
                        "DB_PASSWORD", "NAME", "{{ .Release.Name }}-secret", "secrets/db.txt",
                        "grafana-admin-v2", "k8s-token");
  INFO(value);
  CHECK(IsSecretReference(value));
}

TEST_CASE("passwords and tokens are not references", "[secrets]") {
  auto value = GENERATE(as<std::string>{}, "minio123", "s3cr3t-pw", "p@ssw0rd", "hunter 2",
                        "3f9a8b7c6d5e4f3a2b1c0d9e", "Zm9vYmFyYmF6cXV4MTIzNA==");
  INFO(value);
  CHECK_FALSE(IsSecretReference(value));
}

TEST_CASE("random-looking tokens", "[secrets]") {
  CHECK(LooksRandom("3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c"));
  CHECK(LooksRandom("Zm9vYmFyYmF6cXV4MTIzNA9x"));
  CHECK_FALSE(LooksRandom("123e4567-e89b-12d3-a456-426614174000"));  // a UUID: an id
  CHECK_FALSE(LooksRandom("my-service-name-2024"));
  CHECK_FALSE(LooksRandom("db.prod.svc.cluster.local"));
  CHECK_FALSE(LooksRandom("short1a"));
  CHECK_FALSE(LooksRandom("v1.28.3-eks-1234567"));
}

TEST_CASE("keyed literals: the key's kind and the value's shape decide", "[secrets]") {
  CHECK(KeyedLiteralLooksSecret("password", "foo"));
  CHECK(KeyedLiteralLooksSecret("apiToken", "tailscale"));  // a token key holds the token
  CHECK_FALSE(KeyedLiteralLooksSecret("TS_KUBE_SECRET", "tailscale"));
  CHECK_FALSE(KeyedLiteralLooksSecret("secretKey", "key-name"));
  CHECK_FALSE(KeyedLiteralLooksSecret("secretEnv", "NAME"));
  CHECK(KeyedLiteralLooksSecret("secretKey", "minio123"));
  CHECK_FALSE(KeyedLiteralLooksSecret("host", "10.0.0.1"));
  CHECK_FALSE(KeyedLiteralLooksSecret("url", "https://vault.example.com"));
  CHECK(KeyedLiteralLooksSecret("url", "https://admin:hunter2@vault.example.com"));
  CHECK(KeyedLiteralLooksSecret("signature", "3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c"));
  CHECK_FALSE(KeyedLiteralLooksSecret("password", "${PW}"));
  CHECK_FALSE(KeyedLiteralLooksSecret("password", "true"));
  CHECK(KeyedLiteralLooksSecret("config.ini", "[db]\nhost = db\npassword = hunter2\n"));
  CHECK_FALSE(
      KeyedLiteralLooksSecret("config.ini", "[db]\nhost = db\npassword = {{ .password }}\n"));
}

}  // namespace
}  // namespace capstan::secrets
