#!/usr/bin/env bash
# capstan-watch's benchmark, run by hand (tests/bench/run.sh BUILD watch), never as a timed test.
#   tests/bench/watch.sh BUILD_DIR [scale]
# Starts Debian's docker-registry on a free loopback port (storage in a temp dir, stopped on exit)
# and pushes, through the upload API (gen_watch_registry.py): 200 repositories acme/svc-000..199
# with 8 tags each (1.0.0 .. 1.3.0, 1.4.0-rc.1, 2.0.0) and acme/big with 10,000 semver tags.
# Three bare config repositories (file://): "many" pins the 200 images at 1.0.0 in
# apps/svc-NNN/kustomization.yaml with .capstan.yaml entries "^1" / "~1" (semver strategy, each
# cycle picks 1.3.0 for every image), "pin" is the same with pin-digest: true, and "big" watches
# acme/big alone from its lowest tag with ">=0.0.0", so all 10,000 tags are parsed and compared.
# Checks one cycle of each (exit 0, every image updated to the expected tag, no error) and reads
# its JSON "cycle" event (requests by kind), then measures with hyperfine in BENCH_ROUNDS
# interleaved rounds (default 3; medians over all runs of all rounds), every cycle a
# `--once --dry-run --log-format json` with a warm --cache-dir (the bare clone is already there
# and only fetched, as in a loop or a CronJob with a kept cache):
#   - the 200-image cycle; baselines: the registry's own floor (GET /v2/ and the 200 tag lists
#     on one keep-alive connection, python3 http.client), python3's start alone, and
#     `git clone --bare` of the config repository;
#   - the 10,000-tag cycle; baseline: GET /v2/ and acme/big's one tag list with python3.
# Peak RSS (/usr/bin/time -f %M) is taken from one cycle of each repository.
# Targets: per image at most one token request and one tag-list page, no manifest GET (and with
# pin-digest exactly one HEAD per updated image); peak RSS <= 64 MB; the 10,000-tag cycle
# <= 0.5 s end to end. Exits 0 when all pass, 1 when one misses, 2 on setup errors.
# BENCH_IMAGES and BENCH_BIG_TAGS shrink the fixtures for a quick try.
# `scale` (run.sh BUILD_DIR scale runs it too) checks issue 19's bound on peak RSS instead: it
# pushes BENCH_SCALE_IMAGES repositories (default 2,000) and runs one cycle (cold cache) over a
# config repository watching all of them (bound 64 MB) and one over the first BENCH_IMAGES, each
# once beside the registry floor for the same images (scale_common.sh).
set -euo pipefail

die() {
  echo "watch.sh: $*" >&2
  exit 2
}
[ $# -eq 1 ] || { [ $# -eq 2 ] && [ "$2" = scale ]; } || die "usage: tests/bench/watch.sh BUILD_DIR [scale]"
mode=${2:-bench}
here=$(cd "$(dirname "$0")" && pwd)
watch=$(realpath "$1")/tools/capstan-watch
[ -x "$watch" ] || die "missing $watch (build it: ninja -C $1 capstan-watch)"
for tool in hyperfine python3 git /usr/bin/time; do
  command -v "$tool" > /dev/null || die "missing $tool (scripts/dev bench installs it)"
done
[ -x /usr/bin/docker-registry ] ||
  die "missing /usr/bin/docker-registry (Debian package docker-registry; scripts/dev test installs it)"
rounds=${BENCH_ROUNDS:-3}
images=${BENCH_IMAGES:-200}
big_tags=${BENCH_BIG_TAGS:-10000}
gen=$here/gen_watch_registry.py

work=$(mktemp -d "${TMPDIR:-/tmp}/capstan-bench-watch.XXXXXX")
registry_pid=
cleanup() {
  if [ -n "$registry_pid" ]; then
    kill "$registry_pid" 2> /dev/null || true
    wait "$registry_pid" 2> /dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir "$work/home"
# No Docker config, git config or credential helper of the user's may take part.
export LC_ALL=C HOME=$work/home GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_TERMINAL_PROMPT=0
unset DOCKER_CONFIG

echo "machine: $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg)"

# The registry: a free port on 127.0.0.1, filesystem storage in the temp dir, quiet logs.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
host=127.0.0.1:$port
cat > "$work/registry.yml" << EOF
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $work/storage
http:
  addr: $host
EOF
/usr/bin/docker-registry serve "$work/registry.yml" > "$work/registry.log" 2>&1 &
registry_pid=$!
python3 - "$host" << 'PY' || { cat "$work/registry.log" >&2; die "docker-registry did not answer on $host"; }
import sys, time, urllib.request
for _ in range(300):
    try:
        with urllib.request.urlopen(f"http://{sys.argv[1]}/v2/", timeout=1) as r:
            if r.status == 200:
                sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)
PY
cycle() {  # kind: the command line of one dry-run cycle over that config repository
  echo "$watch --once --dry-run --log-format json --repo file://$work/$1.git --branch main --cache-dir $work/cache-$1"
}

if [ "$mode" = scale ]; then
  # shellcheck source=tests/bench/scale_common.sh
  . "$here/scale_common.sh"
  scale_images=${BENCH_SCALE_IMAGES:-2000}
  start=$(date +%s%N)
  pushed=$(python3 "$gen" push "$host" "$scale_images" 1) || die "pushing the images failed"
  echo "registry: $pushed, pushed in $((($(date +%s%N) - start) / 1000000)) ms"
  for n in "$images" "$scale_images"; do
    python3 "$gen" repo "$host" "$n" "$work/src-$n" many > /dev/null
    git -C "$work/src-$n" init -q -b main
    git -C "$work/src-$n" add -A
    git -C "$work/src-$n" -c user.name=bench -c user.email=bench@example.com commit -q -m config
    git clone -q --bare "$work/src-$n" "$work/many-$n.git"
  done
  echo "each run once, cold cache ..." >&2
  scale_run floor-base 0 "$work" python3 "$gen" list-tags "$host" "$images"
  # shellcheck disable=SC2046  # cycle prints a command line of words without blanks
  scale_run watch-base 0 "$work" $(cycle "many-$images")
  scale_run floor-scale 0 "$work" python3 "$gen" list-tags "$host" "$scale_images"
  # shellcheck disable=SC2046
  scale_run watch-scale 0 "$work" $(cycle "many-$scale_images")
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  python3 - "$work" "$images" "$scale_images" << 'PY' || die "the cycles did not update every image"
import json, sys
work = sys.argv[1]
for name, n in (("watch-base", int(sys.argv[2])), ("watch-scale", int(sys.argv[3]))):
    cycles = []
    for line in open(f"{work}/{name}.out"):
        if line.startswith("{"):
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if event.get("msg") == "cycle":
                cycles.append(event)
    if len(cycles) != 1 or cycles[0]["images"] != n or cycles[0]["updates"] != n or cycles[0]["errors"]:
        sys.exit(f"{name}: expected {n} images and {n} updates, got {cycles}")
    print(f"{name}: {n} images, {n} updated, requests {cycles[0]['requests']}, "
          f"{cycles[0]['duration_ms']} ms by its own clock")
PY
  echo
  echo "capstan-watch --once --dry-run, cold cache, peak RSS bounded by input size; baseline: the" \
    "registry floor (GET /v2/ and every tag list, python3) for the same images:"
  echo
  scale_header
  scale_row "floor: /v2/ + tag lists, python3" "$images images" floor-base
  scale_row "capstan-watch --once" "$images images" watch-base
  scale_row "floor: /v2/ + tag lists, python3" "$scale_images images" floor-scale
  scale_row "capstan-watch --once" "$scale_images images" watch-scale 64
  echo
  scale_growth watch-scale watch-base "$(awk "BEGIN { print $scale_images / $images }")"
  scale_growth floor-scale floor-base "$(awk "BEGIN { print $scale_images / $images }")"
  exit "$scale_failed"
fi

start=$(date +%s%N)
pushed=$(python3 "$gen" push "$host" "$images" "$big_tags") || die "pushing the images failed"
echo "registry: docker-registry $(/usr/bin/docker-registry --version | awk '{print $NF}') on $host;" \
  "$pushed, pushed in $((($(date +%s%N) - start) / 1000000)) ms"

for kind in many pin big; do
  python3 "$gen" repo "$host" "$images" "$work/src-$kind" "$kind" > /dev/null
  git -C "$work/src-$kind" init -q -b main
  git -C "$work/src-$kind" add -A
  git -C "$work/src-$kind" -c user.name=bench -c user.email=bench@example.com commit -q -m config
  git clone -q --bare "$work/src-$kind" "$work/$kind.git"
done
echo "config:   $images kustomizations + .capstan.yaml ($images semver entries), and the same with" \
  "pin-digest; acme/big's repository: 1 entry"

# Check each cycle before timing it (this also fills the warm cache), and keep its JSON events
# and peak RSS. A dry run prints the diff after the events; only JSON lines are events.
for kind in many pin big; do
  status=0
  /usr/bin/time -o "$work/rss-$kind.txt" -f %M $(cycle "$kind") > "$work/out-$kind.txt" 2> "$work/err-$kind.txt" ||
    status=$?
  [ "$status" -eq 0 ] || {
    cat "$work/err-$kind.txt" "$work/out-$kind.txt" | head -20 >&2
    die "capstan-watch exited $status on the $kind repository"
  }
done
python3 - "$work" "$images" "$big_tags" "$gen" << 'PY' || die "the cycles did not do what the bench expects"
import importlib.util, json, sys
work, images, big_tags, gen = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
spec = importlib.util.spec_from_file_location("gen", gen)
g = importlib.util.module_from_spec(spec)
spec.loader.exec_module(g)
releases = [g.big_tag(i) for i in range(big_tags) if "-" not in g.big_tag(i)]
best = max(releases, key=lambda t: tuple(map(int, t.split("."))))
for kind, n, want in [("many", images, g.NEW_TAG), ("pin", images, g.NEW_TAG + "@sha256:"), ("big", 1, best)]:
    events = []
    for line in open(f"{work}/out-{kind}.txt"):
        if line.startswith("{"):
            try:
                events.append(json.loads(line))
            except ValueError:
                pass
    cycles = [e for e in events if e.get("msg") == "cycle"]
    updated = [e for e in events if e.get("state") == "updated" and e.get("to", "").startswith(want)]
    if len(cycles) != 1 or cycles[0]["images"] != n or cycles[0]["updates"] != n or cycles[0]["errors"]:
        sys.exit(f"{kind}: expected {n} images and {n} updates, got {cycles}")
    if len(updated) != n:
        sys.exit(f"{kind}: expected {n} images updated to {want}, got {len(updated)}")
    json.dump(cycles[0], open(f"{work}/cycle-{kind}.json", "w"))
PY
echo "check:    every cycle updates every image to the expected tag (1.3.0; acme/big's highest release)"

rm -f "$work/runs-"*.json
for round in $(seq "$rounds"); do
  echo "round $round/$rounds ..." >&2
  hyperfine --style none -N --warmup 1 --runs 5 --export-json "$work/runs-many-$round.json" \
    -n watch-many "$(cycle many)" \
    -n floor-many "python3 $gen list-tags $host $images" \
    -n python "python3 -c pass" \
    -n clone "sh -c 'rm -rf $work/clone && exec git clone -q --bare file://$work/many.git $work/clone'" \
    > /dev/null 2> "$work/hyperfine.err" || { cat "$work/hyperfine.err" >&2; die "hyperfine failed"; }
  hyperfine --style none -N --warmup 1 --runs 5 --export-json "$work/runs-big-$round.json" \
    -n watch-big "$(cycle big)" \
    -n floor-big "python3 $gen list-tags $host $images big" \
    > /dev/null 2> "$work/hyperfine.err" || { cat "$work/hyperfine.err" >&2; die "hyperfine failed"; }
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$work" "$images" "$big_tags" << 'PY'
import glob, json, statistics, sys
work, images, big_tags = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
times = {}
for path in sorted(glob.glob(f"{work}/runs-*.json")):
    for r in json.load(open(path))["results"]:
        times.setdefault(r["command"], []).extend(r["times"])
ms = {k: statistics.median(v) * 1000 for k, v in times.items()}
cycle = {k: json.load(open(f"{work}/cycle-{k}.json")) for k in ("many", "pin", "big")}
rss = {k: int(open(f"{work}/rss-{k}.txt").read().split()[-1]) for k in ("many", "pin", "big")}
kinds = ["ping", "token", "tags", "manifest-head", "manifest", "blob"]

def requests(k):
    req = cycle[k]["requests"]
    extra = sorted(set(req) - set(kinds))
    return "  ".join(f"{kind} {req.get(kind, 0)}" for kind in kinds + extra)

n = images
print(f"one cycle, {n} images, semver, --dry-run, warm cache ({sum(len(v) for k, v in times.items() if k == 'watch-many')} runs):")
print(f"  capstan-watch:                       {ms['watch-many']:8.1f} ms  (first cycle, cold cache: {cycle['many']['duration_ms']} ms by its own clock)")
print(f"  floor: /v2/ + {n} tag lists, python: {ms['floor-many']:8.1f} ms  -> capstan is {ms['watch-many'] / ms['floor-many']:.2f}x")
print(f"  python3 -c pass (interpreter start): {ms['python']:8.1f} ms  -> floor without it {ms['floor-many'] - ms['python']:.1f} ms")
print(f"  git clone --bare of the config repo: {ms['clone']:8.1f} ms")
print(f"  requests:          {requests('many')}")
print(f"  with pin-digest:   {requests('pin')}")
print(f"one cycle, acme/big with {big_tags} tags ({sum(len(v) for k, v in times.items() if k == 'watch-big')} runs):")
print(f"  capstan-watch:                       {ms['watch-big']:8.1f} ms  (target <= 500 ms)")
print(f"  floor: /v2/ + 1 tag list, python:    {ms['floor-big']:8.1f} ms  -> capstan is {ms['watch-big'] / ms['floor-big']:.2f}x")
print(f"  requests:          {requests('big')}")
print(f"peak RSS: {n} images {rss['many'] / 1024:.1f} MiB, with pin-digest {rss['pin'] / 1024:.1f} MiB, "
      f"{big_tags} tags {rss['big'] / 1024:.1f} MiB")

req = {k: cycle[k]["requests"] for k in cycle}
peak = max(rss.values()) * 1024
targets = [
    (f"tag-list pages <= 1 per image ({req['many'].get('tags', 0)} for {n})", req["many"].get("tags", 0) <= n),
    (f"token requests <= 1 per image ({req['many'].get('token', 0)} for {n})", req["many"].get("token", 0) <= n),
    (f"no manifest GET ({req['many'].get('manifest', 0)}, with pin-digest {req['pin'].get('manifest', 0)}, "
     f"{big_tags} tags {req['big'].get('manifest', 0)})",
     all(req[k].get("manifest", 0) == 0 for k in req)),
    (f"pin-digest: one HEAD per updated image ({req['pin'].get('manifest-head', 0)} for {cycle['pin']['updates']}; "
     f"without it {req['many'].get('manifest-head', 0)})",
     req["pin"].get("manifest-head", 0) == cycle["pin"]["updates"] and req["many"].get("manifest-head", 0) == 0),
    (f"peak RSS <= 64 MB ({peak / 1e6:.1f} MB)", peak <= 64e6),
    (f"{big_tags} tags, one cycle <= 0.5 s ({ms['watch-big']:.0f} ms)", ms["watch-big"] <= 500),
]
failed = 0
for text, ok in targets:
    print(f"{'pass' if ok else 'MISS'}: {text}")
    failed += not ok
sys.exit(1 if failed else 0)
PY
