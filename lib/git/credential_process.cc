#include "git/credential_process.h"

#include <string_view>
#include <vector>

#include "core/subprocess.h"

extern char** environ;

namespace capstan::git::internal {

std::optional<std::string> RunGitCredential(const std::string& dir, const char* action,
                                            const std::string& input) {
  SubprocessOptions options;
  options.argv = {"git", "-C", dir, "credential", action};
  options.search_path = true;
  // Never prompt: a push in CI must fail, not wait for a terminal.
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view v(*e);
    if (v.starts_with("GIT_TERMINAL_PROMPT=") || v.starts_with("GIT_ASKPASS=") ||
        v.starts_with("SSH_ASKPASS=")) {
      continue;
    }
    options.env.emplace_back(v);
  }
  options.env.emplace_back("GIT_TERMINAL_PROMPT=0");
  options.env.emplace_back("GIT_ASKPASS=");
  options.env.emplace_back("SSH_ASKPASS=");
  options.input = input;
  // A helper that never answers must not hang a push.
  options.timeout = std::chrono::seconds(30);
  Result<SubprocessResult> run = RunSubprocess(options);
  if (!run.ok() || run->exit_code != 0) return std::nullopt;
  return std::move(run->output);
}

}  // namespace capstan::git::internal
