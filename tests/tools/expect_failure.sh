#!/usr/bin/env bash
# Runs a command and passes when it exits non-zero and its output (stdout and stderr) matches a
# regular expression: what a person sees when something they need is missing.
#   expect_failure.sh <extended regular expression> <command...>
set -u
pattern=$1
shift
output=$("$@" 2>&1)
code=$?
echo "$output"
if [ "$code" -eq 0 ]; then
  echo "FAILED: it exited 0"
  exit 1
fi
if ! grep -qE -- "$pattern" <<<"$output"; then
  echo "FAILED: nothing in the output matches '$pattern'"
  exit 1
fi
