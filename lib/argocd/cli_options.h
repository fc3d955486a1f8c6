// ARGOCD_OPTS, the environment variable the argocd CLI reads default flags from, read as the CLI
// reads it (util/config/env.go), so a pipeline that sets it for `argocd app sync` works
// unchanged with capstan-sync. The caller reads the variable; this only parses its text.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace capstan::argocd {

// One option: its long name without dashes ("server") and its value ("true" for a bare
// switch).
using CliOption = std::pair<std::string, std::string>;

// The options of an ARGOCD_OPTS text, in order. The text is split into words as a POSIX shell
// would (core/shell_words.h, as the CLI's go-shellquote). Then, as the CLI: `--name=value`;
// `--name value` when the next word does not start with "--"; `--name` alone is "true". A word
// that is none of these (a value with no option before it, a short option "-H") fails with
// kInvalidArgument "ARGOCD_OPTS invalid at '<word>'"; a quoting error with "ARGOCD_OPTS: <why>".
// Which names mean something is the caller's to decide.
Result<std::vector<CliOption>> ParseArgocdOpts(std::string_view text);

}  // namespace capstan::argocd
