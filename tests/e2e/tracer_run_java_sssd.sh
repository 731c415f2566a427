#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Issue 3's must-show: with sssd as the NSS source (`passwd: sss files`),
# `sockscope run --json -- java -cp DIR Hello` reports the AF_UNIX socket that
# libnss_sss makes during JVM init (HotSpot's PerfMemory calls getpwuid_r):
# its fd and inode as /proc shows them while the JVM runs, and its peer,
# sssd_nss's accepted socket (pid, a real fd), at /var/lib/sss/pipes/nss.
# Twice: the JVM in the host's network namespace, then in its own
# (`unshare --net`, as in a container), where `ss` on the host sees nothing.
# Usage (root): tests/e2e/tracer_run_java_sssd.sh path/to/sockscope  (77: skip)
set -euo pipefail

# ---- inner half, run by tests/lib/sssd_env.sh in its mount namespace:
# starts the JVM under `sockscope run`, records /proc while the JVM is alive,
# then closes its stdin and waits for the report.
if [[ ${1:-} == --inner ]]; then
  mode=$2 work=$3 bin=$4
  prefix=()
  [[ $mode == netns ]] && prefix=(unshare --net --)
  fifo=$work/stdin
  mkfifo -m 0600 "$fifo"
  exec 3<>"$fifo"  # only we hold the write end: closing it ends Hello
  "$bin" run --json -- "${prefix[@]}" java -cp "$work/classes" Hello \
    <"$fifo" >"$work/stdout" 2>"$work/stderr" 3>&- &
  run_pid=$!
  for _ in $(seq 300); do
    grep -q '^ready ' "$work/stdout" 2>/dev/null && break
    kill -0 "$run_pid" 2>/dev/null || break
    sleep 0.1
  done
  jvm=$(awk '/^ready /{print $2; exit}' "$work/stdout")
  if [[ -n $jvm ]]; then
    echo "$jvm" >"$work/jvm.pid"
    sleep 1.5  # let sockscope's peer snapshots run while the JVM holds the socket
    for f in /proc/"$jvm"/fd/*; do echo "${f##*/} $(readlink "$f")"; done >"$work/jvm.fds" 2>/dev/null || true
    nss=$(cat "$work/sssd_nss.pid")
    for f in /proc/"$nss"/fd/*; do echo "${f##*/} $(readlink "$f")"; done >"$work/nss.fds" 2>/dev/null || true
    readlink "/proc/$jvm/ns/net" >"$work/jvm.netns"
    cat "/proc/$jvm/comm" >"$work/jvm.comm"
  fi
  exec 3>&-
  rc=0
  wait "$run_pid" || rc=$?
  echo "$rc" >"$work/run.rc"
  exit 0
fi

bin=$(realpath "$1")
top=$(cd "$(dirname "$0")/../.." && pwd)
me=$(realpath "$0")
[[ $EUID -eq 0 ]] || { echo "SKIP: needs root" >&2; exit 77; }
for c in jq java javac unshare; do
  command -v "$c" >/dev/null || { echo "SKIP: $c missing: scripts/install-deps.sh" >&2; exit 77; }
done
probes=$("$bin" probes 2>&1) || { echo "SKIP: no usable BPF tracing here: $probes" >&2; exit 77; }

work=$(mktemp -d /tmp/sockscope-e2e-run.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/classes"
javac -d "$work/classes" "$top/tests/lib/Hello.java"

source "$(dirname "${BASH_SOURCE[0]}")/../lib/e2e.sh"  # check, e2e_finish


for mode in host netns; do
  w=$work/$mode
  mkdir -p "$w"
  cp -r "$work/classes" "$w/"
  rc=0
  "$top/tests/lib/sssd_env.sh" "$w" -- bash "$me" --inner "$mode" "$w" "$bin" || rc=$?
  [[ $rc -eq 77 ]] && { echo "SKIP: sssd_env.sh: a prerequisite is missing" >&2; exit 77; }
  check "[$mode] sssd_env.sh and the inner run worked (rc $rc)" test "$rc" -eq 0
  check "[$mode] the JVM printed ready under sockscope run" test -s "$w/jvm.pid"
  [[ -s $w/jvm.pid ]] || { cat "$w/stderr" >&2 || true; continue; }
  jvm=$(cat "$w/jvm.pid") nss=$(cat "$w/sssd_nss.pid")
  check "[$mode] sockscope run exited with the JVM's code 0" test "$(cat "$w/run.rc")" = 0
  report=$(grep -v '^ready ' "$w/stdout")
  check "[$mode] the report is JSON" jq -e . <<<"$report" >/dev/null
  sock=$(jq --argjson nss "$nss" \
    '[.sockets[] | select(.peer.owners != null and any(.peer.owners[]; .pid == $nss))][0]' <<<"$report")
  check "[$mode] a socket whose peer sssd_nss holds is reported" test "$sock" != null
  fd=$(jq -r .created.fd <<<"$sock") ino=$(jq -r .inode <<<"$sock")
  echo "  report: fd $fd inode $ino; /proc/$jvm/fd while running:"
  sed 's/^/    /' "$w/jvm.fds"
  check "[$mode] it was made by the JVM (pid $jvm)" test "$(jq -r .created.pid <<<"$sock")" = "$jvm"
  check "[$mode] via socket(), unix stream" \
    test "$(jq -r '[.created.event, .family, .type] | join(" ")' <<<"$sock")" = "socket unix stream"
  check "[$mode] its fd $fd and inode match /proc/$jvm/fd while the JVM runs" \
    grep -qx "$fd socket:\[$ino\]" "$w/jvm.fds"
  check "[$mode] connect to /var/lib/sss/pipes/nss succeeded" \
    test "$(jq -r '[.events[] | select(.event == "connect")][0] | "\(.address) \(.ret)"' <<<"$sock")" \
    = "/var/lib/sss/pipes/nss 0"
  check "[$mode] peer path is /var/lib/sss/pipes/nss" test "$(jq -r .peer.path <<<"$sock")" = /var/lib/sss/pipes/nss
  check "[$mode] peer role is sssd's NSS pipe" test "$(jq -r .peer.role <<<"$sock")" = "sssd NSS pipe"
  check "[$mode] peer owner is sssd_nss[$nss]" \
    test "$(jq -r --argjson nss "$nss" '.peer.owners[] | select(.pid == $nss) | .comm' <<<"$sock")" = sssd_nss
  pfd=$(jq -r --argjson nss "$nss" '[.peer.owners[] | select(.pid == $nss)][0].fd' <<<"$sock")
  pino=$(jq -r .peer.inode <<<"$sock")
  check "[$mode] peer fd $pfd is sssd_nss's socket:[$pino] while the JVM runs" \
    grep -qx "$pfd socket:\[$pino\]" "$w/nss.fds"
  check "[$mode] the peer is the live accepted socket, not just the listener" \
    test "$(jq -r .peer.how <<<"$sock")" = "peer of the live socket"
  check "[$mode] the event's netns is the JVM's" \
    test "$(jq -r .created.netns <<<"$sock")" = "$(tr -dc 0-9 <"$w/jvm.netns")"
  if [[ $mode == netns ]]; then
    check "[netns] the JVM's netns is not the host's" \
      test "$(tr -dc 0-9 <"$w/jvm.netns")" != "$(readlink /proc/self/ns/net | tr -dc 0-9)"
  fi
  check "[$mode] no lost events" test "$(jq -r .stats.lost <<<"$report")" = 0
done

e2e_finish
