// Go's path/filepath.Match on '/'-separated paths, which Argo CD applies to the entries of the
// `argocd.argoproj.io/manifest-generate-paths` annotation (util/app/path AppFilesHaveChanged).
// Not core/glob.h's gitignore globs: here `**` is just two `*`, a class is negated by `^` only
// (`[!a]` is the class of '!' and 'a'), and a malformed pattern matches nothing.
//
//   *         any run of characters other than '/'
//   ?         one character (a UTF-8 code point) other than '/'
//   [a-z] [^a]   one character in / not in the class; ']', '-' and '\' are escaped inside it
//   \c        the character c itself
#pragma once

#include <string_view>

namespace capstan::argocd {

enum class GoMatch { kNoMatch, kMatch, kBadPattern };

// Whether pattern matches the whole of name. kBadPattern (Go's ErrBadPattern: an unterminated
// or empty class, a range missing an end, a trailing '\') whenever pattern is malformed, even
// when name would not have matched it anyway.
GoMatch GoPathMatch(std::string_view pattern, std::string_view name);

}  // namespace capstan::argocd
