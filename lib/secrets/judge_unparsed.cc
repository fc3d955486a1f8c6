#include <algorithm>

#include "core/base64.h"
#include "secrets/credential_shape.h"
#include "secrets/file_judge.h"
#include "secrets/redact.h"
#include "secrets/text_fallback.h"

namespace capstan::secrets::internal {

// The first problem is the error, so the file is never waved through; the Secret values its
// text plainly holds are judged as far as text allows.
void JudgeUnparsed(FileJudge& judge, const yaml::ParsedFile& parsed, std::string_view text) {
  judge.ClearResource();
  for (const yaml::Issue& issue : parsed.issues) {
    if (issue.kind == yaml::IssueKind::kDuplicateKey) continue;
    judge.AtOffset(std::min(issue.pos.offset, text.size()), 1, "scan-unparsed",
                   "could not be parsed, so its Secrets were not judged structurally: " +
                       issue.message + "; fix the file or list it in .capstanignore",
                   "", report::Severity::kError);
    break;
  }
  // The documents before the broken one were judged structurally (and what they hold that is
  // not a finding, such as a placeholder, must stay so): the text is read from where they end.
  std::size_t from = 0;
  if (!parsed.documents.empty()) {
    const yaml::Document& last = parsed.documents.back();
    for (NodeId id = 0; id < last.size(); ++id) from = std::max(from, last.node(id).end);
  }
  PlaceholderContext ctx;
  ctx.avp_annotated = text.find("avp.kubernetes.io/") != std::string_view::npos;
  bool argocd = text.find("argocd.argoproj.io/secret-type") != std::string_view::npos;
  for (const TextSecretValue& v : FindSecretValuesByText(text)) {
    if (v.offset < from || judge.Covered(v.offset)) continue;
    if (argocd && IsArgoCdDescriptiveKey(v.key)) continue;
    bool encoded = v.field == "data";
    std::string shown = DottedPath({v.field, v.key});
    const char* rule = encoded ? "secret-data" : "secret-string-data";
    const char* how = " (found by text: the file does not parse)";
    std::string value = v.value;
    if (IsPlaceholder(value, ctx)) continue;
    if (encoded) {
      std::string compact;
      for (char c : value)
        if (c != '\n' && c != ' ') compact += c;
      std::optional<std::string> decoded = DecodeBase64(compact);
      if (!decoded) {
        judge.AtOffset(v.offset, v.length, "secret-data-invalid-base64",
                       shown + ": value is not valid base64 (" + RedactedHint(value) + ")" + how,
                       value, report::Severity::kError);
        continue;
      }
      if (IsPlaceholder(*decoded, ctx)) continue;
      value = std::move(*decoded);
    }
    if (IsConnectionTemplate(value, ctx) || IsPublicMaterial(value)) continue;
    judge.AtOffset(v.offset, v.length, rule,
                   shown + ": " +
                       judge.Describe(value, encoded ? "plaintext value, only base64-encoded"
                                                     : "plaintext value") +
                       how,
                   value, report::Severity::kError);
  }
}

}  // namespace capstan::secrets::internal
