#!/bin/sh
# Formatting holds (.clang-format: Google style, 100 columns): every C++ file under lib/, tools/
# and tests/ is as clang-format writes it. Prints clang-format's complaints (file:line:col) and
# exits 1 when one is not; `clang-format -i FILE` or `git clang-format` fixes it.
#
# usage: check_format.sh SOURCE_ROOT
set -eu
root=${1:?usage: check_format.sh SOURCE_ROOT}
cd "$root"
command -v clang-format > /dev/null || {
  echo "check_format: clang-format is not installed (Debian package clang-format)" >&2
  exit 2
}
find lib tools tests -type f \( -name '*.h' -o -name '*.cc' \) -print0 | sort -z |
  xargs -0 clang-format --dry-run -Werror
