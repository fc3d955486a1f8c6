#include <catch2/catch.hpp>

#include "support/run_tool.h"
#include "unit/report/samples.h"

namespace capstan::report {
namespace {

using capstan::testing::Lines;
using testing::EmptyReport;
using testing::MakeFinding;
using testing::Render;
using testing::ReportOf;
using testing::SampleReport;

std::string Markdown(const Report& r) { return Render(Format::kMarkdown, r); }

TEST_CASE("markdown output is a heading with the counts then a table of every finding",
          "[report]") {
  CHECK(Markdown(SampleReport()) ==
        "### capstan-validate: 2 errors, 2 warnings, 1 note in 5 files (7 documents)\n"
        "\n"
        "| Severity | Location | Rule | Message |\n"
        "| --- | --- | --- | --- |\n"
        "| error | apps/web/deploy.yaml:12:7 | schema | expected integer, got string "
        "\\[Deployment/prod/web\\] |\n"
        "| error | apps/web/kustomization.yaml | yaml-syntax | file is empty |\n"
        "| warning | apps/my app/values.yaml:5 | plaintext-secret | password looks like a "
        "secret |\n"
        "| warning | apps/web/namespace.yaml:1:1 | schema | unknown field \"labelz\" "
        "\\[Namespace/web\\] |\n"
        "| note | &lt;stdin&gt;:3:1 | deprecated-api | extensions/v1beta1 Ingress was removed "
        "in 1.22 |\n");
}

TEST_CASE("markdown output without findings says so with the file count", "[report]") {
  CHECK(Markdown(EmptyReport(12, 40)) ==
        "### capstan-validate: no problems in 12 files (40 documents)\n");
}

TEST_CASE("markdown cells cannot break the table, inject HTML or format text", "[report]") {
  Report r =
      ReportOf(MakeFinding("a|b.yaml", 1, 1, "r", Severity::kError,
                           "a | b\\c\nline two\r\n<img src=x onerror=alert(1)> *bold* "
                           "[link](http://x) `code` @someone $x$ &amp; #12 _em_ a-b (c)\x1b[31m"));
  std::vector<std::string> lines = Lines(Markdown(r));
  REQUIRE(lines.size() == 5);
  CHECK(lines[4] ==
        "| error | a\\|b.yaml:1:1 | r | a \\| b\\\\c<br>line two<br>&lt;img src=x "
        "onerror=alert(1)&gt; \\*bold\\* \\[link\\](http://x) \\`code\\` \\@someone "
        "\\$x\\$ &amp;amp; \\#12 \\_em\\_ a-b (c) \\[31m |");
}

TEST_CASE("markdown replaces bytes that are not UTF-8", "[report]") {
  Report r = ReportOf(MakeFinding("a.yaml", 1, 1, "r", Severity::kError, "caf\xc3\xa9 \xff"));
  CHECK(Lines(Markdown(r))[4] == "| error | a.yaml:1:1 | r | caf\xc3\xa9 \xef\xbf\xbd |");
}

TEST_CASE("markdown stops before GitHub's 1 MiB summary limit and says how many rows it left out",
          "[report]") {
  Report r = EmptyReport(1, 1);
  const std::string message(200, 'm');
  for (int i = 0; i < 10000; ++i) {
    r.findings.push_back(MakeFinding("apps/a.yaml", i + 1, 1, "schema",
                                     i == 9999 ? Severity::kError : Severity::kWarning, message));
  }
  Finalize(r);
  std::string md = Markdown(r);
  CHECK(md.size() < kMaxMarkdownBytes);
  CHECK(md.size() > kMaxMarkdownBytes - 1000);
  std::vector<std::string> lines = Lines(md);
  // The one error comes first although it is the last finding of the report.
  CHECK(lines[4].starts_with("| error | apps/a.yaml:10000:1 |"));
  std::size_t rows = 0;
  for (const std::string& line : lines) rows += line.starts_with("| warning |") ? 1 : 0;
  CHECK(lines.back() == "_" + std::to_string(9999 - rows) +
                            " rows left out: GitHub drops a job summary over 1 MiB. Every "
                            "finding is in the tool's other report formats._");
  CHECK(rows > 4000);
}

TEST_CASE("markdown lists capstan-sync's deployments in a second table", "[report]") {
  Report r = EmptyReport(0, 0);
  r.tool = "capstan-sync";
  r.deployments.push_back(
      Deployment{"argocd/web", "deployed", std::string(40, 'a'), "Synced", "Healthy", 12400, ""});
  r.deployments.push_back(Deployment{"argocd/api", "failed", "", "OutOfSync", "", 3000, "x"});
  r.findings.push_back(
      MakeFinding("", 0, 0, "sync-failed", Severity::kError, "application argocd/api: failed"));
  Finalize(r);
  CHECK(Markdown(r) ==
        "### capstan-sync: 1 error in 2 applications (1 deployed, 1 failed)\n"
        "\n"
        "| Severity | Location | Rule | Message |\n"
        "| --- | --- | --- | --- |\n"
        "| error |  | sync-failed | application argocd/api: failed |\n"
        "\n"
        "| Application | Outcome | Revision | Sync | Health | Duration |\n"
        "| --- | --- | --- | --- | --- | --- |\n"
        "| argocd/web | deployed | aaaaaaa | Synced | Healthy | 12s |\n"
        "| argocd/api | failed |  | OutOfSync |  | 3s |\n");
}

}  // namespace
}  // namespace capstan::report
