#!/usr/bin/env bash
# The README's first command without a display, as scripts/demo runs it: pavilion-kiosk plays the
# demo's scripted visitor (kiosk/demo/visit.json) on the sample scenes' packages, and every step
# must pass: the gallery's vase, a poem of the garden, and the rare book room's thread-bound book
# opened from the home screen and turned by its button (a step whose control is missing fails the
# kiosk). The Spring Festival's package is left out (its packing is the longest of CI's, and its
# cards come after the ones the visit taps). The demo's kiosk.json gives the visit its timings and
# hours; its signing key, hub and folders are the demo machine's, so the packages are shown
# unsigned and the events stay in a queue here.
#   demo_visit_test.sh <scratch folder> <demo kiosk.json> <visit.json> <package>... --
#                      <pavilion-kiosk, with any launcher before it>
set -euo pipefail
scratch=$1 demo_config=$2 visit=$3
shift 3
rm -rf "$scratch"
mkdir -p "$scratch/content" "$scratch/screens"
while [ "$1" != "--" ]; do
  ln -s "$(realpath "$1")" "$scratch/content/"
  shift
done
shift
cd "$scratch"
{
  echo '{"content": "content", "developer_mode": true, "telemetry_queue": "events.sqlite",'
  grep -E '^ *"(library_name|idle_timeout_seconds|still_there_seconds|operator_pin|utc_offset_minutes|opening_hours)"' \
    "$demo_config" | sed '$ s/,$//'
  echo '}'
} > kiosk.json
"$@" --config kiosk.json --headless --size 640x360 --script "$visit" --screenshots screens
for screen in 06-rare-book.png 07-rare-book-turned.png; do
  if [ ! -s "screens/$screen" ]; then
    echo "FAILED: the visit wrote no screens/$screen (the run's files are in $scratch)"
    exit 1
  fi
done
echo "ok: the demo's visit reached the rare book and turned it"
