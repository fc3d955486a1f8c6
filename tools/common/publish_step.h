// capstan-bump's last step: commit the changed files and push the commit, re-applying the same
// bump on the remote tip when the remote moved (lib/git/publish.h).
#pragma once

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "common/identity.h"
#include "core/env.h"
#include "core/flags.h"
#include "git/publish.h"
#include "image/bump_plan.h"
#include "image/targets.h"

namespace capstan::tools {

// The git credential flags capstan-bump and capstan-watch share (--token-env, --token-file,
// --username, --ssh-key, --known-hosts, --no-credential-helper).
struct GitCredentialFlags {
  std::string token_env = "CAPSTAN_GIT_TOKEN";  // variable name; its value is never printed
  std::string token_file;
  std::string username;
  std::string ssh_key;
  std::string known_hosts;  // "" = $HOME/.ssh/known_hosts
  bool credential_helper = true;
};

// The flags of the publish step, in usage order: --max-attempts, then the git credential flags
// above. `wording` picks the help lines: kGit says "git token" and "for git" (capstan-watch,
// which has registry credentials too), kPlain does not (capstan-bump).
enum class CredentialWording { kPlain, kGit };

// A tool's flag table: `own`, the publish step's flags, then --help and --version. The Flag
// entries refer to static strings only; keep `own` static too.
std::vector<flags::Flag> WithPublishFlags(std::span<const flags::Flag> own,
                                          CredentialWording wording);

// The git credential flags as given, with GitCredentialFlags's defaults for those absent.
// REQUIRES: `parsed` came from a table made by WithPublishFlags.
GitCredentialFlags ReadGitCredentialFlags(const flags::Parsed& parsed);

// Credentials for lib/git from the flags: the token from token_file (trailing whitespace
// dropped) or $token_env, the SSH key's passphrase from $CAPSTAN_SSH_KEY_PASSPHRASE, the agent
// only when $SSH_AUTH_SOCK is set. Fails with the file's read error, or kInvalidArgument
// "token file '<f>' is empty".
Result<git::Credentials> BuildCredentials(Env& env, const GitCredentialFlags& flags);

struct PublishStep {
  std::string repo_root;
  std::string message;
  // The message for the bump as planned again on a remote tip that moved, so the commit made
  // there names the lines and old tags it changed there. Optional: without it, `message`.
  std::function<std::string(const image::Plan&)> message_for;
  CommitIdentity identity;               // ResolveCommitIdentity's
  std::vector<git::FileUpdate> updates;  // paths relative to repo_root
  image::BumpRequest request;            // re-planned on the remote tip
  bool allow_downgrade = false;
  bool push = false;
  std::string remote;
  std::string branch;
  int max_attempts = 5;  // pushes to try (--max-attempts); REQUIRES 1..100 when push
  GitCredentialFlags credentials;
  // A commit to push instead of committing `updates` ("HEAD"): one an earlier run made and did
  // not push (bump/resume.h). Pushed as a new commit would be, unless the remote branch already
  // contains it; then nothing is printed.
  std::string commit;
  // When the commit cannot be created: puts the working tree back as the run found it, and
  // returns a clause for the error saying so ("the files are as they were") or naming what it
  // could not put back. Optional.
  std::function<std::string()> undo;
};

// Commits (unless step.commit is set), then pushes when step.push. Prints "committed <id>:
// <subject>" and "pushed <id> to <remote> <branch>" (or that the remote already had the change) on
// env.out, errors on env.err. Returns the exit code: 0, 1 when the bump re-applied on the remote
// tip is refused (e.g. it would now downgrade), 2 for an empty token file, 3 for git, network and
// authentication failures (and an unreadable token file). A commit that cannot be created runs
// step.undo.
int CommitAndPush(Env& env, const PublishStep& step);

}  // namespace capstan::tools
