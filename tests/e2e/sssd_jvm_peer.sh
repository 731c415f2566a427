#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Issue 2's case: sssd on the host side, a JVM in its own network namespace.
# `sockscope fd` and `sockscope ls -p` must name sssd_nss (pid and fd) and
# /var/lib/sss/pipes/nss as the JVM's peer, and say it is sssd's NSS pipe,
# where `ss -xp` on the host shows nothing for the JVM.
# Usage (root): tests/e2e/sssd_jvm_peer.sh path/to/sockscope   (exit 77: skipped)
set -euo pipefail
bin=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
[[ $EUID -eq 0 ]] || { echo "SKIP: needs root" >&2; exit 77; }
command -v jq >/dev/null || { echo "SKIP: jq missing: apt-get install jq" >&2; exit 77; }
# shellcheck source=../lib/sssd_jvm_case.sh
source "$top/tests/lib/sssd_jvm_case.sh"
work=$(mktemp -d /tmp/sockscope-e2e.XXXXXX)
trap 'case_stop; rm -rf "$work"' EXIT
source "$(dirname "${BASH_SOURCE[0]}")/../lib/e2e.sh"  # check, e2e_finish


case_start "$work" || { rc=$?; [[ $rc -eq 77 ]] && exit 77; echo "FAIL: could not start sssd and the JVM" >&2; exit 1; }
fd=$(case_sssd_fd "$bin")
check "ls -p finds the JVM socket whose peer sssd_nss holds" test -n "$fd"
ino=$(readlink "/proc/$JVM_PID/fd/$fd" | tr -dc 0-9)

out=$("$bin" fd "$JVM_PID" "$fd")
echo "$out"
check "fd names sssd_nss with its pid" grep -q "sssd_nss\[$SSSD_NSS_PID\]:[0-9]" <<<"$out"
check "fd names the NSS pipe path" grep -q "/var/lib/sss/pipes/nss" <<<"$out"
check "fd says it is sssd's NSS pipe" grep -q "role: sssd NSS pipe" <<<"$out"

json=$("$bin" ls -p "$JVM_PID" --json)
sock=$(jq --argjson ino "$ino" '.sockets[] | select(.inode == $ino)' <<<"$json")
check "ls json: peer path" test "$(jq -r .peer.path <<<"$sock")" = /var/lib/sss/pipes/nss
check "ls json: peer owner is sssd_nss" test "$(jq -r '.peer.owners[0].comm' <<<"$sock")" = sssd_nss
check "ls json: peer owner pid" test "$(jq -r '.peer.owners[0].pid' <<<"$sock")" = "$SSSD_NSS_PID"
check "ls json: peer owner fd is a real fd of sssd_nss" \
  test "$(readlink "/proc/$SSSD_NSS_PID/fd/$(jq -r '.peer.owners[0].fd' <<<"$sock")")" = "socket:[$(jq -r .peer.inode <<<"$sock")]"
check "ls json: role" test "$(jq -r .role.name <<<"$sock")" = "sssd NSS pipe"
check "ls json: the JVM's socket is in the JVM's netns" \
  test "$(jq -r .netns <<<"$sock")" = "$(readlink "/proc/$JVM_PID/ns/net" | tr -dc 0-9)"
# The gap this closes: ss on the host does not see the JVM's socket at all.
check "ss -xp on the host shows nothing for the JVM" bash -c "! ss -xp | grep -q 'pid=$JVM_PID,'"

e2e_finish
