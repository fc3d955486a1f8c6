// Internal to lib/git: git's credential protocol spoken with the real `git credential`, so
// that every helper the user configured (store, cache, libsecret, osxkeychain, gh, ...) works.
#pragma once

#include <optional>
#include <string>

#include "core/subprocess.h"

namespace capstan::git::internal {

// Runs `git -C <dir> credential <action>` through `run` ("fill", "approve" or "reject") with
// `input` (the "key=value" lines and a blank line) on its stdin. Never prompts:
// GIT_TERMINAL_PROMPT=0 and GIT_ASKPASS/SSH_ASKPASS emptied in the child's environment; its stderr
// is discarded and it is killed after 30 s. Returns its stdout when it exits 0, nullopt otherwise
// (also when `run` is unset).
std::optional<std::string> RunGitCredential(const SubprocessRunner& run, const std::string& dir,
                                            const char* action, const std::string& input);

}  // namespace capstan::git::internal
