#!/usr/bin/env bash
# The capstan bump action's step: builds capstan-bump's command line from the INPUT_* variables
# (action.yml), runs it with its output shown, and sets the outputs changed, commit-sha, changes
# and exit-code. Exits with capstan-bump's exit code.
set -uo pipefail
source "$ACTION_PATH/../common/words.sh"

flags=(--image "$INPUT_IMAGE")
[ -z "$INPUT_TAG" ] || flags+=(--tag "$INPUT_TAG")
[ -z "$INPUT_DIGEST" ] || flags+=(--digest "$INPUT_DIGEST")
[ "$INPUT_PUSH" = true ] && flags+=(--push) || { [ "$INPUT_COMMIT" != true ] || flags+=(--commit); }
[ -z "$INPUT_BRANCH" ] || flags+=(--branch "$INPUT_BRANCH")
[ -z "$INPUT_MESSAGE" ] || flags+=(--message "$INPUT_MESSAGE")
[ -z "$INPUT_AUTHOR" ] || flags+=(--author "$INPUT_AUTHOR")
[ "$INPUT_REQUIRE_MATCH" != true ] || flags+=(--require-match)
[ -z "$INPUT_CONFIG" ] || flags+=(--config "$INPUT_CONFIG")
[ -n "$CAPSTAN_GIT_TOKEN" ] || unset CAPSTAN_GIT_TOKEN
split_words INPUT_PATHS positionals blanks || exit 2
split_words INPUT_ARGS extra quoted || exit 2

before=$(git rev-parse -q --verify HEAD 2>/dev/null || true)
log="${RUNNER_TEMP:-/tmp}/capstan/bump.out"
mkdir -p "$(dirname "$log")"
capstan bump "${flags[@]}" "${extra[@]}" "${positionals[@]}" | tee "$log"
code=${PIPESTATUS[0]}
after=$(git rev-parse -q --verify HEAD 2>/dev/null || true)

# Change lines are "file:line: old -> new"; anything else capstan-bump prints is not one.
changes=$(grep -E '^[^ ].*:[0-9]+: .* -> ' "$log" || true)
changed=false
[ -z "$changes" ] || changed=true
commit=""
[ "$code" -ne 0 ] || [ "$before" = "$after" ] || commit=$after
delimiter="capstan_$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
{
  echo "changed=$changed"
  echo "commit-sha=$commit"
  echo "changes<<$delimiter"
  [ -z "$changes" ] || printf '%s\n' "$changes"
  echo "$delimiter"
  echo "exit-code=$code"
} >>"${GITHUB_OUTPUT:-/dev/null}"
exit "$code"
