// capstan-bump's last step: commit the changed files and push the commit, re-applying the same
// bump on the remote tip when the remote moved (lib/git/publish.h).
#pragma once

#include <string>
#include <vector>

#include "core/env.h"
#include "git/publish.h"
#include "image/targets.h"

namespace capstan::tools::bump {

struct PublishStep {
  std::string repo_root;
  std::string message;
  std::string author;  // "Name <email>", or "" for git config
  std::vector<git::FileUpdate> updates;  // paths relative to repo_root
  image::BumpRequest request;            // re-planned on the remote tip
  bool allow_downgrade = false;
  bool push = false;
  std::string remote;
  std::string branch;
  std::string max_attempts;
  std::string token_env;   // variable name; its value is read here and never printed
  std::string token_file;
  std::string username;
  std::string ssh_key;
  std::string known_hosts;  // "" = $HOME/.ssh/known_hosts
  bool credential_helper = true;
};

// "Name <email>" as an identity; "" gives an empty one (git config decides). kInvalidArgument
// "--author '<text>' is not of the form 'Name <email>'" otherwise.
Result<git::Identity> ParseAuthor(const std::string& text);

// Commits, then pushes when step.push. Prints "committed <id>: <subject>" and "pushed <id> to
// <remote> <branch>" (or that the remote already had the change) on env.out, errors on env.err.
// Returns the exit code: 0, 1 when the bump re-applied on the remote tip is refused (e.g. it
// would now downgrade), 2 for a bad --author / --max-attempts / token file, 3 for git, network
// and authentication failures.
int CommitAndPush(Env& env, const PublishStep& step);

}  // namespace capstan::tools::bump
