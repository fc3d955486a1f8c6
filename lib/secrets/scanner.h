// capstan-scan's engine: judges one file for plaintext secrets, structurally where the file is a
// manifest (Secret, SOPS, SealedSecret, External Secrets, kustomize secretGenerator, workload
// env, Helm values, kubeconfig) and by credential rules over its raw text in every case.
//
// Cost model: every file costs one keyword pass of the TokenScanner and one pass of a
// structural trigger regex; only a YAML/JSON file whose text could hold a structural finding
// (a Secret-like kind, SOPS metadata, a secretGenerator, a kubeconfig, an env item with a
// secret-looking name and a literal value, a secret-looking key in Helm values) is parsed.
//
// Fails closed: a YAML/JSON file that a structural rule would have judged but that does not
// parse (a syntax error, invalid UTF-8, a NUL byte, a nesting or alias limit) gets a
// `scan-unparsed` error at the parser's position, and the Secret values it plainly holds are
// still found line by line (text_fallback.h). UTF-16 text (with a byte order mark) is judged as
// its UTF-8 transcoding, with the same lines.
//
// Findings never carry a value from the file: messages hold a key path, the rule and a
// RedactedHint. Each finding comes with a digest of its value for baselines, which the caller
// must never print.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "k8s/kustomize.h"
#include "report/finding.h"
#include "secrets/token_rules.h"

namespace capstan::secrets {

// How a file is judged beyond its text: kNone by its name and content (manifests, values,
// templates, anything else); kEnvFile, every KEY=value line's value; kFile, the whole content.
// A kustomization's secretGenerator says which files are payloads (k8s::GeneratorPayloads,
// k8s::KustomizationIndex).
using Payload = k8s::Payload;

struct FileInput {
  // As reported, '/'-separated. Decides the file's role: only *.yaml, *.yml, *.json,
  // Kustomization and "<stdin>" are parsed as YAML; Helm values and templates by their path.
  std::string_view name;
  std::string_view text;
  Payload payload = Payload::kNone;
};

struct ScanFinding {
  report::Finding finding;
  // Hex SHA-256 over the rule, a NUL byte and the offending value (or, when the finding has no
  // value, such as missing SOPS metadata, its path). The same secret under the same rule gives
  // the same digest in any position. For baselines only; never print it.
  std::string digest;
};

struct FileScan {
  std::vector<ScanFinding> findings;  // in text order
  int documents = 0;                  // YAML documents examined structurally
  bool parsed = false;                // whether the file was YAML-parsed
  bool binary = false;                // skipped: a NUL byte in the first 8 KiB of a file
                                      // not named *.yaml, *.yml or *.json
};

// The credential (token) rules alone over a text too large to hold or parse (a file past
// --max-file-size), fed in pieces of any size: the token findings Scan would report for the
// whole text, at the same lines and columns, found with memory bounded by a few MiB whatever
// the text's size or line length. A credential longer than 64 KiB may be missed.
class StreamScan {
 public:
  StreamScan(StreamScan&&) noexcept;
  StreamScan& operator=(StreamScan&&) noexcept;
  ~StreamScan();

  // Appends the next piece of the text.
  void Feed(std::string_view piece);

  // The findings over everything fed (token rules only; a `capstan:allow` covering the rule on
  // the finding's line or the line above is honoured: report/suppression.h). Call once, after the
  // last Feed.
  FileScan Finish();

 private:
  friend class Scanner;
  struct Impl;
  StreamScan(const TokenScanner& tokens, std::string_view name);
  std::unique_ptr<Impl> impl_;
};

// Rule ids and one-line summaries of everything Scan can report (structural rules first, then
// the token rules of the scanner in rule order).
std::vector<report::RuleInfo> StructuralRules();

class Scanner {
 public:
  // token_rules: typically BuiltinRules() plus user rules. Fails like TokenScanner::Create.
  static Result<Scanner> Create(std::vector<Rule> token_rules);

  Scanner(Scanner&&) noexcept;
  Scanner& operator=(Scanner&&) noexcept;
  ~Scanner();

  // Judges one file. Never fails: text that is not valid YAML is still scanned as text.
  // Findings suppressed by an inline `capstan:allow` comment covering their rule (on the
  // finding's line or the line above; report/suppression.h) are left out. Thread-safe.
  FileScan Scan(const FileInput& input) const;

  // A StreamScan of the file reported as `name`. It borrows this Scanner, which must outlive it.
  StreamScan StartStream(std::string_view name) const;

  // StructuralRules() followed by the token rules.
  std::vector<report::RuleInfo> Rules() const;

 private:
  Scanner() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace capstan::secrets
