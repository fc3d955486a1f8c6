// Internal to lib/secrets: the bookkeeping Scanner::Scan's structural rules share (FileJudge:
// findings at a YAML node, a byte offset or a line, the byte ranges they cover, naming a value
// without showing it) and the rules themselves, one function per family in judge_*.cc. Not for
// use outside lib/secrets.
//
//   judge_document.cc    a YAML document: SOPS files, Lists, and the dispatch by kind below
//   judge_secret.cc      Secret data / stringData, .dockerconfigjson
//   judge_templates.cc   SealedSecret and ExternalSecret templates, SecretStore fake provider
//   judge_kustomize.cc   secretGenerator literals and the payload files a generator names
//   judge_env.cc         container env vars with a secret-looking name and a literal value
//   judge_values.cc      Helm values files
//   judge_kubeconfig.cc  kubeconfig users
//   judge_unparsed.cc    a manifest that does not parse (fail closed, text fallback)
//   file_judge.cc        FileJudge, token findings and the final ordering
#pragma once

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "k8s/classify.h"
#include "report/finding.h"
#include "secrets/placeholder.h"
#include "secrets/scanner.h"
#include "secrets/token_rules.h"
#include "yaml/document.h"
#include "yaml/parser.h"
#include "yaml/source.h"

namespace capstan::secrets::internal {

using yaml::Document;
using yaml::kNoNode;
using yaml::NodeId;
using yaml::NodeType;

// Judges one file: collects its findings and the byte ranges they cover, so that a credential
// the token rules also see inside a reported value is reported once, by the structural rule.
// REQUIRES: tokens and in outlive the judge.
class FileJudge {
 public:
  FileJudge(const TokenScanner& tokens, const FileInput& in) : tokens_(tokens), in_(in) {}

  const FileInput& input() const { return in_; }
  const yaml::LineIndex& lines();

  // The resource the following findings are reported against: the object at node, or none.
  void SetResource(const yaml::Document& doc, yaml::NodeId node, k8s::FileRole role);
  void ClearResource() { resource_ = {}; }

  // A finding at a YAML node (path: its JSON pointer segments). Its digest is over value, or
  // over the path when value is empty (a finding without a value, such as missing metadata).
  void AtNode(const yaml::Document& doc, yaml::NodeId node, std::vector<std::string> path,
              std::string rule, std::string message, std::string_view value,
              report::Severity severity = report::Severity::kError);
  // A finding at a byte offset of the text, covering length bytes. Returns it for amendment.
  report::Finding& AtOffset(std::size_t offset, std::size_t length, std::string rule,
                            std::string message, std::string_view value, report::Severity severity,
                            std::string path = "");
  // An error finding at a 1-based line and byte column, covering length bytes.
  void AtLine(int line, int byte_column, std::string rule, std::string message,
              std::string_view value, std::size_t length);

  // Whether offset lies inside a value a finding was reported at.
  bool Covered(std::size_t offset) const;

  // What the token rules say a value is ("a GitHub token"), or "" when none matches.
  std::string Identify(std::string_view value) const;
  // "plaintext value (14 chars, starts 'hu')" or "plaintext value, looks like: <rule> (...)".
  std::string Describe(std::string_view value, std::string_view what = "plaintext value") const;

  // Drops the findings an inline `capstan:allow` comment suppresses (on the finding's line or
  // the line above), appends the rest to result ordered by line and column.
  void Finish(FileScan& result);

 private:
  // A finding at line and column, covering the bytes [lo, hi).
  report::Finding& Add(int line, int column, std::size_t lo, std::size_t hi, std::string rule,
                       std::string message, std::string_view value, report::Severity severity,
                       std::string path);

  const TokenScanner& tokens_;
  const FileInput& in_;
  std::optional<yaml::LineIndex> lines_;
  report::Resource resource_;
  std::vector<std::pair<std::size_t, std::size_t>> covered_;
  std::vector<ScanFinding> out_;
};

// --- paths and shared judgements ---------------------------------------------------------

// path with seg appended.
std::vector<std::string> Child(std::vector<std::string> path, std::string seg);

// The node at keys below node (aliases resolved), or kNoNode where a step is not a mapping or
// lacks the key.
yaml::NodeId At(const yaml::Document& doc, yaml::NodeId node,
                std::initializer_list<std::string_view> keys);

// "stringData.password", "data[.dockerconfigjson]", "spec.template.spec.containers[0].env[2]".
std::string DottedPath(const std::vector<std::string>& segments);

// Certificates and public keys (published on purpose: tls.crt, ca.crt, ssh known hosts).
bool IsPublicMaterial(std::string_view value);

// Argo CD repository/cluster Secret keys that describe the connection rather than hold a
// credential (argo-cd docs: declarative setup).
bool IsArgoCdDescriptiveKey(std::string_view key);

// --- rule families -----------------------------------------------------------------------

// One YAML document of a manifest or kustomization file (judge_document.cc).
void JudgeDocument(FileJudge& judge, const yaml::Document& doc, k8s::FileRole role);

// A `kind: Secret` object at node, reported under path (judge_secret.cc).
void JudgeSecret(FileJudge& judge, const yaml::Document& doc, yaml::NodeId node,
                 const std::vector<std::string>& path, const PlaceholderContext& ctx);

// SealedSecret spec.template.data, ExternalSecret / ClusterExternalSecret target template
// data, SecretStore / ClusterSecretStore fake provider data (judge_templates.cc).
void JudgeSealedSecret(FileJudge& judge, const yaml::Document& doc, yaml::NodeId node,
                       const std::vector<std::string>& path, const PlaceholderContext& ctx);
void JudgeExternalSecret(FileJudge& judge, const yaml::Document& doc, yaml::NodeId node,
                         const std::vector<std::string>& path, std::string_view kind,
                         const PlaceholderContext& ctx);
void JudgeSecretStore(FileJudge& judge, const yaml::Document& doc, yaml::NodeId node,
                      const std::vector<std::string>& path, const PlaceholderContext& ctx);

// A kustomization's secretGenerator literals (judge_kustomize.cc).
void JudgeSecretGenerators(FileJudge& judge, const yaml::Document& doc, yaml::NodeId node,
                           const std::vector<std::string>& path, const PlaceholderContext& ctx);
// A file a secretGenerator names (judge.input().payload is not kNone): every value of an env
// file, the whole of any other file, unless the file is SOPS-encrypted (judge_kustomize.cc).
void JudgePayload(FileJudge& judge, FileScan& result);

// Every `env:` list in the node id range [lo, hi) of doc: an object's subtree (judge_env.cc).
void JudgeEnv(FileJudge& judge, const yaml::Document& doc, yaml::NodeId lo, yaml::NodeId hi);

// A Helm values document (judge_values.cc).
void JudgeValuesFile(FileJudge& judge, const yaml::Document& doc);

// A kubeconfig (`kind: Config`) at node (judge_kubeconfig.cc).
void JudgeKubeconfig(FileJudge& judge, const yaml::Document& doc, yaml::NodeId node,
                     const std::vector<std::string>& path);

// A manifest that stopped parsing: a `scan-unparsed` error at the first problem, and the
// Secret values its text plainly holds after the documents that parsed (judge_unparsed.cc).
void JudgeUnparsed(FileJudge& judge, const yaml::ParsedFile& parsed, std::string_view text);

// The token rules' matches over the text, except inside values a structural rule already
// reported; parsed (may be null) names their YAML path and resource (file_judge.cc).
void JudgeTokens(FileJudge& judge, const TokenScanner& tokens,
                 const std::vector<TokenMatch>& matches, const yaml::ParsedFile* parsed,
                 k8s::FileRole role, std::string_view text);

}  // namespace capstan::secrets::internal
