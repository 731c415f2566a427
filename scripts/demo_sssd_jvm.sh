#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The demo (scripts/demo.sh runs it after building): who is on the other end
# of the JVM's unix socket, when the JVM lives in its own network namespace?
# Usage (root): scripts/demo_sssd_jvm.sh [path/to/sockscope]
# DEMO_SVG=FILE also draws the JVM's and sssd_nss's sockets there
# (`ls --format svg`, needs Graphviz): docs/pictures/sssd-jvm.svg was made so.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$top/build/sockscope}
# shellcheck source=../tests/lib/sssd_jvm_case.sh
source "$top/tests/lib/sssd_jvm_case.sh"
work=$(mktemp -d /tmp/sockscope-demo.XXXXXX)
trap 'case_stop; rm -rf "$work"' EXIT

echo "== starting sssd (private mount namespace) and a JVM (own network namespace)"
case_start "$work"
fd=$(case_sssd_fd "$bin")
echo "JVM pid $JVM_PID, sssd_nss pid $SSSD_NSS_PID; the JVM's fd $fd is a socket:"
ls -l "/proc/$JVM_PID/fd/$fd"
echo
echo "== ss -xp (host): lines for the JVM"
ss -xp | grep "pid=$JVM_PID," || echo "(none: ss answers only for its own network namespace)"
echo
echo "== lsof -p $JVM_PID -U -a +E"
lsof -p "$JVM_PID" -U -a +E 2>/dev/null || echo "(nothing)"
echo
echo "== sockscope fd $JVM_PID $fd"
"$bin" fd "$JVM_PID" "$fd"
echo
echo "== sockscope ls -p $JVM_PID"
"$bin" ls -p "$JVM_PID"
if [[ -n ${DEMO_SVG:-} ]]; then
  echo
  echo "== sockscope ls -p $JVM_PID -p $SSSD_NSS_PID --format svg > $DEMO_SVG"
  "$bin" ls -p "$JVM_PID" -p "$SSSD_NSS_PID" --format svg >"$DEMO_SVG"
fi
