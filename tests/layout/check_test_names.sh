#!/bin/sh
# CTest runs each Catch2 test case by name (catch_discover_tests). A name holding ';' is split
# into two CTest tests that match no test case; a name starting with '-' is read as an option.
# Refuse both. Usage: check_test_names.sh SOURCE_DIR
set -eu
root=$1
# The name is the first string literal after TEST_CASE(, on the same line or the next.
bad=$(find "$root/tests" -name '*.cc' -exec awk '
  pending { line = prev $0; pending = 0; check(line, FILENAME, FNR - 1) }
  /TEST_CASE\($/ { pending = 1; prev = $0; next }
  /TEST_CASE\("/ { check($0, FILENAME, FNR) }
  function check(text, file, n,   name) {
    if (match(text, /TEST_CASE\([ \t]*"[^"]*"/)) {
      name = substr(text, RSTART, RLENGTH)
      sub(/^TEST_CASE\([ \t]*"/, "", name); sub(/"$/, "", name)
      if (name ~ /;/ || name ~ /^-/) print file ":" n ": " name
    }
  }' {} +)
if [ -n "$bad" ]; then
  echo "test names CTest cannot run (';' inside, or a leading '-'):"
  echo "$bad"
  exit 1
fi
