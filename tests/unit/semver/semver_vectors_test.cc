// Every row of the Masterminds/semver v3 vectors in shared/data/semver/ (their headers describe the
// columns and suites). Failing rows are reported one by one so a run shows all of them.
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "semver/constraint.h"
#include "semver/version.h"
#include "support/shared_data.h"

namespace capstan::semver {
namespace {

using Row = std::vector<std::string>;

std::string Unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      char n = s[++i];
      out += n == 'n' ? '\n' : n == 't' ? '\t' : n;
    } else {
      out += s[i];
    }
  }
  return out;
}

// Data rows after the '#' comments and the column header, split on tabs and unescaped.
std::vector<Row> ReadVectors(const std::string& name) {
  std::ifstream in(std::string(CAPSTAN_SHARED_DIR) + "/data/semver/" + name);
  REQUIRE(in.good());
  std::vector<Row> rows;
  std::string line;
  bool header_seen = false;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (!header_seen) {
      header_seen = true;
      continue;
    }
    Row row;
    size_t start = 0;
    while (true) {
      size_t tab = line.find('\t', start);
      row.push_back(Unescape(line.substr(start, tab == std::string::npos ? tab : tab - start)));
      if (tab == std::string::npos) break;
      start = tab + 1;
    }
    rows.push_back(row);
  }
  return rows;
}

TEST_CASE("semver parse vectors: strict, coercing and non-coercing parsers", "[semver]") {
  if (!capstan::testing::RequireSharedData("data/semver")) return;
  std::map<std::string, int> counts;
  for (const Row& row : ReadVectors("masterminds-parse-vectors.tsv")) {
    REQUIRE(row.size() >= 3);
    const std::string& text = row[0];
    const std::string& parser = row[2];
    bool want_ok = row[1] == "ok";
    INFO("version '" << text << "' parser " << parser << " expected " << row[1]);
    Result<Version> v = Status::Internal("unknown parser");
    if (parser == "StrictNewVersion") {
      v = ParseStrict(text);
    } else if (parser == "NewVersion(CoerceNewVersion=true)") {
      v = ParseCoerce(text);
    } else if (parser == "NewVersion(CoerceNewVersion=false)") {
      v = ParseCoerce(text, LeadingZeros::kReject);
    } else {
      FAIL("unknown parser " << parser);
    }
    INFO("status: " << v.status().message());
    CHECK(v.ok() == want_ok);
    if (!v.ok()) {
      CHECK(v.status().code() == StatusCode::kInvalidArgument);
      CHECK(v.status().message().find('\n') == std::string::npos);
    }
    ++counts[parser];
  }
  REQUIRE(counts["StrictNewVersion"] > 0);
  REQUIRE(counts["NewVersion(CoerceNewVersion=true)"] > 0);
  REQUIRE(counts["NewVersion(CoerceNewVersion=false)"] > 0);
  REQUIRE(counts.size() == 3);
}

TEST_CASE("semver compare vectors", "[semver]") {
  if (!capstan::testing::RequireSharedData("data/semver")) return;
  int rows = 0;
  for (const Row& row : ReadVectors("masterminds-compare-vectors.tsv")) {
    REQUIRE(row.size() >= 4);
    const std::string& op = row[3];
    const std::string& expected = row[2];
    INFO(row[0] << " " << op << " " << row[1] << " expected " << expected);
    Result<Version> a = ParseCoerce(row[0]);
    Result<Version> b = ParseCoerce(row[1]);
    CHECK(a.ok());
    CHECK(b.ok());
    if (!a.ok() || !b.ok()) continue;
    int c = Compare(*a, *b);
    std::string got;
    if (op == "compare") {
      got = std::to_string(c);
    } else if (op == "less_than") {
      got = *a < *b ? "true" : "false";
    } else if (op == "less_than_equal") {
      got = *a <= *b ? "true" : "false";
    } else if (op == "greater_than") {
      got = *a > *b ? "true" : "false";
    } else if (op == "greater_than_equal") {
      got = *a >= *b ? "true" : "false";
    } else if (op == "equal") {
      got = *a == *b ? "true" : "false";
    } else {
      FAIL("unknown op " << op);
    }
    CHECK(got == expected);
    ++rows;
  }
  REQUIRE(rows > 0);
}

TEST_CASE("semver constraint vectors: every suite", "[semver]") {
  if (!capstan::testing::RequireSharedData("data/semver")) return;
  std::map<std::string, int> counts;
  for (const Row& row : ReadVectors("masterminds-constraint-vectors.tsv")) {
    REQUIRE(row.size() >= 4);
    const std::string& text = row[0];
    const std::string& version = row[1];
    bool expected = row[2] == "true";
    const std::string& suite = row[3];
    std::string message = row.size() > 4 ? row[4] : "";
    INFO("suite " << suite << ": constraint '" << text << "' version '" << version << "' expected "
                  << row[2] << (message.empty() ? "" : " message " + message));
    ++counts[suite];

    bool is_message = suite.size() > 8 && suite.ends_with("_message");
    Result<Version> v = is_message ? ParseStrict(version) : ParseCoerce(version);
    CHECK(v.ok());
    if (!v.ok()) continue;

    if (suite == "single_constraint") {
      Result<Comparator> c = ParseComparator(text);
      INFO("status: " << c.status().message());
      CHECK(c.ok());
      if (c.ok()) CHECK(c->Check(*v, c->HasPrerelease()) == expected);
      continue;
    }
    bool include_prerelease = suite.find("include_prerelease") != std::string::npos;
    Result<Constraint> c = ParseConstraint(text, include_prerelease);
    INFO("status: " << c.status().message());
    CHECK(c.ok());
    if (!c.ok()) continue;
    if (suite == "check" || suite == "check_include_prerelease") {
      CHECK(c->Check(*v) == expected);
    } else if (suite == "validate" || suite == "validate_include_prerelease") {
      CHECK(c->Validate(*v).empty() == expected);
      CHECK(c->Check(*v) == expected);
    } else if (is_message) {
      std::vector<std::string> reasons = c->Validate(*v);
      CHECK(reasons.empty() == expected);
      if (!reasons.empty()) CHECK(reasons.front() == message);
    } else {
      FAIL("unknown suite " << suite);
    }
  }
  for (const char* suite :
       {"single_constraint", "check", "check_include_prerelease", "validate",
        "validate_include_prerelease", "validate_message", "validate_include_prerelease_message"}) {
    INFO("suite " << suite);
    REQUIRE(counts[suite] > 0);
  }
  REQUIRE(counts.size() == 7);
}

}  // namespace
}  // namespace capstan::semver
