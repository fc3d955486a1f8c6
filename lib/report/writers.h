// Private to lib/report: the per-format writers behind Write() and the pieces they share.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "report/finding.h"

namespace capstan::report::internal {

void WriteText(const Report& report, std::ostream& out);
void WriteJson(const Report& report, std::ostream& out);
void WriteSarif(const Report& report, std::ostream& out);
void WriteJunit(const Report& report, std::ostream& out);
// At most max_annotations per severity (negative: none).
void WriteGithub(const Report& report, int max_annotations, std::ostream& out);
void WriteCodeQuality(const Report& report, std::ostream& out);
void WriteGitlabSecretDetection(const Report& report, std::ostream& out);
void WriteMarkdown(const Report& report, std::ostream& out);

// "file:line:col", dropping ":col" when the column is 0 and ":line:col" when the line is 0.
std::string Location(const Finding& f);

// The message followed by " [kind/name]" or " [kind/namespace/name]" when the finding names a
// resource; " [kind]" when the resource has no name.
std::string MessageWithResource(const Finding& f);

// s cut to at most max_chars characters (code points; a byte that is not UTF-8 counts as one)
// without splitting one; when cut, the last character kept is "…" (U+2026).
std::string TruncateChars(std::string_view s, std::size_t max_chars);

// The findings ordered errors, then warnings, then notes; report order within a severity.
std::vector<const Finding*> MostSevereFirst(const Report& report);

// The closing count of the text format, counted from the findings: "2 errors, 1 warning in 5
// files (7 documents)", "no problems in 0 files (0 documents)", or "... in 3 applications (2
// deployed, 1 failed)" when the report lists deployments.
std::string SummaryLine(const Report& report);

// f.fingerprint, or Fingerprint(f) when the report was not finalized.
std::string FingerprintOf(const Finding& f);

// {"apiVersion","kind","namespace","name"}.
nlohmann::ordered_json ResourceJson(const Resource& r);

// Pretty-prints with a 2-space indent and a final newline; invalid UTF-8 becomes U+FFFD
// instead of throwing.
void DumpJson(const nlohmann::ordered_json& j, std::ostream& out);

}  // namespace capstan::report::internal
