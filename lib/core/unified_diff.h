// Unified diffs (`diff -u` / `git diff` format) of two versions of one text file, for the
// --dry-run output of capstan-bump and capstan-watch.
#pragma once

#include <string>
#include <string_view>

namespace capstan {

// The unified diff turning `before` into `after`, with `context` unchanged lines around each
// change: "--- a/<path>\n+++ b/<path>\n@@ -l,n +l,n @@\n" then " ", "-" and "+" lines. Lines are
// compared with their line endings, so a changed CRLF shows; a last line without a newline is
// followed by "\ No newline at end of file". Empty when the texts are equal.
std::string UnifiedDiff(std::string_view path, std::string_view before, std::string_view after,
                        int context = 3);

}  // namespace capstan
