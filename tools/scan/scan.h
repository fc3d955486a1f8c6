// capstan-scan: finds plaintext secrets in a GitOps repository (unencrypted Secrets, broken
// SOPS files, SealedSecret and ExternalSecret literals, kustomize secretGenerator literals and
// payload files, workload env, Helm values, kubeconfigs, and credentials in any text file), in
// files and directories, the git index (--staged), commit ranges (--range) or all history
// (--history). Never prints a secret value.
#pragma once

#include <span>
#include <string>

#include "common/config_file.h"
#include "core/env.h"

namespace capstan::tools {

// Runs capstan-scan with args (argv without the program name). Returns the process exit code
// (core/exit_code.h). Writes the report to env.out and errors to env.err.
int RunScan(Env& env, std::span<const std::string> args);

// capstan-scan's section of .capstan.yaml: every flag but --staged, --range, --history (what
// one run reads) and --write-baseline.
ConfigSection ScanConfigSection();

}  // namespace capstan::tools
