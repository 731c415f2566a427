#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Issue 14's case, seed 000 after the fact: the recorder runs; a JVM is then
# started normally (not under `run`) in its own network namespace, with sssd
# as its NSS source. Afterwards, with no trace running, `fd PID FD`,
# `fd 'socket:[INODE]'`, `checkpoint PID` and `history` name the code that
# made the sssd socket (PerfMemory::create_memory_region) and the whole
# chain to clone3, from the recorder's database, found through /run. A socket
# made before the recorder started is said to predate it, not guessed at.
# Usage (root): tests/e2e/recorder_sssd_jvm.sh path/to/sockscope   (exit 77: skipped)
set -euo pipefail
bin=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
[[ $EUID -eq 0 ]] || { echo "SKIP: needs root" >&2; exit 77; }
command -v jq >/dev/null || { echo "SKIP: jq missing: apt-get install jq" >&2; exit 77; }
source "$top/tests/lib/sssd_jvm_case.sh"
source "$top/tests/lib/e2e.sh"  # check, wait_for, e2e_finish
work=$(mktemp -d /tmp/sockscope-e2e.XXXXXX)
db=$work/state/history.db
recorder= old=
cleanup() {
  case_stop
  [[ -n $recorder ]] && { kill -TERM "$recorder" 2>/dev/null || true; wait "$recorder" 2>/dev/null || true; }
  [[ -n $old ]] && { kill "$old" 2>/dev/null || true; wait "$old" 2>/dev/null || true; }
  ((fails == 0)) || { echo "--- the recorder's stderr:"; cat "$work/recorder.err"; }
  rm -rf "$work"
}
trap cleanup EXIT

# A socket made before the recorder starts: its creator cannot be known.
python3 -c 'import socket, time; a, b = socket.socketpair(); print(a.fileno(), flush=True); time.sleep(600)' > "$work/old.fd" &
old=$!
wait_for "$work/old.fd" '[0-9]'
old_fd=$(cat "$work/old.fd")

"$bin" recorder --foreground --db "$db" 2> "$work/recorder.err" &
recorder=$!
wait_for "$work/recorder.err" "ready" || { cat "$work/recorder.err"; exit 1; }
check "database directory is 0700" test "$(stat -c %a "$work/state")" = 700
check "database file is 0600" test "$(stat -c %a "$db")" = 600
check "the recorder says where it writes" test "$(cat /run/sockscope/db)" = "$db"

case_start "$work" || { rc=$?; [[ $rc -eq 77 ]] && exit 77; echo "FAIL: could not start sssd and the JVM" >&2; exit 1; }
fd=$(case_sssd_fd "$bin")
check "the JVM holds a socket to sssd_nss" test -n "$fd"
ino=$(readlink "/proc/$JVM_PID/fd/$fd" | tr -dc 0-9)
sleep 0.5  # the writer commits every 200 ms

out=$("$bin" fd "$JVM_PID" "$fd" 2>&1) || true
echo "$out"
check "fd: history found through the running recorder" grep -q "history (the running recorder (pid $recorder))" <<<"$out"
check "fd: created by the JVM via socket(unix/stream)" grep -qE "created .* by java\[$JVM_PID/[0-9]+\] via socket\(unix/stream\)" <<<"$out"
check "fd: then connect to the sssd pipe" grep -q "connect.*/var/lib/sss/pipes/nss" <<<"$out"
# The default text cuts the stack to the frames that answer the question
# (docs/stacks.md "Short stacks"): the NSS call, the JVM code that made it,
# and where the thread began; --full-stack has every frame.
# A frame line is "#N  symbol+0x... (module)" (C++: "symbol(args)+0x..."):
# matched whole, so that getpwuid_r is not found inside _nss_sss_getpwuid_r.
for f in socket _nss_sss_getpwuid_r getpwuid_r PerfMemory::create_memory_region start_thread clone3; do
  check "fd: the cut creation stack has $f" grep -qE "#[0-9]+ +(__)?$f[(+]" <<<"$out"
done
check "fd: the cut says how to see the rest" grep -qE "\.\.\. [0-9]+ frames in .*libjvm\.so.* \(--full-stack shows them\)" <<<"$out"
full=$("$bin" fd "$JVM_PID" "$fd" --full-stack 2>&1) || true
for f in socket getpwuid_r PerfMemory::create_memory_region Threads::create_vm JNI_CreateJavaVM JavaMain start_thread clone3; do
  check "fd --full-stack: creation stack has $f" grep -qE "#[0-9]+ +(__)?$f[(+]" <<<"$full"
done
check "fd --full-stack: nothing elided" bash -c '! grep -q -- "--full-stack shows them" <<<"$1"' _ "$full"

json=$("$bin" fd "$JVM_PID" "$fd" --json)
check "fd --json: the record's inode" test "$(jq -r .history.record.inode <<<"$json")" = "$ino"
check "fd --json: the stack is complete (first_frame)" test "$(jq -r .history.record.creation.stack_end <<<"$json")" = first_frame
check "fd --json: the creator's exe is java" grep -q "java$" <<<"$(jq -r .history.record.creator.exe <<<"$json")"

out=$("$bin" fd "socket:[$ino]" 2>&1) || true
check "fd socket:[INODE]: names the JVM as holder" grep -q "java\[$JVM_PID\]" <<<"$out"
check "fd socket:[INODE]: and its creation stack" grep -q "PerfMemory::create_memory_region" <<<"$out"

rc=0; cj=$("$bin" checkpoint "$JVM_PID" --json) || rc=$?
stack=$(jq -r --argjson fd "$fd" '.findings[] | select(.rule == "U1" and .fd == $fd) | .origin.origin_stack[]' <<<"$cj")
check "checkpoint: blocked (exit 1)" test "$rc" -eq 1
check "checkpoint: the blocker's origin has PerfMemory::create_memory_region" grep -q "PerfMemory::create_memory_region" <<<"$stack"
check "checkpoint: ... down to clone3" grep -q "clone3" <<<"$stack"
check "checkpoint: the origin's stack is complete" test "$(jq -r --argjson fd "$fd" \
  '.findings[] | select(.rule == "U1" and .fd == $fd) | .origin.created.stack_end' <<<"$cj")" = first_frame
ct=$("$bin" checkpoint "$JVM_PID" || true)
check "checkpoint text: created line" grep -q "created: .* by java\[$JVM_PID/" <<<"$ct"

hj=$("$bin" history --pid "$JVM_PID" --json)
check "history --pid: the sssd socket is among the JVM's" \
  test "$(jq --argjson ino "$ino" '[.sockets[] | select(.inode == $ino)] | length' <<<"$hj")" = 1
hj=$("$bin" history --path '/var/lib/sss/pipes/*' --json)
check "history --path: finds it by the sssd path" \
  test "$(jq --argjson ino "$ino" '[.sockets[] | select(.inode == $ino)] | length' <<<"$hj")" = 1

# The recorded creation stacks as pictures: folded lines and a flame graph
# (drawn by librsvg when it is installed), with the JVM's call in them.
folded=$("$bin" history --path '/var/lib/sss/pipes/*' --folded)
check "history --folded: the JVM frame that asked for it, in a folded line" \
  grep -qE "^[^;]+;.*PerfMemory::create_memory_region.*;[^;]+ [0-9]+$" <<<"$folded"
"$bin" history --path '/var/lib/sss/pipes/*' --flamegraph "$work/history.svg" 2>/dev/null
check "history --flamegraph: the SVG names the JVM frame" grep -q "PerfMemory::create_memory_region" "$work/history.svg"
if command -v rsvg-convert >/dev/null; then
  check "history --flamegraph: librsvg draws it" rsvg-convert -o "$work/history.png" "$work/history.svg"
fi

out=$("$bin" fd "$old" "$old_fd" 2>&1) || true
check "a socket older than the recorder: said to predate it" grep -q "existed when the recorder started" <<<"$out"

st=$("$bin" recorder status --json)
echo "$st"
check "status: running, with the recorder's pid" test "$(jq -r .pid <<<"$st")" = "$recorder"
check "status: events stored" test "$(jq -r .events <<<"$st")" -gt 0
check "status: nothing lost" test "$(jq -r .lost <<<"$st")" = 0

kill -TERM "$recorder"; rc=0; wait "$recorder" || rc=$?; recorder=
check "recorder: SIGTERM ends it with exit 0" test "$rc" -eq 0
check "recorder: its /run files are gone" test ! -e /run/sockscope/recorder.pid
st=$("$bin" recorder status --db "$db" --json)
check "status after stop: not running" test "$(jq -r .running <<<"$st")" = false
out=$("$bin" fd "$JVM_PID" "$fd" --db "$db" 2>&1) || true
check "fd --db after stop: the record is still there" grep -q "PerfMemory::create_memory_region" <<<"$out"
e2e_finish
