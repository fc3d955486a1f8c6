// Parses YAML (and JSON, which is read as YAML) into Documents with exact positions, using
// libyaml's event API (the C library go-yaml was ported from, so it accepts what kubectl accepts).
// Never throws, never crashes, never recurses without bound: every problem becomes an Issue.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "yaml/document.h"

namespace capstan::yaml {

struct Limits {
  // Collections nested deeper than this are refused.
  int max_depth = 256;
  // Nodes visited when aliases are expanded (ToJson, walkers); guards against alias bombs.
  std::size_t max_expanded_nodes = 1'000'000;
  // Files larger than this are not parsed (enforced where files are read).
  std::uint64_t max_file_bytes = 16u << 20;
};

enum class IssueKind {
  kSyntax,        // not well-formed YAML/JSON
  kDuplicateKey,  // a mapping names the same key twice
  kEncoding,      // binary, invalid UTF-8, UTF-16
  kLimit,         // nesting depth, alias expansion or size limit
};

struct Issue {
  IssueKind kind = IssueKind::kSyntax;
  Position pos;
  std::string message;  // one line, lowercase, no trailing period
  int document = -1;    // 0-based index of the document it was found in, -1 when unknown
};

struct ParsedFile {
  std::vector<Document> documents;  // complete documents only, in file order
  std::vector<Issue> issues;        // in file order
  // False when parsing stopped early (syntax, encoding or limit): later documents are missing.
  bool complete = true;
};

ParsedFile Parse(std::string_view text, const Limits& limits = {});

// Rule ids used in findings for each issue kind ("yaml-syntax", "duplicate-key", ...).
const char* IssueRule(IssueKind kind);

}  // namespace capstan::yaml
