#!/usr/bin/env bash
# capstan-bump's benchmark, run by hand (tests/bench/run.sh BUILD bump), never as a timed test.
#   tests/bench/bump.sh BUILD_DIR
# Generates a 10,000-file config repository where 50 files name ghcr.io/acme/api (kustomization
# images, container image: values, Helm values; gen_bump_repo.py), commits it, and measures in
# BENCH_ROUNDS interleaved rounds (default 3; medians over all rounds):
#   - capstan-bump over the whole repository (find, plan, dirty check, write 50 files), the
#     working tree reset before each run; baselines `grep -rl` for the image and `git status`;
#   - capstan-bump of one file in a one-file repository; baselines /bin/true and `sed -i`.
# Checks that the bump changed exactly 50 lines in 50 files before timing anything.
# Targets: whole repository <= 1 s, one file <= 20 ms. Exits 0 when both pass, 1 when one
# misses, 2 on setup errors. BENCH_FILES shrinks the repository for a quick try.
set -euo pipefail

die() {
  echo "bump.sh: $*" >&2
  exit 2
}
[ $# -eq 1 ] || die "usage: tests/bench/bump.sh BUILD_DIR"
here=$(cd "$(dirname "$0")" && pwd)
bump=$(realpath "$1")/tools/capstan-bump
[ -x "$bump" ] || die "missing $bump (build it: ninja -C $1)"
for tool in hyperfine python3 git; do
  command -v "$tool" > /dev/null || die "missing $tool (scripts/dev bench installs it)"
done
rounds=${BENCH_ROUNDS:-3}
work=$(mktemp -d "${TMPDIR:-/tmp}/capstan-bench-bump.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
export LC_ALL=C GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
git_init() {  # dir
  git -C "$1" init -q -b main
  git -C "$1" add -A
  git -C "$1" -c user.name=bench -c user.email=bench@example.com commit -q -m corpus
}

repo=$work/repo
echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "repo:    $(python3 "$here/gen_bump_repo.py" "$repo" "${BENCH_FILES:-10000}" 50)"
git_init "$repo"
one=$work/one
mkdir -p "$one"
cp "$repo/apps/svc-00000/kustomization.yaml" "$one/kustomization.yaml"
git_init "$one"

bump_all="$bump --image ghcr.io/acme/api --tag 1.0.1"
bump_one="$bump --image ghcr.io/acme/api --tag 1.0.1 kustomization.yaml"
(cd "$repo" && $bump_all > "$work/out")
changed=$(git -C "$repo" diff --numstat | awk '$1 == 1 && $2 == 1' | wc -l)
[ "$changed" -eq 50 ] && [ "$(wc -l < "$work/out")" -eq 50 ] ||
  die "expected 50 one-line changes, got $changed: $(git -C "$repo" diff --stat | tail -1)"
git -C "$repo" checkout -q -- .

results=$work/results.csv
: > "$results"
for round in $(seq "$rounds"); do
  hyperfine --style none -N --warmup 1 --runs 10 --export-csv "$work/r.csv" \
    --prepare "git -C $repo checkout -q -- ." \
    -n bump-repo "sh -c 'cd $repo && exec $bump_all'" \
    -n grep "grep -rl acme/api $repo" \
    -n git-status "git -C $repo status --porcelain" > /dev/null 2> "$work/hyperfine.err" ||
    { cat "$work/hyperfine.err" >&2; die "hyperfine failed"; }
  tail -n +2 "$work/r.csv" >> "$results"
  hyperfine --style none -N --warmup 3 --runs 30 --export-csv "$work/r.csv" \
    --prepare "git -C $one checkout -q -- ." \
    -n bump-one "sh -c 'cd $one && exec $bump_one'" \
    -n sed "sed -i s/1.0.0/1.0.1/ $one/kustomization.yaml" \
    -n true "/bin/true" > /dev/null 2> "$work/hyperfine.err" ||
    { cat "$work/hyperfine.err" >&2; die "hyperfine failed"; }
  tail -n +2 "$work/r.csv" >> "$results"
done

python3 - "$results" << 'PY'
import csv, statistics, sys
by = {}
for row in csv.reader(open(sys.argv[1])):
    by.setdefault(row[0], []).append(float(row[3]) * 1000)  # median column, ms
m = {k: statistics.median(v) for k, v in by.items()}
print(f"bump, 10,000-file repo, 50 matches: {m['bump-repo']:8.1f} ms  (target <= 1000 ms)")
print(f"  grep -rl for the image:            {m['grep']:8.1f} ms  -> bump is {m['bump-repo'] / m['grep']:.2f}x grep")
print(f"  git status:                        {m['git-status']:8.1f} ms  -> bump is {m['bump-repo'] / m['git-status']:.2f}x git status")
print(f"bump, one file:                      {m['bump-one']:8.1f} ms  (target <= 20 ms)")
print(f"  sed -i on the same file:           {m['sed']:8.1f} ms  -> bump is {m['bump-one'] / m['sed']:.2f}x sed")
print(f"  /bin/true (process start):         {m['true']:8.1f} ms")
sys.exit(0 if m['bump-repo'] <= 1000 and m['bump-one'] <= 20 else 1)
PY
