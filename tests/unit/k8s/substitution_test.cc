#include "k8s/substitution.h"

#include <catch2/catch.hpp>

namespace capstan::k8s {
namespace {

TEST_CASE("flux substitution variables are recognised in all their forms") {
  const char* with[] = {"${APP}-key", "${REPLICAS}",   "prefix-${a_1}", "${VAR:=default}",
                        "${VAR:-x}",  "a ${B} c ${D}", "$$x ${REAL}"};
  for (const char* s : with) {
    INFO(s);
    CHECK(HasSubstitutionVariable(s));
  }
  const char* without[] = {"plain",    "$APP",  "${",          "${}",
                           "${1X}",    "${APP", "$${ESCAPED}", "{{ .Values.x }}",
                           "price: $5"};
  for (const char* s : without) {
    INFO(s);
    CHECK_FALSE(HasSubstitutionVariable(s));
  }
}

}  // namespace
}  // namespace capstan::k8s
