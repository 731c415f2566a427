#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Issue 6's case, the user's report in shared/seeds/001: a JVM whose NSS
# source is sssd holds a stream socket to sssd_nss. `sockscope checkpoint`
# must say: blocked, with CRIU's two messages in the order the user met them
# (`External socket is used`, then with --ext-unix-sk `Can't dump half of
# stream unix connection`), the peer sssd_nss at /var/lib/sss/pipes/nss, the
# remedy with the inode filled in; and ready with `--external unix[<ino>]`.
# Usage (root): tests/e2e/checkpoint_sssd_jvm.sh path/to/sockscope   (exit 77: skipped)
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
check "the JVM holds a socket to sssd_nss" test -n "$fd"
ino=$(readlink "/proc/$JVM_PID/fd/$fd" | tr -dc 0-9)

rc=0; out=$("$bin" checkpoint "$JVM_PID") || rc=$?
echo "$out"
check "text: exit 1 (blocked)" test "$rc" -eq 1
check "text: verdict blocked" grep -q "^verdict: blocked" <<<"$out"
# The order the user meets them: the plain dump's text, then after --ext-unix-sk.
first=$(grep -n "External socket is used" <<<"$out" | head -1 | cut -d: -f1)
second=$(grep -n "Can't dump half of stream unix connection" <<<"$out" | head -1 | cut -d: -f1)
check "text: External socket first, half stream second" test -n "$first" -a -n "$second" -a "${first:-0}" -lt "${second:-0}"
check "text: names sssd_nss with its pid" grep -q "sssd_nss\[$SSSD_NSS_PID\]" <<<"$out"
check "text: remedy with the inode" grep -qF -- "--external unix[$ino]" <<<"$out"
check "text: restore remedy" grep -qF -- "--inherit-fd fd[$fd]:socket:[$ino]" <<<"$out"

rc=0; json=$("$bin" checkpoint "$JVM_PID" --json) || rc=$?
u1=$(jq --argjson fd "$fd" '.findings[] | select(.rule == "U1" and .fd == $fd)' <<<"$json")
check "json: exit 1" test "$rc" -eq 1
check "json: verdict blocked" test "$(jq -r .verdict <<<"$json")" = blocked
check "json: U1 finding on the sssd fd" test -n "$u1"
check "json: first message" test "$(jq -r '.messages[0].text' <<<"$u1")" = \
  "unix: External socket is used. Consider using --ext-unix-sk option."
check "json: second message after --ext-unix-sk" test "$(jq -r '.messages[1].engine' <<<"$u1")" = "criu --ext-unix-sk"
check "json: half-stream text names the peer path" test "$(jq -r '.messages[1].text' <<<"$u1")" = \
  "unix: Can't dump half of stream unix connection. name: (null); peer name: /var/lib/sss/pipes/nss"
check "json: origin role" test "$(jq -r .origin.role <<<"$u1")" = "sssd NSS pipe"
check "json: origin path" test "$(jq -r .origin.peer_path <<<"$u1")" = /var/lib/sss/pipes/nss
check "json: origin holder is sssd_nss" test "$(jq -r '.origin.peer_holders[0].comm' <<<"$u1")" = sssd_nss
check "json: origin holder pid" test "$(jq -r '.origin.peer_holders[0].pid' <<<"$u1")" = "$SSSD_NSS_PID"
check "json: origin_stack present and empty" test "$(jq -c .origin.origin_stack <<<"$u1")" = "[]"

rc=0; json=$("$bin" checkpoint "$JVM_PID" --criu-opts "--ext-unix-sk" --json) || rc=$?
check "--ext-unix-sk: still blocked" test "$(jq -r .engines.criu_with_options.verdict <<<"$json")" = blocked
check "--ext-unix-sk: exit 1" test "$rc" -eq 1
check "--ext-unix-sk: the half-stream text decides" test "$(jq -r --argjson fd "$fd" \
  '.findings[] | select(.rule == "U1" and .fd == $fd) | .verdicts.criu_with_options.message' <<<"$json")" = \
  "unix: Can't dump half of stream unix connection. name: (null); peer name: /var/lib/sss/pipes/nss"

rc=0; json=$("$bin" checkpoint "$JVM_PID" --criu-opts "--external unix[$ino]" --json) || rc=$?
verdict=$(jq -r .engines.criu_with_options.verdict <<<"$json")
check "--external unix[$ino]: the dump is ready ($verdict)" test "$verdict" != blocked
check "--external unix[$ino]: exit 0 or 2, not 1" test "$rc" -ne 1
check "--external unix[$ino]: no blocker left" \
  test "$(jq '[.findings[] | select(.severity == "block")] | length' <<<"$json")" = 0

e2e_finish
