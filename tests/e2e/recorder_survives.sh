#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Issue 14, "nothing lost, nothing corrupt": a second recorder on the same
# database is refused with the first one's pid; `kill -9` of the recorder in
# the middle of a socket storm leaves a database that opens, with what was
# committed; a restart goes on; a garbage database is a clear error for
# readers and is moved aside by the recorder; the recorder and `trace` run
# side by side. Usage (root): tests/e2e/recorder_survives.sh path/to/sockscope
set -euo pipefail
bin=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
[[ $EUID -eq 0 ]] || { echo "SKIP: needs root" >&2; exit 77; }
command -v jq >/dev/null || { echo "SKIP: jq missing: apt-get install jq" >&2; exit 77; }
source "$top/tests/lib/e2e.sh"  # check, wait_for, e2e_finish
work=$(mktemp -d /tmp/sockscope-e2e.XXXXXX)
db=$work/state/history.db
run=$work/run
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
start_recorder() {  # start_recorder LOG [DB]: sets $rec
  "$bin" recorder --foreground --db "${2:-$db}" --run-dir "$run" 2> "$1" &
  rec=$!
  pids+=("$rec")
  wait_for "$1" "ready" || { cat "$1"; return 1; }
}

start_recorder "$work/r1.err"
first=$rec
rc=0; "$bin" recorder --foreground --db "$db" --run-dir "$work/run2" 2> "$work/r2.err" || rc=$?
cat "$work/r2.err"
check "a second recorder on the same database is refused" test "$rc" -ne 0
check "... naming the first one's pid" grep -q "$first" "$work/r2.err"

# A storm of socketpair+close, then kill -9 of the recorder in its middle.
python3 - > "$work/storm.out" <<'PY' &
import socket, time
n, t0 = 0, time.time()
while time.time() - t0 < 3:
    a, b = socket.socketpair(); a.close(); b.close(); n += 1
print(n)
PY
storm=$!
pids+=("$storm")
sleep 1.5
kill -KILL "$first"
wait "$first" 2>/dev/null || true
wait "$storm"
check "the storm made sockets" test "$(cat "$work/storm.out")" -gt 1000
rc=0; st=$("$bin" recorder status --db "$db" --json) || rc=$?
echo "$st"
check "after kill -9: the database opens" test "$rc" -eq 0
check "after kill -9: committed events are there" test "$(jq -r .events <<<"$st")" -gt 1000
check "after kill -9: not running" test "$(jq -r .running <<<"$st")" = false

# A socket made while no recorder runs.
python3 -c 'import socket, time; a, b = socket.socketpair(); print(a.fileno(), flush=True); time.sleep(600)' > "$work/mid.fd" &
mid=$!
pids+=("$mid")
wait_for "$work/mid.fd" '[0-9]'
start_recorder "$work/r3.err"
out=$("$bin" fd "$mid" "$(cat "$work/mid.fd")" --db "$db" 2>&1) || true
echo "$out"
check "restart: a socket made meanwhile is said to predate it" grep -q "existed when the recorder started" <<<"$out"
rc=0; hj=$("$bin" history --db "$db" --pid "$storm" --limit 5 --json) || rc=$?
check "restart: the storm's sockets are still queryable" test "$(jq '.sockets | length' <<<"$hj")" -gt 0

# Beside trace: both run, neither disturbs the other.
rc=0; "$bin" trace --unix --duration 1 > "$work/trace.out" 2> "$work/trace.err" || rc=$?
check "trace beside the recorder: exit 0" test "$rc" -eq 0
check "trace beside the recorder: nothing lost" grep -q "lost events: 0" "$work/trace.err"
check "the recorder still runs" kill -0 "$rec"
kill -TERM "$rec"; rc=0; wait "$rec" || rc=$?
check "SIGTERM: exit 0" test "$rc" -eq 0

# Garbage where the database should be.
mkdir -p -m 700 "$work/bad"
head -c 8192 /dev/urandom > "$work/bad/history.db"; chmod 600 "$work/bad/history.db"
rc=0; err=$("$bin" history --db "$work/bad/history.db" 2>&1) || rc=$?
echo "$err"
check "garbage database: readers fail" test "$rc" -ne 0
check "garbage database: ... saying it is not a history database" grep -qi "not a sockscope history database\|damaged" <<<"$err"
start_recorder "$work/r4.err" "$work/bad/history.db"
check "garbage database: the recorder moves it aside" grep -q "moved aside" "$work/r4.err"
check "garbage database: the moved file is kept" compgen -G "$work/bad/history.db.corrupt-*" >/dev/null
kill -TERM "$rec"; wait "$rec" || true
e2e_finish
