#include "git/push_loop.h"

#include <sys/stat.h>

#include <string_view>

#include "core/strings.h"
#include "git/tree_edit.h"

namespace capstan::git::internal {
namespace {

bool LooksLikeUrlOrPath(const std::string& s) {
  struct stat st;
  return s.find(':') != std::string::npos || s.find('/') != std::string::npos ||
         ::stat(s.c_str(), &st) == 0;
}

Result<std::optional<std::string>> ConfigValue(git_config* config, const std::string& key) {
  git_buf buf = GIT_BUF_INIT;
  int rc = git_config_get_string_buf(&buf, config, key.c_str());
  std::optional<std::string> value;
  if (rc == 0) value = std::string(buf.ptr, buf.size);
  git_buf_dispose(&buf);
  if (rc < 0 && rc != GIT_ENOTFOUND) return GitError("read " + key);
  git_error_clear();
  return value;
}

// git's url.<base>.insteadOf (or pushInsteadOf): the longest matching prefix is replaced.
// Done here because libgit2 1.5's own lookup leaks memory on every remote it creates.
std::optional<std::string> Rewrite(git_config* config, const std::string& url,
                                   const std::string& key) {
  git_config_iterator* raw = nullptr;
  if (git_config_iterator_new(&raw, config) < 0) {
    git_error_clear();
    return std::nullopt;
  }
  Owned<git_config_iterator, git_config_iterator_free> it(raw);
  const std::string suffix = "." + key;
  std::optional<std::string> best;
  std::size_t best_length = 0;
  git_config_entry* entry = nullptr;
  while (git_config_next(&entry, it.get()) == 0) {
    std::string_view name = entry->name;
    std::string_view prefix = entry->value != nullptr ? entry->value : "";
    if (!name.starts_with("url.") || !name.ends_with(suffix) || prefix.empty() ||
        prefix.size() <= best_length || !std::string_view(url).starts_with(prefix)) {
      continue;
    }
    best = std::string(name.substr(4, name.size() - 4 - suffix.size())) + url.substr(prefix.size());
    best_length = prefix.size();
  }
  git_error_clear();
  return best;
}

bool IsCheckedOut(git_repository* repo, const std::string& ref) {
  if (ref == "HEAD") return git_repository_head_detached(repo) == 1;
  git_reference* raw = nullptr;
  if (git_reference_lookup(&raw, repo, "HEAD") < 0) {
    git_error_clear();
    return false;
  }
  OwnedReference head(raw);
  const char* target = git_reference_symbolic_target(head.get());
  return target != nullptr && ref == target;
}

bool IsAncestorOrSame(git_repository* repo, const git_oid& ancestor, const git_oid& of) {
  return git_oid_equal(&ancestor, &of) != 0 || git_graph_descendant_of(repo, &of, &ancestor) == 1;
}

// `original`'s edit made again on `tip`: same message, author and committer (committed now).
// nullopt when the edit is already there (nothing left to push).
Result<std::optional<git_oid>> ReapplyOnTip(git_repository* repo, const git_commit* original,
                                            const git_oid& tip, const PublishOptions& options) {
  const git_signature* committer = git_commit_committer(original);
  git_signature* raw_now = nullptr;
  if (git_signature_now(&raw_now, committer->name, committer->email) < 0) {
    return GitError("make the committer signature");
  }
  OwnedSignature now(raw_now);
  return CommitOnTip(repo, tip, options.reapply, git_commit_author(original), now.get(),
                     git_commit_message_encoding(original), git_commit_message(original),
                     options.reapplied_message);
}

}  // namespace

Result<Target> ResolveTarget(git_repository* repo, const std::string& remote,
                             const std::string& branch, Direction direction) {
  git_config* raw = nullptr;
  if (git_repository_config_snapshot(&raw, repo) < 0) {
    return GitError("read the git configuration");
  }
  Owned<git_config, git_config_free> config(raw);
  const bool push = direction == Direction::kPush;
  Target t;
  int valid = 0;
  if (!remote.empty() && git_remote_name_is_valid(&valid, remote.c_str()) == 0 && valid == 1) {
    Result<std::optional<std::string>> url = ConfigValue(config.get(), "remote." + remote + ".url");
    if (!url.ok()) return url.status();
    std::optional<std::string> push_url;
    if (push) {
      Result<std::optional<std::string>> configured =
          ConfigValue(config.get(), "remote." + remote + ".pushurl");
      if (!configured.ok()) return configured.status();
      push_url = *configured;
    }
    if (*url || push_url) {
      t.remote_name = remote;
      t.label = remote;
      t.tracking_ref = "refs/remotes/" + remote + "/" + branch;
      t.where = remote + "/" + branch;
      // As git: pushInsteadOf applies only where no pushurl was configured.
      t.url = push_url.value_or("");
      if (!push_url) {
        t.url = url->value_or("");
        if (auto rewritten = push ? Rewrite(config.get(), t.url, "pushinsteadof") : std::nullopt) {
          t.url = *rewritten;
          return t;
        }
      }
      if (auto rewritten = Rewrite(config.get(), t.url, "insteadof")) t.url = *rewritten;
      if (t.url.empty())
        return Status::InvalidArgument("remote " + QuoteForMessage(remote) + " has no URL");
      return t;
    }
  }
  git_error_clear();
  if (!LooksLikeUrlOrPath(remote)) {
    return Status::InvalidArgument(QuoteForMessage(remote) +
                                   " is neither a configured remote nor a URL");
  }
  t.label = RedactUrl(remote);
  t.tracking_ref = "refs/capstan/fetch-tip";
  t.where = branch + " on " + t.label;
  t.url = remote;
  if (auto rewritten = push ? Rewrite(config.get(), remote, "pushinsteadof") : std::nullopt) {
    t.url = *rewritten;
  } else if (auto plain = Rewrite(config.get(), remote, "insteadof")) {
    t.url = *plain;
  }
  return t;
}

Status CheckBranchName(const std::string& branch) {
  int valid = 0;
  std::string full = "refs/heads/" + branch;
  if (branch.empty() || git_reference_name_is_valid(&valid, full.c_str()) < 0 || valid == 0) {
    git_error_clear();
    return Status::InvalidArgument(QuoteForMessage(branch) + " is not a valid branch name");
  }
  return Status::Ok();
}

Result<LocalBranch> ResolveLocal(git_repository* repo, const std::string& requested_branch) {
  git_reference* raw = nullptr;
  int rc = git_repository_head(&raw, repo);
  if (rc == GIT_EUNBORNBRANCH || rc == GIT_ENOTFOUND) {
    return Status::InvalidArgument("the repository has no commits yet");
  }
  if (rc < 0) return GitError("resolve HEAD");
  OwnedReference head(raw);
  LocalBranch local;
  if (git_repository_head_detached(repo) == 1) {
    local.ref = "HEAD";
    if (requested_branch.empty()) {
      return Status::InvalidArgument("HEAD is detached: name the branch to push");
    }
  } else {
    local.ref = git_reference_name(head.get());
    local.branch = git_reference_shorthand(head.get());
  }
  if (!requested_branch.empty()) local.branch = requested_branch;
  CAPSTAN_RETURN_IF_ERROR(CheckBranchName(local.branch));
  return local;
}

Result<std::optional<git_oid>> CommitOnTip(git_repository* repo, const git_oid& tip,
                                           const Reapply& reapply, const git_signature* author,
                                           const git_signature* committer, const char* encoding,
                                           const char* message,
                                           const std::function<std::string()>& reapplied_message) {
  Result<OwnedCommit> tip_commit = LookupCommit(repo, tip);
  if (!tip_commit.ok()) return tip_commit.status();
  Result<OwnedTree> tip_tree = CommitTree(tip_commit->get());
  if (!tip_tree.ok()) return tip_tree.status();
  const git_tree* tree_at_tip = tip_tree->get();
  ReadAtTip read = [repo, tree_at_tip](const std::string& path) {
    return ReadFileAt(repo, tree_at_tip, path);
  };
  Result<std::vector<FileUpdate>> updates = reapply(read);
  if (!updates.ok()) return updates.status();
  if (updates->empty()) return std::optional<git_oid>();
  Result<git_oid> tree_id = UpdatedTree(repo, tree_at_tip, *updates);
  if (!tree_id.ok()) return tree_id.status();
  if (git_oid_equal(&*tree_id, git_tree_id(tree_at_tip))) return std::optional<git_oid>();

  git_tree* raw_tree = nullptr;
  if (git_tree_lookup(&raw_tree, repo, &*tree_id) < 0) return GitError("read the new tree");
  OwnedTree tree(raw_tree);
  std::string replaced = reapplied_message ? reapplied_message() : "";
  if (!replaced.empty()) {
    if (replaced.back() != '\n') replaced += '\n';
    encoding = nullptr;
    message = replaced.c_str();
  }
  const git_commit* parents[] = {tip_commit->get()};
  git_oid commit;
  if (git_commit_create(&commit, repo, nullptr, author, committer, encoding, message, tree.get(), 1,
                        parents) < 0) {
    return GitError("create the commit");
  }
  return std::optional<git_oid>(commit);
}

RemoteConnection::RemoteConnection(git_repository* repo, const std::string& url,
                                   const Credentials& credentials)
    : credentials_(credentials, git_repository_workdir(repo) != nullptr
                                    ? git_repository_workdir(repo)
                                    : git_repository_path(repo)),
      session_(repo, url, &credentials_, credentials.known_hosts_file) {}

Result<PublishOutcome> PushWithReapply(git_repository* repo, RemoteSession& session,
                                       const Target& target, const std::string& branch,
                                       const git_commit* original, const PublishOptions& options) {
  const Logger log(options.log);
  PublishOutcome outcome;
  git_oid to_push = *git_commit_id(original);
  git_oid final_tip = to_push;
  for (int attempt = 1;; ++attempt) {
    if (options.before_push) options.before_push(attempt);
    log("pushing " + ShortHex(to_push) + " to " + target.label + " " + branch);
    outcome.attempts = attempt;
    Result<RemoteSession::PushResult> push = session.Push(to_push, branch);
    if (!push.ok()) {
      for (const std::string& line : session.RemoteMessages()) log("remote: " + line);
      return push.status();
    }
    if (!push->stale) {
      outcome.pushed = true;
      final_tip = to_push;
      break;
    }

    Result<std::optional<git_oid>> fetched = session.Fetch(branch, target.tracking_ref);
    if (!fetched.ok()) return fetched.status();
    if (!*fetched) {
      return Status::IoError("cannot push to " + session.display_url() + ": " + branch +
                             " was deleted on the remote while pushing");
    }
    const git_oid tip = **fetched;
    if (git_oid_equal(&tip, &to_push)) {  // our earlier push landed after all
      outcome.pushed = true;
      final_tip = tip;
      break;
    }
    Result<OwnedCommit> pushed_commit = LookupCommit(repo, to_push);
    if (!pushed_commit.ok()) return pushed_commit.status();
    if (!push->rejection.empty() && git_commit_parentcount(pushed_commit->get()) > 0 &&
        git_oid_equal(git_commit_parent_id(pushed_commit->get(), 0), &tip)) {
      // The server refused although the branch did not move: not a race, do not retry.
      return Status::IoError("cannot push to " + session.display_url() + ": the remote rejected " +
                             "refs/heads/" + branch + " (" + push->rejection + ")");
    }

    Result<std::optional<git_oid>> again = ReapplyOnTip(repo, original, tip, options);
    if (!again.ok()) return again.status();
    if (!*again) {
      log(target.where + " moved to " + ShortHex(tip) + ": nothing left to change there");
      outcome.pushed = false;
      final_tip = tip;
      break;
    }
    if (attempt >= options.max_attempts) {
      return Status::IoError("the remote branch kept moving: gave up after " +
                             std::to_string(attempt) + " attempts");
    }
    log(target.where + " moved: re-applying on " + ShortHex(tip) + " (attempt " +
        std::to_string(attempt + 1) + " of " + std::to_string(options.max_attempts) + ")");
    to_push = **again;
  }
  outcome.commit = OidHex(final_tip);

  if (!target.remote_name.empty()) {
    git_reference* raw = nullptr;
    if (git_reference_create(&raw, repo, target.tracking_ref.c_str(), &final_tip, 1,
                             "capstan: update by push") == 0) {
      OwnedReference tracking(raw);
    } else {
      log(GitError("update " + target.tracking_ref).message());
    }
  }
  return outcome;
}

bool FollowRemote(git_repository* repo, const LocalBranch& local, const git_commit* original,
                  const git_oid& pushed, const std::string& where, const Logger& log) {
  git_oid tip;
  if (git_reference_name_to_id(&tip, repo, local.ref.c_str()) < 0) return false;
  if (git_oid_equal(&tip, &pushed)) return true;
  bool follow = IsAncestorOrSame(repo, tip, pushed);
  if (!follow && git_oid_equal(&tip, git_commit_id(original)) &&
      git_commit_parentcount(original) > 0) {
    follow = IsAncestorOrSame(repo, *git_commit_parent_id(original, 0), pushed);
  }
  if (!follow) {
    log("keeping " + local.ref + " at " + ShortHex(tip) + ": it has commits " + where +
        " does not");
    return false;
  }

  Result<OwnedCommit> from = LookupCommit(repo, tip);
  Result<OwnedCommit> to = LookupCommit(repo, pushed);
  if (!from.ok() || !to.ok()) return false;
  Result<OwnedTree> from_tree = CommitTree(from->get());
  Result<OwnedTree> to_tree = CommitTree(to->get());
  if (!from_tree.ok() || !to_tree.ok()) return false;
  // A branch no longer checked out (the user switched meanwhile) moves without a checkout.
  const bool no_checkout = git_repository_is_bare(repo) != 0 || !IsCheckedOut(repo, local.ref);
  auto checkout = [&](const OwnedTree& target, const OwnedTree& baseline) {
    git_checkout_options options = GIT_CHECKOUT_OPTIONS_INIT;
    options.checkout_strategy = GIT_CHECKOUT_SAFE;
    options.baseline = baseline.get();
    return git_checkout_tree(repo, reinterpret_cast<const git_object*>(target.get()), &options);
  };
  if (!no_checkout && checkout(*to_tree, *from_tree) < 0) {
    log("keeping " + local.ref + " at " + ShortHex(tip) + ": " +
        GitError("update the working tree").message());
    return false;
  }
  git_reference* raw = nullptr;
  std::string message = "capstan: fast-forward to " + where;
  if (git_reference_create_matching(&raw, repo, local.ref.c_str(), &pushed, 1, &tip,
                                    message.c_str()) < 0) {
    log("keeping " + local.ref + " at " + ShortHex(tip) + ": " +
        GitError("move " + local.ref).message());
    if (!no_checkout) (void)checkout(*from_tree, *to_tree);
    return false;
  }
  OwnedReference moved(raw);
  return true;
}

}  // namespace capstan::git::internal
