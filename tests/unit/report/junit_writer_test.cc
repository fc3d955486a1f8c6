#include <catch2/catch.hpp>

#include "unit/report/samples.h"

namespace capstan::report {
namespace {

using testing::EmptyReport;
using testing::MakeFinding;
using testing::Render;
using testing::ReportOf;
using testing::SampleReport;

TEST_CASE("junit output has a testcase per file examined and one failure per failing file",
          "[report]") {
  Report r = EmptyReport(3, 3);
  r.files = {"a.yaml", "b.yaml", "c.yaml"};
  r.findings = {MakeFinding("a.yaml", 2, 3, "schema", Severity::kError, "bad"),
                MakeFinding("a.yaml", 4, 0, "yaml-syntax", Severity::kWarning, "odd"),
                MakeFinding("b.yaml", 1, 1, "deprecated-api", Severity::kNote, "old"),
                MakeFinding("c.yaml", 5, 1, "schema", Severity::kError, "worse")};
  r.files.push_back("d.yaml");
  Finalize(r);
  CHECK(
      Render(Format::kJunit, r) ==
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<testsuites>\n"
      "  <testsuite name=\"capstan-validate\" tests=\"4\" failures=\"2\" errors=\"0\">\n"
      "    <testcase classname=\"capstan-validate\" name=\"a.yaml\">\n"
      "      <failure type=\"schema\" message=\"2 problems\">a.yaml:2:3: error schema: bad&#10;"
      "a.yaml:4: warning yaml-syntax: odd</failure>\n"
      "    </testcase>\n"
      "    <testcase classname=\"capstan-validate\" name=\"b.yaml\">\n"
      "      <system-out>b.yaml:1:1: note deprecated-api: old&#10;</system-out>\n"
      "    </testcase>\n"
      "    <testcase classname=\"capstan-validate\" name=\"c.yaml\">\n"
      "      <failure type=\"schema\" message=\"worse\">c.yaml:5:1: error schema: worse</failure>\n"
      "    </testcase>\n"
      "    <testcase classname=\"capstan-validate\" name=\"d.yaml\"/>\n"
      "  </testsuite>\n"
      "</testsuites>\n");
}

TEST_CASE("junit output without findings is a single passing testcase", "[report]") {
  std::string xml = Render(Format::kJunit, EmptyReport(4, 4));
  CHECK(xml.find("tests=\"1\" failures=\"0\" errors=\"0\"") != std::string::npos);
  CHECK(xml.find("<testcase classname=\"capstan-validate\" name=\"all files\"/>") !=
        std::string::npos);
  CHECK(xml.find("<failure") == std::string::npos);
}

TEST_CASE("junit escapes markup characters and drops control characters", "[report]") {
  std::string xml = Render(
      Format::kJunit,
      ReportOf(MakeFinding("a&b.yaml", 1, 1, "r<1>", Severity::kError, "\"x\" < 'y' & \x01z\x1b")));
  CHECK(xml.find("name=\"a&amp;b.yaml\"") != std::string::npos);
  CHECK(xml.find("type=\"r&lt;1&gt;\" message=\"&quot;x&quot; &lt; &apos;y&apos; &amp; z\"") !=
        std::string::npos);
  CHECK(xml.find('\x01') == std::string::npos);
  CHECK(xml.find('\x1b') == std::string::npos);
}

TEST_CASE("junit replaces bytes that are not UTF-8 so the document stays well-formed", "[report]") {
  std::string xml = Render(Format::kJunit, ReportOf(MakeFinding("caf\xc3\xa9\xff.yaml", 1, 1, "r",
                                                                Severity::kError, "\xed\xa0\x80")));
  CHECK(xml.find("name=\"caf\xc3\xa9\xef\xbf\xbd.yaml\"") != std::string::npos);
  CHECK(xml.find("message=\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"") != std::string::npos);
}

TEST_CASE("junit counts failing files, not notes", "[report]") {
  std::string xml = Render(Format::kJunit, SampleReport());
  CHECK(xml.find("tests=\"5\" failures=\"4\" errors=\"0\"") != std::string::npos);
}

}  // namespace
}  // namespace capstan::report
