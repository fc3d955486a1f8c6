#!/usr/bin/env bash
# Speed benchmarks, run by hand (scripts/dev bench), never as timed tests.
#   tests/bench/run.sh BUILD_DIR [validate|scan|bump|watch|sync|all|scale|validate-scale]
# `scan` runs scan.sh, capstan-scan's benchmark, alone, `bump` runs bump.sh (capstan-bump),
# `watch` runs watch.sh (capstan-watch), `sync` runs sync.sh (capstan-sync); `all` (the default)
# runs this one, of capstan-validate, then scan.sh, bump.sh, watch.sh and sync.sh, and exits with
# the worst status.
# `scale` checks issue 19's bounds on peak RSS, each big run once (minutes, so never part of
# `all`): `validate-scale` here, capstan-validate -j2 --strict on a generated tree of
# BENCH_SCALE_FILES files (default 100,000, three documents a file on average; bound 256 MB)
# beside the default 10,000-file tree, with `cat` over each as the time baseline; then
# `scan.sh BUILD_DIR scale` and `watch.sh BUILD_DIR scale`. Its corpora go to BENCH_TMPDIR
# (default /dev/shm, else $TMPDIR or /tmp).
# Generates the deterministic corpus (10,000 files, 30,000 documents) into a temp dir, then
# measures in the same run: cat over the tree, the yaml-cpp parse-only floor (-j2), yamllint (on
# every 10th file, scaled by bytes), capstan-validate -j2 --strict, its peak RSS, and one small
# file validated end to end against the cost of starting a process. This machine is shared and
# noisy, so only ratios between figures of one run mean much: the commands are measured in
# BENCH_ROUNDS interleaved rounds (default 3) and each figure is the median over all rounds.
# BENCH_FILES and BENCH_DOCS shrink the corpus for a quick try of the script itself.
# BENCH_BASE=DIR (another build, e.g. of the commit before a change) times its capstan-validate
# in the same rounds, on the tree and on the small file, and prints new / base ratios.
# Exits 0 when every target passes, 1 when one misses, 2 on usage or setup errors.
set -euo pipefail

die() {
  echo "run.sh: $*" >&2
  exit 2
}

# hyperfine ARGS...: quiet unless it fails (a command exiting non-zero fails the benchmark).
bench() {
  hyperfine --style none "$@" > "$work/hyperfine.log" 2>&1 || {
    cat "$work/hyperfine.log" >&2
    die "hyperfine failed"
  }
}

usage="usage: tests/bench/run.sh BUILD_DIR [validate|scan|bump|watch|sync|all|scale|validate-scale]"
[ $# -ge 1 ] && [ $# -le 2 ] || die "$usage"
which=${2:-all}
here=$(cd "$(dirname "$0")" && pwd)
case "$which" in
  scan) exec "$here/scan.sh" "$1" ;;
  bump) exec "$here/bump.sh" "$1" ;;
  watch) exec "$here/watch.sh" "$1" ;;
  sync) exec "$here/sync.sh" "$1" ;;
  validate | all | scale | validate-scale) ;;
  *) die "$usage" ;;
esac
build=$(realpath "$1")
validate=$build/tools/capstan-validate
gen=$build/tests/bench/capstan_bench_gen
floor=$build/tests/bench/capstan_bench_parse_floor
rounds=${BENCH_ROUNDS:-3}
base_validate=
if [ -n "${BENCH_BASE:-}" ]; then base_validate=$(realpath "$BENCH_BASE")/tools/capstan-validate; fi
for exe in "$validate" "$gen" "$floor" ${base_validate:+"$base_validate"}; do
  [ -x "$exe" ] || die "missing $exe (build it: ninja -C $1)"
done
for tool in hyperfine yamllint python3 /usr/bin/time; do
  command -v "$tool" > /dev/null || die "missing $tool (scripts/dev bench installs it)"
done

tmp=${TMPDIR:-/tmp}
if [ "$which" = scale ] || [ "$which" = validate-scale ]; then
  # The 100,000-file tree is 400 MB: on a disk mounted with `discard` deleting it takes minutes.
  tmp=${BENCH_TMPDIR:-}
  if [ -z "$tmp" ]; then
    tmp=${TMPDIR:-/tmp}
    [ -d /dev/shm ] && [ -w /dev/shm ] && tmp=/dev/shm
  fi
fi
work=$(mktemp -d "$tmp/capstan-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
corpus=$work/corpus
export LC_ALL=C

echo "machine: $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg)"

if [ "$which" = scale ] || [ "$which" = validate-scale ]; then
  # shellcheck source=tests/bench/scale_common.sh
  . "$here/scale_common.sh"
  files=${BENCH_FILES:-10000}
  scale_files=${BENCH_SCALE_FILES:-100000}
  echo "corpus:  $("$gen" --files "$files" --docs "${BENCH_DOCS:-$((files * 3))}" "$corpus")"
  echo "scale:   $("$gen" --files "$scale_files" --docs $((scale_files * 3)) "$work/scale")"
  sizes=()
  for dir in "$corpus" "$work/scale"; do
    sizes+=("$(scale_size "$dir")")
  done
  echo "validate-scale: each once, cat first (warms the page cache) ..." >&2
  scale_run cat-base 0 "$corpus" sh -c 'find . -type f -exec cat {} + > /dev/null'
  scale_run validate-base 0 "$corpus" "$validate" -j2 --strict .
  scale_run cat-scale 0 "$work/scale" sh -c 'find . -type f -exec cat {} + > /dev/null'
  scale_run validate-scale 0 "$work/scale" "$validate" -j2 --strict .
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "capstan-validate -j2 --strict, peak RSS bounded by input size:"
  echo "  base: $(tail -1 "$work/validate-base.out")"
  echo "  scale: $(tail -1 "$work/validate-scale.out")"
  echo
  scale_header
  scale_row "cat (find -exec cat)" "${sizes[0]}" cat-base
  scale_row "capstan-validate -j2 --strict" "${sizes[0]}" validate-base
  scale_row "cat (find -exec cat)" "${sizes[1]}" cat-scale
  scale_row "capstan-validate -j2 --strict" "${sizes[1]}" validate-scale 256
  echo
  scale_growth validate-scale validate-base $((scale_files / files))
  scale_growth cat-scale cat-base $((scale_files / files))
  status=$scale_failed
  if [ "$which" = scale ]; then
    rm -rf "$work"
    for script in scan.sh watch.sh; do
      echo
      "$here/$script" "$1" scale || { s=$?; [ "$s" -gt "$status" ] && status=$s; }
    done
  fi
  exit "$status"
fi
echo "corpus:  $("$gen" --files "${BENCH_FILES:-10000}" --docs "${BENCH_DOCS:-30000}" "$corpus")"

(cd "$corpus" && find . -type f -name '*.yaml' | sort) > "$work/files"
awk 'NR % 10 == 1' "$work/files" > "$work/subset"
total_bytes=$(cd "$corpus" && xargs -d '\n' cat < "$work/files" | wc -c)
subset_bytes=$(cd "$corpus" && xargs -d '\n' cat < "$work/subset" | wc -c)
mkdir "$work/small"
cp "$here/small-deployment.yaml" "$work/small/deployment.yaml"
small=$work/small/deployment.yaml
# yamllint's syntax check plus the one rule that is about meaning rather than style, so it does
# the same kind of work as a validator; its style rules would only make it slower.
printf 'rules:\n  key-duplicates: enable\n' > "$work/yamllint.yaml"

# Check the work is right before timing it: a validator that finds errors is measuring the wrong
# thing. These runs also warm the page cache and the binaries.
"$validate" -j2 --strict "$corpus" > "$work/check.txt" ||
  die "capstan-validate finds problems in the corpus: $(head -5 "$work/check.txt")"
summary=$(tail -1 "$work/check.txt")
docs=$(sed -n 's/.*(\([0-9]*\) documents)$/\1/p' <<< "$summary")
[ -n "$docs" ] || die "cannot read the document count from: $summary"
echo "check:   capstan-validate: $summary"
echo "check:   parse floor: $("$floor" -j2 "$corpus")"
(cd "$corpus" && xargs -a "$work/subset" -d '\n' yamllint -c "$work/yamllint.yaml") ||
  die "yamllint reports problems in the corpus"
"$validate" --strict "$small" > /dev/null || die "capstan-validate fails on $small"
if [ -n "$base_validate" ]; then
  "$base_validate" -j2 --strict "$corpus" > /dev/null || die "the base capstan-validate finds problems"
fi

cat_cmd="find $corpus -type f -exec cat {} + > /dev/null"
half=$((($(wc -l < "$work/subset") + 1) / 2))
yamllint_cmd="cd $corpus && xargs -a $work/subset -d '\\n' -P2 -n $half yamllint -c $work/yamllint.yaml"
for r in $(seq "$rounds"); do
  echo "round $r/$rounds ..." >&2
  bench --warmup 0 --runs 2 --export-json "$work/tree-$r.json" \
    -n cat "$cat_cmd" \
    -n floor "$floor -j2 $corpus" \
    -n parse "$floor --capstan -j2 $corpus" \
    -n validate "$validate -j2 --strict $corpus" \
    ${base_validate:+-n validate-base "$base_validate -j2 --strict $corpus"}
  bench --warmup 0 --runs 1 --export-json "$work/yamllint-$r.json" -n yamllint "$yamllint_cmd"
  /usr/bin/time -o "$work/rss-$r.txt" -f %M "$validate" -j2 --strict "$corpus" > /dev/null
done
echo "small file ..." >&2
bench -N --warmup 10 --runs 100 --export-json "$work/small.json" \
  -n process-start /bin/true \
  -n cat-small "/bin/cat $small" \
  -n validate-small "$validate --strict $small" \
  ${base_validate:+-n validate-small-base "$base_validate --strict $small"}

echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
python3 "$here/summarize.py" "$work" "$(wc -l < "$work/files")" "$total_bytes" \
  "$(wc -l < "$work/subset")" "$subset_bytes" "$docs" || status=$?
if [ "$which" = all ]; then
  rm -rf "$work"
  echo
  "$here/scan.sh" "$1" || { scan_status=$?; [ "$scan_status" -gt "$status" ] && status=$scan_status; }
  echo
  "$here/bump.sh" "$1" || { bump_status=$?; [ "$bump_status" -gt "$status" ] && status=$bump_status; }
  echo
  "$here/watch.sh" "$1" || { watch_status=$?; [ "$watch_status" -gt "$status" ] && status=$watch_status; }
  echo
  "$here/sync.sh" "$1" || { sync_status=$?; [ "$sync_status" -gt "$status" ] && status=$sync_status; }
fi
exit "$status"
