#!/bin/sh
# CTest runs each Catch2 test case by name (catch_discover_tests). A name holding ';' is split
# into two CTest tests that match no test case, and Catch then runs nothing and exits 0; a name
# starting with '-' is read as an option. Either way the test silently stops running: refuse
# both. Usage: check_test_names.sh SOURCE_DIR
set -eu
root=$1
bad=$(grep -rn --include='*.cc' -E 'TEST_CASE\("(-|[^"]*;)' "$root/tests" || true)
if [ -n "$bad" ]; then
  echo "test names CTest cannot run (';' inside, or a leading '-'):"
  echo "$bad"
  exit 1
fi
