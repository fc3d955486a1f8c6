// Internal to lib/yaml (parser.cc): turns the error libyaml stopped at into one Issue. Not for
// use outside lib/yaml.
#pragma once

#include <yaml.h>

#include <string_view>

#include "yaml/parser.h"
#include "yaml/source.h"

namespace capstan::yaml::internal {

// The kSyntax issue for the error `parser` stopped at while reading `text` (document `index`).
// libyaml reports a problem mark (where it noticed) and, for most errors, a context mark (where
// the construct it was reading began). For a construct left open — a quoted scalar with no
// closing quote, a flow sequence or mapping with no closing bracket, a key with no ':' — the
// issue points at where it opened and says what is open:
//   "invalid YAML: found unterminated double-quoted scalar (opened at line 3, column 12)"
//   "invalid YAML: found unclosed flow sequence (opened at line 2, column 7): the file ends
//    before its ']'"
// Otherwise it points at the problem and names the context with its start:
//   "invalid YAML: found unknown escape character (while parsing a quoted scalar that starts at
//    line 3, column 12)"
// and when a tab indents the problem's line or a neighbour, at the tab, saying so.
Issue SyntaxIssue(const yaml_parser_t& parser, std::string_view text, const LineIndex& lines,
                  int index);

}  // namespace capstan::yaml::internal
