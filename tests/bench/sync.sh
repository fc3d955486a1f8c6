#!/usr/bin/env bash
# capstan-sync's benchmark, run by hand (tests/bench/run.sh BUILD sync), never as a timed test.
#   tests/bench/sync.sh BUILD_DIR
# Commits a config repository of BENCH_APPS (default 500) applications apps/app-000.. (each a
# kustomization over a Deployment and a Service, and ../../bases/web), then a change touching 5 of
# them plus BENCH_OTHER_FILES (default 1,000) files under docs/, which no application's source
# covers. Starts the fake Argo CD (capstan_bench_fake_argocd: the test suite's fake, checking every
# request against swagger.json, in a process of its own; see fake_argocd_server.cc for its time)
# with one Application per directory, origin's URL as repoURL, and measures:
#   - the deployment: `capstan-sync --server 127.0.0.1:PORT --plaintext --repo REPO --changed A..B
#     --timeout 5m` under /usr/bin/time -v (wall time, peak RSS), a fresh server per round, and
#     the requests the server saw, by route;
#   - the selection: `--plan` with the same arguments (one List call, the diff, the decisions),
#     timed with hyperfine in the same rounds as its baselines: `capstan-sync --version` (process
#     start), `git diff --name-only A B` (the diff alone) and `curl` of the same List (the server's
#     share), so "selection" is --plan minus the curl List.
# Targets (issue 16): one List call; per selected app one sync request and no GET while its stream
# is open; no violation of the API description; peak RSS <= 64 MB; the selection <= 50 ms.
# Exits 0 when all pass, 1 when one misses, 2 on setup errors.
set -euo pipefail

die() {
  echo "sync.sh: $*" >&2
  exit 2
}
[ $# -eq 1 ] || die "usage: tests/bench/sync.sh BUILD_DIR"
build=$(realpath "$1")
sync=$build/tools/capstan-sync
server=$build/tests/bench/capstan_bench_fake_argocd
for exe in "$sync" "$server"; do
  [ -x "$exe" ] || die "missing $exe (build it: ninja -C $1 capstan-sync capstan_bench_fake_argocd)"
done
for tool in hyperfine python3 git curl /usr/bin/time; do
  command -v "$tool" > /dev/null || die "missing $tool (scripts/dev bench installs it)"
done
rounds=${BENCH_ROUNDS:-3}
apps=${BENCH_APPS:-500}
others=${BENCH_OTHER_FILES:-1000}
url=https://github.com/acme/gitops.git
token=bench-token-$RANDOM$RANDOM

work=$(mktemp -d "${TMPDIR:-/tmp}/capstan-bench-sync.XXXXXX")
server_pid=
stop_server() {  # closes the server's stdin: it prints its report and exits
  [ -n "$server_pid" ] || return 0
  exec 3>&-
  wait "$server_pid" || die "the fake server exited $?: $(cat "$work/server.err")"
  server_pid=
}
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2> /dev/null || true
    wait "$server_pid" 2> /dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir "$work/home"
export LC_ALL=C HOME=$work/home GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_TERMINAL_PROMPT=0
unset ARGOCD_SERVER ARGOCD_OPTS ARGOCD_AUTH_TOKEN

echo "machine: $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg)"

# The repository: commit A (every app and docs/), then B (5 apps and every docs/ file changed).
repo=$work/repo
python3 - "$repo" "$apps" "$others" A << 'PY'
import os, sys
repo, apps, others, commit = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
def write(path, text):
    os.makedirs(os.path.dirname(os.path.join(repo, path)), exist_ok=True)
    with open(os.path.join(repo, path), "w") as f:
        f.write(text)
write("bases/web/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - service-account.yaml\n")
write("bases/web/service-account.yaml", "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n")
for i in range(apps):
    name = f"app-{i:03d}"
    write(f"apps/{name}/kustomization.yaml",
          "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
          f"namespace: {name}\nresources:\n  - ../../bases/web\n  - deployment.yaml\n  - service.yaml\n")
    write(f"apps/{name}/deployment.yaml",
          f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\nspec:\n"
          f"  selector:\n    matchLabels:\n      app: {name}\n  template:\n    metadata:\n"
          f"      labels:\n        app: {name}\n    spec:\n      containers:\n        - name: app\n"
          f"          image: ghcr.io/acme/{name}:1.0.0\n")
    write(f"apps/{name}/service.yaml",
          f"apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n  selector:\n"
          f"    app: {name}\n  ports:\n    - port: 80\n")
for i in range(others):
    write(f"docs/section-{i // 100:02d}/note-{i:04d}.md", f"# note {i}\n\nrevision {commit}\n")
PY
git -C "$repo" init -q -b main
git -C "$repo" add -A
git -C "$repo" -c user.name=bench -c user.email=bench@example.com commit -q -m A
changed_apps=()
for i in 7 123 250 377 $((apps - 1)); do
  name=$(printf 'app-%03d' "$i")
  changed_apps+=("$name")
  sed -i 's/:1.0.0/:1.1.0/' "$repo/apps/$name/deployment.yaml"
done
sed -i 's/^revision A$/revision B/' "$repo"/docs/*/note-*.md
git -C "$repo" add -A
git -C "$repo" -c user.name=bench -c user.email=bench@example.com commit -q -m B
rev_a=$(git -C "$repo" rev-parse HEAD~1)
rev_b=$(git -C "$repo" rev-parse HEAD)
# origin: the URL the Applications name, its main branch and HEAD as a clone would have them.
git -C "$repo" remote add origin "$url"
git -C "$repo" update-ref refs/remotes/origin/main "$rev_b"
git -C "$repo" symbolic-ref refs/remotes/origin/HEAD refs/remotes/origin/main
changed=$(git -C "$repo" diff --name-only "$rev_a" "$rev_b" | wc -l)
echo "repo:    $apps applications, $(git -C "$repo" ls-files | wc -l) files; $rev_a..$rev_b changes" \
  "$changed paths (${changed_apps[*]} and $others under docs/)"

start_server() {
  rm -f "$work/stdin"
  mkfifo "$work/stdin"
  "$server" --apps "$apps" --repo-url "$url" --deployed "$rev_a" --head "$rev_b" --token "$token" \
    < "$work/stdin" > "$work/server.out" 2> "$work/server.err" &
  server_pid=$!
  exec 3> "$work/stdin"
  for _ in $(seq 500); do
    port=$(sed -n 's/^port //p' "$work/server.out")
    [ -n "$port" ] && return 0
    kill -0 "$server_pid" 2> /dev/null || break
    sleep 0.01
  done
  die "the fake server did not start: $(cat "$work/server.err")"
}

export ARGOCD_AUTH_TOKEN=$token
sync_args() { echo "--server 127.0.0.1:$port --plaintext --repo $repo --changed $rev_a..$rev_b"; }

# The plan, checked once: exactly the 5 changed apps are selected.
start_server
status=0
"$sync" $(sync_args) --plan > "$work/plan.txt" 2> "$work/plan.err" || status=$?
[ "$status" -eq 0 ] || die "capstan-sync --plan exited $status: $(head -5 "$work/plan.err")"
summary=$(tail -1 "$work/plan.txt")
echo "plan:    $summary"
case "$summary" in
  "5 of $apps applications selected to deploy ${rev_b:0:7} ($changed changed paths)"*) ;;
  *) die "the plan did not select the 5 changed applications" ;;
esac
for name in "${changed_apps[@]}"; do
  grep -q "^argocd/$name: in:" "$work/plan.txt" || die "the plan left out $name"
done

# The selection's cost, with its baselines, on this server.
list_url="http://127.0.0.1:$port/api/v1/applications?fields=items.metadata.name,items.metadata.namespace,items.metadata.annotations,items.metadata.labels,items.spec"
# capstan-sync's libcurl offers every encoding it can decode, and cpp-httplib then answers with
# brotli, which costs the fake about 0.4 s per 500-app List (Argo CD itself only gzips): the
# curl baseline asks the same, so that the server's share is taken out.
encodings="deflate, gzip, br, zstd"
rm -f "$work/runs-"*.json
for round in $(seq "$rounds"); do
  echo "plan round $round/$rounds ..." >&2
  hyperfine --style none -N --warmup 2 --runs 15 --export-json "$work/runs-$round.json" \
    -n plan "$sync $(sync_args) --plan" \
    -n version "$sync --version" \
    -n git-diff "git -C $repo diff --name-only $rev_a $rev_b" \
    -n curl-list "curl -sSf -o /dev/null -H 'Authorization: Bearer $token' -H 'Accept-Encoding: $encodings' '$list_url'" \
    > /dev/null 2> "$work/hyperfine.err" || { cat "$work/hyperfine.err" >&2; die "hyperfine failed"; }
done
stop_server
mv "$work/server.out" "$work/server-plan.out"

# The deployment: a fresh server per round (a deployed app would be "already there" next time).
for round in $(seq "$rounds"); do
  echo "deploy round $round/$rounds ..." >&2
  start_server
  status=0
  /usr/bin/time -v -o "$work/time-$round.txt" "$sync" $(sync_args) --timeout 5m \
    > "$work/deploy-$round.out" 2> "$work/deploy-$round.err" || status=$?
  stop_server
  echo "$status" > "$work/status-$round.txt"
  mv "$work/server.out" "$work/server-$round.out"
  # The same without --settle (5 s of capstan-sync's own clock, ended by the next frame): the
  # wall time of the requests and the scripted controller alone.
  start_server
  status=0
  /usr/bin/time -v -o "$work/time-s0-$round.txt" "$sync" $(sync_args) --timeout 5m --settle 0 \
    > "$work/deploy-s0-$round.out" 2> "$work/deploy-s0-$round.err" || status=$?
  stop_server
  echo "$status" > "$work/status-s0-$round.txt"
  mv "$work/server.out" "$work/server-s0-$round.out"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$work" "$rounds" "$apps" "$changed" "${changed_apps[*]}" << 'PY'
import glob, json, re, statistics, sys
work, rounds, apps, changed, names = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5].split()
times = {}
for path in sorted(glob.glob(f"{work}/runs-*.json")):
    for r in json.load(open(path))["results"]:
        times.setdefault(r["command"], []).extend(r["times"])
ms = {k: statistics.median(v) * 1000 for k, v in times.items()}

def report(path):
    lines = open(path).read().splitlines()
    return json.loads(lines[-1])

def time_v(path):
    text = open(path).read()
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", text)
    h, m, s = wall.groups()
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
    return (int(h or 0) * 3600 + int(m) * 60 + float(s)), rss

def deployments(tag):
    runs = []
    for r in range(1, rounds + 1):
        wall, rss = time_v(f"{work}/time-{tag}{r}.txt")
        runs.append({"wall": wall, "rss": rss, "exit": int(open(f"{work}/status-{tag}{r}.txt").read()),
                     "server": report(f"{work}/server-{tag}{r}.out"),
                     "err": open(f"{work}/deploy-{tag}{r}.err").read(), "out": open(f"{work}/deploy-{tag}{r}.out").read()})
    return runs
deploys = deployments("")
deploys_s0 = deployments("s0-")
plan_server = report(f"{work}/server-plan.out")

selection = ms["plan"] - ms["curl-list"]
cpu = {}
for path in sorted(glob.glob(f"{work}/runs-*.json")):
    for r in json.load(open(path))["results"]:
        cpu.setdefault(r["command"], []).append((r["user"] + r["system"]) * 1000)
cpu = {k: statistics.median(v) for k, v in cpu.items()}
print(f"selection, {apps} applications, {changed} changed paths ({len(times['plan'])} runs each):")
print(f"  capstan-sync --plan:                 {ms['plan']:8.1f} ms  (CPU {cpu['plan']:.1f} ms)")
print(f"  curl of the same List (server+curl): {ms['curl-list']:8.1f} ms  -> selection {selection:.1f} ms")
print(f"  capstan-sync --version:              {ms['version']:8.1f} ms  (CPU {cpu['version']:.1f} ms)")
print(f"  git diff --name-only A B:            {ms['git-diff']:8.1f} ms")
plan_runs = len(times["plan"]) + 2 * rounds + 1  # hyperfine's runs and warm-ups, and the check
curl_runs = len(times["curl-list"]) + 2 * rounds
print(f"  requests: {json.dumps(plan_server['requests'])} for {plan_runs} --plan runs and {curl_runs} curl Lists")
print(f"deployment of {len(names)} applications ({rounds} rounds, a fresh server each):")
for i, d in enumerate(deploys, 1):
    s = d["server"]
    print(f"  round {i}: exit {d['exit']}, wall {d['wall']:.2f} s, peak RSS {d['rss'] / 1024:.1f} MiB; "
          f"requests {json.dumps(s['requests'], sort_keys=True)}; "
          f"GETs during a stream {s['pollsDuringStream']}; violations {len(s['violations'])}")
walls = [d["wall"] for d in deploys]
print(f"  median wall {statistics.median(walls):.2f} s, max peak RSS {max(d['rss'] for d in deploys) / 1024:.1f} MiB")
for i, d in enumerate(deploys_s0, 1):
    s = d["server"]
    print(f"  --settle 0, round {i}: exit {d['exit']}, wall {d['wall']:.2f} s, peak RSS {d['rss'] / 1024:.1f} MiB; "
          f"requests {json.dumps(s['requests'], sort_keys=True)}")
print(f"  --settle 0: median wall {statistics.median(d['wall'] for d in deploys_s0):.2f} s")
print("  output of round 1:")
for line in deploys[0]["out"].splitlines():
    print("    " + line)

def count(d, route):
    return d["server"]["requests"].get(route, 0)
plan_lists = plan_server["requests"].get("list", 0)
targets = [
    ("every deployment exits 0", all(d["exit"] == 0 for d in deploys + deploys_s0)),
    ("one List call per run (" + ", ".join(str(count(d, "list")) for d in deploys + deploys_s0) + "; --plan: only List, "
     + json.dumps(plan_server["requests"]) + ")",
     all(count(d, "list") == 1 for d in deploys + deploys_s0)
     and plan_server["requests"] == {"list": plan_runs + curl_runs}),
    ("one sync request per selected app (" + "; ".join(json.dumps(d["server"]["syncsByApp"], sort_keys=True) for d in deploys[:1]) + ")",
     all(d["server"]["syncsByApp"] == {n: 1 for n in names} for d in deploys + deploys_s0)),
    ("no GET while the app's stream is open (" + ", ".join(str(d["server"]["pollsDuringStream"]) for d in deploys + deploys_s0) + ")",
     all(d["server"]["pollsDuringStream"] == 0 for d in deploys + deploys_s0)),
    ("no violation of the API description (" + str(sum(len(d["server"]["violations"]) for d in deploys + deploys_s0) + len(plan_server["violations"])) + ")",
     all(not d["server"]["violations"] for d in deploys + deploys_s0) and not plan_server["violations"]),
    (f"peak RSS <= 64 MB ({max(d['rss'] for d in deploys + deploys_s0) * 1024 / 1e6:.1f} MB)", all(d["rss"] * 1024 <= 64e6 for d in deploys + deploys_s0)),
    (f"selection <= 50 ms (--plan less the List by curl {selection:.1f} ms; its CPU {cpu['plan']:.1f} ms; "
     f"the whole --plan {ms['plan']:.1f} ms)", selection <= 50),
]
failed = 0
for text, ok in targets:
    print(f"{'pass' if ok else 'MISS'}: {text}")
    failed += not ok
for d in deploys:
    for v in d["server"]["violations"][:5]:
        print("  violation: " + v)
if deploys[0]["exit"] != 0:
    print("  stderr of round 1:\n" + deploys[0]["err"][-3000:])
sys.exit(1 if failed else 0)
PY
