// Shell-style globs over '/'-separated paths, as .gitignore writes them; also used for tag
// patterns such as Argo CD Image Updater's ignore-tags (tags hold no '/').
//
//   *       any run of characters other than '/'
//   ?       one character other than '/'
//   **      "**/" matches zero or more whole directories ("**/x", "a/**/b"); "**" at the end
//           matches the rest, '/' included ("a/**"); any other "**" behaves like "*"
//   [abc] [a-z] [!a] [^a]   one character (never '/') in or not in the class; a ']' right
//           after '[' or '[!' is a member
//   \c      the character c itself (inside classes too)
#pragma once

#include <string_view>

#include "core/status.h"

namespace capstan {

// Whether pattern matches the whole of path. Never fails: an unterminated '[' is a literal '['
// and a trailing '\' a literal '\', as gitignore reads them.
bool GlobMatch(std::string_view pattern, std::string_view path);

// Ok when pattern is well formed for callers that want to reject what GlobMatch would read
// literally. kInvalidArgument "invalid glob '<pattern>': unterminated character class" or
// "...: trailing backslash".
Status CheckGlob(std::string_view pattern);

}  // namespace capstan
