#include "secrets/file_judge.h"

#include <algorithm>
#include <tuple>

#include "core/strings.h"
#include "report/suppression.h"
#include "secrets/redact.h"
#include "secrets/token_finding.h"
#include "yaml/path.h"

namespace capstan::secrets::internal {

const yaml::LineIndex& FileJudge::lines() {
  if (!lines_) lines_.emplace(in_.text);
  return *lines_;
}

void FileJudge::SetResource(const Document& doc, NodeId node, k8s::FileRole role) {
  resource_ = k8s::ToResource(k8s::Classify(doc, node, role).identity);
}

void FileJudge::AtNode(const Document& doc, NodeId node, std::vector<std::string> path,
                       std::string rule, std::string message, std::string_view value,
                       report::Severity severity) {
  const yaml::Node& n = doc.node(node);
  std::string pointer = yaml::JsonPointer(path);
  std::string_view digested = value.empty() ? std::string_view(pointer) : value;
  Add(n.pos.line, n.pos.column, n.pos.offset, std::max(n.end, n.pos.offset + 1), std::move(rule),
      std::move(message), digested, severity, std::move(pointer));
}

report::Finding& FileJudge::AtOffset(std::size_t offset, std::size_t length, std::string rule,
                                     std::string message, std::string_view value,
                                     report::Severity severity, std::string path) {
  yaml::Position p = lines().At(offset);
  return Add(p.line, p.column, offset, offset + std::max<std::size_t>(length, 1), std::move(rule),
             std::move(message), value, severity, std::move(path));
}

report::Finding& FileJudge::Add(int line, int column, std::size_t lo, std::size_t hi,
                                std::string rule, std::string message, std::string_view value,
                                report::Severity severity, std::string path) {
  report::Finding f;
  f.rule = std::move(rule);
  f.severity = severity;
  f.message = std::move(message);
  f.file = std::string(in_.name);
  f.line = line;
  f.column = column;
  f.path = std::move(path);
  f.resource = resource_;
  // SecretFingerprint without its "sha256:" prefix, as baselines store it.
  std::string digest = SecretFingerprint(f.rule, value).substr(7);
  covered_.emplace_back(lo, hi);
  out_.push_back(ScanFinding{std::move(f), std::move(digest)});
  return out_.back().finding;
}

void FileJudge::AtLine(int line, int byte_column, std::string rule, std::string message,
                       std::string_view value, std::size_t length) {
  yaml::Position p = lines().AtLineByte(line, byte_column);
  AtOffset(p.offset, length, std::move(rule), std::move(message), value, report::Severity::kError);
}

bool FileJudge::Covered(std::size_t offset) const {
  for (const auto& [lo, hi] : covered_)
    if (offset >= lo && offset < hi) return true;
  return false;
}

std::string FileJudge::Identify(std::string_view value) const {
  for (const TokenMatch& m : tokens_.Scan(value)) {
    if (m.confidence != Confidence::kHigh) continue;
    for (const Rule& r : tokens_.rules())
      if (r.id == m.rule_id) return r.description;
  }
  return "";
}

std::string FileJudge::Describe(std::string_view value, std::string_view what) const {
  std::string kind = Identify(value);
  std::string out = kind.empty() ? std::string(what) : std::string(what) + ", looks like: " + kind;
  return out + " (" + RedactedHint(value) + ")";
}

void FileJudge::Finish(FileScan& result) {
  for (ScanFinding& f : out_) {
    int line = f.finding.line;
    const std::string& rule = f.finding.rule;
    if (line > 0 && (report::AllowMarkerCovers(lines().Line(line), rule) ||
                     (line > 1 && report::AllowMarkerCovers(lines().Line(line - 1), rule))))
      continue;
    result.findings.push_back(std::move(f));
  }
  std::stable_sort(result.findings.begin(), result.findings.end(),
                   [](const ScanFinding& a, const ScanFinding& b) {
                     return std::tie(a.finding.line, a.finding.column) <
                            std::tie(b.finding.line, b.finding.column);
                   });
}

std::vector<std::string> Child(std::vector<std::string> path, std::string seg) {
  path.push_back(std::move(seg));
  return path;
}

NodeId At(const Document& doc, NodeId node, std::initializer_list<std::string_view> keys) {
  for (std::string_view k : keys) {
    node = doc.Resolve(node);
    if (node == kNoNode || doc.node(node).type != NodeType::kMapping) return kNoNode;
    node = doc.Get(node, k);
  }
  return doc.Resolve(node);
}

std::string DottedPath(const std::vector<std::string>& segments) {
  std::string out;
  for (const std::string& s : segments) {
    bool index =
        !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    bool plain = !s.empty() && s.find_first_of(".[] \"") == std::string::npos;
    if (index) {
      out += "[" + s + "]";
    } else if (plain) {
      out += (out.empty() ? "" : ".") + s;
    } else {
      out += "[" + s + "]";
    }
  }
  return out;
}

bool IsPublicMaterial(std::string_view v) {
  v = Trim(v);
  bool pem_public = v.starts_with("-----BEGIN CERTIFICATE-----") ||
                    v.starts_with("-----BEGIN PUBLIC KEY-----") ||
                    v.starts_with("-----BEGIN X509 CRL-----");
  if (pem_public) return v.find("PRIVATE KEY") == std::string_view::npos;
  return v.starts_with("ssh-rsa AAAA") || v.starts_with("ssh-ed25519 AAAA") ||
         v.starts_with("ecdsa-sha2-nistp256 AAAA");
}

bool IsArgoCdDescriptiveKey(std::string_view key) {
  static constexpr std::string_view kKeys[] = {"url",
                                               "type",
                                               "name",
                                               "project",
                                               "insecure",
                                               "enableLFS",
                                               "enableOCI",
                                               "proxy",
                                               "noProxy",
                                               "githubAppID",
                                               "githubAppInstallationID",
                                               "githubAppEnterpriseBaseUrl",
                                               "forceHttpBasicAuth",
                                               "server",
                                               "namespaces",
                                               "clusterResources",
                                               "username",
                                               "useAzureWorkloadIdentity"};
  return std::find(std::begin(kKeys), std::end(kKeys), key) != std::end(kKeys);
}

namespace {

// The innermost scalar of the parsed file whose source holds offset, as (document, node).
std::pair<const Document*, NodeId> ScalarAt(const yaml::ParsedFile& parsed, std::size_t offset) {
  const Document* best_doc = nullptr;
  NodeId best = kNoNode;
  for (const Document& doc : parsed.documents) {
    for (NodeId id = 0; id < doc.size(); ++id) {
      const yaml::Node& n = doc.node(id);
      if (n.type != NodeType::kScalar || n.pos.offset > offset || offset >= n.end) continue;
      if (best == kNoNode || n.pos.offset >= best_doc->node(best).pos.offset) {
        best_doc = &doc;
        best = id;
      }
    }
  }
  return {best_doc, best};
}

}  // namespace

void JudgeTokens(FileJudge& judge, const TokenScanner& tokens,
                 const std::vector<TokenMatch>& matches, const yaml::ParsedFile* parsed,
                 k8s::FileRole role, std::string_view text) {
  for (const TokenMatch& m : matches) {
    if (judge.Covered(m.offset)) continue;
    std::string_view secret = text.substr(m.offset, m.length);
    TokenVerdict verdict = DescribeTokenMatch(tokens, m, secret);
    std::string path;
    report::Resource resource;
    if (parsed != nullptr) {
      auto [doc, node] = ScalarAt(*parsed, m.offset);
      if (doc != nullptr) {
        if (auto p = yaml::PathToOffset(*doc, doc->node(node).pos.offset))
          path = yaml::JsonPointer(*p);
        NodeId root = doc->Resolve(doc->root());
        if (root != kNoNode && doc->node(root).type == NodeType::kMapping)
          resource = k8s::ToResource(k8s::Classify(*doc, root, role).identity);
      }
    }
    judge
        .AtOffset(m.offset, m.length, m.rule_id, std::move(verdict.message), secret,
                  verdict.severity, path)
        .resource = resource;
  }
}

}  // namespace capstan::secrets::internal
