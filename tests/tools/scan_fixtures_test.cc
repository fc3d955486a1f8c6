// Correctness fixtures for capstan-scan: every file or directory under tests/fixtures/scan/pass
// must scan clean, and every one under tests/fixtures/scan/flag must report exactly the findings
// listed for it in tests/fixtures/scan/expect.txt (file, rule, line:col), at the right severity
// (the rule's usual one unless the line names another), without ever printing one of the secret
// values the fixture holds.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "scan/scan.h"
#include "support/run_tool.h"

namespace capstan::tools {
namespace {

using testing::RunTool;
using testing::ToolResult;

const std::string kFixtureDir = std::string(CAPSTAN_SOURCE_DIR) + "/tests/fixtures/scan";

// Rules that report warnings; every other rule reports errors.
const std::set<std::string> kWarningRules = {"helm-values-secret", "vault-legacy-token"};
const std::set<std::string> kSeverities = {"error", "warning", "note"};

struct Expectations {
  // fixture ("flag/<name>") -> "<file> <rule> <line>:<col>"
  std::map<std::string, std::set<std::string>> findings;
  // "<file> <rule> <line>:<col>" -> the severity it must be reported at
  std::map<std::string, std::string> severity;
  // fixture -> values that must never appear in any output
  std::map<std::string, std::vector<std::string>> secrets;
  std::vector<std::string> malformed;  // lines of expect.txt that follow neither form
};

// The fixture a file belongs to: its first two path components ("flag/generator-envs").
std::string FixtureOf(const std::string& file) {
  std::size_t first = file.find('/');
  if (first == std::string::npos) return file;
  return file.substr(0, file.find('/', first + 1));
}

Expectations LoadExpectations() {
  Expectations e;
  std::ifstream in(kFixtureDir + "/expect.txt");
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string first, second, third, rest;
    fields >> first >> second;
    if (first == "secret") {
      std::getline(fields >> std::ws, rest);
      if (second.empty() || rest.empty()) {
        e.malformed.push_back(line);
      } else {
        e.secrets[second].push_back(rest);
      }
      continue;
    }
    std::string severity;
    fields >> third >> severity;
    if (severity.empty()) severity = kWarningRules.count(second) ? "warning" : "error";
    if (first.empty() || second.empty() || third.find(':') == std::string::npos ||
        !kSeverities.count(severity) || (fields >> rest)) {
      e.malformed.push_back(line);
      continue;
    }
    std::string key = first + " " + second + " " + third;
    e.findings[FixtureOf(first)].insert(key);
    e.severity[key] = severity;
  }
  return e;
}

const Expectations& Expected() {
  static const Expectations e = LoadExpectations();
  return e;
}

// "flag/<name>" for every entry directly under flag/ (or pass/), in name order.
std::vector<std::string> Fixtures(const std::string& kind) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(kFixtureDir + "/" + kind, ec)) {
    out.push_back(kind + "/" + entry.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

ToolResult Scan(const std::string& format, const std::string& fixture) {
  // The repository's own .capstanignore keeps these planted secrets out of its self-scan;
  // here they are the point, so no ignore file applies.
  return RunTool(RunScan, {"--ignore-file", "/dev/null", "--format", format, fixture}, kFixtureDir);
}

std::string Key(const nlohmann::json& f) {
  return f.value("file", std::string()) + " " + f.value("rule", std::string()) + " " +
         std::to_string(f.value("line", 0)) + ":" + std::to_string(f.value("column", 0));
}

std::set<std::string> Difference(const std::set<std::string>& a, const std::set<std::string>& b) {
  std::set<std::string> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::inserter(out, out.end()));
  return out;
}

void CheckNoSecretIn(const std::string& fixture, const ToolResult& r) {
  auto it = Expected().secrets.find(fixture);
  if (it == Expected().secrets.end()) return;
  for (const std::string& secret : it->second) {
    INFO(fixture << ": the value '" << secret << "' must never be printed");
    CHECK(r.out.find(secret) == std::string::npos);
    CHECK(r.err.find(secret) == std::string::npos);
  }
}

TEST_CASE("the scan fixture corpus is complete and its expectations are well formed",
          "[scan][fixtures]") {
  std::vector<std::string> flag = Fixtures("flag");
  std::vector<std::string> pass = Fixtures("pass");
  REQUIRE(flag.size() >= 50);
  REQUIRE(pass.size() >= 50);
  CHECK(Expected().malformed.empty());
  for (const std::string& line : Expected().malformed)
    FAIL_CHECK("malformed expect.txt line: " << line);
  std::set<std::string> known(flag.begin(), flag.end());
  for (const std::string& fixture : flag) {
    INFO(fixture);
    CHECK(Expected().findings.count(fixture) == 1);
  }
  for (const auto& [fixture, findings] : Expected().findings) {
    INFO("expect.txt names " << fixture);
    CHECK(known.count(fixture) == 1);
  }
  for (const auto& [fixture, secrets] : Expected().secrets) {
    INFO("expect.txt lists secrets of " << fixture);
    CHECK(known.count(fixture) == 1);
    for (const std::string& s : secrets) CHECK(s.size() > 3);
  }
}

TEST_CASE("every must-pass fixture scans clean", "[scan][fixtures]") {
  for (const std::string& fixture : Fixtures("pass")) {
    ToolResult r = Scan("json", fixture);
    INFO(fixture << "\nstdout:\n" << r.out << "\nstderr:\n" << r.err);
    CHECK(r.exit_code == 0);
    nlohmann::json doc = nlohmann::json::parse(r.out, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded() || !doc.contains("findings")) {
      FAIL_CHECK(fixture << ": output is not a JSON report");
      continue;
    }
    for (const nlohmann::json& f : doc["findings"]) {
      FAIL_CHECK(fixture << ": unexpected finding " << Key(f) << " ("
                         << f.value("severity", std::string()) << ": "
                         << f.value("message", std::string()) << ")");
    }
  }
}

TEST_CASE("every must-flag fixture reports exactly its expected findings", "[scan][fixtures]") {
  for (const std::string& fixture : Fixtures("flag")) {
    ToolResult r = Scan("json", fixture);
    INFO(fixture << "\nstdout:\n" << r.out << "\nstderr:\n" << r.err);
    CheckNoSecretIn(fixture, r);
    nlohmann::json doc = nlohmann::json::parse(r.out, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded() || !doc.contains("findings")) {
      FAIL_CHECK(fixture << ": output is not a JSON report");
      continue;
    }
    auto expected_it = Expected().findings.find(fixture);
    const std::set<std::string> expected =
        expected_it == Expected().findings.end() ? std::set<std::string>() : expected_it->second;
    std::set<std::string> actual;
    std::size_t reported = 0;
    for (const nlohmann::json& f : doc["findings"]) {
      std::string key = Key(f);
      ++reported;
      actual.insert(key);
      auto want = Expected().severity.find(key);
      if (want != Expected().severity.end() && f.value("severity", std::string()) != want->second) {
        FAIL_CHECK(fixture << ": " << key << " has severity " << f.value("severity", std::string())
                           << ", expected " << want->second);
      }
    }
    if (reported != actual.size()) FAIL_CHECK(fixture << ": the same finding is reported twice");
    for (const std::string& missing : Difference(expected, actual)) {
      FAIL_CHECK(fixture << ": expected finding not reported: " << missing);
    }
    for (const std::string& extra : Difference(actual, expected)) {
      FAIL_CHECK(fixture << ": unexpected finding: " << extra);
    }
    bool any_error = false;
    for (const std::string& key : expected)
      any_error = any_error || Expected().severity.at(key) == "error";
    CHECK(r.exit_code == (any_error ? 1 : 0));
  }
}

TEST_CASE("sarif output of every must-flag fixture holds its findings and no secret value",
          "[scan][fixtures]") {
  for (const std::string& fixture : Fixtures("flag")) {
    ToolResult r = Scan("sarif", fixture);
    INFO(fixture << "\nstdout:\n" << r.out << "\nstderr:\n" << r.err);
    CheckNoSecretIn(fixture, r);
    nlohmann::json doc = nlohmann::json::parse(r.out, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) {
      FAIL_CHECK(fixture << ": sarif output is not JSON");
      continue;
    }
    CHECK(doc.value("version", std::string()) == "2.1.0");
    auto expected_it = Expected().findings.find(fixture);
    std::size_t expected =
        expected_it == Expected().findings.end() ? 0 : expected_it->second.size();
    if (doc.contains("runs") && doc["runs"].is_array() && !doc["runs"].empty() &&
        doc["runs"][0].contains("results")) {
      CHECK(doc["runs"][0]["results"].size() == expected);
    } else {
      FAIL_CHECK(fixture << ": sarif output has no runs[0].results");
    }
  }
}

}  // namespace
}  // namespace capstan::tools
