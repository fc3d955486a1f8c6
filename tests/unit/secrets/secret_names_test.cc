#include "secrets/secret_names.h"

#include <catch2/catch.hpp>

namespace capstan::secrets {
namespace {

TEST_CASE("names that hold a secret", "[secrets]") {
  for (const char* name :
       {"DB_PASSWORD", "password", "adminPassword", "GITHUB_TOKEN", "apiKey", "API_KEY",
        "SECRET_KEY", "clientSecret", "AWS_SECRET_ACCESS_KEY", "PRIVATE_KEY", "masterKey",
        "redis-passwd", "MYSQL_ROOT_PWD", "credentials", "APIKey", "sshPassphrase",
        "encryption.key", "REDIS_AUTH", "UPSTREAM_BASIC_AUTH"}) {
    INFO(name);
    CHECK(LooksSecretName(name));
  }
}

TEST_CASE("names that point at a secret or are harmless", "[secrets]") {
  for (const char* name :
       {"LOG_LEVEL", "PASSWORD_FILE", "secretKeyRef", "TOKEN_URL", "existingSecret", "SECRET_NAME",
        "adminPasswordKey", "tokenTTL", "DB_HOST", "keyspace", "monkey", "passthrough",
        "PASSWORD_ENABLED", "tokenEndpoint", "", "_", "OAUTH_ISSUER", "AUTH_TYPE", "authEnabled"}) {
    INFO(name);
    CHECK_FALSE(LooksSecretName(name));
  }
}

TEST_CASE("names that can only hold a secret, and names that may name a Secret", "[secrets]") {
  for (const char* name : {"DB_PASSWORD", "apiKey", "GITHUB_TOKEN", "AWS_SECRET_ACCESS_KEY",
                           "masterKey", "sshPassphrase", "PRIVATE_KEY"}) {
    INFO(name);
    CHECK(ClassifySecretName(name) == SecretNameKind::kHolder);
  }
  for (const char* name : {"TS_KUBE_SECRET", "envFromSecret", "secretKey", "credentials",
                           "REDIS_AUTH", "clientSecret", "secretEnv"}) {
    INFO(name);
    CHECK(ClassifySecretName(name) == SecretNameKind::kMaybeReference);
  }
  CHECK(ClassifySecretName("existingSecret") == SecretNameKind::kNone);
  CHECK(ClassifySecretName("LOG_LEVEL") == SecretNameKind::kNone);
}

TEST_CASE("inert values", "[secrets]") {
  CHECK(IsInertValue("true"));
  CHECK(IsInertValue("No"));
  CHECK(IsInertValue("/run/secrets/db"));
  CHECK_FALSE(IsInertValue("/"));
  CHECK_FALSE(IsInertValue("hunter2"));
  CHECK_FALSE(IsInertValue("/not a path"));
}

}  // namespace
}  // namespace capstan::secrets
