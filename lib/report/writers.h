// Private to lib/report: the per-format writers behind Write() and the pieces they share.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <ostream>
#include <string>

#include "report/finding.h"

namespace capstan::report::internal {

void WriteText(const Report& report, std::ostream& out);
void WriteJson(const Report& report, std::ostream& out);
void WriteSarif(const Report& report, std::ostream& out);
void WriteJunit(const Report& report, std::ostream& out);
void WriteGithub(const Report& report, std::ostream& out);
void WriteCodeQuality(const Report& report, std::ostream& out);

// "file:line:col", dropping ":col" when the column is 0 and ":line:col" when the line is 0.
std::string Location(const Finding& f);

// The message followed by " [kind/name]" or " [kind/namespace/name]" when the finding names a
// resource; " [kind]" when the resource has no name.
std::string MessageWithResource(const Finding& f);

// f.fingerprint, or Fingerprint(f) when the report was not finalized.
std::string FingerprintOf(const Finding& f);

// {"apiVersion","kind","namespace","name"}.
nlohmann::ordered_json ResourceJson(const Resource& r);

// Pretty-prints with a 2-space indent and a final newline; invalid UTF-8 becomes U+FFFD
// instead of throwing.
void DumpJson(const nlohmann::ordered_json& j, std::ostream& out);

}  // namespace capstan::report::internal
