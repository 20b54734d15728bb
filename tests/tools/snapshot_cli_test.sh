#!/usr/bin/env bash
# pavilion-snapshot as a person runs it: a PNG on success, a sentence and exit code 2 for a bad
# command line, 1 for a failure.
#   snapshot_cli_test.sh <scratch folder> <pavilion-snapshot, with any launcher before it>
set -u
scratch=$1
shift
snapshot=("$@")
mkdir -p "$scratch"
failures=0
check() {  # description, expected exit code, expected text in stderr, command...
  local description=$1 expected_code=$2 expected_text=$3
  shift 3
  local output code
  output=$("$@" 2>&1)
  code=$?
  if [ "$code" -ne "$expected_code" ] || ! grep -qF -- "$expected_text" <<<"$output"; then
    echo "FAILED: $description (exit $code, wanted $expected_code and '$expected_text'):"
    echo "$output"
    failures=$((failures + 1))
  else
    echo "ok: $description"
  fi
}

rm -f "$scratch/grid.png"
check "renders a scene with validation on" 0 "wrote $scratch/grid.png" \
  "${snapshot[@]}" --scene material-grid --size 64x48 --validation -o "$scratch/grid.png"
if ! head -c 8 "$scratch/grid.png" | od -An -tx1 | grep -q "89 50 4e 47 0d 0a 1a 0a"; then
  echo "FAILED: $scratch/grid.png is not a PNG"
  failures=$((failures + 1))
fi
check "lists the scenes" 0 "instance-field" "${snapshot[@]}" --list
check "refuses an unknown scene" 1 "there is no scene 'gallery'" \
  "${snapshot[@]}" --scene gallery -o "$scratch/x.png"
check "refuses a malformed size" 2 "'64by48' is not a valid value for --size" \
  "${snapshot[@]}" --scene material-grid --size 64by48 -o "$scratch/x.png"
check "needs an output" 2 "give a package or --scene, and -o" "${snapshot[@]}" --scene material-grid
check "names an unwritable output" 1 "no-such-folder" \
  "${snapshot[@]}" --scene material-grid --size 16x16 -o "$scratch/no-such-folder/x.png"
echo "$((6 - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
