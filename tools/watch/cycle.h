// One capstan-watch cycle: read the policies at the branch tip, ask the registries (bounded
// concurrency), decide, apply every change with capstan-bump's planner, and make one commit for
// the whole cycle, pushed with re-apply-and-retry (lib/git PublishOnto). The working tree, the
// local branch and the remote are untouched until the push succeeds, so a failed cycle leaves
// them as they were.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "common/identity.h"
#include "core/env.h"
#include "git/publish.h"
#include "http/policy.h"
#include "policy/apply.h"
#include "policy/sources.h"

namespace capstan::tools::watch {

struct CycleOptions {
  // --repo: a checkout (pushes to `remote`, default origin) or a remote URL (a bare clone kept
  // in cache_dir, fetched every cycle).
  std::string repo;
  bool repo_is_url = false;
  std::string remote = "origin";  // checkout only
  std::string branch;             // "" = the checkout's current branch (required for a URL)
  std::string push_branch;        // "" = branch
  std::string cache_dir;          // URL only
  bool dry_run = false;
  int concurrency = 8;
  int max_attempts = 5;
  git::Credentials git_credentials;
  CommitIdentity identity;
  std::set<std::string> insecure_registries;  // --insecure-registry
  std::string docker_config;                  // "" = none
  int max_tag_pages = 50;
};

struct CycleReport {
  int exit_code = 0;  // 0 fine; 1 some policy unusable; 2 config error; 3 registry or git failure
  std::string error;  // a failure of the cycle as a whole ("" when none)
  std::vector<policy::SourceProblem> problems;
  std::vector<policy::ImagePolicy> policies;
  policy::Applied applied;  // outcomes parallel to policies
  std::string base;         // the commit the cycle read
  std::string commit;       // the commit pushed ("" when none)
  bool pushed = false;
  std::string pushed_to;  // "<remote> <branch>", the remote without user-info
  int push_attempts = 0;
  std::string diff;  // --dry-run: the unified diff of every change
  http::RequestStats requests;
};

// Runs one cycle. `log` receives progress lines (push attempts, re-applies). env.http, when
// set, is the transport under the retry policy (tests inject faults there); otherwise a
// CurlHttpClient is made. When the push finds the remote moved, the cycle's decisions are
// applied again on the new tip, to the files it changed, for the images it updated: a tag a
// human set there that is newer is kept (nothing pushed for it), an older one is moved forward
// from (the commit message names it). When a file the policies were read from (.capstan.yaml,
// an Application, an ImagePolicy) changed there too, the cycle starts again from the new tip,
// registry queries included, at most max_attempts times in all; the report then counts the
// requests and pushes of every start.
CycleReport RunCycle(Env& env, const CycleOptions& options,
                     const std::function<void(const std::string&)>& log);

// The directory under cache_dir that holds the clone of url: its host and path with every
// character other than [A-Za-z0-9._-] replaced by '_', user-info dropped, plus ".git".
std::string CacheDirFor(const std::string& cache_dir, const std::string& url);

}  // namespace capstan::tools::watch
