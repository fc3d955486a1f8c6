// capstan-bump: sets an image's tag, digest or name wherever a GitOps repository names it
// (lib/image/targets.h), changing only those bytes, then optionally commits and pushes the
// change without ever force-pushing (lib/git/publish.h).
#pragma once

#include <span>
#include <string>

#include "common/config_file.h"
#include "core/env.h"

namespace capstan::tools {

// Runs capstan-bump with args (argv without the program name). Returns the exit code:
// 0 changed, already up to date, or nothing matched; 1 nothing matched with --require-match,
// or a refusal (downgrade, uncommitted changes, an unsafe edit) — then nothing is written;
// 2 usage error; 3 I/O, git, network or authentication failure.
int RunBump(Env& env, std::span<const std::string> args);

// capstan-bump's section of .capstan.yaml: every flag but those that say what one run changes
// (--image, --tag, --digest, --new-name) and does (--dry-run, --commit, --push).
ConfigSection BumpConfigSection();

}  // namespace capstan::tools
