// Which applications a run deploys, and the commit: by name, by -l/--project (one List call),
// or by commit (--repo PATH --changed REV1..REV2: one List call, then argocd/affected.h decides
// locally). --plan prints the decisions.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "argocd/client.h"
#include "core/env.h"
#include "sync/deploy.h"
#include "sync/options.h"
#include "sync/run.h"

namespace capstan::git {
class Repository;
}

namespace capstan::tools::sync {

// One candidate and the verdict on it, for --plan.
struct PlanEntry {
  std::string name;  // namespace/name
  bool selected = false;
  std::string reason;  // "in: ..." / "out: ..."
  std::vector<std::string> notes;
  int wave = 0;
};

struct Selection {
  std::vector<Target> targets;  // in List order (by name), or command-line order
  std::vector<PlanEntry> plan;
  Pin pin;
  std::unique_ptr<SharedRepository> repo;  // with --repo
  std::size_t changed_paths = 0;           // with --changed
};

// Where a change was made, as the repository (and the CI around it) says, each flag first:
// the branch (--branch, the checkout's branch, $CI_COMMIT_BRANCH, $GITHUB_HEAD_REF, a branch
// $GITHUB_REF_NAME), the repository URL (--repo-url, the origin remote's) and the default
// branch (--default-branch, origin/HEAD, $CI_DEFAULT_BRANCH; "" when none says).
// kInvalidArgument when the branch or the URL cannot be told.
struct ChangeOrigin {
  std::string branch;
  std::string repo_url;
  std::string default_branch;
};
Result<ChangeOrigin> ReadChangeOrigin(Env& env, const Settings& settings, git::Repository& repo);

// Status codes: kInvalidArgument / kNotFound (exit 2: a bad flag value, range or revision),
// kUnauthenticated / kIoError (exit 3: the server or the repository cannot be read).
Result<Selection> Select(Env& env, const Settings& settings, argocd::Client& client,
                         Progress& progress);

// --plan: text lines or a JSON document on env.out.
void PrintPlan(Env& env, const Settings& settings, const Selection& selection);

}  // namespace capstan::tools::sync
