// One writer per output format, shared by every tool. Writers only format: they never decide
// exit codes and never see secret values (findings do not hold them).
#pragma once

#include <cstddef>
#include <ostream>
#include <string_view>

#include "core/result.h"
#include "report/finding.h"

namespace capstan::report {

enum class Format {
  kText,
  kJson,
  kSarif,
  kJunit,
  kGithub,
  kCodeQuality,
  kGitlabSecretDetection,
  kMarkdown,
};

// Parses a --format value; kInvalidArgument lists the accepted names.
Result<Format> ParseFormat(std::string_view name);

// "text|json|sarif|junit|github|codequality|gitlab-secret-detection|markdown", for usage texts.
const char* FormatNames();

// The markdown format stays below this many bytes: GitHub drops a whole job summary
// ($GITHUB_STEP_SUMMARY) over 1 MiB.
inline constexpr std::size_t kMaxMarkdownBytes = 1'000'000;

// The sarif format keeps at most this many results, the most severe: GitHub code scanning
// refuses a run with more.
inline constexpr std::size_t kMaxSarifResults = 25'000;

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
//   sarif:       SARIF 2.1.0 as GitHub code scanning takes it, one run:
//                - automationDetails.id "<tool>/" (the code-scanning category: each tool's
//                  upload replaces only its own alerts);
//                - rules from report.rules, then any other rule a finding names, each with
//                  shortDescription, fullDescription (cut to kMaxRuleDescriptionChars),
//                  help.text, properties.tags and, for security rules, "security-severity";
//                - results with level, message, a location (relative file names as URI
//                  references with uriBaseId "%SRCROOT%", declared in originalUriBaseIds with
//                  a description but no uri: the checkout's location is not known when the
//                  report is written; absolute ones as file: URIs; stdin as "stdin"), the YAML
//                  path as a logical location,
//                  partialFingerprints "capstan/v1" (the fingerprint) and
//                  "primaryLocationLineHash" ("<fingerprint>:<n>", n counting identical
//                  findings from 1), and properties resource and commit when set;
//                - a finding about no file (capstan-sync) is not a result, since code scanning
//                  refuses a result without a location in the repository: it becomes a
//                  toolExecutionNotification of invocations[0] (level, message with resource,
//                  associatedRule), which GitHub shows on the tool's status page;
//                - at most kMaxSarifResults results: past it the most severe are kept, and a
//                  toolExecutionNotification and run.properties["capstan/resultsLeftOut"] say
//                  how many were left out;
//                - tool.driver.informationUri: the project's repository.
//   junit:       one <testsuite>, a <testcase> per file, a <failure> per error/warning
//   github:      "::error file=...,line=...,col=...,title=rule::message" workflow commands,
//                errors first, then warnings, then notices (report order within each), at most
//                options.max_annotations of each (0: none); then, when any finding was left
//                out, one "::notice title=<tool>::N findings were not annotated ..." (when the
//                notes alone fill their budget, one note fewer is shown so that this notice
//                is not the one GitHub drops). Messages longer than GitHub's 4,096 characters
//                are cut to 4,096 ending in "…"; data is escaped (%, CR, LF) and properties too
//                (also : and ,) as @actions/core does.
//   codequality: GitLab Code Quality JSON array
//   gitlab-secret-detection:
//                GitLab's secret detection report, schema 15.1.4 (`artifacts: reports:
//                secret_detection`), whatever tool wrote the report:
//                - scan.analyzer and scan.scanner: id and name report.tool, its version, vendor
//                  "capstan"; scan.type "secret_detection", scan.status "success" (a run that
//                  failed writes no report);
//                - scan.start_time/end_time: report.started_at/finished_at; when only one is set
//                  (or well-formed) both are that one, when neither is, both are the epoch
//                  "1970-01-01T00:00:00" (lib/ reads no clock; tools set them);
//                - one vulnerability per finding: id a UUID (version 8) derived from the
//                  fingerprint, the commit and the finding's rank among identical ones, so it
//                  is stable across runs; name the rule's summary (at most 255 characters);
//                  solution the rule's help, when the report lists the rule;
//                  description the message and resource (never a secret value); severity
//                  error → "Critical" (as GitLab's own analyzer rates every leaked secret),
//                  warning → "Medium", note → "Info"; one identifier {type "capstan_rule_id",
//                  value the rule}; location.file and start_line (a whole-file finding: line
//                  1), location.commit.sha the finding's commit or "0000000" (what GitLab's
//                  analyzer writes for a scan of the working tree). A finding about no file
//                  (capstan-sync) has a location with only the commit.
//   markdown:    for $GITHUB_STEP_SUMMARY: a "### tool: counts" heading (the text format's
//                summary line, e.g. "no problems in 12 files (40 documents)"), then a table of
//                every finding (severity, file:line:col, rule, message with resource), errors
//                first, then warnings, then notes, report order within each; then, for
//                capstan-sync, a table of deployments (application, outcome, revision, sync,
//                health, duration). Cell text is escaped to read literally (no table break, no
//                HTML, no formatting, links or mentions). Rows stop before the output would
//                reach kMaxMarkdownBytes (deployments are kept first), and a last line says how
//                many rows were left out.
void Write(Format format, const Report& report, std::ostream& out,
           const WriteOptions& options = {});

}  // namespace capstan::report
