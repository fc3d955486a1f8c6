#!/bin/sh
# Layering check (DESIGN.md "Layout"): a file under tools/<a>/ includes headers of lib/, of
# tools/common/ and of tools/<a>/ only, never another tool's; nothing under lib/ includes a
# header of tools/. An include is resolved as the compiler finds it: a tool's header is a path
# that exists under tools/ (and, for lib/ files, not under lib/), so "semver/version.h"
# (lib/semver) is fine from any tool while "semver/semver.h" (tools/semver) is not.
#
# usage: check_includes.sh SOURCE_ROOT
# Prints one line per offending include ("file:line: includes tools/<b>/x.h") and exits 1 when
# there is any, 0 when there is none, 2 when SOURCE_ROOT has no lib/ and tools/.
set -eu
root=${1:?usage: check_includes.sh SOURCE_ROOT}
if [ ! -d "$root/lib" ] || [ ! -d "$root/tools" ]; then
  echo "check_includes: $root has no lib/ and tools/" >&2
  exit 2
fi
cd "$root"
offences=$(
  grep -rn --include='*.h' --include='*.cc' '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' lib tools |
    sed 's/^\([^:]*\):\([0-9]*\):[^"]*"\([^"]*\)".*/\1 \2 \3/' |
    while read -r file line header; do
      [ -f "tools/$header" ] || continue
      case $file in
        tools/*)
          own=${file#tools/}
          own=${own%%/*}
          case $header in "$own"/* | common/*) continue ;; esac
          ;;
        *) [ -f "lib/$header" ] && continue ;;
      esac
      echo "$file:$line: includes tools/$header"
    done | sort -t: -k1,1 -k2,2n
)
[ -z "$offences" ] && exit 0
echo "$offences"
exit 1
