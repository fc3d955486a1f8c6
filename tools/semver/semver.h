// capstan-semver: filters and sorts versions by a Masterminds/semver v3 constraint, the range
// syntax Argo CD Image Updater and Flux image policies use (lib/semver/constraint.h).
#pragma once

#include <span>
#include <string>

#include "core/env.h"

namespace capstan::tools {

// Runs capstan-semver with args (argv without the program name). Prints the admitted versions on
// env.out, one per line in ascending precedence, and errors on env.err. Returns 0 when some
// version is admitted, 1 when none is, 2 on usage errors, a malformed range, or when no VERSION
// parses.
int RunSemver(Env& env, std::span<const std::string> args);

}  // namespace capstan::tools
