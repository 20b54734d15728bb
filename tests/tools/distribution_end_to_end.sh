#!/usr/bin/env bash
# Issue 19's "done when", with the programs a library runs and nothing else: a curator at the
# centre publishes a package once; a branch hub mirrors it; a kiosk of that branch, which holds no
# content of its own, shows it, and the centre sees the kiosk's events and its fleet status
# through the branch. A second version with one text changed reaches the kiosk as its changed
# blobs, its head and metadata only. A replay of the metadata from before that version is
# refused: the kiosk keeps showing the second version and the centre's fleet report says why.
#   distribution_end_to_end.sh <scratch folder> <pavilion-pack> <pavilion-hub> <scene folder>
#                              <pavilion-kiosk, with any launcher before it>
set -euo pipefail
scratch_root=$1 pack=$2 hub=$3 scene=$4
shift 4
kiosk=("$@")
# pavilion-pack draws thumbnails on the GPU: it runs under the kiosk's launcher too (under the
# sanitizers, the preload that keeps the software driver mapped until exit).
pack=("${kiosk[@]:0:${#kiosk[@]}-1}" "$pack")
# A folder of this run's own (kept when it fails, to look at), so runs side by side never meet.
mkdir -p "$scratch_root"
scratch=$(mktemp -d "$scratch_root/run.XXXXXX")
mkdir -p "$scratch"/{keys,centre,branch,kiosk}
cd "$scratch"

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
fail() {
  echo "FAILED: $* (the run's files are in $scratch)"
  for log in centre/serve.log branch/serve.log kiosk/kiosk.log stale/serve.log kiosk/restarted.log; do
    [ -f "$log" ] && { echo "--- $log (last lines)"; tail -n 25 "$log"; }
  done
  exit 1
}
step() { echo "ok: $*"; }
# until SECONDS DESCRIPTION COMMAND…: runs the command every 0.2 s until it succeeds.
until_true() {
  local seconds=$1 description=$2
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || fail "$description (waited ${seconds} s)"
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || fail "$description: process $pid ended"; done
    sleep 0.2
  done
}
# serve NAME CONFIG: starts `pavilion-hub serve` and sets the variable NAME_url to where it listens.
serve() {
  local name=$1 config=$2 folder
  folder=$(dirname "$config")
  "$hub" serve --config "$config" >"$folder/serve.out" 2>"$folder/serve.log" &
  pids+=($!)
  until_true 10 "$name hub listens" grep -q "^listening on http://" "$folder/serve.out"
  printf -v "${name}_url" '%s' "$(sed -n 's/^listening on //p' "$folder/serve.out")"
}
fleet() { "$hub" report fleet --json --config centre/hub.json; }
# blob_requests URL: how many blobs and heads the hub there has served (its /metrics, any status).
blob_requests() {
  curl -sf "$1/metrics" | awk -F' ' '/^pavilion_hub_requests_total\{route="\/v1\/repository\/blobs"/ {n += $2} END {print n + 0}'
}

# The keys: the curator's, two offline root keys (both needed), the three online roles'.
for key in curator root-a root-b targets snapshot timestamp; do "${pack[@]}" keygen "keys/$key.key" >/dev/null; done

# The centre: a repository whose root needs both root keys; the first version published.
cat >centre/hub.json <<'EOF'
{"listen": "127.0.0.1:0", "database": "centre.sqlite", "repository_folder": "repository", "retention_days": 0,
 "targets_key": "../keys/targets.key", "snapshot_key": "../keys/snapshot.key", "timestamp_key": "../keys/timestamp.key"}
EOF
"$hub" repository init --root-key keys/root-a.key --root-key keys/root-b.key --threshold 2 \
  --targets-key keys/targets.key --snapshot-key keys/snapshot.key --timestamp-key keys/timestamp.key \
  --config centre/hub.json >/dev/null || fail "repository init"
cp -r "$scene" scene-v1
sed -i 's/"version": "[^"]*"/"version": "1"/' scene-v1/scene.json
"${pack[@]}" build scene-v1 -o gallery-1.pvpkg --key keys/curator.key --quiet 2>pack-1.log || fail "pack version 1: $(tail -n 3 pack-1.log)"
"$hub" publish gallery-1.pvpkg --channel permanent --trusted-key keys/curator.pub --config centre/hub.json >/dev/null \
  || fail "publish version 1"
step "the centre published gallery 1 in channel permanent"
serve centre centre/hub.json
curl -sf "$centre_url/v1/repository/root/1.json" -o root.json || fail "fetching root/1.json from the centre"

# The branch: enrolled at the centre as a relay, mirroring it; its kiosk enrolled there.
"$hub" enrol branch-12-hub --relay --branch branch-12 --config centre/hub.json >branch/relay-token || fail "enrol the relay"
cp root.json branch/centre-root.json
cat >branch/hub.json <<EOF
{"listen": "127.0.0.1:0", "database": "branch.sqlite", "repository_folder": "repository", "retention_days": 0,
 "upstream": {"url": "$centre_url", "token_file": "relay-token", "root": "centre-root.json", "poll_seconds": 1}}
EOF
"$hub" enrol branch-12-kiosk-1 --branch branch-12 --config branch/hub.json >kiosk/device-token || fail "enrol the kiosk"
serve branch branch/hub.json
# The kiosk's first poll then finds the centre's files mirrored (else it waits poll_seconds).
until_true 20 "the branch mirrors the centre's timestamp" curl -sf "$branch_url/v1/repository/timestamp.json"

# The kiosk: no content of its own, its hub and updates at the branch, the centre's root pinned.
cp root.json kiosk/root.json
cp keys/curator.pub kiosk/curator.pub
kiosk_config() {  # the updates' url: the branch's, or where a replay comes from
  cat >kiosk/kiosk.json <<EOF
{"content": "content", "trusted_keys": ["curator.pub"], "telemetry_queue": "events.sqlite",
 "hub": {"url": "$branch_url", "device_id": "branch-12-kiosk-1", "token_file": "device-token"},
 "updates": {"url": "$1", "channels": ["permanent"], "branch": "branch-12", "root": "root.json", "state": "updates",
             "poll_seconds": 10},
 "library_name": {"zh-CN": "分馆", "en": "Branch"}, "operator_pin": "2468", "utc_offset_minutes": 480}
EOF
}
start_kiosk() {  # its log: kiosk/kiosk.log, then kiosk/restarted.log
  PAVILION_LOG=info "${kiosk[@]}" --config kiosk/kiosk.json --headless --size 320x180 >>kiosk/kiosk.out 2>>"kiosk/$1.log" &
  kiosk_pid=$!
  pids+=("$kiosk_pid")
}
kiosk_config "$branch_url"
start_kiosk kiosk
# The kiosk opens a package at start-up and again at each switch: "gallery-….pvpkg (gallery 1): 7 exhibits".
until_true 40 "the kiosk shows gallery 1" grep -q "(gallery 1): [0-9]* exhibits" kiosk/kiosk.log
step "the kiosk shows gallery 1, fetched through the branch"
# The fleet's "installed": what the kiosk shows, [{"id", "since", "version"}, …].
shows() { fleet | grep -q "\"device\":\"branch-12-kiosk-1\".*\"installed\":\[[^]]*\"id\":\"gallery\",\"since\":\"[^\"]*\",\"version\":\"$1\""; }
until_true 40 "the centre's fleet report lists the kiosk showing gallery 1" shows 1
fleet | grep -q '"branch-12"' || fail "the fleet report names branch-12"
step "the centre's fleet report lists branch-12-kiosk-1 showing gallery 1"
received() { "$hub" report completeness --config centre/hub.json | grep -q '"device":"branch-12-kiosk-1"[^}]*"received":[1-9]'; }
until_true 40 "the kiosk's events reach the centre through the branch" received
step "the kiosk's events reached the centre through the branch"

# Version 2: one text changed. The kiosk fetches its changed blobs and head, nothing else.
blob_files() { find kiosk/updates/blobs -type f ! -name '*.partial' -printf '%i %f %s\n' | sort; }
blob_files >blobs-1.txt
# Each file crossed the WAN once (the branch's mirror) and the LAN once (the kiosk).
held=$(wc -l <blobs-1.txt)
[ "$(blob_requests "$centre_url")" -eq "$held" ] || fail "the centre served $(blob_requests "$centre_url") blobs for the kiosk's $held files"
[ "$(blob_requests "$branch_url")" -eq "$held" ] || fail "the branch served $(blob_requests "$branch_url") blobs for the kiosk's $held files"
step "the kiosk's $held files (blobs and head) crossed the WAN once and the LAN once"
cp -r scene-v1 scene-v2
sed -i 's/"version": "1"/"version": "2"/; s/Ink-wash landscape (illustration)/Ink-wash landscape, restored/' scene-v2/scene.json
grep -q "Ink-wash landscape, restored" scene-v2/scene.json || fail "the scene's text to change is not there"
"${pack[@]}" build scene-v2 -o gallery-2.pvpkg --key keys/curator.key --quiet 2>pack-2.log || fail "pack version 2: $(tail -n 3 pack-2.log)"
mkdir -p stale
# What a replay serves later: the database as it is now (its write-ahead log with it).
for file in centre/centre.sqlite*; do cp "$file" "stale/${file#centre/}"; done
published=$("$hub" publish gallery-2.pvpkg --channel permanent --trusted-key keys/curator.pub --config centre/hub.json) \
  || fail "publish version 2"
step "$published"
stored_hashes() { "${pack[@]}" inspect "$1" 2>/dev/null | awk '$2 ~ /^(scene|mesh|texture|audio|thumbnail|font|text|poem|book)$/ {print $1}' | sort -u; }
changed=$(comm -13 <(stored_hashes gallery-1.pvpkg) <(stored_hashes gallery-2.pvpkg) | wc -l)
[ "$changed" -ge 1 ] || fail "version 2 changes no blob"
until_true 40 "the kiosk switches to gallery 2" grep -q "(gallery 2): [0-9]* exhibits" kiosk/kiosk.log
until_true 40 "the centre's fleet report lists the kiosk showing gallery 2" shows 2
step "the kiosk switched to gallery 2 ($changed changed blobs)"
blob_files >blobs-2.txt
new_files=$(comm -13 blobs-1.txt blobs-2.txt | wc -l)
new_bytes=$(comm -13 blobs-1.txt blobs-2.txt | awk '{n += $3} END {print n + 0}')
kept_files=$(comm -12 blobs-1.txt blobs-2.txt | wc -l)
# Its blob store gained the changed blobs and the new head; every file it held is the same file
# (same inode), so nothing it held was fetched again.
[ "$new_files" -eq $((changed + 1)) ] || fail "the kiosk's blob store gained $new_files files, not $changed blobs + 1 head"
[ "$kept_files" -eq "$(wc -l <blobs-1.txt)" ] || fail "the kiosk replaced files it held ($kept_files of $(wc -l <blobs-1.txt) kept)"
step "the kiosk fetched only the $changed changed blobs and the head, $new_bytes bytes of a $(stat -c %s gallery-2.pvpkg)-byte package ($kept_files files kept as they were)"
[ "$(blob_requests "$centre_url")" -eq $((held + changed + 1)) ] || fail "for version 2 the centre served $(($(blob_requests "$centre_url") - held)) blobs, not $changed + 1 head"
[ "$(blob_requests "$branch_url")" -eq $((held + changed + 1)) ] || fail "for version 2 the branch served $(($(blob_requests "$branch_url") - held)) blobs, not $changed + 1 head"
step "version 2 cost the WAN and the LAN $changed blobs and 1 head each"

# A replay: the centre's metadata from before version 2, served to the kiosk (a stale mirror, or
# anyone between them). The kiosk, restarted on it, refuses it and keeps showing version 2.
cp -r centre/repository stale/repository
echo '{"listen": "127.0.0.1:0", "database": "centre.sqlite", "repository_folder": "repository"}' >stale/hub.json
serve stale stale/hub.json
kill "$kiosk_pid"
wait "$kiosk_pid" 2>/dev/null || true
running=()
for pid in "${pids[@]}"; do [ "$pid" = "$kiosk_pid" ] || running+=("$pid"); done
pids=("${running[@]}")
kiosk_config "$stale_url"
start_kiosk restarted
until_true 40 "the kiosk refuses the replayed metadata" grep -q "older than the trusted" kiosk/restarted.log
until_true 40 "the restarted kiosk shows gallery 2" grep -q "(gallery 2): [0-9]* exhibits" kiosk/restarted.log
step "the kiosk refused the replay and shows gallery 2: $(grep -m1 "older than the trusted" kiosk/restarted.log | sed 's/^.*updates: //')"
refused() {  # the operator's sentence, and what was refused
  fleet | grep -q '"last_error":{"en":"The update server offered older information than this kiosk already trusts[^}]*},"last_result":"timestamp version [0-9]* is older than the trusted [0-9]*"'
}
until_true 40 "the centre's fleet report shows the refusal as the kiosk's last error" refused
shows 2 || fail "the centre's fleet report no longer lists the kiosk showing gallery 2"
if grep -q "(gallery 1)" kiosk/restarted.log; then fail "the restarted kiosk showed gallery 1"; fi
step "the centre's fleet report shows gallery 2 still showing and the refusal as the last error"
cleanup
trap - EXIT
cd / && rm -rf "$scratch"
