// capstan-sync: tells Argo CD to deploy exactly one commit (or announces it to a webhook or a
// Flux Receiver), and waits truthfully until every selected application is at that commit,
// Synced and Healthy.
#pragma once

#include <span>
#include <string>

#include "common/config_file.h"
#include "core/env.h"

namespace capstan::tools {

// Runs capstan-sync with args (argv without the program name). Returns 0 every selected app
// deployed and healthy at the commit (or nothing selected, which is said); 1 a sync failed, an
// app is degraded or suspended, a conflict under --on-conflict fail, a sync window; 2 usage or
// configuration; 3 could not run (network, TLS, authentication); 4 timeout.
int RunSync(Env& env, std::span<const std::string> args);

// capstan-sync's section of .capstan.yaml: every flag but those that say what one deployment
// is (--repo, --changed, --branch, --revision, --resource, --info, --plan, --dry-run) and
// --auth-token (a committed token is a leaked one; --auth-token-file may be given).
ConfigSection SyncConfigSection();

}  // namespace capstan::tools
