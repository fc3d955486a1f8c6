#include "secrets/placeholder.h"

#include <catch2/catch.hpp>

namespace capstan::secrets {
namespace {

TEST_CASE("stand-ins for secrets are placeholders", "[secrets]") {
  auto value = GENERATE(
      as<std::string>{}, "", "   ", "<path:secret/data/db#password>", "<path:kv/app#token#3>",
      "{{ .Values.db.password }}", "{{ required \"x\" .Values.token }}", "${DB_PASSWORD}",
      "${DB_PASSWORD:=${FALLBACK}}", "${A}${B}", "op://kubernetes/db/password",
      "{{ .Values.user }}:{{ .Values.pass }}", "op://Home Lab/Grafana Admin/password",
      "op://vault/item with spaces/section/field", "op://v/i/f?attribute=otp",
      "$__env{GF_SECURITY_ADMIN_PASSWORD}", "$__file{/etc/secrets/pw}");
  INFO(value);
  CHECK(IsPlaceholder(value));
}

TEST_CASE("literal text, even mixed with a placeholder, is not a placeholder", "[secrets]") {
  auto value = GENERATE(as<std::string>{}, "change-me", "hunter2", "pass-${SUFFIX}",
                        "${DB_PASSWORD:=hunter2}", "<path:no-key>", "{{ unclosed", "<password>",
                        "op://has space/x", ":::", "-", "op://vault//field", "op://a/b/c/d/e",
                        "op://v/i/f\nsecond line", "$__env{}", "$__env{X}tail");
  INFO(value);
  CHECK_FALSE(IsPlaceholder(value));
}

TEST_CASE("a bare <key> is a placeholder only under the vault plugin annotation", "[secrets]") {
  CHECK_FALSE(IsPlaceholder("<password>"));
  CHECK(IsPlaceholder("<password>", PlaceholderContext{.avp_annotated = true}));
  CHECK_FALSE(IsPlaceholder("<password> plus text", PlaceholderContext{.avp_annotated = true}));
}

TEST_CASE("PlaceholderLength measures the placeholder at the start of a text", "[secrets]") {
  CHECK(PlaceholderLength("{{ .user }}:pw") == 11);
  CHECK(PlaceholderLength("${USER}@host") == 7);
  CHECK(PlaceholderLength("user:${PW}") == 0);
  CHECK(PlaceholderLength("<user>") == 0);
  CHECK(PlaceholderLength("<user>", PlaceholderContext{.avp_annotated = true}) == 6);
}

}  // namespace
}  // namespace capstan::secrets
