#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Shared by scripts/demo_sssd_jvm.sh and tests/e2e: starts the case (a real
# sssd in a private mount namespace, a JVM in its own network namespace) and
# defines case_stop. Source it, then call `case_start WORKDIR`; afterwards
# JVM_PID and SSSD_NSS_PID are set. case_stop tears everything down.
lib=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
case_outer=

case_start() {
  local work=$1
  mkdir -p "$work/classes"
  javac -d "$work/classes" "$lib/Hello.java" || return 1
  "$lib/sssd_env.sh" "$work" -- "$lib/jvm_in_netns.sh" "$work" "$work/classes" &
  case_outer=$!
  for _ in $(seq 300); do
    [[ -s $work/jvm.pid ]] && break
    kill -0 "$case_outer" 2>/dev/null || { wait "$case_outer"; return $?; }
    sleep 0.1
  done
  [[ -s $work/jvm.pid ]] || { echo "the JVM did not start in 30 s" >&2; return 1; }
  JVM_PID=$(cat "$work/jvm.pid")
  SSSD_NSS_PID=$(cat "$work/sssd_nss.pid")
  CASE_WORK=$work
}

case_stop() {
  [[ -n $case_outer ]] || return 0
  touch "$CASE_WORK/stop"
  wait "$case_outer" || true
  case_outer=
}

# The JVM's fd whose socket's peer is held by sssd_nss, found by sockscope.
case_sssd_fd() {
  local bin=$1
  "$bin" ls -p "$JVM_PID" --unix --json |
    jq -r --argjson jvm "$JVM_PID" --argjson nss "$SSSD_NSS_PID" '
      .sockets[] | select(.peer != null and any(.peer.owners[]; .pid == $nss))
      | .owners[] | select(.pid == $jvm) | .fd' | head -1
}
