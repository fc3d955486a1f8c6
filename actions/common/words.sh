# Sourced by the capstan actions' step scripts: inputs arrive as environment variables and are
# turned into words here, never by splicing them into a script (no injection, no glob).
#
#   split_words VAR ARRAY blanks   VAR's value split on blanks and newlines
#   split_words VAR ARRAY quoted   split like xargs: quotes and backslashes group, nothing is
#                                  expanded; an unmatched quote prints an error annotation and
#                                  returns 1
split_words() {
  local -n _out=$2
  local value=${!1:-}
  _out=()
  [ -n "$value" ] || return 0
  if [ "$3" = blanks ]; then
    read -r -d '' -a _out <<<"$value" || true
    return 0
  fi
  local words
  if ! words=$(printf '%s' "$value" | xargs -r printf '%s\n' 2>&1); then
    printf '::error title=capstan::cannot split %s into words (an unmatched quote?): %s\n' \
      "$1" "${words//$'\n'/ }"
    return 1
  fi
  mapfile -t _out <<<"$words"
}
