#!/usr/bin/env bash
# A fuzzing campaign: every libFuzzer target in turn, each for at most MINUTES minutes or
# RUNS executions (default 10,000,000), whichever comes first, growing a working corpus that
# starts from its seeds (tests/fuzz/seeds/<target>/ is never written). Prints, per target,
# executions, executions per second, coverage (libFuzzer's features and edges), corpus size and
# crashes; a crash's input is kept as BUILD_DIR/fuzz-artifacts/<target>/<run>/crash-*
# (<run>: when the campaign started), so each campaign counts only its own.
#   tests/fuzz/run.sh MINUTES [BUILD_DIR] [TARGET...]
# BUILD_DIR (default build/fuzz) is configured and built here with clang and -DCAPSTAN_FUZZ=ON
# when it does not exist yet. Exits 0 when no target crashed, 1 when one did, 2 on usage errors.
set -euo pipefail

die() {
  echo "run.sh: $*" >&2
  exit 2
}

[ $# -ge 1 ] || die "usage: tests/fuzz/run.sh MINUTES [BUILD_DIR] [TARGET...]"
minutes=$1
shift
[[ $minutes =~ ^[0-9]+$ ]] && [ "$minutes" -gt 0 ] || die "MINUTES must be a positive integer"
here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(cd "$here/../.." && pwd)
build=${1:-build/fuzz}
[ $# -ge 1 ] && shift
runs=${RUNS:-10000000}

if [ ! -f "$build/build.ninja" ]; then
  CC=clang CXX=clang++ cmake -S "$source_dir" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCAPSTAN_FUZZ=ON -DCAPSTAN_TESTS=OFF > /dev/null
fi
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for seeds in "$here"/seeds/*/; do targets+=("$(basename "$seeds")"); done
fi
ninja -C "$build" $(printf 'tests/fuzz/capstan_fuzz_%s ' "${targets[@]}") > /dev/null

stamp=$(date -u +%Y%m%dT%H%M%SZ)
echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); $minutes min or $runs runs per target"
printf '%-20s %12s %10s %8s %8s %8s %8s\n' target execs exec/s features edges corpus crashes
status=0
for t in "${targets[@]}"; do
  corpus=$build/fuzz-corpus/$t
  artifacts=$build/fuzz-artifacts/$t/$stamp
  mkdir -p "$corpus" "$artifacts"
  log=$artifacts/fuzz.log
  set +e
  "$build/tests/fuzz/capstan_fuzz_$t" -max_total_time=$((minutes * 60)) -runs="$runs" \
    -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$artifacts/" \
    "$corpus" "$here/seeds/$t" > "$log" 2>&1
  rc=$?
  set -e
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+' "$log" | grep -E ' (cov|ft): ' | tail -1)
  edges=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<< "$last")
  features=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<< "$last")
  crashes=$(find "$artifacts" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  printf '%-20s %12s %10s %8s %8s %8s %8s\n' "$t" "${execs:-?}" "${speed:-?}" "${features:-?}" \
    "${edges:-?}" "$(find "$corpus" -type f | wc -l)" "$crashes"
  if [ "$rc" -ne 0 ] || [ "$crashes" -ne 0 ]; then
    status=1
    grep -m1 -E 'ERROR: |property violated' "$log" | sed 's/^/    /' || true
  fi
done
exit $status
