#include <catch2/catch.hpp>

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
