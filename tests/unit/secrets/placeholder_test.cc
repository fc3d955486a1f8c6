#include "secrets/placeholder.h"

#include <catch2/catch.hpp>

namespace capstan::secrets {
namespace {

TEST_CASE("stand-ins for secrets are placeholders", "[secrets]") {
  auto value = GENERATE(as<std::string>{}, "", "   ", "<path:secret/data/db#password>",
                        "<path:kv/app#token#3>", "{{ .Values.db.password }}",
                        "{{ required \"x\" .Values.token }}", "${DB_PASSWORD}",
                        "${DB_PASSWORD:=${FALLBACK}}", "${A}${B}", "op://kubernetes/db/password",
                        "{{ .Values.user }}:{{ .Values.pass }}");
  INFO(value);
  CHECK(IsPlaceholder(value));
}

TEST_CASE("literal text, even mixed with a placeholder, is not a placeholder", "[secrets]") {
  auto value = GENERATE(as<std::string>{}, "change-me", "hunter2", "pass-${SUFFIX}",
                        "${DB_PASSWORD:=hunter2}", "<path:no-key>", "{{ unclosed",
                        "<password>", "op://has space/x", ":::", "-");
  INFO(value);
  CHECK_FALSE(IsPlaceholder(value));
}

TEST_CASE("a bare <key> is a placeholder only under the vault plugin annotation", "[secrets]") {
  CHECK_FALSE(IsPlaceholder("<password>"));
  CHECK(IsPlaceholder("<password>", PlaceholderContext{.avp_annotated = true}));
  CHECK_FALSE(IsPlaceholder("<password> plus text", PlaceholderContext{.avp_annotated = true}));
}

}  // namespace
}  // namespace capstan::secrets
