#!/usr/bin/env bash
# Packaging.Debs: the Debian packages of a built Release folder (cmake/PavilionPackaging.cmake).
#   debs.sh BUILD_DIR
# cpack makes pavilion-kiosk, pavilion-hub and pavilion-tools in a scratch folder; lintian finds no
# error or warning in them; each holds what it must; the units parse and the hub's keeps its
# hardening; and the hub, unpacked as the package lays it out, serves the dashboard from
# /usr/share/pavilion/web with the shipped hub.json. Prints the seconds each step took.
set -euo pipefail

build=$(cd "$1" && pwd)
scratch=$(mktemp -d)
hub_pid=
cleanup() {
  if [ -n "${hub_pid}" ]; then kill "${hub_pid}" 2>/dev/null || true; fi
  rm -rf "${scratch}"
}
trap cleanup EXIT
fail() {
  echo "Packaging.Debs: $*" >&2
  exit 1
}
step_start=${EPOCHREALTIME}
step_done() {
  awk -v from="${step_start}" -v to="${EPOCHREALTIME}" -v step="$1" 'BEGIN { printf "%s: %.1f s\n", step, to - from }'
  step_start=${EPOCHREALTIME}
}

(cd "${build}" && cpack -G DEB -B "${scratch}" >"${scratch}/cpack.log" 2>&1) || { cat "${scratch}/cpack.log" >&2; fail "cpack failed"; }
version=$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "${build}/CPackConfig.cmake")
arch=$(dpkg --print-architecture)
for package in kiosk hub tools; do
  [ -f "${scratch}/pavilion-${package}_${version}_${arch}.deb" ] || fail "cpack made no pavilion-${package}_${version}_${arch}.deb"
done
step_done cpack

# Errors and warnings fail; informational tags are printed for whoever reads the log.
lintian --fail-on error,warning --display-info "${scratch}"/*.deb || fail "lintian found the problems above"
step_done lintian

deb() { echo "${scratch}/pavilion-$1_${version}_${arch}.deb"; }
expect_files() {
  local package=$1
  shift
  local listing
  listing=$(dpkg-deb -c "$(deb "${package}")" | awk '{print $6}')
  for path in "$@"; do
    grep -qx "\./${path#/}" <<<"${listing}" || fail "pavilion-${package} lacks ${path}"
  done
}
expect_field() {
  local package=$1 field=$2 pattern=$3
  dpkg-deb -f "$(deb "${package}")" "${field}" | grep -qE "${pattern}" ||
    fail "pavilion-${package}'s ${field} does not match ${pattern}: $(dpkg-deb -f "$(deb "${package}")" "${field}")"
}
# The shaders are compiled into the programs (cmake/PavilionShaders.cmake); fonts and the Vulkan
# driver are dependencies.
expect_files kiosk /usr/bin/pavilion-kiosk /usr/lib/systemd/user/pavilion-kiosk.service /etc/pavilion/kiosk.json \
  /usr/share/man/man1/pavilion-kiosk.1.gz /usr/share/doc/pavilion-kiosk/copyright /usr/share/doc/pavilion-kiosk/changelog.gz
expect_files hub /usr/bin/pavilion-hub /lib/systemd/system/pavilion-hub.service /etc/pavilion/hub.json \
  /usr/share/pavilion/web/index.html /usr/share/pavilion/web/summary.html /usr/share/pavilion/web/assets/app.js \
  /usr/share/pavilion/web/assets/echarts.min.js /usr/share/man/man1/pavilion-hub.1.gz /usr/share/doc/pavilion-hub/copyright
expect_files tools /usr/bin/pavilion-pack /usr/bin/pavilion-snapshot /usr/bin/pavilion-preview /usr/bin/pavilion-recite \
  /usr/bin/pavilion-flashcheck /usr/share/man/man1/pavilion-flashcheck.1.gz \
  /usr/bin/pavilion-pyramid /usr/share/man/man1/pavilion-pyramid.1.gz \
  "/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/pavilion/libpavilion_xr_runtime.so" \
  /usr/share/pavilion/openxr/pavilion_xr_runtime.json /usr/share/man/man1/pavilion-pack.1.gz
expect_field kiosk Depends 'libvulkan1.*'
expect_field kiosk Depends 'mesa-vulkan-drivers \| vulkan-icd'
expect_field kiosk Depends 'fonts-noto-cjk'
expect_field kiosk Depends 'adduser'
expect_field hub Depends 'libsqlite3-0.*libpq5|libpq5.*libsqlite3-0'
expect_field hub Depends 'adduser'
expect_field tools Depends 'libespeak-ng1'
for package in kiosk hub; do
  dpkg-deb --ctrl-tarfile "$(deb "${package}")" | tar -xO ./conffiles | grep -qx "/etc/pavilion/${package}.json" ||
    fail "pavilion-${package} does not mark /etc/pavilion/${package}.json as a conffile"
done
step_done contents

root=${scratch}/root
for package in kiosk hub tools; do dpkg-deb -x "$(deb "${package}")" "${root}"; done
# systemd reads every line (an unknown key is only a warning, made a failure here); the hub's
# exposure stays at most 3.5 of 10 (systemd-analyze security), so no hardening line goes quietly.
unit_problems() { grep -E "Unknown (key|section)|Failed|Invalid|ignoring" || true; }
problems=$(systemd-analyze security --offline=yes --threshold=35 "${root}/lib/systemd/system/pavilion-hub.service" 2>&1 >/dev/null |
           unit_problems) ||
  fail "pavilion-hub.service is exposed more than 3.5: $(systemd-analyze security --offline=yes "${root}/lib/systemd/system/pavilion-hub.service" | tail -n 1)"
[ -z "${problems}" ] || fail "pavilion-hub.service: ${problems}"
mkdir -m 700 "${scratch}/runtime"
problems=$(XDG_RUNTIME_DIR=${scratch}/runtime systemd-analyze security --user --offline=yes \
           "${root}/usr/lib/systemd/user/pavilion-kiosk.service" 2>&1 >/dev/null | unit_problems)
[ -z "${problems}" ] || fail "pavilion-kiosk.service: ${problems}"

# The simulated headset's manifest names the library relative to itself.
manifest=${root}/usr/share/pavilion/openxr/pavilion_xr_runtime.json
library=$(sed -n 's/.*"library_path": "\(.*\)".*/\1/p' "${manifest}")
[ -f "$(dirname "${manifest}")/${library}" ] || fail "the headset manifest's library_path ${library} names no file in the package"

# Every program starts from the package's layout: its shared libraries resolve (the loader's
# failure is status 127); --help is answered, or the usage printed (status 2).
for program in pavilion-kiosk pavilion-hub pavilion-pack pavilion-snapshot pavilion-preview pavilion-recite pavilion-flashcheck pavilion-pyramid; do
  status=0
  "${root}/usr/bin/${program}" --help >/dev/null 2>"${scratch}/help.err" || status=$?
  [ "${status}" -eq 0 ] || [ "${status}" -eq 2 ] || fail "${program} --help ends with status ${status} as packaged: $(cat "${scratch}/help.err")"
done

# The shipped kiosk.json is whole but for the operator's PIN, which each library must choose: the
# kiosk refuses it for that alone.
refusal=$("${root}/usr/bin/pavilion-kiosk" --config "${root}/etc/pavilion/kiosk.json" --headless --frames 1 2>&1) &&
  fail "the kiosk started with the shipped kiosk.json and its placeholder PIN"
grep -q "1 problem to fix" <<<"${refusal}" && grep -q "operator_pin: error" <<<"${refusal}" ||
  fail "the shipped kiosk.json should lack only an operator_pin, but: ${refusal}"

# The packaged hub with the packaged hub.json serves the packaged dashboard, not the build's.
marker="packaged-dashboard-$$"
printf '<!-- %s -->\n' "${marker}" >>"${root}/usr/share/pavilion/web/index.html"
mkfifo "${scratch}/hub.out"
PAVILION_HUB_LISTEN=127.0.0.1:0 PAVILION_HUB_DATABASE="${scratch}/hub.sqlite" \
  "${root}/usr/bin/pavilion-hub" serve --config "${root}/etc/pavilion/hub.json" >"${scratch}/hub.out" 2>"${scratch}/hub.err" &
hub_pid=$!
exec 3<"${scratch}/hub.out"
read -r -t 20 listening <&3 || { cat "${scratch}/hub.err" >&2; fail "the packaged hub did not start listening"; }
url=${listening#listening on }
page=$(curl -fsS --max-time 10 "${url}/") || fail "the packaged hub does not serve ${url}/"
grep -q "${marker}" <<<"${page}" || fail "the packaged hub serves a dashboard other than /usr/share/pavilion/web"
curl -fsS --max-time 10 -o /dev/null "${url}/assets/echarts.min.js" || fail "the packaged hub does not serve ECharts"
kill "${hub_pid}"
wait "${hub_pid}" || true
hub_pid=
step_done "installed layout"
