#include <algorithm>
#include <catch2/catch.hpp>
#include <sstream>

#include "support/run_tool.h"
#include "unit/report/samples.h"

namespace capstan::report {
namespace {

using testing::MakeFinding;
using testing::Render;
using testing::ReportOf;

std::string Github(const Finding& f) { return Render(Format::kGithub, ReportOf(f)); }

TEST_CASE("github output is one workflow command per finding", "[report]") {
  CHECK(Github(MakeFinding("a.yaml", 3, 5, "schema", Severity::kError, "bad")) ==
        "::error file=a.yaml,line=3,col=5,title=schema::bad\n");
  CHECK(Github(MakeFinding("a.yaml", 3, 0, "schema", Severity::kWarning, "bad")) ==
        "::warning file=a.yaml,line=3,title=schema::bad\n");
  CHECK(Github(MakeFinding("a.yaml", 0, 0, "schema", Severity::kNote, "bad")) ==
        "::notice file=a.yaml,title=schema::bad\n");
}

TEST_CASE("github messages escape percent and line breaks", "[report]") {
  CHECK(Github(MakeFinding("a.yaml", 1, 1, "r", Severity::kError, "100% a:b,c\r\nnext")) ==
        "::error file=a.yaml,line=1,col=1,title=r::100%25 a:b,c%0D%0Anext\n");
}

TEST_CASE("github properties also escape comma and colon", "[report]") {
  CHECK(Github(MakeFinding("dir,x/a:b%.yaml", 1, 1, "r:1,2\n", Severity::kError, "m")) ==
        "::error file=dir%2Cx/a%3Ab%25.yaml,line=1,col=1,title=r%3A1%2C2%0A::m\n");
}

TEST_CASE("github messages name the resource", "[report]") {
  Finding f = MakeFinding("a.yaml", 1, 1, "schema", Severity::kError, "bad");
  f.resource = {"apps/v1", "Deployment", "prod", "web"};
  CHECK(Github(f) == "::error file=a.yaml,line=1,col=1,title=schema::bad [Deployment/prod/web]\n");
}

}  // namespace
}  // namespace capstan::report

namespace capstan::report {
namespace {

using capstan::testing::Lines;
using testing::EmptyReport;
using testing::MakeFinding;

Report Many(int errors, int warnings, int notes) {
  Report r = EmptyReport(1, 1);
  int line = 0;
  auto add = [&](int n, Severity s) {
    for (int i = 0; i < n; ++i) r.findings.push_back(MakeFinding("a.yaml", ++line, 1, "r", s, "m"));
  };
  add(notes, Severity::kNote);
  add(warnings, Severity::kWarning);
  add(errors, Severity::kError);
  Finalize(r);
  return r;
}

std::string Github(const Report& r, int max_annotations) {
  std::ostringstream out;
  Write(Format::kGithub, r, out, WriteOptions{max_annotations});
  return out.str();
}

int Count(const std::vector<std::string>& lines, const std::string& prefix) {
  return static_cast<int>(std::count_if(
      lines.begin(), lines.end(), [&](const std::string& l) { return l.starts_with(prefix); }));
}

TEST_CASE("github annotates 10 of 30 errors and says in one notice that 20 were left out",
          "[report]") {
  std::vector<std::string> lines = Lines(Render(Format::kGithub, Many(30, 0, 0)));
  REQUIRE(lines.size() == 11);
  CHECK(Count(lines, "::error ") == 10);
  CHECK(lines[0] == "::error file=a.yaml,line=1,col=1,title=r::m");
  CHECK(lines[10] ==
        "::notice title=capstan-validate::20 findings were not annotated (at most 10 annotations "
        "per severity): every finding is in the job summary and the report");
}

TEST_CASE("github annotates errors first, then warnings, then notes", "[report]") {
  // Notes come first in the report (lines 1-3), errors last.
  std::vector<std::string> lines = Lines(Github(Many(2, 2, 2), 10));
  std::vector<std::string> commands;
  for (const std::string& l : lines) commands.push_back(l.substr(0, l.find(' ')));
  CHECK(commands == std::vector<std::string>{"::error", "::error", "::warning", "::warning",
                                             "::notice", "::notice"});
  CHECK(lines[0] == "::error file=a.yaml,line=5,col=1,title=r::m");
  CHECK(lines[5] == "::notice file=a.yaml,line=2,col=1,title=r::m");
}

TEST_CASE("github keeps each severity to max-annotations", "[report]") {
  std::vector<std::string> lines = Lines(Github(Many(5, 5, 1), 3));
  CHECK(Count(lines, "::error ") == 3);
  CHECK(Count(lines, "::warning ") == 3);
  CHECK(Count(lines, "::notice file=") == 1);
  CHECK(lines.back().starts_with("::notice title=capstan-validate::4 findings were not annotated"));
}

TEST_CASE("github leaves a notice slot for its closing notice when notes fill theirs", "[report]") {
  std::vector<std::string> lines = Lines(Github(Many(0, 0, 12), 10));
  CHECK(Count(lines, "::notice ") == 10);
  CHECK(Count(lines, "::notice file=") == 9);
  CHECK(lines.back().starts_with("::notice title=capstan-validate::3 findings were not annotated"));
  // Exactly ten notes: all annotated, no closing notice.
  CHECK(Count(Lines(Github(Many(0, 0, 10), 10)), "::notice file=") == 10);
}

TEST_CASE("github max-annotations 0 annotates nothing but the closing notice", "[report]") {
  CHECK(Github(Many(1, 1, 0), 0) ==
        "::notice title=capstan-validate::2 findings were not annotated (at most 0 annotations "
        "per severity): every finding is in the job summary and the report\n");
  CHECK(Github(Many(0, 0, 0), 0).empty());
}

TEST_CASE("github escapes a message with percent, colon and line breaks exactly", "[report]") {
  Report r = testing::ReportOf(MakeFinding("dir:a,b.yaml", 2, 3, "rule:x,y", Severity::kError,
                                           "50% of key: a\nb\r\nc, done"));
  CHECK(Github(r, 10) ==
        "::error file=dir%3Aa%2Cb.yaml,line=2,col=3,title=rule%3Ax%2Cy::50%25 of key: "
        "a%0Ab%0D%0Ac, done\n");
}

TEST_CASE("github cuts messages to 4096 characters on a character boundary", "[report]") {
  // 4100 characters, the 4095th and 4096th of them two-byte ones.
  std::string message = std::string(4094, 'a') + "\xc3\xa9\xc3\xa9" + "%%%%";
  Report r = testing::ReportOf(MakeFinding("a.yaml", 1, 1, "r", Severity::kError, message));
  std::string line = Lines(Github(r, 10))[0];
  std::string data = line.substr(line.find("::", 2) + 2);
  CHECK(data == std::string(4094, 'a') + "\xc3\xa9\xe2\x80\xa6");
  // A message of exactly 4096 characters is kept whole, then escaped.
  std::string exact = std::string(4095, 'a') + "%";
  r.findings[0].message = exact;
  line = Lines(Github(r, 10))[0];
  CHECK(line.substr(line.find("::", 2) + 2) == std::string(4095, 'a') + "%25");
}

}  // namespace
}  // namespace capstan::report
