// capstan-hooks (`capstan hooks`): installs capstan's native git hooks (hooks/pre-commit,
// hooks/pre-push) into the hooks directory of the repository containing the working directory,
// reports what is installed, and removes them again. The installer logic is hooks/installer.h.
#pragma once

#include <span>
#include <string>

#include "core/env.h"

namespace capstan::tools {

// Runs capstan-hooks with args (argv without the program name): `install [--pre-push]
// [--chain|--force] [--bin-dir DIR]`, `uninstall` or `status`. Returns 0 when done; 2 for a
// usage error, a directory outside any git repository, a bare repository, or a hook capstan did
// not write in the way of install (without --chain or --force); 3 when the hooks directory
// cannot be read or written. Writes what it did to env.out and errors to env.err.
int RunHooks(Env& env, std::span<const std::string> args);

}  // namespace capstan::tools
