#!/usr/bin/env bash
# Start-up benchmark: the CPU time (user + sys of each child, from wait4; median of
# BENCH_RUNS runs, default 25, run round-robin) of /bin/true, a C++ hello world built by the same
# build, `capstan-semver --version`, `capstan-validate --version`, capstan-validate on one small
# manifest and capstan-scan on one small file, each with its ratio to the hello world measured in
# the same run. The commands run inside a fresh git repository holding the file, as a pre-commit
# hook would.
#   tests/bench/startup.sh BUILD_DIR
# Exits 0 when every command ran, 1 when one failed, 2 on usage errors.
set -euo pipefail

die() {
  echo "startup.sh: $*" >&2
  exit 2
}

[ $# -eq 1 ] || die "usage: tests/bench/startup.sh BUILD_DIR"
here=$(cd "$(dirname "$0")" && pwd)
build=$(realpath "$1")
bench=$build/tests/bench/capstan_bench_startup
hello=$build/tests/bench/capstan_bench_hello
tools=$build/tools
for exe in "$bench" "$hello" "$tools/capstan-semver" "$tools/capstan-validate" "$tools/capstan-scan"; do
  [ -x "$exe" ] || die "missing $exe (build it: ninja -C $1)"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/capstan-startup.XXXXXX")
trap 'rm -rf "$work"' EXIT
git init -q "$work/repo"
cp "$here/small-deployment.yaml" "$work/repo/deployment.yaml"
cd "$work/repo"

echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%s\t%s\n' \
  true /bin/true \
  hello "$hello" \
  "semver --version" "$tools/capstan-semver --version" \
  "validate --version" "$tools/capstan-validate --version" \
  "validate one file" "$tools/capstan-validate deployment.yaml" \
  "scan one file" "$tools/capstan-scan deployment.yaml" |
  "$bench" --runs "${BENCH_RUNS:-25}" --baseline hello
