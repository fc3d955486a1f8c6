# shellcheck shell=bash disable=SC2034,SC2154  # scale_failed is read, and $work and die are defined, by the sourcing script
# Sourced by run.sh, scan.sh and watch.sh in their `scale` mode (issue 19's bounds on peak RSS):
# each big run happens once, under /usr/bin/time, beside the same command on the input the
# default bench uses (the baseline of the same run), so the table shows how memory and time grow
# with the input. The sourcing script defines die() and $work. MB are 10^6 bytes.

scale_failed=0

# scale_run NAME WANT_STATUS DIR COMMAND...: runs COMMAND once in DIR with stdout in
# $work/NAME.out and stderr in $work/NAME.err, and its wall seconds, user and system CPU seconds
# and peak RSS (KiB) in $work/NAME.time; dies when it exits with another status than WANT_STATUS.
scale_run() {
  local name=$1 want=$2 dir=$3 status=0
  shift 3
  (cd "$dir" && /usr/bin/time -o "$work/$name.time" -f '%e %U %S %M' "$@" \
    > "$work/$name.out" 2> "$work/$name.err") || status=$?
  [ "$status" -eq "$want" ] ||
    die "$name: '$*' exited $status, not $want: $(head -c 600 "$work/$name.err")"
}

# scale_size DIR: "N files, X MB" of the files under DIR.
scale_size() {
  find "$1" -type f -printf '%s\n' | awk '{ n++; b += $1 } END { printf "%d files, %.1f MB", n, b / 1e6 }'
}

scale_header() {
  echo "| run | input | wall | CPU | peak RSS | bound | result |"
  echo "|---|---|---|---|---|---|---|"
}

# scale_row LABEL INPUT NAME [BOUND_MB]: one table row for the run NAME; with a bound, PASS or
# FAIL (and scale_failed=1) on its peak RSS.
scale_row() {
  local label=$1 input=$2 name=$3 bound=${4:-}
  # With a non-zero exit status, time writes a line about it before its figures.
  tail -1 "$work/$name.time" | awk -v label="$label" -v input="$input" -v bound="$bound" '{
    mb = $4 * 1024 / 1e6
    result = bound == "" ? "" : (mb <= bound ? "PASS" : "FAIL")
    printf "| %s | %s | %.2f s | %.2f s | %.1f MB | %s | %s |\n", label, input, $1, $2 + $3, mb,
      bound == "" ? "" : "<= " bound " MB", result
    exit result == "FAIL"
  }' || scale_failed=1
}

# scale_growth NAME BASE_NAME INPUT_RATIO: how peak RSS, CPU and wall grew from BASE_NAME's run to
# NAME's for INPUT_RATIO times the input.
scale_growth() {
  paste -d' ' <(tail -1 "$work/$2.time") <(tail -1 "$work/$1.time") |
    awk -v ratio="$3" -v name="$1" -v base="$2" '
      function x(a, b) { return b > 0 ? sprintf("x%.2f", a / b) : "(base too small)" }
      { printf "%s / %s: input x%s, peak RSS %s, CPU %s, wall %s\n", name, base, ratio,
          x($8, $4), x($6 + $7, $2 + $3), x($5, $1) }'
}
