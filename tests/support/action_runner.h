// Runs a composite GitHub Action (actions/<name>/action.yml) the way the Actions runner does,
// for tests: inputs with their defaults, `${{ }}` expressions in env:, with:, if: and
// working-directory:, each `run:` step executed by its shell with the step's env, and the
// runner's files ($GITHUB_OUTPUT per step, $GITHUB_ENV, $GITHUB_PATH, $GITHUB_STEP_SUMMARY) in
// a temporary runner directory. A `uses:` step is not run (it would need the network): it is
// recorded with its evaluated inputs.
//
// Expressions understood (what capstan's actions use; anything else fails the test):
//   inputs.NAME, steps.ID.outputs.NAME, steps.ID.outcome, github.action_path, github.workspace,
//   github.event_name, github.sha, github.token, github.event.<path> (from the event payload),
//   runner.temp, runner.os, runner.arch; in if: `always()`, `success()`, `failure()`,
//   `X == 'literal'`, `X != 'literal'`, a bare X (true when non-empty), joined by `&&`.
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/temp_repo.h"

namespace capstan::testing {

struct ActionRun {
  std::string action_dir;                     // absolute: <repo>/actions/scan
  std::map<std::string, std::string> inputs;  // the workflow's `with:`
  std::string workspace;                      // GITHUB_WORKSPACE, where run steps start
  std::string path;                           // PATH the steps see
  std::string event_name = "push";
  nlohmann::json event = nlohmann::json::object();  // the payload, for github.event.*
  std::string sha;                                  // github.sha
  std::map<std::string, std::string> env;           // more environment (the job's env:)
  // Markdown already in $GITHUB_STEP_SUMMARY (earlier steps of the job).
  std::string summary_before;
};

struct UsesStep {
  std::string id;
  std::string uses;
  std::map<std::string, std::string> with;
};

struct ActionResult {
  int exit_code = 0;  // the failing run step's exit code; 0 when every step succeeded
  std::map<std::string, std::string> outputs;  // the action's outputs, evaluated
  std::string stdout_text;                     // every run step's stdout, in order
  std::string stderr_text;                     // every run step's stderr, in order
  std::string summary;                         // $GITHUB_STEP_SUMMARY at the end
  std::vector<UsesStep> uses;                  // uses: steps whose if: held
  std::vector<std::string> skipped;            // ids (or indexes) of steps whose if: did not
  // The runner's directory ($RUNNER_TEMP and the runner files), kept while the result lives so
  // that files the outputs name can be read.
  std::shared_ptr<TempDir> runner;
};

// Runs the action. Fails the test (and returns what ran so far) when action.yml is not a
// composite action this runner understands or a required input is missing.
ActionResult RunAction(const ActionRun& run);

// What the runner or a reviewer would reject in an action.yml, one message per problem: a run
// step without `shell`, a `${{` inside a `run:` script (script injection: inputs go through
// env:), an expression naming an input the action does not declare, an output whose value is
// not an expression, an input or output without a description.
std::vector<std::string> LintAction(const std::string& action_yml_path);

// The workflow commands (`::error file=...::message`) in text, one per line, in order.
std::vector<std::string> WorkflowCommands(const std::string& text, const std::string& command);

}  // namespace capstan::testing
