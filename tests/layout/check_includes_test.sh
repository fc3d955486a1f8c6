#!/bin/sh
# Proves check_includes.sh can fail: a tree where one tool includes another's header (directly,
# and through a name lib/ also uses) and lib/ includes a tool's header must be refused with one
# line per offence; the same tree without them must pass.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
mkdir -p "$tree/lib/semver" "$tree/tools/watch" "$tree/tools/bump" "$tree/tools/semver" "$tree/tools/common"
touch "$tree/lib/semver/version.h" "$tree/tools/bump/plan.h" "$tree/tools/semver/semver.h" \
  "$tree/tools/common/cli.h" "$tree/tools/watch/watch.h"
printf '#include "watch/watch.h"\n#include "common/cli.h"\n#include "semver/version.h"\n' > "$tree/tools/watch/ok.cc"
printf '#include "semver/version.h"\n#include <string>\n' > "$tree/lib/semver/version.cc"

if ! out=$("$here/check_includes.sh" "$tree"); then
  echo "FAIL: a clean tree was refused: $out"
  exit 1
fi

printf '#include "common/cli.h"\n#include "bump/plan.h"\n' > "$tree/tools/watch/apply.cc"
printf '#include "semver/semver.h"\n' > "$tree/tools/watch/policy.h"
printf '#include "common/cli.h"\n' > "$tree/lib/semver/range.cc"
set +e
out=$("$here/check_includes.sh" "$tree")
rc=$?
set -e
expected="lib/semver/range.cc:1: includes tools/common/cli.h
tools/watch/apply.cc:2: includes tools/bump/plan.h
tools/watch/policy.h:1: includes tools/semver/semver.h"
sorted=$(echo "$out" | sort)
if [ "$rc" -ne 1 ] || [ "$sorted" != "$expected" ]; then
  printf 'FAIL: expected exit 1 and\n%s\ngot exit %s and\n%s\n' "$expected" "$rc" "$out"
  exit 1
fi

set +e
"$here/check_includes.sh" "$tree/lib" 2>/dev/null
rc=$?
set -e
[ "$rc" -eq 2 ] || { echo "FAIL: a root without lib/ and tools/ gave exit $rc, not 2"; exit 1; }
echo "ok"
