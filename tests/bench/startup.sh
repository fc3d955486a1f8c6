#!/usr/bin/env bash
# Start-up benchmark: the CPU time (user + sys of each child, from wait4; median of
# BENCH_RUNS runs, default 25, run round-robin) of /bin/true, a C++ hello world built by the same
# build, `capstan-semver --version`, `capstan-validate --version`, capstan-validate on one small
# manifest and capstan-scan on one small file, each with its ratio to the hello world measured in
# the same run. The commands run inside a fresh git repository holding the file, as a pre-commit
# hook would. With BASE_BUILD_DIR (another build, e.g. of the commit before a change), its three
# tools are measured in the same round-robin, as "base ..." rows.
#   tests/bench/startup.sh BUILD_DIR [BASE_BUILD_DIR]
# Exits 0 when every command ran, 1 when one failed, 2 on usage errors.
set -euo pipefail

die() {
  echo "startup.sh: $*" >&2
  exit 2
}

[ $# -eq 1 ] || [ $# -eq 2 ] || die "usage: tests/bench/startup.sh BUILD_DIR [BASE_BUILD_DIR]"
here=$(cd "$(dirname "$0")" && pwd)
build=$(realpath "$1")
bench=$build/tests/bench/capstan_bench_startup
hello=$build/tests/bench/capstan_bench_hello
tools=$build/tools
base=
if [ $# -eq 2 ]; then base=$(realpath "$2")/tools; fi
for exe in "$bench" "$hello" "$tools/capstan-semver" "$tools/capstan-validate" "$tools/capstan-scan" \
  ${base:+"$base/capstan-semver" "$base/capstan-validate" "$base/capstan-scan"}; do
  [ -x "$exe" ] || die "missing $exe (build it with ninja)"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/capstan-startup.XXXXXX")
trap 'rm -rf "$work"' EXIT
git init -q "$work/repo"
cp "$here/small-deployment.yaml" "$work/repo/deployment.yaml"
cd "$work/repo"

echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
rows() {  # PREFIX TOOLS_DIR
  printf '%s\t%s\n' \
    "${1}semver --version" "$2/capstan-semver --version" \
    "${1}validate --version" "$2/capstan-validate --version" \
    "${1}validate one file" "$2/capstan-validate deployment.yaml" \
    "${1}scan one file" "$2/capstan-scan deployment.yaml"
}
{
  printf '%s\t%s\n' true /bin/true hello "$hello"
  if [ -n "$base" ]; then rows "base " "$base"; fi
  rows "" "$tools"
} | "$bench" --runs "${BENCH_RUNS:-25}" --baseline hello
