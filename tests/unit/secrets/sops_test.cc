#include "secrets/sops.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "support/shared_data.h"
#include "yaml/parser.h"
#include "yaml/path.h"

namespace capstan::secrets {
namespace {

const std::string kEnc =
    "ENC[AES256_GCM,data:c2VjcmV0,iv:j9sYS3yKY6uTiqcGcInD6gEqLdgIp6BWUQgUI1zhA1o=,"
    "tag:fhdx7eqGwJi719V1txp1Hw==,type:str]";

std::string Meta(const std::string& extra = "",
                 const std::string& lastmodified = "\"2022-11-19T19:45:52Z\"",
                 bool with_mac = true) {
  std::string s =
      "sops:\n"
      "    age:\n"
      "        - recipient: age15uzrw396e67z9wdzsxzdk7ka0g2gr3l460e0slaea563zll3hdfqwqxdta\n"
      "    lastmodified: " +
      lastmodified + "\n";
  if (with_mac) s += "    mac: " + kEnc + "\n";
  s += extra;
  s += "    version: 3.7.3\n";
  return s;
}

yaml::ParsedFile ParseOk(const std::string& text) {
  yaml::ParsedFile f = yaml::Parse(text);
  REQUIRE(f.issues.empty());
  REQUIRE(!f.documents.empty());
  return f;
}

TEST_CASE("every SOPS file in the home-ops corpus verifies as encrypted", "[secrets]") {
  if (!capstan::testing::RequireSharedData("corpus")) return;
  std::filesystem::path root =
      std::filesystem::path(CAPSTAN_SHARED_DIR) / "corpus" / "onedr0p__home-ops__sops-2022-11";
  REQUIRE(std::filesystem::is_directory(root));
  int files = 0;
  int documents = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    std::string name = entry.path().filename().string();
    // ".sops.yaml" itself is SOPS's configuration, not an encrypted file.
    if (!entry.is_regular_file() || name == ".sops.yaml" || !name.ends_with(".sops.yaml")) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    yaml::ParsedFile f = yaml::Parse(ss.str());
    INFO(entry.path().string());
    REQUIRE(f.issues.empty());
    for (const yaml::Document& doc : f.documents) {
      if (doc.root() == yaml::kNoNode) continue;
      SopsVerdict v = VerifySops(doc);
      for (const SopsProblem& p : v.problems) {
        UNSCOPED_INFO(yaml::JsonPointer(p.path) << ": " << p.message);
      }
      CHECK(v.state == SopsState::kEncrypted);
      ++documents;
    }
    ++files;
  }
  WARN("sops corpus: " << files << " files, " << documents << " documents verified");
  CHECK(files >= 40);
}

TEST_CASE("a plaintext value among encrypted ones is a problem at that value", "[secrets]") {
  yaml::ParsedFile f = ParseOk(
      "apiVersion: v1\n"
      "kind: Secret\n"
      "stringData:\n"
      "    username: " +
      kEnc +
      "\n"
      "    password: hunter2-plain\n" +
      Meta());
  SopsVerdict v = VerifySops(f.documents[0]);
  CHECK(v.state == SopsState::kBroken);
  REQUIRE(v.problems.size() == 3);  // apiVersion, kind and the password: no regex selects only data
  const SopsProblem& p = v.problems[2];
  CHECK(yaml::JsonPointer(p.path) == "/stringData/password");
  CHECK(f.documents[0].node(p.node).pos.line == 5);
  CHECK(f.documents[0].node(p.node).pos.column == 15);
  CHECK(p.message == "value is not encrypted");
  CHECK(p.message.find("hunter2") == std::string::npos);
}

TEST_CASE("encrypted_regex leaves metadata clear but not a plaintext under stringData",
          "[secrets]") {
  yaml::ParsedFile f = ParseOk(
      "apiVersion: v1\n"
      "kind: Secret\n"
      "metadata:\n"
      "    name: app\n"
      "    namespace: default\n"
      "type: Opaque\n"
      "stringData:\n"
      "    token: " +
      kEnc +
      "\n"
      "    nested:\n"
      "        - plain-under-stringdata\n" +
      Meta("    encrypted_regex: ^(data|stringData)$\n"));
  SopsVerdict v = VerifySops(f.documents[0]);
  CHECK(v.state == SopsState::kBroken);
  REQUIRE(v.problems.size() == 1);
  CHECK(yaml::JsonPointer(v.problems[0].path) == "/stringData/nested/0");
  CHECK(f.documents[0].node(v.problems[0].node).pos.line == 10);
}

TEST_CASE("a fully encrypted file with encrypted_regex has no problems", "[secrets]") {
  yaml::ParsedFile f = ParseOk(
      "kind: Secret\n"
      "metadata:\n"
      "    name: app\n"
      "data:\n"
      "    a: " +
      kEnc +
      "\n"
      "    empty: \"\"\n" +
      Meta("    encrypted_regex: ^(data|stringData)$\n"));
  SopsVerdict v = VerifySops(f.documents[0]);
  CHECK(v.state == SopsState::kEncrypted);
  CHECK(v.problems.empty());
}

TEST_CASE("unencrypted_suffix keys are left clear, everything else must be encrypted",
          "[secrets]") {
  yaml::ParsedFile f = ParseOk(
      "host_unencrypted: db.example.com\n"
      "settings_unencrypted:\n"
      "    port: 5432\n"
      "password: " +
      kEnc + "\n" + Meta("    unencrypted_suffix: _unencrypted\n"));
  SopsVerdict v = VerifySops(f.documents[0]);
  CHECK(v.state == SopsState::kEncrypted);
  CHECK(v.problems.empty());
}

TEST_CASE("with no selection rule recorded, the default unencrypted suffix applies", "[secrets]") {
  yaml::ParsedFile f = ParseOk("note_unencrypted: hello\nuser: alice\n" + Meta());
  SopsVerdict v = VerifySops(f.documents[0]);
  REQUIRE(v.problems.size() == 1);
  CHECK(yaml::JsonPointer(v.problems[0].path) == "/user");
}

TEST_CASE("unencrypted_regex leaves matching keys and their children clear", "[secrets]") {
  yaml::ParsedFile f = ParseOk("kind: Secret\nspec:\n    password: plain\n" +
                               Meta("    unencrypted_regex: ^(kind)$\n"));
  SopsVerdict v = VerifySops(f.documents[0]);
  REQUIRE(v.problems.size() == 1);
  CHECK(yaml::JsonPointer(v.problems[0].path) == "/spec/password");
}

TEST_CASE("a missing mac is a problem at the sops key", "[secrets]") {
  yaml::ParsedFile f =
      ParseOk("password: " + kEnc + "\n" + Meta("", "\"2022-11-19T19:45:52Z\"", false));
  SopsVerdict v = VerifySops(f.documents[0]);
  CHECK(v.state == SopsState::kBroken);
  REQUIRE(v.problems.size() == 1);
  CHECK(v.problems[0].message == "sops.mac is missing");
  CHECK(yaml::JsonPointer(v.problems[0].path) == "/sops/mac");
  CHECK(f.documents[0].node(v.problems[0].node).pos.line == 2);
}

TEST_CASE("a malformed lastmodified is a problem", "[secrets]") {
  std::string bad =
      GENERATE(std::string("yesterday"), std::string("\"2022-13-01T00:00:00Z\""),
               std::string("\"2022-11-19 19:45:52\""), std::string("\"2022-11-19T19:45:52\""));
  CAPTURE(bad);
  yaml::ParsedFile f = ParseOk("password: " + kEnc + "\n" + Meta("", bad));
  SopsVerdict v = VerifySops(f.documents[0]);
  REQUIRE(v.problems.size() == 1);
  CHECK(v.problems[0].message == "sops.lastmodified is not an RFC 3339 time");
}

TEST_CASE("lastmodified accepts fractions and numeric offsets", "[secrets]") {
  yaml::ParsedFile f =
      ParseOk("password: " + kEnc + "\n" + Meta("", "\"2024-01-02T03:04:05.123456+02:00\""));
  CHECK(VerifySops(f.documents[0]).state == SopsState::kEncrypted);
}

TEST_CASE("in a multi-document file each document is judged on its own", "[secrets]") {
  yaml::ParsedFile f = ParseOk("kind: Secret\ndata:\n    a: " + kEnc + "\n" +
                               Meta("    encrypted_regex: ^(data|stringData)$\n") +
                               "---\n"
                               "apiVersion: v1\n"
                               "kind: Secret\n"
                               "stringData:\n"
                               "    password: plain\n");
  REQUIRE(f.documents.size() == 2);
  CHECK(VerifySops(f.documents[0]).state == SopsState::kEncrypted);
  CHECK(VerifySops(f.documents[1]).state == SopsState::kNotSops);
}

TEST_CASE("documents without a top-level sops mapping are not SOPS", "[secrets]") {
  std::string text =
      GENERATE(std::string("a: 1\n"), std::string("sops: enabled\n"), std::string("- sops: {}\n"),
               std::string("spec:\n  sops:\n    mac: x\n"));
  CAPTURE(text);
  yaml::ParsedFile f = ParseOk(text);
  CHECK(VerifySops(f.documents[0]).state == SopsState::kNotSops);
}

TEST_CASE("ENC values with a bad type or bad base64 are problems", "[secrets]") {
  std::string bad = GENERATE(
      std::string("ENC[AES256_GCM,data:c2VjcmV0,iv:j9sYS3yKY6uTiqcGcInD6gEqLdgIp6BWUQgUI1zhA1o=,"
                  "tag:fhdx7eqGwJi719V1txp1Hw==,type:string]"),
      std::string(
          "ENC[AES256_GCM,data:c2VjcmV0,iv:not*base64!,tag:fhdx7eqGwJi719V1txp1Hw==,type:str]"),
      std::string("ENC[AES256_GCM,data:c2VjcmV0,iv:j9sYS3yKY6uTiqcGcInD6gEqLdgIp6BWUQgUI1zhA1o=,"
                  "tag:fhdx7eqG,type:str]"),
      std::string("ENC[AES256_GCM,data:,iv:j9sYS3yKY6uTiqcGcInD6gEqLdgIp6BWUQgUI1zhA1o=,tag:"
                  "fhdx7eqGwJi719V1txp1Hw==,type:str]"),
      std::string("ENC[AES256_CBC,data:c2VjcmV0,iv:j9sYS3yKY6uTiqcGcInD6gEqLdgIp6BWUQgUI1zhA1o=,"
                  "tag:fhdx7eqGwJi719V1txp1Hw==,type:str]"),
      std::string("ENC[AES256_GCM,data:c2VjcmV0,iv:j9sYS3yKY6uTiqcGcInD6gEqLdgIp6BWUQgUI1zhA1o=,"
                  "tag:fhdx7eqGwJi719V1txp1Hw==,type:str"),
      std::string("ENC[AES256_GCM,data:c2VjcmV0,tag:fhdx7eqGwJi719V1txp1Hw==,type:str]"));
  CAPTURE(bad);
  CHECK_FALSE(IsSopsValue(bad));
  yaml::ParsedFile f = ParseOk("password: \"" + bad + "\"\n" + Meta());
  SopsVerdict v = VerifySops(f.documents[0]);
  REQUIRE(v.problems.size() == 1);
  CHECK(v.problems[0].message.starts_with("value is a malformed sops value: "));
  CHECK(v.problems[0].message.find("c2VjcmV0") == std::string::npos);
}

TEST_CASE("well-formed ENC values of every type are accepted", "[secrets]") {
  std::string type = GENERATE(std::string("str"), std::string("int"), std::string("float"),
                              std::string("bool"), std::string("bytes"));
  CHECK(
      IsSopsValue("ENC[AES256_GCM,data:c2VjcmV0,iv:j9sYS3yKY6uTiqcGcInD6gEqLdgIp6BWUQgUI1zhA1o=,"
                  "tag:fhdx7eqGwJi719V1txp1Hw==,type:" +
                  type + "]"));
}

TEST_CASE("an encrypted_regex RE2 cannot compile is a problem", "[secrets]") {
  yaml::ParsedFile f = ParseOk("data: " + kEnc + "\n" + Meta("    encrypted_regex: \"^(data\"\n"));
  SopsVerdict v = VerifySops(f.documents[0]);
  REQUIRE(v.problems.size() == 1);
  CHECK(v.problems[0].message == "sops.encrypted_regex is not a valid regular expression");
}

TEST_CASE("a SOPS dotenv file with every value encrypted verifies", "[secrets]") {
  std::string text =
      "DB_PASSWORD=" + kEnc +
      "\r\n"
      "#ENC[AES256_GCM,data:Y29tbWVudA==,iv:j9sYS3yKY6uTiqcGcInD6gEqLdgIp6BWUQgUI1zhA1o=,tag:"
      "fhdx7eqGwJi719V1txp1Hw==,type:comment]\n"
      "HOST_unencrypted=db\n"
      "sops_age__list_0__map_recipient="
      "age15uzrw396e67z9wdzsxzdk7ka0g2gr3l460e0slaea563zll3hdfqwqxdta\n"
      "sops_lastmodified=2022-11-19T19:45:52Z\n"
      "sops_mac=" +
      kEnc +
      "\n"
      "sops_unencrypted_suffix=_unencrypted\n"
      "sops_version=3.7.3\n";
  SopsDotenvVerdict v = VerifySopsDotenv(text);
  CHECK(v.state == SopsState::kEncrypted);
  CHECK(v.problems.empty());
}

TEST_CASE("a plaintext line in a SOPS dotenv file is a problem at its line", "[secrets]") {
  std::string text = "DB_PASSWORD=" + kEnc +
                     "\n"
                     "API_TOKEN=plain-token\n"
                     "sops_lastmodified=2022-11-19T19:45:52Z\n"
                     "sops_version=3.7.3\n";
  SopsDotenvVerdict v = VerifySopsDotenv(text);
  CHECK(v.state == SopsState::kBroken);
  REQUIRE(v.problems.size() == 2);
  CHECK(v.problems[0].line == 2);
  CHECK(v.problems[0].column == 11);
  CHECK(v.problems[0].key == "API_TOKEN");
  CHECK(v.problems[0].message == "value is not encrypted");
  CHECK(v.problems[1].message == "sops.mac is missing");
}

TEST_CASE("a dotenv file without sops metadata is not SOPS", "[secrets]") {
  CHECK(VerifySopsDotenv("A=1\nB=2\n").state == SopsState::kNotSops);
}

}  // namespace
}  // namespace capstan::secrets
