#!/usr/bin/env bash
# Prints the --range capstan-scan should read for INPUT_RANGE, from a composite action's step:
#   ""      nothing: scan the working tree (every event)
#   "auto"  the commits the event brings: a pull request's (pull_request, pull_request_target:
#           base..head), a merge queue group's (merge_group), a push's (before..after; a new
#           branch: the commits no remote-tracking branch has); other events scan the tree
#   A..B    as given
# Event facts arrive in the environment: EVENT_NAME, PR_BASE_SHA, PR_HEAD_SHA, MQ_BASE_SHA,
# MQ_HEAD_SHA, PUSH_BEFORE, SHA.
set -euo pipefail
zero=0000000000000000000000000000000000000000
case "${INPUT_RANGE:-}" in
  "") ;;
  auto)
    case "${EVENT_NAME:-}" in
      pull_request | pull_request_target | pull_request_review | pull_request_review_comment)
        echo "${PR_BASE_SHA}..${PR_HEAD_SHA}" ;;
      merge_group) echo "${MQ_BASE_SHA}..${MQ_HEAD_SHA}" ;;
      push)
        if [ -z "${PUSH_BEFORE:-}" ] || [ "$PUSH_BEFORE" = "$zero" ]; then
          echo "$SHA"
        else
          echo "${PUSH_BEFORE}..${SHA}"
        fi ;;
      *) printf '::notice title=capstan scan::the %s event brings no commit range: scanning the working tree\n' "${EVENT_NAME:-unknown}" >&2 ;;
    esac ;;
  *) echo "$INPUT_RANGE" ;;
esac
