#include "git/credential_process.h"

#include <vector>

namespace capstan::git::internal {

std::optional<std::string> RunGitCredential(const SubprocessRunner& run, const std::string& dir,
                                            const char* action, const std::string& input) {
  if (!run) return std::nullopt;
  SubprocessOptions options;
  options.argv = {"git", "-C", dir, "credential", action};
  options.search_path = true;
  // Never prompt: a push in CI must fail, not wait for a terminal.
  options.env_changes = {"GIT_TERMINAL_PROMPT=0", "GIT_ASKPASS=", "SSH_ASKPASS="};
  options.input = input;
  // A helper that never answers must not hang a push.
  options.timeout = std::chrono::seconds(30);
  Result<SubprocessResult> done = run(options);
  if (!done.ok() || done->exit_code != 0) return std::nullopt;
  return std::move(done->output);
}

}  // namespace capstan::git::internal
