// libFuzzer target: one file's bytes through capstan-scan's engine, under the names that pick
// each way of judging it (a manifest, Helm values, a kustomization, a .env payload, plain text),
// structural and credential rules together.
// Property: the streaming scanner (files too large to hold) reports the same credential
// findings, at the same lines and columns, as the whole-file scanner, however the text is cut.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "fuzz_support.h"
#include "secrets/builtin_rules.h"
#include "secrets/scanner.h"

namespace {

using capstan::secrets::FileInput;
using capstan::secrets::FileScan;
using capstan::secrets::Scanner;

const Scanner& TheScanner() {
  static const Scanner scanner = [] {
    auto created = Scanner::Create(capstan::secrets::BuiltinRules());
    if (!created.ok()) std::abort();
    return std::move(*created);
  }();
  return scanner;
}

const std::set<std::string>& TokenRuleIds() {
  static const std::set<std::string> ids = [] {
    std::set<std::string> out;
    for (const auto& rule : capstan::secrets::BuiltinRules()) out.insert(rule.id);
    return out;
  }();
  return ids;
}

using Key = std::tuple<std::string, int, int, std::string>;  // rule, line, column, digest

std::multiset<Key> TokenFindings(const FileScan& scan) {
  std::multiset<Key> out;
  for (const auto& f : scan.findings)
    if (TokenRuleIds().count(f.finding.rule))
      out.insert({f.finding.rule, f.finding.line, f.finding.column, f.digest});
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text = capstan::fuzz::AsText(data, size);
  const Scanner& scanner = TheScanner();
  for (const char* name : {"secret.yaml", "values.yaml", "kustomization.yaml", "app.json"})
    (void)scanner.Scan({name, text});
  (void)scanner.Scan({".env", text, capstan::secrets::Payload::kEnvFile});

  FileScan whole = scanner.Scan({"notes.txt", text});
  if (whole.binary || text.starts_with("\xff\xfe") || text.starts_with("\xfe\xff")) return 0;
  // Cut the text into pieces of 1 + (first byte % 97) bytes.
  std::size_t piece = size == 0 ? 1 : 1 + data[0] % 97;
  auto stream = scanner.StartStream("notes.txt");
  for (std::size_t at = 0; at < text.size(); at += piece) stream.Feed(text.substr(at, piece));
  CAPSTAN_FUZZ_CHECK(TokenFindings(stream.Finish()) == TokenFindings(whole));
  return 0;
}
