#!/usr/bin/env bash
# Speed benchmark of capstan-scan, run by hand (scripts/dev bench, or tests/bench/run.sh BUILD_DIR
# scan), never as a timed test.
#   tests/bench/scan.sh BUILD_DIR [scale]
# Generates its corpora into a temp dir with capstan_bench_gen_scan, then measures in the same run,
# each against a baseline doing comparable work on the same input:
#   - a realistic GitOps tree (10,000 files, 1% with a plaintext Secret, 10 planted credentials):
#     capstan-scan against `grep -rEin 'secret|password|token|private key'`, and secretlint with
#     its recommended preset (installed with npm into BUILD_DIR/bench-node on first use), with
#     each tool's count of the planted secrets it reports;
#   - the worst case, every file holding a Secret: documents/s, against capstan's parse alone;
#   - --staged with one file changed in a 50,000-file repository, against
#     `git diff --cached --name-only`;
#   - --history over 5,000 generated commits, against `git log -p --all`;
#   - --history over the dense history of issue 19 (3,000 commits on a 300-file tree, 3 files
#     changed in each, 68 secrets planted over time, 6 of them only on branches), against
#     `git log -p --all`, wall and CPU; how many of the 68 capstan reports, and how many a grep of
#     `git log -p --all` for the tree's pattern would show (lines on a planted secret, and not);
#   - capstan-scan's peak RSS in each of these.
# This machine is shared and noisy, so only ratios between figures of one run mean much: commands
# run in BENCH_ROUNDS interleaved rounds (default 3) and each figure is the median over all of
# them; secretlint, about a minute a run, runs in the first round only. BENCH_FILES,
# BENCH_STAGED_FILES, BENCH_COMMITS and BENCH_DENSE_COMMITS (with BENCH_DENSE_FILES,
# BENCH_DENSE_CHANGES and BENCH_DENSE_SECRETS: 300, 3 and 68) shrink the corpora for a quick try;
# BENCH_TMPDIR says where they go (default /dev/shm, else $TMPDIR or /tmp). When capstan-scan is
# not built, only the baselines are measured.
# `scale` (run.sh BUILD_DIR scale runs it too) checks issue 19's bounds on peak RSS instead, each
# run once (scale_common.sh): capstan-scan on a realistic tree of BENCH_SCALE_FILES files
# (default 100,000; bound 256 MB) and --history over BENCH_SCALE_COMMITS commits (default 20,000,
# the 5,000-commit history's shape; bound 128 MB), beside the same on the default tree and
# history, with `grep -rEin` and `git log -p --all` on the same inputs as baselines.
# Exits 0 when every target passes, 1 when one misses, 2 on usage or setup errors or when
# capstan-scan is missing.
set -euo pipefail

die() {
  echo "scan.sh: $*" >&2
  exit 2
}

# hyperfine ARGS...: quiet unless it fails. Callers pass -i where a command exits 1 on findings;
# its results were checked before timing.
bench() {
  hyperfine --style none "$@" > "$work/hyperfine.log" 2>&1 || {
    cat "$work/hyperfine.log" >&2
    die "hyperfine failed"
  }
}

# check NAME EXPECTED_STATUS COMMAND...: runs a command once (in the current directory) keeping its
# stdout in $work/NAME.out; dies when its exit status is not EXPECTED_STATUS.
check() {
  local name=$1 want=$2 status=0
  shift 2
  "$@" > "$work/$name.out" 2> "$work/$name.err" || status=$?
  [ "$status" -eq "$want" ] ||
    die "$name: '$*' exited $status, not $want: $(head -c 600 "$work/$name.err")"
}

[ $# -eq 1 ] || { [ $# -eq 2 ] && [ "$2" = scale ]; } || die "usage: tests/bench/scan.sh BUILD_DIR [scale]"
mode=${2:-bench}
build=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
scan=$build/tools/capstan-scan
gen=$build/tests/bench/capstan_bench_gen_scan
floor=$build/tests/bench/capstan_bench_parse_floor
rounds=${BENCH_ROUNDS:-3}
files=${BENCH_FILES:-10000}
staged_files=${BENCH_STAGED_FILES:-50000}
commits=${BENCH_COMMITS:-5000}
dense_commits=${BENCH_DENSE_COMMITS:-3000}
dense_files=${BENCH_DENSE_FILES:-300}
dense_changes=${BENCH_DENSE_CHANGES:-3}
dense_secrets=${BENCH_DENSE_SECRETS:-68}
for exe in "$gen" "$floor"; do
  [ -x "$exe" ] || die "missing $exe (build it: ninja -C $1)"
done
for tool in hyperfine git grep python3 /usr/bin/time; do
  command -v "$tool" > /dev/null || die "missing $tool (scripts/dev bench installs it)"
done
have_scan=1
[ -x "$scan" ] || have_scan=0

# The corpora are 70,000 files: on a disk mounted with `discard` (this machine's) deleting them
# takes minutes, so they go to /dev/shm when there is one. Reads come from memory either way.
tmp=${BENCH_TMPDIR:-}
if [ -z "$tmp" ]; then
  tmp=${TMPDIR:-/tmp}
  [ -d /dev/shm ] && [ -w /dev/shm ] && tmp=/dev/shm
fi
work=$(mktemp -d "$tmp/capstan-scan-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
export LC_ALL=C
# git as it comes, whatever the user's configuration; fixed identities and dates.
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@acme.example GIT_AUTHOR_DATE=1700000000+0000
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@acme.example
export GIT_COMMITTER_DATE=1700000000+0000
meta=$work/meta.txt
note() { echo "$1=$2" >> "$meta"; }
# step NAME: announces a step on stderr, with the seconds since the script started.
step() {
  echo "  (${SECONDS}s) $1 ..." >&2
}

echo "machine: $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "corpora: in $work ($(stat -f -c %T "$work"))"
[ "$have_scan" = 1 ] || echo "capstan-scan is not built ($scan): measuring the baselines only"

if [ "$mode" = scale ]; then
  [ "$have_scan" = 1 ] || die "missing $scan (build it: ninja -C $1 capstan-scan)"
  # shellcheck source=tests/bench/scale_common.sh
  . "$here/scale_common.sh"
  scale_files=${BENCH_SCALE_FILES:-100000}
  scale_commits=${BENCH_SCALE_COMMITS:-20000}
  pattern='secret|password|token|private key'
  sizes=()
  for n in "$files" "$scale_files"; do
    step "generating the $n-file tree"
    echo "tree:    $("$gen" tree --files "$n" --planted "$work/planted-$n.tsv" "$work/tree-$n")"
    sizes+=("$(scale_size "$work/tree-$n")")
  done
  for n in "$commits" "$scale_commits"; do
    step "generating the $n-commit history"
    git init -q -b main "$work/history-$n"
    git -C "$work/history-$n" config gc.auto 0
    "$gen" history --commits "$n" --planted "$work/history-planted-$n.tsv" 2> "$work/history-$n.txt" |
      git -C "$work/history-$n" fast-import --quiet
    echo "history: $(cat "$work/history-$n.txt")"
    sizes+=("$n commits, $(git -C "$work/history-$n" count-objects -v |
      sed -n 's/^size-pack: //p' | awk '{ printf "%.1f MB packed", $1 * 1024 / 1e6 }')")
  done
  step "each run once, the baseline first (it warms the page cache)"
  scale_run grep-base 0 "$work/tree-$files" grep -rEin "$pattern" .
  scale_run scan-base 1 "$work/tree-$files" "$scan" --format json .
  scale_run grep-scale 0 "$work/tree-$scale_files" grep -rEin "$pattern" .
  scale_run scan-scale 1 "$work/tree-$scale_files" "$scan" --format json .
  scale_run log-base 0 "$work/history-$commits" git log -p --all
  scale_run history-base 1 "$work/history-$commits" "$scan" --history --format json
  scale_run log-scale 0 "$work/history-$scale_commits" git log -p --all
  scale_run history-scale 1 "$work/history-$scale_commits" "$scan" --history --format json
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "capstan-scan, peak RSS bounded by input size; baselines on the same inputs:" \
    "grep -rEin '$pattern' and git log -p --all"
  echo
  scale_header
  scale_row "grep -rEin (the pattern above)" "${sizes[0]}" grep-base
  scale_row "capstan-scan" "${sizes[0]}" scan-base
  scale_row "grep -rEin (the pattern above)" "${sizes[1]}" grep-scale
  scale_row "capstan-scan" "${sizes[1]}" scan-scale 256
  scale_row "git log -p --all" "${sizes[2]}" log-base
  scale_row "capstan-scan --history" "${sizes[2]}" history-base
  scale_row "git log -p --all" "${sizes[3]}" log-scale
  scale_row "capstan-scan --history" "${sizes[3]}" history-scale 128
  echo
  scale_growth scan-scale scan-base $((scale_files / files))
  scale_growth grep-scale grep-base $((scale_files / files))
  scale_growth history-scale history-base "$(awk "BEGIN { print $scale_commits / $commits }")"
  scale_growth log-scale log-base "$(awk "BEGIN { print $scale_commits / $commits }")"
  # The planted secrets each run reported (summarize_scan.py's scoring: tree by path and line,
  # history by path).
  python3 - "$here" "$work" "$files" "$scale_files" "$commits" "$scale_commits" << 'PY' ||
import os, sys
sys.path.insert(0, sys.argv[1])
import summarize_scan as s
work = sys.argv[2]
files, scale_files, commits, scale_commits = sys.argv[3:7]
runs = [("scan-base", f"planted-{files}.tsv", True, f"tree-{files}"),
        ("scan-scale", f"planted-{scale_files}.tsv", True, f"tree-{scale_files}"),
        ("history-base", f"history-planted-{commits}.tsv", False, ""),
        ("history-scale", f"history-planted-{scale_commits}.tsv", False, "")]
missed = 0
for name, planted_file, by_line, tree in runs:
    planted = s.read_planted(os.path.join(work, planted_file))
    findings = s.capstan_findings(os.path.join(work, name + ".out"), os.path.join(work, tree))
    found, other = s.score(planted, findings, by_line)
    print(f"{name}: {sum(found.values())} of {len(planted)} planted secrets reported, "
          f"{len(findings)} findings, {other} on nothing planted")
    missed += sum(found.values()) < len(planted)
sys.exit(1 if missed else 0)
PY
    scale_failed=1
  exit "$scale_failed"
fi

# secretlint: the newest release this node runs (12+ need node 22), installed once per build dir.
secretlint=""
node_dir=$build/bench-node
if command -v node > /dev/null && command -v npm > /dev/null; then
  major=$(node -p 'process.versions.node.split(".")[0]')
  version=9.3.4
  [ "$major" -ge 20 ] && version=11.7.1
  installed=$(node -p "require('$node_dir/node_modules/secretlint/package.json').version" \
    2> /dev/null || true)
  if [ "$installed" != "$version" ]; then
    echo "installing secretlint $version into $node_dir ..." >&2
    mkdir -p "$node_dir"
    npm install --prefix "$node_dir" --no-audit --no-fund --loglevel=error \
      "secretlint@$version" "@secretlint/secretlint-rule-preset-recommend@$version" >&2 ||
      echo "scan.sh: npm install failed: secretlint is left out" >&2
  fi
  if [ -x "$node_dir/node_modules/.bin/secretlint" ]; then
    secretlint=$node_dir/node_modules/.bin/secretlint
    note secretlint_version "$version (node $(node --version))"
  fi
else
  echo "scan.sh: node or npm missing: secretlint is left out" >&2
fi

step "generating the realistic tree"
tree=$work/tree
echo "tree:    $("$gen" tree --files "$files" --planted "$work/planted.tsv" "$tree")"
(cd "$tree" && find . -type f | sed 's|^\./||' | sort) > "$work/tree-files"
note tree_files "$(wc -l < "$work/tree-files")"
note tree_bytes "$(cd "$tree" && xargs -a "$work/tree-files" -d '\n' cat | wc -c)"

step "generating the worst case"
worst=$work/worst
line=$("$gen" worst --files "$files" "$worst")
echo "worst:   $line"
note worst_files "$files"
note worst_docs "$(sed -n 's/^[0-9]* files, \([0-9]*\) documents.*/\1/p' <<< "$line")"
note worst_bytes "$(sed -n 's/.* \([0-9]*\) bytes.*/\1/p' <<< "$line")"

step "generating the staged repository"
staged=$work/staged
echo "staged:  $("$gen" tree --files "$staged_files" --secret-percent 0 --no-tokens "$staged")"
git -C "$staged" init -q -b main
git -C "$staged" config gc.auto 0  # no background gc during the measurements
git -C "$staged" add -A
git -C "$staged" commit -q -m "Import the GitOps repository"
# Packed like a clone, rather than 60,000 loose objects.
git -C "$staged" gc --quiet
# The change a pre-commit hook exists for: a plaintext Secret added to an existing manifest.
changed=$(cd "$staged" && git ls-files 'apps/*/base/deployment.yaml' | sed -n 1p)
printf -- '---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: api-db\ntype: Opaque\nstringData:\n  password: pR7vXq2LmN9sT4wZkE3c\n' \
  >> "$staged/$changed"
git -C "$staged" add "$changed"
echo "         HEAD $(git -C "$staged" rev-parse --short HEAD), staged change: $changed"
note staged_files "$(git -C "$staged" ls-files | wc -l)"
note staged_changed "$changed"

step "generating the history"
history=$work/history
git init -q -b main "$history"
git -C "$history" config gc.auto 0
"$gen" history --commits "$commits" --planted "$work/history-planted.tsv" 2> "$work/history.txt" |
  git -C "$history" fast-import --quiet
echo "history: $(cat "$work/history.txt"), main at $(git -C "$history" rev-parse --short main)"
note history_commits "$(git -C "$history" rev-list --all | wc -l)"
note history_blobs "$(git -C "$history" cat-file --batch-all-objects --batch-check='%(objecttype)' |
  grep -c '^blob$')"

step "generating the dense history"
dense=$work/dense
git init -q -b main "$dense"
git -C "$dense" config gc.auto 0
"$gen" history --files "$dense_files" --commits "$dense_commits" --changes "$dense_changes" \
  --secrets "$dense_secrets" --planted "$work/dense-planted.tsv" 2> "$work/dense.txt" |
  git -C "$dense" fast-import --quiet
echo "dense:   $(cat "$work/dense.txt"), main at $(git -C "$dense" rev-parse --short main)"
note dense_commits "$(git -C "$dense" rev-list --all | wc -l)"
note dense_files "$dense_files"
note dense_yaml "$(git -C "$dense" ls-tree -r --name-only "$(git -C "$dense" rev-list --max-parents=0 main)" |
  grep -c '\.yaml$')"
note dense_changes "$dense_changes"
note dense_branch_secrets "$(sed -n 's/.*(\([0-9]*\) only on branches).*/\1/p' "$work/dense.txt")"
note dense_blobs "$(git -C "$dense" cat-file --batch-all-objects --batch-check='%(objecttype)' |
  grep -c '^blob$')"

# Check the work is right before timing it, and keep each tool's findings for scoring. These runs
# also warm the page cache and the binaries.
step "checking"
pattern='secret|password|token|private key'
(cd "$tree" && check grep 0 grep -rEin "$pattern" .)
note grep_lines "$(wc -l < "$work/grep.out")"
note grep_files "$(cut -d: -f1 "$work/grep.out" | sort -u | wc -l)"
if [ "$have_scan" = 1 ]; then
  (cd "$tree" && check scan-tree 1 "$scan" --format json .)
  (cd "$worst" && check scan-worst 1 "$scan" --format json .)
  (cd "$staged" && check scan-staged 1 "$scan" --staged --format json)
  (cd "$history" && check scan-history 1 "$scan" --history --format json)
  (cd "$dense" && check scan-dense 1 "$scan" --history --format json)
fi
# What a grep of the patch log would show; summarize_scan.py greps it for the tree's pattern.
(cd "$dense" && check git-log-dense 0 git log -p --all)
note dense_log_bytes "$(wc -c < "$work/git-log-dense.out")"
check parse-worst 0 "$floor" --capstan -j2 "$worst"

# secretlint's own glob walk ("**/*") grows faster than linearly with the number of files (over 8
# CPU minutes for this tree), so it gets lists of 250 files, two processes at a time, as
# pre-commit would hand them over: its best case. Each batch writes its JSON report to a file of
# its own (with --output, secretlint exits 0 on findings and 2 on errors), kept for scoring.
secretlint_cmd=""
if [ -n "$secretlint" ]; then
  printf '{"rules":[{"id":"@secretlint/secretlint-rule-preset-recommend"}]}\n' \
    > "$work/secretlintrc.json"
  printf '#!/bin/sh\nexec %q --secretlintrc %q --format json --no-maskSecrets --output %q/"$$".json "$@"\n' \
    "$secretlint" "$work/secretlintrc.json" "$work/secretlint-out" > "$work/secretlint-batch"
  chmod +x "$work/secretlint-batch"
  secretlint_cmd="xargs -a $work/tree-files -d '\n' -P2 -n 250 $work/secretlint-batch"
  note secretlint_cmd "xargs -P2 -n 250 secretlint --format json (preset-recommend)"
fi

for r in $(seq "$rounds"); do
  step "round $r/$rounds"
  tree_cmds=(-n grep "grep -rEin '$pattern' .")
  [ "$have_scan" = 1 ] && tree_cmds+=(-n scan "$scan .")
  (cd "$tree" && bench -N -i --output=pipe --warmup 0 --runs 2 \
    --export-json "$work/tree-$r.json" "${tree_cmds[@]}")
  worst_cmds=(-n parse-worst "$floor --capstan -j2 $worst")
  [ "$have_scan" = 1 ] && worst_cmds+=(-n scan-worst "$scan .")
  (cd "$worst" && bench -N -i --warmup 0 --runs 2 --export-json "$work/worst-$r.json" \
    "${worst_cmds[@]}")
  staged_cmds=(-n git-diff-cached "git diff --cached --name-only")
  [ "$have_scan" = 1 ] && staged_cmds+=(-n scan-staged "$scan --staged")
  (cd "$staged" && bench -N -i --warmup 3 --runs 20 --export-json "$work/staged-$r.json" \
    "${staged_cmds[@]}")
  history_cmds=(-n git-log-p "git log -p --all")
  [ "$have_scan" = 1 ] && history_cmds+=(-n scan-history "$scan --history")
  (cd "$history" && bench -N -i --warmup 0 --runs 2 --export-json "$work/history-$r.json" \
    "${history_cmds[@]}")
  dense_cmds=(-n git-log-p-dense "git log -p --all")
  [ "$have_scan" = 1 ] && dense_cmds+=(-n scan-dense "$scan --history")
  (cd "$dense" && bench -N -i --warmup 1 --runs 5 --export-json "$work/dense-$r.json" \
    "${dense_cmds[@]}")
  # secretlint takes about a minute and is two orders of magnitude slower: one run is enough.
  if [ -n "$secretlint_cmd" ] && [ "$r" = 1 ]; then
    mkdir "$work/secretlint-out"
    (cd "$tree" && bench -N --warmup 0 --runs 1 --export-json "$work/secretlint-$r.json" \
      -n secretlint "$secretlint_cmd")
  fi
  if [ "$have_scan" = 1 ]; then
    (cd "$tree" && /usr/bin/time -o "$work/rss-tree-$r.txt" -f %M "$scan" . > /dev/null) || true
    (cd "$worst" && /usr/bin/time -o "$work/rss-worst-$r.txt" -f %M "$scan" . > /dev/null) || true
    (cd "$staged" && /usr/bin/time -o "$work/rss-staged-$r.txt" -f %M "$scan" --staged > /dev/null) ||
      true
    (cd "$history" && /usr/bin/time -o "$work/rss-history-$r.txt" -f %M "$scan" --history \
      > /dev/null) || true
    (cd "$dense" && /usr/bin/time -o "$work/rss-dense-$r.txt" -f %M "$scan" --history \
      > /dev/null) || true
  fi
done

step "summarizing"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
python3 "$here/summarize_scan.py" "$work" "$tree" "$pattern" || status=$?
[ "$have_scan" = 1 ] || status=2
exit "$status"
