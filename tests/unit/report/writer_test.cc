#include "report/writer.h"

#include <catch2/catch.hpp>

#include "unit/report/samples.h"

namespace capstan::report {
namespace {

using testing::EmptyReport;
using testing::MakeFinding;
using testing::Render;
using testing::ReportOf;
using testing::SampleReport;

TEST_CASE("every name in FormatNames parses to a distinct format", "[report]") {
  std::string names = FormatNames();
  std::vector<Format> seen;
  size_t start = 0;
  while (start <= names.size()) {
    size_t end = std::min(names.find('|', start), names.size());
    Result<Format> f = ParseFormat(names.substr(start, end - start));
    REQUIRE(f.ok());
    CHECK(std::find(seen.begin(), seen.end(), *f) == seen.end());
    seen.push_back(*f);
    start = end + 1;
  }
  CHECK(seen.size() == 8);
}

TEST_CASE("an unknown format is an invalid argument that lists the accepted names", "[report]") {
  Result<Format> f = ParseFormat("xml");
  REQUIRE_FALSE(f.ok());
  CHECK(f.status().code() == StatusCode::kInvalidArgument);
  CHECK(f.status().message() ==
        "unknown format 'xml' (use "
        "text|json|sarif|junit|github|codequality|gitlab-secret-detection|markdown)");
  CHECK_FALSE(ParseFormat("JSON").ok());
  CHECK_FALSE(ParseFormat("").ok());
}

TEST_CASE("text output is one file:line:col line per finding then a summary", "[report]") {
  CHECK(Render(Format::kText, SampleReport()) ==
        "<stdin>:3:1: note deprecated-api: extensions/v1beta1 Ingress was removed in 1.22\n"
        "apps/my app/values.yaml:5: warning plaintext-secret: password looks like a secret\n"
        "apps/web/deploy.yaml:12:7: error schema: expected integer, got string "
        "[Deployment/prod/web]\n"
        "apps/web/kustomization.yaml: error yaml-syntax: file is empty\n"
        "apps/web/namespace.yaml:1:1: warning schema: unknown field \"labelz\" "
        "[Namespace/web]\n"
        "2 errors, 2 warnings, 1 note in 5 files (7 documents)\n");
}

TEST_CASE("text output without findings says there are no problems", "[report]") {
  CHECK(Render(Format::kText, EmptyReport(12, 40)) == "no problems in 12 files (40 documents)\n");
}

TEST_CASE("text summary pluralises every count", "[report]") {
  struct Case {
    int errors, warnings, notes, files, documents;
    const char* expected;
  };
  auto c = GENERATE(Case{1, 0, 0, 1, 1, "1 error in 1 file (1 document)"},
                    Case{3, 1, 0, 12, 40, "3 errors, 1 warning in 12 files (40 documents)"},
                    Case{0, 2, 0, 2, 3, "2 warnings in 2 files (3 documents)"},
                    Case{0, 0, 1, 1, 2, "1 note in 1 file (2 documents)"},
                    Case{1, 1, 2, 1, 1, "1 error, 1 warning, 2 notes in 1 file (1 document)"},
                    Case{0, 0, 0, 0, 0, "no problems in 0 files (0 documents)"});
  Report r = EmptyReport(c.files, c.documents);
  auto add = [&r](int n, Severity s) {
    for (int i = 0; i < n; ++i) r.findings.push_back(MakeFinding("a.yaml", i + 1, 1, "r", s, "m"));
  };
  add(c.errors, Severity::kError);
  add(c.warnings, Severity::kWarning);
  add(c.notes, Severity::kNote);
  Finalize(r);
  std::string text = Render(Format::kText, r);
  CAPTURE(text);
  CHECK(text.substr(text.rfind('\n', text.size() - 2) + 1) == std::string(c.expected) + "\n");
}

TEST_CASE("text output names the resource by kind, namespace and name as far as known",
          "[report]") {
  auto [resource, suffix] = GENERATE(table<Resource, std::string>({
      {{"apps/v1", "Deployment", "prod", "web"}, " [Deployment/prod/web]"},
      {{"v1", "Namespace", "", "prod"}, " [Namespace/prod]"},
      {{"v1", "ConfigMap", "prod", ""}, " [ConfigMap]"},
      {{"v1", "", "", ""}, ""},
  }));
  Finding f = MakeFinding("a.yaml", 1, 2, "schema", Severity::kError, "bad");
  f.resource = resource;
  std::string text = Render(Format::kText, ReportOf(f));
  CHECK(text.substr(0, text.find('\n')) == "a.yaml:1:2: error schema: bad" + suffix);
}

TEST_CASE("text output escapes control characters so a finding stays on one line", "[report]") {
  Report r = ReportOf(MakeFinding("evil\x1b[31m.yaml", 2, 1, "schema", Severity::kError,
                                  "line one\nline two\ttabbed"));
  CHECK(Render(Format::kText, r) ==
        "evil\\x1b[31m.yaml:2:1: error schema: line one\\nline two tabbed\n"
        "1 error in 1 file (1 document)\n");
}

TEST_CASE("every format writes something for an empty report and nothing throws", "[report]") {
  auto format = GENERATE(Format::kText, Format::kJson, Format::kSarif, Format::kJunit,
                         Format::kCodeQuality, Format::kGitlabSecretDetection, Format::kMarkdown);
  CHECK_FALSE(Render(format, EmptyReport(0, 0)).empty());
  Report bad = ReportOf(MakeFinding("bad\xff.yaml", 1, 1, "r\xc3", Severity::kError, "\xfe"));
  CHECK_NOTHROW(Render(format, bad));
}

}  // namespace
}  // namespace capstan::report

namespace capstan::report {
namespace {

TEST_CASE("text output lists deployments first and counts them by outcome", "[report]") {
  Report r = EmptyReport(0, 0);
  r.deployments.push_back(
      Deployment{"argocd/web", "deployed", std::string(40, 'a'), "Synced", "Healthy", 12400, ""});
  r.deployments.push_back(Deployment{"argocd/api", "failed", "", "OutOfSync", "", 3000,
                                     "sync failed: one or more objects failed\x1b[2J"});
  r.deployments.push_back(Deployment{"argocd/db", "deployed", "", "", "", 0, ""});
  r.findings.push_back(MakeFinding("apps/api/deploy.yaml", 3, 1, "sync-failed", Severity::kError,
                                   "Deployment api: the server rejected it"));
  CHECK(Render(Format::kText, r) ==
        "deployed  argocd/web  aaaaaaa  Synced/Healthy  12s\n"
        "failed  argocd/api  OutOfSync/-  3s  sync failed: one or more objects failed\\x1b[2J\n"
        "deployed  argocd/db  0s\n"
        "apps/api/deploy.yaml:3:1: error sync-failed: Deployment api: the server rejected it\n"
        "1 error in 3 applications (2 deployed, 1 failed)\n");
}

}  // namespace
}  // namespace capstan::report
