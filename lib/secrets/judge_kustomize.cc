#include "core/strings.h"
#include "secrets/credential_shape.h"
#include "secrets/file_judge.h"
#include "secrets/sops.h"

namespace capstan::secrets::internal {
namespace {

// Every value of a secretGenerator env file (KEY=value lines).
void JudgeEnvFile(FileJudge& judge, std::string_view text) {
  std::size_t line_start = 0;
  for (int line = 1; line_start < text.size(); ++line) {
    std::size_t nl = text.find('\n', line_start);
    std::string_view raw = text.substr(
        line_start, nl == std::string_view::npos ? std::string_view::npos : nl - line_start);
    std::size_t here = line_start;
    line_start = nl == std::string_view::npos ? text.size() : nl + 1;
    std::string_view t = Trim(raw);
    if (t.empty() || t.front() == '#') continue;
    std::size_t eq = raw.find('=');
    if (eq == std::string_view::npos) continue;  // KEY alone: taken from the environment
    std::string_view key = Trim(raw.substr(0, eq));
    if (key.starts_with("export ")) key = Trim(key.substr(7));
    std::string_view value = Trim(raw.substr(eq + 1));
    std::size_t value_at = here + eq + 1;
    while (value_at < text.size() && (text[value_at] == ' ' || text[value_at] == '\t')) ++value_at;
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front())
      value = value.substr(1, value.size() - 2);
    if (IsPlaceholder(value)) continue;
    judge.AtOffset(value_at, value.size(), "kustomize-secret-file",
                   std::string(key) + ": " +
                       judge.Describe(value, "plaintext value in a secretGenerator env file"),
                   value, report::Severity::kError);
  }
}

}  // namespace

void JudgeSecretGenerators(FileJudge& judge, const Document& doc, NodeId node,
                           const std::vector<std::string>& path, const PlaceholderContext& ctx) {
  NodeId gens = At(doc, node, {"secretGenerator"});
  if (gens == kNoNode || doc.node(gens).type != NodeType::kSequence) return;
  const auto& items = doc.node(gens).children;
  for (std::size_t i = 0; i < items.size(); ++i) {
    NodeId lits = At(doc, items[i], {"literals"});
    if (lits == kNoNode || doc.node(lits).type != NodeType::kSequence) continue;
    std::string name = doc.StringAt(doc.Resolve(items[i]), "name");
    const auto& entries = doc.node(lits).children;
    for (std::size_t j = 0; j < entries.size(); ++j) {
      const std::string* lit = doc.ScalarValue(entries[j]);
      if (lit == nullptr) continue;
      std::size_t eq = lit->find('=');
      std::string key = lit->substr(0, eq);
      std::string value = eq == std::string::npos ? "" : lit->substr(eq + 1);
      // kustomize strips one pair of matching quotes around the value.
      if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
          value.back() == value.front())
        value = value.substr(1, value.size() - 2);
      if (IsPlaceholder(value, ctx) || IsConnectionTemplate(value, ctx)) continue;
      std::vector<std::string> p =
          Child(Child(Child(Child(path, "secretGenerator"), std::to_string(i)), "literals"),
                std::to_string(j));
      judge.AtNode(doc, entries[j], p, "kustomize-secret-literal",
                   "secretGenerator '" + name + "' literal '" + key + "': " + judge.Describe(value),
                   value);
    }
  }
}

void JudgePayload(FileJudge& judge, FileScan& result) {
  std::string_view text = judge.input().text;
  SopsDotenvVerdict dotenv = VerifySopsDotenv(text);
  if (dotenv.state == SopsState::kEncrypted) return;
  if (dotenv.state == SopsState::kBroken) {
    for (const SopsLineProblem& p : dotenv.problems) {
      bool metadata = p.key.starts_with("sops_");
      judge.AtLine(p.line, p.column, metadata ? "sops-metadata" : "sops-unencrypted-value",
                   p.key + ": " + p.message, p.key, 1);
    }
    return;
  }
  if (judge.input().payload == Payload::kEnvFile) {
    JudgeEnvFile(judge, text);
    return;
  }
  if (Trim(text).empty()) return;
  if (text.find('\0') == std::string_view::npos) {
    yaml::ParsedFile parsed = yaml::Parse(text);
    bool all_sops = !parsed.documents.empty() && parsed.complete;
    for (const Document& doc : parsed.documents)
      all_sops = all_sops && VerifySops(doc).state != SopsState::kNotSops;
    if (all_sops) {
      for (const Document& doc : parsed.documents) {
        ++result.documents;
        JudgeDocument(judge, doc, k8s::FileRole::kManifests);
      }
      return;
    }
  }
  std::size_t first = text.find_first_not_of(" \t\r\n");
  judge.AtOffset(first, text.size() - first, "kustomize-secret-file",
                 "file is a secretGenerator payload and holds plaintext (" +
                     std::to_string(text.size()) +
                     " bytes); encrypt it with SOPS or use a SealedSecret/ExternalSecret",
                 text, report::Severity::kError);
}

}  // namespace capstan::secrets::internal
