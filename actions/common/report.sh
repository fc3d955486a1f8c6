#!/usr/bin/env bash
# Runs a capstan tool that writes a report (validate, scan, sync) the way every capstan action
# does, from a composite action's `run:` step:
#   report.sh TOOL [ARG...]
# Inputs arrive in the environment (never spliced into the script: no injection):
#   INPUT_PATHS            the tool's positional arguments (paths, or sync's application names),
#                          separated by spaces or newlines; no glob is expanded
#   INPUT_ARGS             extra flags, split like xargs does (quotes group, nothing is expanded)
#   INPUT_FAIL_ON          --fail-on (error|warning|note)
#   INPUT_MAX_ANNOTATIONS  annotations per severity (GitHub shows 10 per step)
#   INPUT_CONFIG           --config FILE, when non-empty
#   INPUT_ALLOW_EMPTY      "true": a run that examined no file passes; otherwise (validate and
#                          scan) it fails with exit code 2, since a gate that checked nothing
#                          must not read as clean
# It writes, in $RUNNER_TEMP/capstan/TOOL/: report.json, TOOL.sarif and summary.md; prints the
# findings as annotations (the most severe first, within GitHub's budget, then one notice
# counting the rest); appends the summary table of all findings to $GITHUB_STEP_SUMMARY; sets
# the outputs findings, errors, warnings, notes, sarif, report and exit-code; and exits with the
# tool's exit code.
set -uo pipefail

tool=$1
shift

die() {  # a usage problem of the action itself: an annotation and exit 2, as the tools do
  printf '::error title=capstan %s::%s\n' "$tool" "$1"
  exit 2
}

source "$(dirname "$0")/words.sh"
split_words INPUT_PATHS positionals blanks
split_words INPUT_ARGS extra quoted || exit 2

out_dir="${RUNNER_TEMP:-/tmp}/capstan/$tool"
mkdir -p "$out_dir" || die "cannot create $out_dir"
json="$out_dir/report.json"
sarif="$out_dir/$tool.sarif"
summary="$out_dir/summary.md"
rm -f "$json" "$sarif" "$summary"

flags=(--format github --report "json=$json" --report "sarif=$sarif" --report "markdown=$summary"
  --max-annotations "${INPUT_MAX_ANNOTATIONS:-10}")
[ "$tool" = sync ] || flags+=(--fail-on "${INPUT_FAIL_ON:-error}")
[ -z "${INPUT_CONFIG:-}" ] || flags+=(--config "$INPUT_CONFIG")

capstan "$tool" "${flags[@]}" "$@" "${extra[@]}" "${positionals[@]}"
code=$?

if [ -s "$summary" ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  cat "$summary" >>"$GITHUB_STEP_SUMMARY"
fi

# The counts, from the report's summary object (capstan's JSON report is indented by two spaces;
# its summary object closes the document).
count() {
  [ -s "$json" ] || { echo 0; return; }
  sed -n "/^  \"summary\": {/,/^  }/s/^    \"$1\": \([0-9]*\).*/\1/p" "$json" | tail -n 1
}
errors=$(count errors)
warnings=$(count warnings)
notes=$(count notes)
files=$(count files)
if [ "$tool" != sync ] && [ "$code" -eq 0 ] && [ -s "$json" ] && [ "${files:-0}" -eq 0 ] &&
  [ "${INPUT_ALLOW_EMPTY:-false}" != true ]; then
  printf '::error title=capstan %s::no file was checked: the paths matched nothing (set allow-empty: true if that is expected)\n' "$tool"
  code=2
fi
{
  echo "findings=$((${errors:-0} + ${warnings:-0} + ${notes:-0}))"
  echo "errors=${errors:-0}"
  echo "warnings=${warnings:-0}"
  echo "notes=${notes:-0}"
  echo "files=${files:-0}"
  [ -s "$sarif" ] && echo "sarif=$sarif"
  [ -s "$json" ] && echo "report=$json"
  echo "exit-code=$code"
} >>"${GITHUB_OUTPUT:-/dev/null}"
exit "$code"
