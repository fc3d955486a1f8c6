#include "common/publish_step.h"

#include <optional>

#include "common/cli.h"
#include "core/exit_code.h"
#include "core/strings.h"
#include "git/repository.h"
#include "git/revisions.h"
#include "image/bump_plan.h"

namespace capstan::tools {
namespace {

constexpr std::string_view kTool = "capstan-bump";

constexpr flags::Flag kMaxAttemptsFlag = {
    "max-attempts", 0, "N", "pushes to try when the remote moved meanwhile (default 5)"};

// The lines that differ between the wordings, then the lines both share.
constexpr flags::Flag kPlainCredentialFlags[] = {
    {"token-env", 0, "NAME",
     "environment variable holding an HTTPS token (default CAPSTAN_GIT_TOKEN)"},
    {"token-file", 0, "FILE", "file holding an HTTPS token"},
    {"username", 0, "USER", "user name sent with the token (default x-access-token)"},
    {"ssh-key", 0, "FILE",
     "SSH private key (passphrase in $CAPSTAN_SSH_KEY_PASSPHRASE); the agent is tried first"},
};
constexpr flags::Flag kGitCredentialFlags[] = {
    {"token-env", 0, "NAME",
     "environment variable holding an HTTPS git token (default CAPSTAN_GIT_TOKEN)"},
    {"token-file", 0, "FILE", "file holding an HTTPS git token"},
    {"username", 0, "USER", "user name sent with the git token (default x-access-token)"},
    {"ssh-key", 0, "FILE", "SSH private key for git (passphrase in $CAPSTAN_SSH_KEY_PASSPHRASE)"},
};
constexpr flags::Flag kSharedFlags[] = {
    {"known-hosts", 0, "FILE", "SSH known_hosts file (default ~/.ssh/known_hosts)"},
    {"no-credential-helper", 0, "", "do not ask git's credential helpers"},
    {"help", 'h', "", "show this help"},
    {"version", 0, "", "print the version"},
};

std::string Subject(const std::string& message) { return message.substr(0, message.find('\n')); }

std::string Short(const std::string& id) { return id.substr(0, 7); }

// Whether the remote branch, fetched now, contains step.commit. True when HEAD is detached and
// no --branch is given: there is no branch to ask about, and nothing this run would push to.
Result<bool> RemoteContains(Env& env, const PublishStep& step,
                            const git::Credentials& credentials) {
  Result<std::unique_ptr<git::Repository>> repo = env.open_repository(step.repo_root);
  if (!repo.ok()) return repo.status();
  std::string branch = step.branch;
  if (branch.empty()) {
    Result<std::string> head = (*repo)->HeadBranch();
    if (!head.ok()) return true;
    branch = *head;
  }
  // Fetched by URL, into capstan's own ref: the remote-tracking ref is git's, and a lock a
  // killed push left on it must not stop this run (git push does not stop on it either).
  Result<std::string> url = (*repo)->RemoteUrl(step.remote);
  Result<std::optional<std::string>> tip =
      git::FetchBranch(step.repo_root, url.ok() ? *url : step.remote, branch, credentials);
  if (!tip.ok()) return tip.status();
  if (!*tip) return false;
  repo = env.open_repository(step.repo_root);  // one that sees the fetched objects
  if (!repo.ok()) return repo.status();
  return git::IsAncestor(**repo, step.commit, **tip);
}

}  // namespace

std::vector<flags::Flag> WithPublishFlags(std::span<const flags::Flag> own,
                                          CredentialWording wording) {
  std::span<const flags::Flag> worded =
      wording == CredentialWording::kGit ? kGitCredentialFlags : kPlainCredentialFlags;
  std::vector<flags::Flag> table(own.begin(), own.end());
  table.push_back(kMaxAttemptsFlag);
  table.insert(table.end(), worded.begin(), worded.end());
  table.insert(table.end(), std::begin(kSharedFlags), std::end(kSharedFlags));
  return table;
}

GitCredentialFlags ReadGitCredentialFlags(const flags::Parsed& parsed) {
  GitCredentialFlags out;
  out.token_env = parsed.Get("token-env", out.token_env);
  out.token_file = parsed.Get("token-file");
  out.username = parsed.Get("username");
  out.ssh_key = parsed.Get("ssh-key");
  out.known_hosts = parsed.Get("known-hosts");
  out.credential_helper = !parsed.Has("no-credential-helper");
  return out;
}

// The token and where it came from; the value never leaves this struct except to libgit2.
Result<git::Credentials> BuildCredentials(Env& env, const GitCredentialFlags& step) {
  git::Credentials c;
  c.username = step.username;
  c.credential_helper = step.credential_helper;
  c.run_subprocess = env.run_subprocess;
  c.ssh_key_file = step.ssh_key;
  if (!step.ssh_key.empty() && env.getenv) {
    if (auto pass = env.getenv("CAPSTAN_SSH_KEY_PASSPHRASE")) c.ssh_key_passphrase = *pass;
  }
  // libgit2 gives up, rather than trying the key file, when there is no agent to ask.
  if (env.getenv) {
    auto sock = env.getenv("SSH_AUTH_SOCK");
    c.ssh_agent = sock && !sock->empty();
  }
  if (!step.known_hosts.empty()) {
    c.known_hosts_file = ResolvePath(env, step.known_hosts);
  } else if (env.getenv) {
    if (auto home = env.getenv("HOME"); home && !home->empty()) {
      c.known_hosts_file = *home + "/.ssh/known_hosts";
    }
  }
  if (!step.token_file.empty()) {
    Result<std::string> token = env.fs->ReadFile(ResolvePath(env, step.token_file), 64 * 1024);
    if (!token.ok()) return token.status();
    std::string t = std::move(token).value();
    while (!t.empty() && (t.back() == '\n' || t.back() == '\r' || t.back() == ' ')) t.pop_back();
    if (t.empty())
      return Status::InvalidArgument(
          "token file " + QuoteForMessage(step.token_file, kQuotePathLimit) + " is empty");
    c.token = std::move(t);
    c.token_source = step.token_file;
  } else if (env.getenv) {
    if (auto t = env.getenv(step.token_env); t && !t->empty()) {
      c.token = *t;
      c.token_source = "$" + step.token_env;
    }
  }
  return c;
}

int CommitAndPush(Env& env, const PublishStep& step) {
  Result<git::Credentials> credentials = git::Credentials{};
  if (step.push) {
    credentials = BuildCredentials(env, step.credentials);
    if (!credentials.ok()) {
      PrintError(env, kTool, credentials.status().message());
      return ExitCodeFor(credentials.status());
    }
  }

  std::string where = step.remote + (step.branch.empty() ? "" : " " + step.branch);
  Result<std::string> commit = step.commit;
  if (step.commit.empty()) {
    git::CommitRequest request{step.message, step.identity.author, step.identity.committer};
    commit = git::CommitFiles(step.repo_root, step.updates, request);
    if (!commit.ok()) {
      PrintError(env, kTool, commit.status().message() + (step.undo ? "; " + step.undo() : ""));
      return ExitCodeFor(commit.status());
    }
    *env.out << "committed " << Short(*commit) << ": " << Subject(step.message) << "\n";
  } else if (step.push) {
    Result<bool> there = RemoteContains(env, step, *credentials);
    if (!there.ok()) {
      PrintError(env, kTool, there.status().message());
      return ExitCodeFor(there.status());
    }
    if (*there) return kExitClean;
    *env.err << kTool << ": note: " << step.commit << " made this change and " << where
             << " does not have it: pushing it\n";
  }
  if (!step.push) return kExitClean;

  // The same bump, planned afresh on the remote tip's version of each file we changed.
  std::string refused;
  std::optional<image::Plan> replanned;  // the last plan made on a remote tip
  git::PublishOptions options;
  options.remote = step.remote;
  options.branch = step.branch;
  options.max_attempts = step.max_attempts;
  options.credentials = std::move(credentials).value();
  options.log = [&env](const std::string& line) { *env.err << kTool << ": " << line << "\n"; };
  options.reapply = [&](const git::ReadAtTip& read) -> Result<std::vector<git::FileUpdate>> {
    std::vector<image::FileText> files;
    for (const git::FileUpdate& u : step.updates) {
      Result<std::optional<std::string>> text = read(u.path);
      if (!text.ok()) return text.status();
      if (*text) files.push_back({u.path, **text, ""});
    }
    image::BumpRequest request = step.request;
    request.explicit_file = true;  // the files were chosen by the first plan
    image::Plan plan = image::PlanFiles(files, request, step.allow_downgrade);
    if (!plan.stops.empty()) {
      refused = "on the remote tip: " + image::FormatStop(plan.stops.front());
      return Status::InvalidArgument(refused);
    }
    std::vector<git::FileUpdate> updates;
    for (const image::PlannedFile& f : plan.files) {
      if (!f.plan.changes.empty()) updates.push_back({f.name, f.plan.new_text});
    }
    replanned = std::move(plan);
    return updates;
  };
  if (step.message_for) {
    options.reapplied_message = [&] {
      return replanned ? step.message_for(*replanned) : std::string();
    };
  }

  Result<git::PublishOutcome> outcome = git::Publish(step.repo_root, *commit, options);
  if (!outcome.ok()) {
    if (!refused.empty()) {
      PrintError(env, kTool, refused + "; nothing was pushed (the local commit is kept)");
      return kExitFindings;
    }
    PrintError(env, kTool, outcome.status().message());
    return ExitCodeFor(outcome.status());
  }
  if (outcome->pushed) {
    *env.out << "pushed " << Short(outcome->commit) << " to " << where;
    if (outcome->attempts > 1)
      *env.out << " (re-applied on the moved remote, attempt " << outcome->attempts << ")";
    *env.out << "\n";
  } else {
    *env.out << "nothing to push: " << where << " already has the change (at "
             << Short(outcome->commit) << ")\n";
  }
  if (!outcome->local_updated) {
    *env.err << kTool
             << ": note: the local branch has commits the remote does not: it was left as it was\n";
  }
  return kExitClean;
}

}  // namespace capstan::tools
