// One Application's deployment: ask Argo CD to sync it (minding a running operation and
// auto-sync's rules), then wait truthfully for the commit to be deployed and healthy.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "argocd/application.h"
#include "argocd/client.h"
#include "report/finding.h"
#include "sync/run.h"

namespace capstan::tools::sync {

// An application selected for deployment.
struct Target {
  argocd::AppRef ref;
  // Indexes into the app's sources of those on the --repo repository and branch (from the
  // selection); empty when unknown (apps named on the command line, -l, --project).
  std::vector<std::size_t> sources;
  int wave = 0;  // argocd.argoproj.io/sync-wave
};

// The commit to deploy.
struct Pin {
  std::string send;      // the revision to put in the sync request ("" = the app's own)
  std::string full_sha;  // what the wait is pinned to ("" = learnt from the sync's result)
};

struct Deployed {
  report::Deployment deployment;
  int exit_code = 0;
  std::optional<argocd::Application> last;  // the last state seen
  // The repository paths the app deploys from (its sources on --repo's repository when the
  // selection knows them, else every source with a path), for mapping resources to files.
  std::vector<std::string> source_paths;
  std::vector<report::Finding> findings;  // filled for failures by the caller (report.h)
};

Deployed Deploy(Run& run, const Target& target, const Pin& pin);

// Whether an operation is requested or running on app.
bool OperationRunning(const argocd::Application& app);

}  // namespace capstan::tools::sync
