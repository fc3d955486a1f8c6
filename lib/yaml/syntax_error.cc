#include "yaml/syntax_error.h"

#include <optional>
#include <string>

namespace capstan::yaml::internal {
namespace {

bool Is(const char* s, std::string_view want) { return s != nullptr && want == s; }

std::string Where(const Position& p) {
  return "line " + std::to_string(p.line) + ", column " + std::to_string(p.column);
}

Position PositionOf(const LineIndex& lines, const yaml_mark_t& mark) {
  return lines.AtCharacter(mark.index);
}

bool HasTabIndent(std::string_view line) {
  for (char c : line) {
    if (c == '\t') return true;
    if (c != ' ' && c != '-') return false;
  }
  return false;
}

std::size_t Indentation(std::string_view line) {
  std::size_t n = 0;
  while (n < line.size() && line[n] == ' ') ++n;
  return n;
}

// Nothing but blanks, line breaks and comments from offset to the end of the text.
bool OnlyBlankFrom(std::string_view text, std::size_t offset) {
  bool comment = false;
  for (std::size_t i = offset; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n' || c == '\r') {
      comment = false;
    } else if (c == '#') {
      comment = true;
    } else if (!comment && c != ' ' && c != '\t') {
      return false;
    }
  }
  return true;
}

bool IsDocumentMarker(std::string_view text, const Position& p) {
  std::string_view at = text.substr(std::min(p.offset, text.size()));
  return p.column == 1 && (at.substr(0, 3) == "---" || at.substr(0, 3) == "...");
}

Issue At(const Position& pos, const std::string& message, int index) {
  return Issue{IssueKind::kSyntax, pos, "invalid YAML: " + message, index};
}

// The issue for a construct libyaml found left open, pointed at where it opened; nullopt when
// the error is about something else.
std::optional<Issue> OpenConstruct(const yaml_parser_t& parser, std::string_view text,
                                   const LineIndex& lines, int index) {
  if (parser.context == nullptr) return std::nullopt;
  const Position open = PositionOf(lines, parser.context_mark);
  const Position problem = PositionOf(lines, parser.problem_mark);
  const std::string opened = " (opened at " + Where(open) + ")";

  if (Is(parser.context, "while scanning a quoted scalar")) {
    bool single = open.offset < text.size() && text[open.offset] == '\'';
    std::string message = std::string("found unterminated ") + (single ? "single" : "double") +
                          "-quoted scalar" + opened;
    if (Is(parser.problem, "found unexpected document indicator")) {
      message += ": the document marker at line " + std::to_string(problem.line) +
                 " comes before its closing quote";
    }
    return At(open, message, index);
  }

  const bool sequence = Is(parser.context, "while parsing a flow sequence");
  if (sequence || Is(parser.context, "while parsing a flow mapping")) {
    const std::string closer = sequence ? "']'" : "'}'";
    // A flow collection is taken as unclosed when the parser ran into the end of the file or
    // of the document, or into a line indented no deeper than the one that opened it (a block
    // key after a forgotten bracket). A missing ',' between items of a multi-line collection
    // leaves the problem on a deeper line and is reported there.
    std::string why;
    if (OnlyBlankFrom(text, problem.offset)) {
      why = "the file ends before its " + closer;
    } else if (IsDocumentMarker(text, problem)) {
      why = "the document ends before its " + closer;
    } else if (problem.line > open.line &&
               Indentation(lines.Line(problem.line)) <= Indentation(lines.Line(open.line))) {
      why = "expected ',' or " + closer + " before " + Where(problem);
    } else {
      return std::nullopt;
    }
    return At(open,
              std::string("found unclosed ") + (sequence ? "flow sequence" : "flow mapping") +
                  opened + ": " + why,
              index);
  }

  if (Is(parser.context, "while scanning a simple key")) {
    return At(open, "could not find expected ':' after the key that starts at " + Where(open),
              index);
  }
  if (Is(parser.context, "while scanning a tag") &&
      Is(parser.problem, "did not find the expected '>'")) {
    return At(open, "found unclosed verbatim tag '!<'" + opened, index);
  }
  return std::nullopt;
}

}  // namespace

Issue SyntaxIssue(const yaml_parser_t& parser, std::string_view text, const LineIndex& lines,
                  int index) {
  // The reader (a control character, say) reports a byte offset and no mark.
  if (parser.error == YAML_READER_ERROR) {
    return At(lines.At(parser.problem_offset),
              parser.problem != nullptr ? parser.problem : "cannot read the text", index);
  }
  if (std::optional<Issue> open = OpenConstruct(parser, text, lines, index)) return *open;

  const Position problem = PositionOf(lines, parser.problem_mark);
  std::string message = parser.problem != nullptr ? parser.problem : "cannot parse";
  if (parser.context != nullptr) {
    message += std::string(" (") + parser.context;
    const Position start = PositionOf(lines, parser.context_mark);
    if (start.offset != problem.offset) message += " that starts at " + Where(start);
    message += ")";
  }
  // A tab indenting the problem's line or a neighbour is nearly always the cause.
  const int line_no = problem.line;
  for (int l : {line_no, line_no + 1, line_no - 1}) {
    std::string_view line = lines.Line(l);
    if (!HasTabIndent(line)) continue;
    return At(lines.AtLineByte(l, static_cast<int>(line.find('\t')) + 1),
              "a tab character is used for indentation; YAML indents with spaces only", index);
  }
  return At(problem, message, index);
}

}  // namespace capstan::yaml::internal
