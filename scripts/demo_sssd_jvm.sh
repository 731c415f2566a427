#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The demo (scripts/demo.sh runs it after building), in the order a user
# lives it (seed 000): a JVM in its own network namespace, as in a
# container, holds a unix socket nobody can explain; CRaC will refuse to
# checkpoint it. The recorder has been running all along, so the creation
# stack is there when the question comes, after the fact.
# Usage (root): scripts/demo_sssd_jvm.sh [path/to/sockscope]
# DEMO_SVG=FILE also draws the JVM's and sssd_nss's sockets there
# (`ls --format svg`, needs Graphviz): docs/pictures/sssd-jvm.svg was made so.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$top/build/sockscope}
# shellcheck source=../tests/lib/sssd_jvm_case.sh
source "$top/tests/lib/sssd_jvm_case.sh"
work=$(mktemp -d /tmp/sockscope-demo.XXXXXX)
recorder=
cleanup() {
  case_stop
  [[ -n $recorder ]] && { kill -TERM "$recorder" 2>/dev/null || true; wait "$recorder" 2>/dev/null || true; }
  rm -rf "$work"
}
trap cleanup EXIT

# step TITLE WHAT-IT-PROVES: a numbered heading; the previous step's time.
n=0 started=
step() {
  [[ -n $started ]] && printf '   (%.1f s)\n' "$(bc <<<"$(date +%s.%N) - $started")"
  n=$((n + 1)); started=$(date +%s.%N)
  printf '\n== %d. %s\n   %s\n\n' "$n" "$1" "$2"
}
# show CMD...: prints the command as typed, then runs it (its status is shown, not fatal).
show() {
  printf '$ %s\n' "$*"
  local rc=0; "$@" || rc=$?
  ((rc == 0)) || printf '(exit %d)\n' "$rc"
}

step "the recorder starts (sockscope recorder --foreground --db $work/history.db)" \
  "in production it always runs (packaging/sockscope-recorder.service); what follows is asked after the fact"
"$bin" recorder --foreground --db "$work/history.db" 2> "$work/recorder.err" &
recorder=$!
for _ in $(seq 100); do grep -q ready "$work/recorder.err" 2>/dev/null && break; sleep 0.1; done
grep -q ready "$work/recorder.err" || { cat "$work/recorder.err" >&2; exit 1; }
sed 's/^/   /' "$work/recorder.err"

step "sssd starts in a private mount namespace, then a JVM in its own network namespace" \
  "the JVM is started normally, not under any tracer; during init HotSpot asks NSS for the user name"
case_start "$work"
fd=$(case_sssd_fd "$bin")
[[ -n $fd ]] || { echo "the JVM holds no socket to sssd_nss: the case did not reproduce" >&2; exit 1; }
sleep 0.5  # the recorder commits every 200 ms
echo "JVM pid $JVM_PID (java), sssd_nss pid $SSSD_NSS_PID"

step "the JVM's fd $fd is a socket, and that is all /proc says" \
  "this is where a CRaC checkpoint failure leaves you: 'socket:[INODE]' and nothing else"
show ls -l "/proc/$JVM_PID/fd/$fd"

step "ss and lsof cannot say what it is connected to" \
  "they answer for their own network namespace; the JVM lives in another one"
printf '$ ss -xp | grep pid=%s,\n' "$JVM_PID"
ss -xp | grep "pid=$JVM_PID," || echo "(nothing)"
printf '$ lsof -p %s -U -a +E\n' "$JVM_PID"
lsof -p "$JVM_PID" -U -a +E 2>/dev/null || echo "(nothing)"

step "sockscope fd names the peer across namespaces, and the code that created the socket" \
  "peer process, fd, path and role; the creation stack from the recorder, cut to the frames that matter (--full-stack shows all)"
show "$bin" fd "$JVM_PID" "$fd"

step "sockscope checkpoint says what CRIU and CRaC will do, and why, and what to do" \
  "each blocker with the message you would see, its origin (the same stack) and the remedy"
show "$bin" checkpoint "$JVM_PID"

svg=${DEMO_SVG:-/tmp/sockscope-demo.svg}
step "the picture: who talks to whom, across namespaces (sockscope ls --format svg, Graphviz)" \
  "the JVM and sssd_nss, each in its network namespace, the socket pair between them, and the sssd role"
printf '$ %s ls -p %s -p %s --format svg > %s\n' "$bin" "$JVM_PID" "$SSSD_NSS_PID" "$svg"
"$bin" ls -p "$JVM_PID" -p "$SSSD_NSS_PID" --format svg > "$svg"
echo "written: $svg (open it in a browser)"
printf '   (%.1f s)\n' "$(bc <<<"$(date +%s.%N) - $started")"
