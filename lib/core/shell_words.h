// Splitting a command line held in one string (an environment variable such as ARGOCD_OPTS)
// into words the way a POSIX shell reads quoting, without any expansion.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace capstan {

// The words of `line`: blanks (space, tab, newline) separate words; '...' keeps every byte
// inside literally; "..." keeps every byte but a backslash before $ ` " \ or a newline, which
// keeps that character (a backslash-newline is dropped); outside quotes a backslash keeps the
// next byte as it is, and a backslash-newline joins lines. Quotes may be adjacent to other text
// ("--header='A: b'" is one word). `''` is an empty word. Fails with kInvalidArgument
// "unterminated single quote", "unterminated double quote" or "unterminated backslash".
Result<std::vector<std::string>> SplitShellWords(std::string_view line);

}  // namespace capstan
