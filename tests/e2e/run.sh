#!/usr/bin/env bash
# Golden CLI cases for the contract of the capstan tools (STYLE 8): each directory under
# tests/e2e/cases/ is one command, run from the repository root, whose stdout, stderr and exit
# code must match the expected files exactly. See tests/e2e/README.md for the case layout.
#
# usage: tests/e2e/run.sh BIN_DIR [--update] [CASE...]
#   BIN_DIR   a build directory; the first word of each `cmd` is run as BIN_DIR/tools/<word>
#   --update  rewrite the expected files of differing cases from the actual output
#   CASE      case names (default: every case)
# Exits 0 when every case passes, 1 when any fails, 2 on misuse.

set -u
export LC_ALL=C

usage() {
  echo "usage: $0 BIN_DIR [--update] [CASE...]" >&2
  exit 2
}

[ $# -ge 1 ] || usage
bin_dir=$1
shift
case $bin_dir in -*) usage ;; esac
if [ ! -d "$bin_dir/tools" ]; then
  echo "run.sh: error: '$bin_dir/tools' is not a directory (build first)" >&2
  exit 2
fi
bin_dir=$(cd "$bin_dir" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

update=0
names=()
for arg in "$@"; do
  case $arg in
    --update) update=1 ;;
    -*) usage ;;
    *) names+=("$(basename "$arg")") ;;
  esac
done
if [ ${#names[@]} -eq 0 ]; then
  for dir in "$here"/cases/*/; do
    [ -d "$dir" ] && names+=("$(basename "$dir")")
  done
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Runs case $1 and compares; returns 0 on a match (or after --update rewrote it), 1 otherwise.
run_case() {
  local name=$1
  local dir=$here/cases/$name
  local work=$tmp/$name
  if [ ! -f "$dir/cmd" ]; then
    echo "FAIL $name: no such case (missing $dir/cmd)"
    return 1
  fi
  mkdir -p "$work/home"
  if [ "$(grep -c '' "$dir/cmd")" -ne 1 ]; then
    echo "FAIL $name: cmd must be exactly one line"
    return 1
  fi
  local line
  IFS= read -r line <"$dir/cmd"
  # Words split as xargs splits them: quotes and backslashes group, nothing is expanded.
  if ! printf '%s\n' "$line" | xargs -r printf '%s\0' >"$work/argv"; then
    echo "FAIL $name: cannot split cmd into words (unbalanced quote?)"
    return 1
  fi
  local -a argv
  mapfile -d '' -t argv <"$work/argv"
  if [ ${#argv[@]} -eq 0 ]; then
    echo "FAIL $name: cmd is empty"
    return 1
  fi
  local exe=$bin_dir/tools/${argv[0]}
  if [ ! -x "$exe" ]; then
    echo "FAIL $name: no executable '${argv[0]}' in $bin_dir/tools"
    return 1
  fi
  local input=/dev/null
  [ -f "$dir/stdin" ] && input=$dir/stdin

  # A clean environment (no GIT_DIR from a hook, no user git config) and argv[0] as typed.
  # shellcheck disable=SC2016  # $0 and $@ are for the inner bash
  (cd "$root" && exec env -i PATH="$PATH" HOME="$work/home" LC_ALL=C TZ=UTC \
    timeout 60 bash -c 'exec -a "$0" "$@"' "${argv[0]}" "$exe" "${argv[@]:1}") \
    <"$input" >"$work/out" 2>"$work/err"
  echo $? >"$work/exit"

  local expected_out=$dir/expected.out expected_err=$dir/expected.err
  [ -f "$expected_out" ] || expected_out=/dev/null
  [ -f "$expected_err" ] || expected_err=/dev/null
  local want="(missing expected.exit)"
  [ -f "$dir/expected.exit" ] && want=$(cat "$dir/expected.exit")
  local got
  got=$(cat "$work/exit")
  if [ -f "$dir/expected.out" ] && cmp -s "$expected_out" "$work/out" &&
    cmp -s "$expected_err" "$work/err" && [ "$want" = "$got" ]; then
    echo "ok   $name"
    return 0
  fi
  if [ $update -eq 1 ]; then
    cp "$work/out" "$dir/expected.out"
    if [ -s "$work/err" ]; then cp "$work/err" "$dir/expected.err"; else rm -f "$dir/expected.err"; fi
    cp "$work/exit" "$dir/expected.exit"
    echo "updated $name (review with git diff)"
    return 0
  fi
  echo "FAIL $name"
  [ -f "$dir/expected.out" ] || echo "$name: missing expected.out (run with --update)"
  diff -a -u --label "$name/expected.out" --label "$name/actual stdout" "$expected_out" "$work/out"
  diff -a -u --label "$name/expected.err" --label "$name/actual stderr" "$expected_err" "$work/err"
  [ "$want" = "$got" ] || echo "$name: expected exit code $want, got $got"
  return 1
}

passed=0
failed=0
for name in "${names[@]}"; do
  if run_case "$name"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
done
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
