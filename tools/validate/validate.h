// capstan-validate: validates Kubernetes, Argo CD and Kustomize manifests (syntax, duplicate
// keys, resource identity, JSON Schema) and reports every finding at file:line:col.
#pragma once

#include <span>
#include <string>

#include "common/config_file.h"
#include "core/env.h"

namespace capstan::tools {

// Runs capstan-validate with args (argv without the program name). Returns the process exit
// code (core/exit_code.h). Writes the report to env.out and errors to env.err.
int RunValidate(Env& env, std::span<const std::string> args);

// capstan-validate's section of .capstan.yaml: every flag but --staged and --changed-since,
// which say what one run checks.
ConfigSection ValidateConfigSection();

}  // namespace capstan::tools
