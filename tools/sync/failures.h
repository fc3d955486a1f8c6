// The resource-level report of a deployment that did not succeed: the resources its sync could
// not apply (syncResult.resources), the unhealthy entries of its resource tree with their
// messages, its error conditions, and one finding for the application itself. With --repo,
// each resource is mapped back to file:line where the repository declares it.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "report/finding.h"
#include "sync/deploy.h"
#include "sync/run.h"

namespace capstan::tools::sync {

// Where the repository declares a resource.
struct Place {
  std::string file;
  int line = 0;
  int column = 0;
};
// (group, kind, namespace, name) -> its place, or nullopt.
using Locate = std::function<std::optional<Place>(const std::string& group, const std::string& kind,
                                                  const std::string& ns, const std::string& name)>;

// The findings for `deployed` (outcome other than deployed/requested/skipped). Reads the
// resource tree from the server for failed, degraded, suspended and timed-out apps.
std::vector<report::Finding> FailureFindings(Run& run, const Target& target,
                                             const Deployed& deployed, const Locate& locate);

// Every rule FailureFindings may use, for SARIF's rule list.
std::vector<report::RuleInfo> FailureRules();

}  // namespace capstan::tools::sync
