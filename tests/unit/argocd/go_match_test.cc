#include "argocd/go_match.h"

#include <catch2/catch.hpp>

namespace capstan::argocd {
namespace {

constexpr GoMatch Y = GoMatch::kMatch;
constexpr GoMatch N = GoMatch::kNoMatch;
constexpr GoMatch B = GoMatch::kBadPattern;

// Cases from Go's path/filepath match_test.go semantics, plus the forms manifest-generate-paths
// entries take.
TEST_CASE("Go filepath.Match patterns match as Go matches them", "[argocd]") {
  auto [pattern, name, want] = GENERATE(table<std::string_view, std::string_view, GoMatch>({
      {"abc", "abc", Y},
      {"*", "abc", Y},
      {"*c", "abc", Y},
      {"a*", "a", Y},
      {"a*", "abc", Y},
      {"a*", "ab/c", N},
      {"a*/b", "abc/b", Y},
      {"a*/b", "a/c/b", N},
      {"a*b*c*d*e*/f", "axbxcxdxe/f", Y},
      {"a*b*c*d*e*/f", "axbxcxdxexxx/f", Y},
      {"a*b*c*d*e*/f", "axbxcxdxe/xxx/f", N},
      {"a*b*c*d*e*/f", "axbxcxdxexxx/fff", N},
      {"a*b?c*x", "abxbbxdbxebxczzx", Y},
      {"a*b?c*x", "abxbbxdbxebxczzy", N},
      {"ab[c]", "abc", Y},
      {"ab[b-d]", "abc", Y},
      {"ab[e-g]", "abc", N},
      {"ab[^c]", "abc", N},
      {"ab[^b-d]", "abc", N},
      {"ab[^e-g]", "abc", Y},
      {"a\\*b", "a*b", Y},
      {"a\\*b", "ab", N},
      {"a?b", "a☺b", Y},
      {"a[^a]b", "a☺b", Y},
      {"a???b", "a☺b", N},
      {"a[^a][^a][^a]b", "a☺b", N},
      {"[a-ζ]*", "α", Y},
      {"*[a-ζ]", "A", N},
      {"a?b", "a/b", N},
      {"a*b", "a/b", N},
      {"[\\]a]", "]", Y},
      {"[\\-]", "-", Y},
      {"[x\\-]", "x", Y},
      {"[x\\-]", "-", Y},
      {"[x\\-]", "z", N},
      {"[\\-x]", "a", N},
      {"[]a]", "]", B},
      {"[-]", "-", B},
      {"[x-]", "x", B},
      {"[-x]", "x", B},
      {"\\", "a", B},
      {"[a-b-c]", "a", B},
      {"[", "a", B},
      {"[^", "a", B},
      {"[^bc", "a", B},
      {"a[", "a", B},
      {"a[", "ab", B},
      {"a[", "x", B},
      {"a/b[", "x", B},
      {"*x", "xxx", Y},
      // `!` does not negate and `**` does not cross directories, unlike gitignore globs
      {"[!a]", "b", N},
      {"[!a]", "!", Y},
      {"/apps/**/values.yaml", "/apps/web/values.yaml", Y},
      {"/apps/**/values.yaml", "/apps/web/prod/values.yaml", N},
      {"/apps/*/values*.yaml", "/apps/web/values-prod.yaml", Y},
      {"/apps/*", "/apps/web/deploy.yaml", N},
  }));
  CAPTURE(pattern, name);
  CHECK(GoPathMatch(pattern, name) == want);
}

}  // namespace
}  // namespace capstan::argocd
