#include "report/finding.h"

#include <catch2/catch.hpp>
#include <regex>

#include "unit/report/samples.h"

namespace capstan::report {
namespace {

using testing::MakeFinding;

Finding Replicas() {
  Finding f =
      MakeFinding("apps/web/deploy.yaml", 12, 7, "schema", Severity::kError, "expected integer");
  f.path = "/spec/replicas";
  f.resource = {"apps/v1", "Deployment", "prod", "web"};
  return f;
}

TEST_CASE("severity names round-trip through ParseSeverity", "[report]") {
  auto s = GENERATE(Severity::kError, Severity::kWarning, Severity::kNote);
  Severity parsed = Severity::kNote;
  REQUIRE(ParseSeverity(SeverityName(s), &parsed));
  CHECK(parsed == s);
}

TEST_CASE("ParseSeverity rejects anything but the three lowercase names", "[report]") {
  auto text = GENERATE("Error", "fatal", "", "warn", "notice");
  Severity parsed = Severity::kNote;
  CHECK_FALSE(ParseSeverity(text, &parsed));
  CHECK(parsed == Severity::kNote);
}

TEST_CASE("fingerprint is 16 lowercase hex digits of FNV-1a over the identity fields", "[report]") {
  CHECK(Fingerprint(Replicas()) == "611d7c7f6ae45d2e");
  CHECK(std::regex_match(Fingerprint(Finding{}), std::regex("[0-9a-f]{16}")));
}

TEST_CASE("fingerprint stays the same when the finding moves to another line", "[report]") {
  Finding moved = Replicas();
  moved.line = 40;
  moved.column = 3;
  moved.severity = Severity::kWarning;
  CHECK(Fingerprint(moved) == Fingerprint(Replicas()));
}

TEST_CASE("fingerprint changes when any identity field changes", "[report]") {
  Finding changed = Replicas();
  SECTION("path") { changed.path = "/spec/template"; }
  SECTION("rule") { changed.rule = "deprecated-api"; }
  SECTION("file") { changed.file = "apps/api/deploy.yaml"; }
  SECTION("message") { changed.message = "expected string"; }
  SECTION("resource name") { changed.resource.name = "api"; }
  SECTION("resource namespace") { changed.resource.ns = "staging"; }
  CHECK(Fingerprint(changed) != Fingerprint(Replicas()));
}

TEST_CASE("fingerprint fields are separated so text cannot slide between them", "[report]") {
  Finding a = Replicas();
  Finding b = Replicas();
  a.rule = "ab";
  a.file = "c";
  b.rule = "a";
  b.file = "bc";
  CHECK(Fingerprint(a) != Fingerprint(b));
}

TEST_CASE("Finalize sorts by file, line, column, rule and message", "[report]") {
  Report r;
  r.findings = {
      MakeFinding("b.yaml", 1, 1, "schema", Severity::kError, "x"),
      MakeFinding("a.yaml", 10, 1, "schema", Severity::kError, "x"),
      MakeFinding("a.yaml", 2, 5, "schema", Severity::kError, "x"),
      MakeFinding("a.yaml", 2, 3, "yaml-syntax", Severity::kError, "x"),
      MakeFinding("a.yaml", 2, 3, "schema", Severity::kError, "y"),
      MakeFinding("a.yaml", 2, 3, "schema", Severity::kError, "x"),
  };
  Finalize(r);
  std::vector<std::string> order;
  for (const Finding& f : r.findings) {
    order.push_back(f.file + ":" + std::to_string(f.line) + ":" + std::to_string(f.column) + " " +
                    f.rule + " " + f.message);
  }
  CHECK(order == std::vector<std::string>{
                     "a.yaml:2:3 schema x",
                     "a.yaml:2:3 schema y",
                     "a.yaml:2:3 yaml-syntax x",
                     "a.yaml:2:5 schema x",
                     "a.yaml:10:1 schema x",
                     "b.yaml:1:1 schema x",
                 });
}

TEST_CASE("Finalize keeps the input order of findings that compare equal", "[report]") {
  Report r;
  r.findings = {MakeFinding("a.yaml", 1, 1, "schema", Severity::kError, "x"),
                MakeFinding("a.yaml", 1, 1, "schema", Severity::kWarning, "x")};
  r.findings[0].fingerprint = "first";
  r.findings[1].fingerprint = "second";
  Finalize(r);
  CHECK(r.findings[0].fingerprint == "first");
  CHECK(r.findings[1].fingerprint == "second");
}

TEST_CASE("Finalize fills only empty fingerprints", "[report]") {
  Report r;
  r.findings = {Replicas(), Replicas()};
  r.findings[1].fingerprint = "preset";
  Finalize(r);
  CHECK(r.findings[0].fingerprint == Fingerprint(Replicas()));
  CHECK(r.findings[1].fingerprint == "preset");
}

TEST_CASE("Finalize recounts severities and keeps files and documents", "[report]") {
  Report r;
  r.summary = {4, 9, 100, 100, 100};
  r.findings = {MakeFinding("a.yaml", 1, 1, "r", Severity::kError, "m"),
                MakeFinding("a.yaml", 2, 1, "r", Severity::kError, "m"),
                MakeFinding("a.yaml", 3, 1, "r", Severity::kWarning, "m"),
                MakeFinding("a.yaml", 4, 1, "r", Severity::kNote, "m"),
                MakeFinding("a.yaml", 5, 1, "r", Severity::kNote, "m"),
                MakeFinding("a.yaml", 6, 1, "r", Severity::kNote, "m")};
  Finalize(r);
  CHECK(r.summary.files == 4);
  CHECK(r.summary.documents == 9);
  CHECK(r.summary.errors == 2);
  CHECK(r.summary.warnings == 1);
  CHECK(r.summary.notes == 3);
}

}  // namespace
}  // namespace capstan::report
