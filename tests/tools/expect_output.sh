#!/usr/bin/env bash
# Runs a command and passes when it exits 0 and its output (stdout and stderr) matches a regular
# expression: CTest's PASS_REGULAR_EXPRESSION alone would ignore the exit code.
#   expect_output.sh <extended regular expression> <command...>
set -u
pattern=$1
shift
output=$("$@" 2>&1)
code=$?
echo "$output"
if [ "$code" -ne 0 ]; then
  echo "FAILED: exit $code"
  exit 1
fi
if ! grep -qE -- "$pattern" <<<"$output"; then
  echo "FAILED: nothing in the output matches '$pattern'"
  exit 1
fi
