// One writer per output format, shared by every tool. Writers only format: they never decide
// exit codes and never see secret values (findings do not hold them).
#pragma once

#include <ostream>
#include <string_view>

#include "core/result.h"
#include "report/finding.h"

namespace capstan::report {

enum class Format { kText, kJson, kSarif, kJunit, kGithub, kCodeQuality };

// Parses a --format value; kInvalidArgument lists the accepted names.
Result<Format> ParseFormat(std::string_view name);

// "text|json|sarif|junit|github|codequality", for usage texts.
const char* FormatNames();

// What some formats limit; the others ignore it.
struct WriteOptions {
  // github: annotations per severity (GitHub shows 10 errors, 10 warnings and 10 notices per
  // step); the rest are counted in one closing notice.
  int max_annotations = 10;
};

// Writes the whole report to out in the given format.
//   text:        a line per deployment (capstan-sync), "file:line:col: severity rule: message"
//                per finding, then a summary line
//   json:        {"tool","version","findings":[...],"summary":{...}} (schemas/report.schema.json)
//   sarif:       SARIF 2.1.0, one run, rules from report.rules
//   junit:       one <testsuite>, a <testcase> per file, a <failure> per error/warning
//   github:      "::error file=...,line=...,col=...,title=rule::message" workflow commands
//   codequality: GitLab Code Quality JSON array
void Write(Format format, const Report& report, std::ostream& out,
           const WriteOptions& options = {});

}  // namespace capstan::report
