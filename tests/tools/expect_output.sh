#!/usr/bin/env bash
# Runs a command and passes when it exits 0 (with --fails: when it exits non-zero, as a person
# sees when something they need is missing) and its output (stdout and stderr) matches a regular
# expression: CTest's PASS_REGULAR_EXPRESSION alone would ignore the exit code.
#   expect_output.sh [--fails] <extended regular expression> <command...>
set -u
should_fail=false
if [ "$1" = "--fails" ]; then
  should_fail=true
  shift
fi
pattern=$1
shift
output=$("$@" 2>&1)
code=$?
echo "$output"
if [ "$should_fail" = false ] && [ "$code" -ne 0 ]; then
  echo "FAILED: exit $code"
  exit 1
fi
if [ "$should_fail" = true ] && [ "$code" -eq 0 ]; then
  echo "FAILED: it exited 0"
  exit 1
fi
if ! grep -qE -- "$pattern" <<<"$output"; then
  echo "FAILED: nothing in the output matches '$pattern'"
  exit 1
fi
